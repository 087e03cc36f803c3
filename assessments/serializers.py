"""API serializers of the assessments app."""

from rest_framework import serializers

from .models import (
    Evaluation,
    EvaluationResult,
    Flag,
    Ranking,
    Scheme,
    SchemeKind,
    SchemeVersion,
    SubIndicator,
    SubScore,
)


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

    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="评价年度 Evaluation year")
    zone = serializers.CharField(max_length=100, help_text="开发区代码 Zone code")
    rank = serializers.IntegerField(min_value=1, max_value=10000, help_text="排名，1为最好 Rank (1 is best)")
    total_zones = serializers.IntegerField(min_value=1, max_value=10000,
                                           help_text="参评开发区数；同一年度各行须一致 Zones evaluated that year")
    score = serializers.DecimalField(max_digits=8, decimal_places=2, required=False, allow_null=True,
                                     coerce_to_string=False, help_text="得分（可选）")
    funding_awarded = serializers.BooleanField(required=False, default=False, help_text="是否获省级资金补助")
    scheme = serializers.ChoiceField(choices=Scheme.choices, required=False, default=Scheme.PROVINCIAL,
                                     help_text="默认 provincial；national 仅限国家级开发区")


class FlagSerializer(serializers.ModelSerializer):
    zone = serializers.CharField(source="zone.code", read_only=True, help_text="开发区代码 Zone code")
    rule_label = serializers.CharField(source="get_rule_display", read_only=True)
    handled_by = serializers.CharField(source="handled_by.username", read_only=True, allow_null=True)

    class Meta:
        model = Flag
        fields = ["id", "zone", "scheme", "year", "rule", "rule_label", "outcome", "evidence", "reason", "consequence",
                  "responsible_party", "state", "note", "handled_by", "handled_at", "created_at", "updated_at"]


class SubIndicatorSerializer(serializers.ModelSerializer):
    feeds = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True,
                                         help_text="对应的行动方案指标代码 Plan indicators that feed it")

    class Meta:
        model = SubIndicator
        fields = ["code", "group", "name", "unit", "direction", "weight", "method", "feeds", "order"]


class SchemeVersionSerializer(serializers.ModelSerializer):
    sub_indicators = SubIndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = SchemeVersion
        fields = ["id", "kind", "year", "title", "total_is_weighted_sum", "purpose", "state", "published_at",
                  "sub_indicators", "is_demo", "updated_at"]


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
        fields = ["id", "scheme", "year", "zone", "zone_name", "total", "weighted_sum", "rank", "funding_awarded",
                  "review", "sub_scores", "updated_at"]


class SubScoreRowSerializer(serializers.Serializer):
    indicator = serializers.CharField(max_length=40, help_text="分项代码（该年度方案中的） Sub-indicator code")
    value = serializers.DecimalField(max_digits=18, decimal_places=4, required=False, allow_null=True,
                                     coerce_to_string=False, help_text="指标值（可选）")
    score = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, allow_null=True,
                                     coerce_to_string=False, help_text="得分，百分制 Score on 0–100")
    rank = serializers.IntegerField(min_value=1, required=False, allow_null=True, help_text="分项排名（如公布）")


class EvaluationResultRowSerializer(serializers.Serializer):
    """Documents one row of POST /api/v1/evaluation-results/bulk/ (validated by `results_import`)."""

    scheme = serializers.ChoiceField(choices=Scheme.choices, required=False,
                                     default=SchemeKind.PROVINCIAL, help_text="默认 provincial")
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="评价年度 Evaluation year")
    zone = serializers.CharField(max_length=40, help_text="开发区代码，州外亦可 Zone code")
    zone_name = serializers.CharField(max_length=60, required=False, help_text="州外开发区须填写名称")
    total = serializers.DecimalField(max_digits=8, decimal_places=2, required=False, allow_null=True,
                                     coerce_to_string=False, help_text="总分（可选；缺省为加权合计）")
    rank = serializers.IntegerField(min_value=1, required=False, allow_null=True,
                                    help_text="排名（可选；缺省按总分排）")
    funding_awarded = serializers.BooleanField(required=False, default=False, help_text="是否获省级资金补助")
    sub_scores = SubScoreRowSerializer(many=True, help_text="方案中每个分项的得分 One entry per sub-indicator")
