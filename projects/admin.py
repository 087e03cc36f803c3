from django import forms
from django.contrib import admin
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Listing, Milestone, Project, ProjectInvestment, ProjectReport


class ProjectAdminForm(forms.ModelForm):  # its model and fields: ProjectAdmin's
    def clean(self):
        """The pages' rule on a project's facts (`services.project_errors`): a zone, a total above 0 and above what is
        invested already, stage dates in order; each message on its field where the form shows it."""
        cleaned = super().clean()
        stored = None if self.instance._state.adding else self.instance
        data = {name: cleaned.get(name, getattr(self.instance, name, None)) for name in services.PROJECT_FIELDS}
        for name, messages in services.project_errors(data, project=stored, today=timezone.localdate()).items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
        return cleaned


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    form = ProjectAdminForm
    list_display = ["code", "name", "zone", "kind", "stage", "total_investment", "lead_unit", "is_demo"]
    list_filter = ["zone", "kind", "stage", "cluster", "is_demo"]
    search_fields = ["code", "name", "enterprise"]
    list_select_related = ["zone", "lead_unit"]
    filter_horizontal = ["tasks", "units"]
    readonly_fields = ["version", "updated_by"]  # set by the save

    def save_model(self, request, obj, form, change):
        # The project and its tasks and units in one write with one history record, as on the pages; the relations
        # are set here, so the form's save_m2m after finds nothing left to change (and records nothing).
        services.project_admin_save(
            project=obj, user=request.user, tasks=form.cleaned_data["tasks"], units=form.cleaned_data["units"]
        )


class MilestoneAdminForm(forms.ModelForm):  # its model and fields: MilestoneInline's
    def clean(self):
        """A milestone's actual date, entered or changed, passes the rule of 记录完成 (`services.milestone_done_error`):
        not a stage's, not after today, after 开工 for 主体完工, not after the stage it comes before; the message on
        its field. A date left as stored is not read again."""
        cleaned = super().clean()
        on, kind, listing = cleaned.get("actual_on"), cleaned.get("kind"), cleaned.get("listing")
        if on is None or kind is None or not {"actual_on", "kind"} & set(self.changed_data):
            return cleaned
        if listing is None or listing.project_id is None or listing.year is None:  # its own form says what is missing
            return cleaned
        problem = services.milestone_done_error(kind=kind, on=on, listing=listing, today=timezone.localdate())
        if problem:
            field, message = problem
            self.add_error({"on": "actual_on"}.get(field, field), message)
        return cleaned


class MilestoneFormSet(forms.BaseInlineFormSet):
    def clean(self):
        """A list's baseline as the pages adopt it (`services.baseline_errors`): each planned date within the list's
        year and the quarter after it, none for a milestone reached before that year, all in the stages' order; each
        message on the form of the milestone it names, one about the order on the formset."""
        super().clean()
        listing = self.instance
        if listing.project_id is None or listing.year is None or any(form.errors for form in self.forms):
            return
        planned, forms_by_kind = {}, {}
        for form in self.forms:
            if not form.cleaned_data or self.can_delete and self._should_delete_form(form):
                continue  # an extra form left empty, or a milestone being deleted
            kind, on = form.cleaned_data.get("kind"), form.cleaned_data.get("planned_on")
            if kind and on:
                planned[kind], forms_by_kind[kind] = on, form
        problems, order = services.baseline_errors(listing.project, listing.year, planned)
        for kind, message in problems.items():
            forms_by_kind[kind].add_error("planned_on", message)
        if order:
            raise forms.ValidationError(order)


class MilestoneInline(admin.TabularInline):
    model = Milestone
    form = MilestoneAdminForm
    formset = MilestoneFormSet
    extra = 0


class ListingAdminForm(forms.ModelForm):  # its model and fields: ListingAdmin's
    def clean(self):
        """The pages' rules on the list's year (`services.listing_year_error`: a project in production is on no list
        of a later year) and its plan (`services.planned_investment_error`: above 0, within the total investment with
        the other years' plans)."""
        cleaned = super().clean()
        project, year = cleaned.get("project"), cleaned.get("year")
        if project is None or year is None:
            return cleaned
        if problem := services.listing_year_error(project, year):
            self.add_error("year", problem)
        if "planned_investment" in cleaned:
            stored = None if self.instance._state.adding else self.instance
            problem = services.planned_investment_error(project, year, cleaned["planned_investment"], listing=stored)
            if problem:
                self.add_error("planned_investment", problem)
        return cleaned


@admin.register(Listing)
class ListingAdmin(SimpleHistoryAdmin):
    form = ListingAdminForm
    list_display = ["project", "year", "planned_investment", "adopted_at"]
    list_filter = ["year", "project__zone"]
    list_select_related = ["project"]
    inlines = [MilestoneInline]


@admin.register(ProjectInvestment)
class ProjectInvestmentAdmin(SimpleHistoryAdmin):
    list_display = ["project", "year", "month", "amount", "updated_at"]
    list_filter = ["year", "project__zone"]
    list_select_related = ["project"]


@admin.register(ProjectReport)
class ProjectReportAdmin(SimpleHistoryAdmin):
    list_display = ["project", "period", "state", "investment_period", "investment_to_date", "updated_at"]
    list_filter = ["state", "project__zone"]
    list_select_related = ["project", "period"]
