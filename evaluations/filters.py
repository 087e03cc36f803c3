from django_filters import rest_framework as filters

from chuxiong_portal.api_support import UpdatedSinceFilterSet

from .models import EvaluationResult, SchemeKind, SchemeVersion


class SchemeVersionFilter(UpdatedSinceFilterSet):
    class Meta:
        model = SchemeVersion
        fields = ["kind", "year", "state", "updated_since"]


class EvaluationResultFilter(UpdatedSinceFilterSet):
    zone = filters.CharFilter(field_name="zone_code", label="开发区代码 Zone code")
    year = filters.NumberFilter(field_name="scheme__year", label="评价年度 Evaluation year")
    scheme = filters.ChoiceFilter(field_name="scheme__kind", choices=SchemeKind.choices, label="评价体系 Scheme")
    # Only the flag itself: an empty value is refused like every empty filter (api_support.StrictFilterBackend).
    review = filters.ChoiceFilter(
        choices=[(value, label) for value, label in EvaluationResult.Review.choices if value],
        label="待复核 Marked for review",
    )

    class Meta:
        model = EvaluationResult
        fields = ["zone", "year", "scheme", "review", "updated_since"]
