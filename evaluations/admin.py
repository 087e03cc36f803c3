from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import EvaluationResult, SchemeVersion, SubIndicator, SubScore


class SubIndicatorInline(admin.TabularInline):
    model = SubIndicator
    extra = 0
    filter_horizontal = ["feeds"]


@admin.register(SchemeVersion)
class SchemeVersionAdmin(admin.ModelAdmin):
    list_display = ["year", "kind", "title", "state", "total_is_weighted_sum", "is_demo"]
    list_filter = ["kind", "year", "state"]
    inlines = [SubIndicatorInline]


class SubScoreInline(admin.TabularInline):
    model = SubScore
    extra = 0
    raw_id_fields = ["scorer"]


@admin.register(EvaluationResult)
class EvaluationResultAdmin(SimpleHistoryAdmin):
    list_display = ["zone_name", "scheme", "rank", "total", "weighted_sum", "review"]
    list_filter = ["scheme__kind", "scheme__year", "review"]
    search_fields = ["zone_name", "zone_code"]
    list_select_related = ["scheme"]
    inlines = [SubScoreInline]
