from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import (
    EvidenceFile,
    LetterTarget,
    ResponsibilityLetter,
    SupervisionItem,
    SupervisionStep,
    TaskList,
    WorkItem,
    WorkReport,
)
from .services import (
    SupervisionError,
    body_chosen,
    letter_signing_check,
    source_row_error,
    supervision_deadline_check,
)

BODY_FIELDS = ("department", "zone", "county")


class LetterTargetInline(admin.TabularInline):
    model = LetterTarget
    extra = 0
    raw_id_fields = ["target"]


class ResponsibilityLetterAdminForm(forms.ModelForm):  # its model and fields: ResponsibilityLetterAdmin's
    def clean(self):
        """A signing recorded here follows the letter page's rule (services.letter_signing_check); a letter not
        signed yet (no signatory, no date) may still have its note or targets changed."""
        cleaned = super().clean()
        signing = {name: cleaned.get(name) for name in ("prefecture_signatory", "zone_signatory", "signed_on")}
        if any(signing.values()) and not any(name in self.errors for name in signing):
            try:
                letter_signing_check(
                    year=self.instance.year,
                    prefecture_signatory=signing["prefecture_signatory"] or "",
                    zone_signatory=signing["zone_signatory"] or "",
                    signed_on=signing["signed_on"],
                )
            except SupervisionError as error:
                self.add_error(error.field, error.message)
        return cleaned


@admin.register(ResponsibilityLetter)
class ResponsibilityLetterAdmin(admin.ModelAdmin):
    form = ResponsibilityLetterAdminForm
    list_display = ["zone", "year", "signed_on", "prefecture_signatory", "zone_signatory"]
    list_filter = ["year", "zone"]
    inlines = [LetterTargetInline]
    # The scan is uploaded on the letter page, which checks by content that it is a PDF or an image (SCAN_KINDS);
    # here it could only be pointed at any stored evidence file unchecked, so it is shown, not edited.
    exclude = ["scan"]
    # A letter is the zone's of a year, its targets the plan's of that zone and year (letter_new): changing either
    # here would leave the targets of another (a year 99999999999 read as the letter of 2023's targets).
    readonly_fields = ["zone", "year", "scan_shown"]
    change_list_template = "admin/supervision/letter_change_list.html"  # links to the page that makes a letter

    def has_add_permission(self, request):
        # A letter is made on its page, /letters/new/ (services.letter_new): it refuses a second letter for the zone
        # and year or a year the plan sets the zone no target, and fills the letter's targets from the plan. An add
        # here would skip those and leave a letter without targets.
        return False

    @admin.display(description=_("签字扫描件"))
    def scan_shown(self, letter):
        return format_html(
            '{} <a href="{}">{}</a>',
            letter.scan.original_name if letter.scan else "—",
            letter.get_absolute_url(),
            _("在责任书页面上传（PDF 或图片）"),
        )


@admin.register(TaskList)
class TaskListAdmin(admin.ModelAdmin):
    list_display = ["year", "state", "adopted_on"]


class OneBodyAdminForm(forms.ModelForm):
    """An admin form of a model answered by one responsible body (a unit, a zone's committee or a county): the rule in
    the pages' words beside the fields, not the database's `*_one_body` constraint named."""

    def clean(self):
        cleaned = super().clean()
        self._check_body(cleaned)
        return cleaned

    def _check_body(self, cleaned) -> None:
        """One responsible body, in the pages' words beside the fields set (all three when none is)."""
        if any(name in self.errors for name in BODY_FIELDS):
            return
        bodies = {name: cleaned.get(name) for name in BODY_FIELDS}
        try:
            body_chosen(**bodies)
        except SupervisionError as error:
            for name in [name for name, body in bodies.items() if body is not None] or BODY_FIELDS:
                self.add_error(name, error.message)


@admin.register(WorkItem)
class WorkItemAdmin(admin.ModelAdmin):
    form = OneBodyAdminForm
    list_display = ["title", "task", "task_list", "department", "zone", "county", "due_date", "status"]
    list_filter = ["task_list", "status", "task"]
    search_fields = ["title"]
    filter_horizontal = ["co_departments"]
    raw_id_fields = ["copied_from"]


@admin.register(WorkReport)
class WorkReportAdmin(admin.ModelAdmin):
    list_display = ["work_item", "progress", "state", "submitted_at"]
    list_filter = ["state"]


class SupervisionStepInline(admin.TabularInline):
    model = SupervisionStep
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "on", "at", "user", "text", "progress_pct"]

    def has_add_permission(self, request, obj=None):
        return False  # steps are written by the workflow only


class SupervisionItemAdminForm(OneBodyAdminForm):  # its model and fields: SupervisionItemAdmin's
    def clean(self):
        """A 问责提示 or 评价差距整改 item needs the row it follows up, as when it is issued on the pages."""
        cleaned = super().clean()
        source, source_type, source_id = (cleaned.get(name) for name in ("source", "source_type", "source_id"))
        if source:
            row = None
            model = source_type.model_class() if source_type is not None else None
            if model is not None and source_id is not None:
                row = model._default_manager.filter(pk=source_id).first()
            if problem := source_row_error(source=source, source_object=row):
                self.add_error("source", problem)
        issued_on, deadline = cleaned.get("issued_on"), cleaned.get("deadline")
        if issued_on and deadline:  # the rule, not the database's constraint named
            try:
                supervision_deadline_check(issued_on=issued_on, deadline=deadline)
            except SupervisionError as error:
                self.add_error("deadline", error.message)
        return cleaned


@admin.register(SupervisionItem)
class SupervisionItemAdmin(admin.ModelAdmin):
    form = SupervisionItemAdminForm
    list_display = ["number", "source", "department", "zone", "county", "deadline", "state", "assessment"]
    list_filter = ["state", "source", "assessment"]
    search_fields = ["number", "requirement"]
    inlines = [SupervisionStepInline]
    # The number, the state and the 整改's facts are the workflow's (services.supervision_issue and its steps,
    # evaluations.services.rectification_open), not typed here.
    readonly_fields = ["number", "state", "assessment", "answered_on", "closed_on", "version", "source_facts"]

    def has_add_permission(self, request):
        # An item is issued on the pages (the 督办 list's 交办督办单, a flag's, a gap's 整改): supervision_issue numbers
        # it (楚开督〔year〕NNN号), checks its body, deadline and source and writes its first step. An add here would
        # leave it without a number (read-only here), and a second one would clash on it.
        return False


@admin.register(EvidenceFile)
class EvidenceFileAdmin(admin.ModelAdmin):
    list_display = ["original_name", "kind", "size", "uploaded_by", "uploaded_at"]
    exclude = ["file"]  # kept in the private storage: downloaded through the permission-checked view only
    readonly_fields = ["original_name", "kind", "content_type", "size", "sha256", "step", "work_report", "uploaded_by"]
