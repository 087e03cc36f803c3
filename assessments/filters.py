from django_filters import rest_framework as filters

from chuxiong_portal.api_support import UpdatedSinceFilterSet, code_filter

from .models import Evaluation, Flag, Ranking, Scheme


def _zone():
    return code_filter("zone", "开发区代码 Zone code")


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
