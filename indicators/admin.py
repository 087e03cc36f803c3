from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AreaFigure,
    DispatchReport,
    Indicator,
    IndicatorValue,
    Obligation,
    ProgressResult,
    ReportingPeriod,
    SafeguardValue,
    Target,
)
from .reporting.services import (
    SafeguardError,
    area_figure_delete,
    area_figure_queued,
    area_figure_save,
    obligation_start,
    safeguard_check,
    safeguard_record,
)


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = [
        "scope",
        "zone",
        "cluster",
        "year",
        "committed_value",
        "stretch_value",
        "baseline_value",
        "due_date",
        "required_count",
    ]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "kind", "direction", "task", "owner", "cadence", "year_to_date"]
    list_filter = ["kind", "direction", "cadence", "task__programme", "owner"]
    search_fields = ["code", "name", "description"]
    list_select_related = ["task", "owner"]
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = [
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
    ]
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

    def save_model(self, request, obj, form, change):
        # Begun today (added, enabled again, another cadence): owed from today's deadlines on (`obligation_start`).
        obligation_start(obj, adding=not change, changed=set(form.changed_data), today=timezone.localdate())
        super().save_model(request, obj, form, change)


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


class AreaFigureForm(forms.ModelForm):
    class Meta:
        model = AreaFigure
        fields = ["area", "indicator", "period", "value", "note", "is_demo"]

    def clean(self):
        """Queued before the form's unique check (the admin's view is one transaction): of two admins adding the
        same figure at once, the second is told it exists, as when they add it one after the other."""
        data = super().clean()
        if all(data.get(name) for name in ("area", "indicator", "period")):
            area_figure_queued(data["area"].pk, data["indicator"].pk, data["period"].pk)
        return data


@admin.register(AreaFigure)
class AreaFigureAdmin(admin.ModelAdmin):
    """Figures of the areas (片区) of a zone; saving recomputes the progress that depends on the zone."""

    form = AreaFigureForm

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


class SafeguardValueForm(forms.ModelForm):
    done = forms.BooleanField(label=gettext_lazy("已完成"), required=False)
    on = forms.DateField(label=gettext_lazy("日期（已完成的填完成日期）"))

    class Meta:
        model = SafeguardValue
        fields = ["indicator", "zone", "done", "on", "value", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(safeguard__isnull=False)
        self.fields["value"].required = False
        if self.instance.pk:
            self.initial.setdefault("done", bool(self.instance.done_on))
            self.initial.setdefault("on", self.instance.done_on or self.instance.period.end)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            safeguard_check(
                indicator=data["indicator"],
                on=data["on"],
                today=timezone.localdate(),
                done=data.get("done", False),
                value=data.get("value"),
                zone=data.get("zone"),
            )
        except SafeguardError as error:
            raise forms.ValidationError(str(error)) from error
        return data


@admin.register(SafeguardValue)
class SafeguardValueAdmin(admin.ModelAdmin):
    """The 保障措施 items recorded: the same service as the page form (`safeguard_record`)."""

    form = SafeguardValueForm
    list_display = ["indicator", "zone", "period", "value", "done_on", "note", "updated_by", "updated_at"]
    list_filter = ["indicator__safeguard", "zone"]
    list_select_related = ["indicator", "zone", "period", "updated_by"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(indicator__safeguard__isnull=False, source=IndicatorValue.Source.PORTAL)
        )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = safeguard_record(
            indicator=data["indicator"],
            user=request.user,
            on=data["on"],
            today=timezone.localdate(),
            done=data.get("done", False),
            value=data.get("value"),
            zone=data.get("zone"),
            note=data.get("note", ""),
        )
        obj.pk, obj.period = saved.pk, saved.period


@admin.register(ProgressResult)
class ProgressResultAdmin(admin.ModelAdmin):
    list_display = ["target", "period", "actual", "expected", "attainment", "status", "computed_at"]
    list_filter = ["status", "period__year", "target__indicator__kind", "target__zone"]
    search_fields = ["target__indicator__name", "reason"]
    list_select_related = ["target__indicator", "target__zone", "target__cluster", "period"]
