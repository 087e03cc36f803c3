"""API serializers of the evaluations app."""

from rest_framework import serializers

from assessments.models import Scheme
from chuxiong_portal.api_support import code_field, decimal_field

from .models import EvaluationResult, SchemeKind, SchemeVersion, SubIndicator, SubScore


class SubIndicatorSerializer(serializers.ModelSerializer):
    feeds = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text="对应的行动方案指标代码 Plan indicators that feed it"
    )

    class Meta:
        model = SubIndicator
        fields = ["code", "group", "name", "unit", "direction", "weight", "method", "feeds", "order"]


class SchemeVersionSerializer(serializers.ModelSerializer):
    sub_indicators = SubIndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = SchemeVersion
        fields = [
            "id",
            "kind",
            "year",
            "title",
            "total_is_weighted_sum",
            "purpose",
            "state",
            "published_at",
            "sub_indicators",
            "is_demo",
            "updated_at",
        ]


class SubScoreSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="sub_indicator.code", read_only=True, help_text="分项代码")

    class Meta:
        model = SubScore
        fields = ["indicator", "value", "score", "rank", "source"]


class EvaluationResultSerializer(serializers.ModelSerializer):
    scheme = serializers.CharField(source="scheme.kind", read_only=True, help_text="provincial / national / prefecture")
    year = serializers.IntegerField(source="scheme.year", read_only=True)
    zone = serializers.CharField(source="zone_code", read_only=True, help_text="开发区代码 Zone code")
    sub_scores = SubScoreSerializer(many=True, read_only=True)

    class Meta:
        model = EvaluationResult
        fields = [
            "id",
            "scheme",
            "year",
            "zone",
            "zone_name",
            "total",
            "weighted_sum",
            "rank",
            "funding_awarded",
            "review",
            "sub_scores",
            "updated_at",
        ]


class SubScoreRowSerializer(serializers.Serializer):
    indicator = code_field("分项代码（该年度方案中的） Sub-indicator code", max_length=40)
    value = decimal_field("指标值（可选），最多4位小数 Value", minimum=-(10**14), maximum=10**14, exclusive=True)
    score = decimal_field("得分，百分制，最多2位小数 Score on 0–100", minimum=0, maximum=100)
    rank = serializers.IntegerField(
        min_value=1, max_value=10000, required=False, allow_null=True, help_text="分项排名（如公布）"
    )


class EvaluationResultRowSerializer(serializers.Serializer):
    """Documents one row of POST /api/v1/evaluation-results/bulk/ (validated by `results_import`)."""

    scheme = serializers.ChoiceField(
        choices=Scheme.choices, required=False, default=SchemeKind.PROVINCIAL, help_text="默认 provincial"
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="评价年度 Evaluation year")
    zone = code_field("开发区代码，州外亦可 Zone code", max_length=40)
    zone_name = serializers.CharField(
        min_length=1, max_length=60, required=False, allow_null=True, help_text="州外开发区须填写名称"
    )
    total = decimal_field("总分（可选；缺省为加权合计），最多2位小数", minimum=-(10**6), maximum=10**6, exclusive=True)
    rank = serializers.IntegerField(
        min_value=1, max_value=10000, required=False, allow_null=True, help_text="排名（可选；缺省按总分排）"
    )
    funding_awarded = serializers.BooleanField(required=False, default=False, help_text="是否获省级资金补助")
    sub_scores = SubScoreRowSerializer(many=True, help_text="方案中每个分项的得分 One entry per sub-indicator")
