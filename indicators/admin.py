from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AreaFigure,
    DispatchReport,
    Indicator,
    IndicatorValue,
    Obligation,
    ProgressResult,
    ReportingPeriod,
    Target,
)
from .services import area_figure_delete, area_figure_save


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = ["scope", "zone", "cluster", "year", "committed_value", "stretch_value", "baseline_value", "due_date",
              "required_count"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "kind", "direction", "task", "owner", "cadence", "year_to_date"]
    list_filter = ["kind", "direction", "cadence", "task__programme", "owner"]
    search_fields = ["code", "name", "description"]
    list_select_related = ["task", "owner"]
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "scope", "zone", "cluster", "year", "committed_value", "stretch_value",
                    "baseline_value", "due_date", "required_count"]
    list_filter = ["scope", "year", "zone", "cluster", "indicator__kind"]
    search_fields = ["indicator__name", "indicator__code", "wording"]
    list_select_related = ["indicator", "zone", "cluster"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["label", "cadence", "year", "index", "start", "end", "deadline", "is_locked"]
    list_filter = ["cadence", "year", "is_locked"]
    list_editable = ["deadline", "is_locked"]
    date_hierarchy = "start"


@admin.register(Obligation)
class ObligationAdmin(admin.ModelAdmin):
    list_display = ["department", "zone", "task", "cadence", "active"]
    list_filter = ["cadence", "active", "department", "zone"]
    search_fields = ["department__name", "task__title", "zone__name"]
    list_select_related = ["department", "zone", "task"]
    list_editable = ["cadence", "active"]


@admin.register(DispatchReport)
class DispatchReportAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "state", "progress", "progress_pct", "submitted_at", "reviewed_by", "is_demo"]
    list_filter = ["state", "progress", "period__cadence", "period__year", "department", "zone", "is_demo"]
    search_fields = ["department__name", "task__title", "work_done", "problems"]
    list_select_related = ["department", "zone", "task", "period", "reviewed_by"]
    readonly_fields = ["version", "created_at", "updated_at"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "scope", "zone", "cluster", "period", "source", "value", "locked", "updated_at"]
    list_filter = ["source", "locked", "scope", "zone", "indicator", "period__year", "is_demo"]
    search_fields = ["indicator__name", "indicator__code", "note"]
    list_select_related = ["indicator", "zone", "cluster", "period"]
    readonly_fields = ["version", "updated_at"]


@admin.register(AreaFigure)
class AreaFigureAdmin(admin.ModelAdmin):
    """Figures of the areas (片区) of a zone; saving recomputes the progress that depends on the zone."""

    list_display = ["area", "indicator", "period", "value", "is_demo", "updated_at"]
    list_filter = ["area__zone", "indicator", "period__year", "is_demo"]
    search_fields = ["area__name", "indicator__name", "note"]
    list_select_related = ["area__zone", "indicator", "period"]

    def save_model(self, request, obj, form, change):
        area_figure_save(obj)

    def delete_model(self, request, obj):
        area_figure_delete(obj)

    def delete_queryset(self, request, queryset):
        for figure in queryset.select_related("area"):
            area_figure_delete(figure)


@admin.register(ProgressResult)
class ProgressResultAdmin(admin.ModelAdmin):
    list_display = ["target", "period", "actual", "expected", "attainment", "status", "computed_at"]
    list_filter = ["status", "period__year", "target__indicator__kind", "target__zone"]
    search_fields = ["target__indicator__name", "reason"]
    list_select_related = ["target__indicator", "target__zone", "target__cluster", "period"]
