"""API serializers of the indicators app.

Read serializers render the stored rows; the `*RowSerializer`s only document the bulk request
bodies in the OpenAPI schema (the rows themselves are validated by the import services).
Decimals are rendered as strings with 4 decimal places.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from chuxiong_portal.api_support import MAX_BULK_ROWS, code_field
from chuxiong_portal.bulk_import import VALUE_STRING

from .models import Cadence, Indicator, IndicatorValue, ProgressResult, ReportingPeriod, Scope, Target
from .reporting.reconciliation import difference


class PeriodSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text="中文期次名称，如 2024年3月 Chinese period label")

    class Meta:
        model = ReportingPeriod
        fields = ["cadence", "year", "index", "label", "start", "end"]


class IndicatorSerializer(serializers.ModelSerializer):
    task = serializers.IntegerField(
        source="task.number",
        read_only=True,
        allow_null=True,
        help_text="来源任务序号；为空时出自“发展目标” Source task number",
    )
    owner = serializers.CharField(
        source="owner.slug",
        read_only=True,
        allow_null=True,
        help_text="填报单位代码；为空时由园区统计员填报 Reporting unit slug",
    )

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "unit",
            "kind",
            "direction",
            "task",
            "source",
            "owner",
            "cadence",
            "year_to_date",
            "min_value",
            "max_value",
            "description",
        ]


class ScopeFieldsMixin(serializers.Serializer):
    zone = serializers.CharField(source="zone.code", read_only=True, allow_null=True, help_text="开发区代码 Zone code")
    cluster = serializers.CharField(
        source="cluster.code", read_only=True, allow_null=True, help_text="产业集群代码 Cluster code"
    )


class TargetSerializer(ScopeFieldsMixin, serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code", read_only=True, help_text="指标代码 Indicator code")
    basis = serializers.ChoiceField(
        choices=Target.Basis.choices,
        read_only=True,
        help_text="依据：plan 方案原文；office 州开发区办对全州目标的分解，非方案原文 "
        "Basis: the plan's own target, or the office's breakdown of a prefecture-wide goal",
    )
    note = serializers.CharField(
        read_only=True,
        help_text="州开发区办的说明，不是方案原文（可为空） The office's reading beside the plan's wording "
        "(may be empty)",
    )

    trend_only = serializers.BooleanField(
        read_only=True,
        help_text="只看趋势：方案只要求明显优化、大幅提升，未给数值，不评定达标 "
        "Trend only: the plan asks for an improvement without a number; never judged met or missed",
    )

    class Meta:
        model = Target
        fields = [
            "id",
            "indicator",
            "scope",
            "zone",
            "cluster",
            "year",
            "committed_value",
            "stretch_value",
            "baseline_value",
            "due_date",
            "required_count",
            "wording",
            "basis",
            "note",
            "trend_only",
        ]


class IndicatorValueSerializer(ScopeFieldsMixin, serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code", read_only=True, help_text="指标代码 Indicator code")
    period = PeriodSerializer(read_only=True)
    report_state = serializers.CharField(
        source="report.state",
        read_only=True,
        allow_null=True,
        help_text="州内填报值所属调度报告的状态（draft/submitted/returned/approved）；省统计数据为 null。",
    )

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "indicator",
            "scope",
            "zone",
            "cluster",
            "period",
            "source",
            "value",
            "done_on",
            "note",
            "locked",
            "report_state",
            "version",
            "is_demo",
            "updated_at",
        ]


class ProgressTargetSerializer(ScopeFieldsMixin, serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code", read_only=True)

    class Meta:
        model = Target
        fields = ["id", "indicator", "scope", "zone", "cluster", "year", "committed_value", "stretch_value"]


class ProgressSerializer(serializers.ModelSerializer):
    target = ProgressTargetSerializer(read_only=True)
    period = PeriodSerializer(read_only=True)
    reason = serializers.CharField(
        source="reason_words", read_only=True, help_text="说明（按请求语言） The reason, in the request's language"
    )
    reason_code = serializers.CharField(
        read_only=True, help_text="说明代码 The reason's code (indicators/progress/engine/spec.py)"
    )
    against_goal = serializers.BooleanField(
        read_only=True,
        help_text="对照目标值 Whether the figure was held to the goal itself (a rate, a share, a final figure) "
        "rather than to a point on the path to it (序时进度)",
    )

    class Meta:
        model = ProgressResult
        fields = [
            "id",
            "target",
            "period",
            "actual",
            "expected",
            "attainment",
            "status",
            "projection",
            "required_rate",
            "reason",
            "reason_code",
            "against_goal",
            "computed_at",
        ]


class ReconciliationSerializer(ScopeFieldsMixin, serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code", read_only=True)
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    period = PeriodSerializer(read_only=True)
    unit_value = serializers.DecimalField(
        source="portal_value",
        max_digits=18,
        decimal_places=4,
        read_only=True,
        help_text="州内填报值 The value the prefecture's unit entered",
    )
    province_value = serializers.DecimalField(
        source="value",
        max_digits=18,
        decimal_places=4,
        read_only=True,
        help_text="省统计系统值 The province's official figure",
    )
    difference = serializers.SerializerMethodField(help_text="省统计值 − 州内填报值")
    difference_pct = serializers.SerializerMethodField(help_text="差额占州内填报值的百分比；填报值为0时为 null")

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "indicator",
            "indicator_name",
            "scope",
            "zone",
            "cluster",
            "period",
            "unit_value",
            "province_value",
            "difference",
            "difference_pct",
            "updated_at",
        ]

    @extend_schema_field(serializers.DecimalField(max_digits=19, decimal_places=4, allow_null=True))
    def get_difference(self, row) -> str | None:
        diff, _pct = difference(row)
        return None if diff is None else f"{diff:.4f}"

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True))
    def get_difference_pct(self, row) -> str | None:
        _diff, pct = difference(row)
        return None if pct is None else f"{pct:.2f}"


# --------------------------------------------------------------------------- bulk request/response documentation


class PeriodKeySerializer(serializers.Serializer):
    cadence = serializers.ChoiceField(
        choices=Cadence.choices, help_text="必须与指标的填报频次一致 The indicator's cadence"
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    index = serializers.IntegerField(
        min_value=1,
        max_value=24,
        help_text="年内期次，从1起：biweekly 1–24, monthly 1–12, quarterly 1–4, half_yearly 1–2, yearly 1",
    )


@extend_schema_field(
    {
        "oneOf": [
            {
                "type": "number",
                "exclusiveMinimum": True,
                "minimum": -(10**14),
                "exclusiveMaximum": True,
                "maximum": 10**14,
            },
            # chuxiong_portal.numbers.parse_decimal: a sign, digits (full-width too), separators, one point.
            {"type": "string", "pattern": VALUE_STRING},
        ],
        "nullable": True,
    }
)
class BulkValueField(serializers.Field):
    """A value of a bulk row: a JSON number or a decimal string (documentation only)."""


class IndicatorValueRowSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(
        choices=Scope.choices,
        required=False,
        default=Scope.ZONE,
        help_text="默认 zone；cluster 需填 cluster，prefecture 两者都不填",
    )
    zone = code_field("开发区代码 Zone code (scope=zone)", optional=True)
    cluster = code_field("产业集群代码 Cluster code (scope=cluster)", optional=True)
    indicator = code_field("指标代码 Indicator code")
    period = PeriodKeySerializer()
    value = BulkValueField(allow_null=True, help_text="数字或数字字符串，最多4位小数 A number or decimal string")
    done_on = serializers.DateField(required=False, allow_null=True, help_text="节点类指标的完成日期 Milestones only")
    note = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=2000)


class ImportErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(allow_null=True, help_text="出错行的下标（从0起计）；整批错误时为 null")
    field = serializers.CharField(allow_null=True, help_text="出错字段，如 value、period.index；整行错误时为 null")
    message = serializers.CharField()


class ImportSummarySerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = ImportErrorSerializer(many=True)
    dry_run = serializers.BooleanField()
    detail = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = ImportErrorSerializer(many=True)


class BulkRefusalSerializer(ErrorSerializer):
    """A refused batch (400, 409): the import summary with its errors, counts 0 and `dry_run`; a body that cannot be
    read at all (not JSON, not UTF-8, a repeated key) or a bad query string has only `detail` and `errors`."""

    created = serializers.IntegerField(required=False, help_text="0：整批未写入 Nothing written")
    updated = serializers.IntegerField(required=False, help_text="0")
    unchanged = serializers.IntegerField(required=False, help_text="0")
    dry_run = serializers.BooleanField(required=False)


BULK_DESCRIPTION = f"""Upsert a JSON array of at most {MAX_BULK_ROWS} rows (and at most 10 MB).

All-or-nothing: every row is validated first; any error → HTTP 400 (the body breaks this schema)
or 409 (it keeps to it but is refused as it stands) with the list of errors
`[{{index, field, message}}]`, and nothing is written. `?dry_run=true` validates and reports the
counts without writing. Rows equal to what is stored are reported as `unchanged` and not touched
(not even `updated_at`), so sending the same batch twice is harmless. Every write is recorded in the
history with the client as author."""
