"""API serializers of the assessments app."""

from rest_framework import serializers

from chuxiong_portal.api_support import code_field, decimal_field

from .models import Evaluation, Flag, Ranking, Scheme


class EvaluationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evaluation
        fields = ["id", "scheme", "year", "total_zones", "is_demo", "updated_at"]


class RankingSerializer(serializers.ModelSerializer):
    scheme = serializers.CharField(source="evaluation.scheme", read_only=True, help_text="provincial / national")
    year = serializers.IntegerField(source="evaluation.year", read_only=True)
    zone = serializers.CharField(source="zone.code", read_only=True, help_text="开发区代码 Zone code")
    total_zones = serializers.IntegerField(source="evaluation.total_zones", read_only=True)

    class Meta:
        model = Ranking
        fields = ["id", "scheme", "year", "zone", "rank", "total_zones", "score", "funding_awarded", "updated_at"]


class RankingRowSerializer(serializers.Serializer):
    """Documents one row of POST /api/v1/rankings/bulk/ (validated by `ranking_import`)."""

    year = serializers.IntegerField(
        min_value=2000,
        max_value=2100,
        help_text="评价年度，不晚于当年（否则409） Evaluation year, not after the current one (else 409)",
    )
    zone = code_field("开发区代码 Zone code")
    rank = serializers.IntegerField(min_value=1, max_value=10000, help_text="排名，1为最好 Rank (1 is best)")
    total_zones = serializers.IntegerField(
        min_value=1, max_value=10000, help_text="参评开发区数；同一年度各行须一致 Zones evaluated that year"
    )
    score = decimal_field("得分（可选），百分制，数字或数字字符串 Score on 0–100", minimum=0, maximum=100)
    funding_awarded = serializers.BooleanField(required=False, default=False, help_text="是否获省级资金补助")
    scheme = serializers.ChoiceField(
        choices=Scheme.choices,
        required=False,
        default=Scheme.PROVINCIAL,
        help_text="默认 provincial；national 仅限国家级开发区",
    )


class FlagSerializer(serializers.ModelSerializer):
    zone = serializers.CharField(source="zone.code", read_only=True, help_text="开发区代码 Zone code")
    rule_label = serializers.CharField(source="get_rule_display", read_only=True)
    handled_by = serializers.CharField(source="handled_by.username", read_only=True, allow_null=True)
    reason = serializers.CharField(
        source="reason_words", read_only=True, help_text="判定说明（按请求语言） The reason, in the request's language"
    )
    reason_code = serializers.CharField(
        read_only=True, help_text="判定说明代码 The reason's code (assessments/rules.py)"
    )
    reason_params = serializers.JSONField(
        read_only=True, help_text="判定说明参数 The reason's parameters: years, ranks, numbers"
    )

    class Meta:
        model = Flag
        fields = [
            "id",
            "zone",
            "scheme",
            "year",
            "rule",
            "rule_label",
            "outcome",
            "evidence",
            "reason",
            "reason_code",
            "reason_params",
            "consequence",
            "responsible_party",
            "state",
            "note",
            "handled_by",
            "handled_at",
            "created_at",
            "updated_at",
        ]
