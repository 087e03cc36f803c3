from django_filters import rest_framework as filters

from chuxiong_portal.api_support import UpdatedSinceFilterSet
from parks.models import Zone

from .models import Evaluation, EvaluationResult, Flag, Ranking, Scheme, SchemeKind, SchemeVersion


def _zone():
    return filters.ModelChoiceFilter(field_name="zone", queryset=Zone.objects.all(), to_field_name="code",
                                     label="开发区代码 Zone code")


class EvaluationFilter(UpdatedSinceFilterSet):
    class Meta:
        model = Evaluation
        fields = ["scheme", "year", "updated_since"]


class RankingFilter(UpdatedSinceFilterSet):
    zone = _zone()
    year = filters.NumberFilter(field_name="evaluation__year", label="评价年度 Evaluation year")
    scheme = filters.ChoiceFilter(field_name="evaluation__scheme", choices=Scheme.choices, label="评价体系 Scheme")

    class Meta:
        model = Ranking
        fields = ["zone", "year", "scheme", "updated_since"]


class FlagFilter(UpdatedSinceFilterSet):
    zone = _zone()

    class Meta:
        model = Flag
        fields = ["zone", "year", "rule", "state", "scheme", "outcome", "updated_since"]


class SchemeVersionFilter(UpdatedSinceFilterSet):
    class Meta:
        model = SchemeVersion
        fields = ["kind", "year", "state", "updated_since"]


class EvaluationResultFilter(UpdatedSinceFilterSet):
    zone = filters.CharFilter(field_name="zone_code", label="开发区代码 Zone code")
    year = filters.NumberFilter(field_name="scheme__year", label="评价年度 Evaluation year")
    scheme = filters.ChoiceFilter(field_name="scheme__kind", choices=SchemeKind.choices, label="评价体系 Scheme")

    class Meta:
        model = EvaluationResult
        fields = ["zone", "year", "scheme", "review", "updated_since"]
