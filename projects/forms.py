from django import forms
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from chuxiong_portal import access
from chuxiong_portal.forms import DateInput
from indicators.reporting.forms import TypedNumberField
from parks.models import Zone
from tasks.models import Department

from . import services
from .models import Milestone, Project, ProjectReport, Stage
from .services import ProjectReportInput


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing as an invalid choice a number no primary key can be (beyond 64 bits): Django reads the
    choices with one `pk__in` query, which such a number makes fail in the database (OverflowError on SQLite, out of
    range on PostgreSQL) rather than match nothing."""

    def _check_values(self, value):
        for choice in value or ():
            try:
                number = int(str(choice))
            except ValueError:
                continue  # not a number: Django refuses it itself
            if not -(2**63) <= number < 2**63:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": choice}
                )
        return super()._check_values(value)


class ServiceErrorsMixin:
    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class ProjectForm(ServiceErrorsMixin, forms.ModelForm):
    reason = forms.CharField(label=_("调整原因"), required=False, max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Project
        fields = [
            "code",
            "name",
            "zone",
            "area",
            "cluster",
            "chain",
            "tasks",
            "kind",
            "total_investment",
            "lead_unit",
            "units",
            "lead_person",
            "leader_in_charge",
            "enterprise",
            "signed_amount",
            "capital_in_place",
            "capital_origin",
        ]
        field_classes = {"tasks": ModelMultipleChoiceField, "units": ModelMultipleChoiceField}
        error_messages = {
            "zone": {"required": _("项目必须填写所在开发区。")},
            "total_investment": {"required": _("请填写总投资。")},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not access.is_office(user):
            self.fields["zone"].queryset = Zone.objects.filter(pk=user.zone_id)
        self.fields["lead_unit"].queryset = Department.objects.filter(kind=Department.Kind.PREFECTURE)
        self.fields["units"].queryset = Department.objects.all()
        self.fields["units"].required = False
        self.fields["tasks"].required = False
        if self.instance.pk:
            self.fields["code"].disabled = True

    # The service's rules on the field, before the model's validation answers with a constraint's name or Django's
    # stock words for a duplicate (the service checks them again when saving).
    def clean_code(self):
        code = self.cleaned_data["code"]
        if not self.instance.pk and (problem := services.project_code_error(code)):
            raise forms.ValidationError(problem)
        return code

    def clean_total_investment(self):
        total = self.cleaned_data["total_investment"]
        if problem := services.total_investment_error(total, project=self.instance if self.instance.pk else None):
            raise forms.ValidationError(problem)
        return total

    def data_dict(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("tasks", "units", "reason", "version"):
            data.pop(name, None)
        return data


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("新阶段"), choices=[c for c in Stage.choices if c[0] != Stage.RESERVE])
    on = forms.DateField(label=_("实际日期"), required=False, widget=DateInput())
    reason = forms.CharField(label=_("说明（退出时必填）"), required=False, max_length=500)
    seen = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)  # the stage the page showed

    def __init__(self, *args, offered=None, **kwargs):
        # Its own ids on the project's page, beside the edit form's: two `id_reason` tied both labels to one box.
        kwargs.setdefault("auto_id", "stage_%s")
        super().__init__(*args, **kwargs)
        if offered is not None:
            # Only the select offers just the stages the rules allow (`services.stages_allowed`); the field takes any
            # stage, so a stale or forged choice reaches the service, which refuses it and says why.
            self.fields["stage"].widget.choices = [(stage.value, stage.label) for stage in offered]


class ListingForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    planned_investment = forms.DecimalField(label=_("年度计划投资（万元）"), max_digits=14, decimal_places=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Milestone.Kind.choices:
            self.fields[f"m_{kind}"] = forms.DateField(label=label, required=False, widget=DateInput())

    def milestones(self) -> dict:
        return {
            kind: self.cleaned_data[f"m_{kind}"] for kind in Milestone.Kind.values if self.cleaned_data.get(f"m_{kind}")
        }


class RebaselineForm(forms.Form):
    # Labelled although hidden: a refusal names each field (templates/projects/project_detail.html).
    milestone = forms.IntegerField(label=_("节点"), widget=forms.HiddenInput)
    planned_on = forms.DateField(label=_("新的计划日期"), widget=DateInput())
    reason = forms.CharField(label=_("调整原因"), max_length=500)
    seen = forms.DateField(label=_("原计划日期"), widget=forms.HiddenInput, required=False)  # the date the page showed


class MilestoneDoneForm(forms.Form):
    milestone = forms.IntegerField(widget=forms.HiddenInput)
    on = forms.DateField(label=_("实际完成日期"), widget=DateInput())
    seen = forms.DateField(widget=forms.HiddenInput, required=False)  # the actual date the page showed


class ProjectReportForm(ServiceErrorsMixin, forms.Form):
    # Numbers read as the Excel upload reads them (`indicators.reporting.numbers.number_parse`): 1,000 and ２０００ too.
    # No unit given: it only tells a percentage or a count, and the page would carry it untranslated (data-unit).
    investment_period = TypedNumberField(
        unit="", label=_("本期完成投资（万元）"), required=False, max_digits=14, decimal_places=2
    )
    investment_to_date = TypedNumberField(
        unit="", label=_("累计完成投资（万元）"), required=False, max_digits=14, decimal_places=2
    )
    image_progress = forms.CharField(label=_("形象进度"), required=False, widget=forms.Textarea, max_length=5000)
    stage_reached = forms.ChoiceField(
        label=_("达到阶段"), required=False, choices=[("", "—"), *[c for c in Stage.choices if c[0] != Stage.EXITED]]
    )
    stage_reached_on = forms.DateField(label=_("达到阶段日期"), required=False, widget=DateInput())
    problems = forms.CharField(label=_("存在问题"), required=False, widget=forms.Textarea, max_length=5000)
    coordination = forms.CharField(label=_("需协调事项"), required=False, widget=forms.Textarea, max_length=5000)
    coordination_unit = forms.ModelChoiceField(label=_("协调单位"), required=False, queryset=Department.objects.all())
    version = forms.IntegerField(widget=forms.HiddenInput)

    def to_input(self) -> ProjectReportInput:
        data = self.cleaned_data
        unit = data.get("coordination_unit")
        return ProjectReportInput(
            investment_period=data.get("investment_period"),
            investment_to_date=data.get("investment_to_date"),
            image_progress=data.get("image_progress") or "",
            stage_reached=data.get("stage_reached") or "",
            stage_reached_on=data.get("stage_reached_on"),
            problems=data.get("problems") or "",
            coordination=data.get("coordination") or "",
            coordination_unit_id=unit.pk if unit else None,
        )


def project_initial(project: Project) -> dict:
    """A project's details as its edit form holds them, with the version they were read at: what a refused save is
    compared with (`chuxiong_portal.forms.show_stored`)."""
    return {**model_to_dict(project, fields=ProjectForm._meta.fields), "version": project.version}


def project_report_initial(report: ProjectReport) -> dict:
    names = (
        "investment_period",
        "investment_to_date",
        "image_progress",
        "stage_reached",
        "stage_reached_on",
        "problems",
        "coordination",
        "version",
    )
    return {"coordination_unit": report.coordination_unit_id, **{n: getattr(report, n) for n in names}}


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("协调答复"), widget=forms.Textarea, max_length=5000)


class BoardFilterForm(forms.Form):
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    zone = forms.SlugField(required=False)
    cluster = forms.SlugField(required=False)
    task = forms.IntegerField(required=False, min_value=1, max_value=99)
    unit = forms.SlugField(required=False)
    stage = forms.ChoiceField(required=False, choices=[("", "—"), *Stage.choices])
