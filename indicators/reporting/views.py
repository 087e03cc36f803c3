from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuxiong_portal import access
from chuxiong_portal.forms import ready_to_resend
from chuxiong_portal.stale import current_of
from indicators import selectors

from . import actions, permissions, services
from .forms import ReopenForm, ReportForm, ReviewForm, WaiveForm, report_initial

# The problems of a refused Excel upload, kept in the session for the next view of the report page
# (post/redirect/get: indicators.reporting.excel_views) and shown once, under the upload form.
EXCEL_ERRORS = "indicators:excel-errors:%d"


def _report_context(request, report, form=None, review_form=None, reopen_form=None, waive_form=None):
    slots = selectors.report_slots(report)
    can_edit = permissions.can_edit(request.user, report)
    if form is None:
        form = ReportForm(initial=report_initial(report, slots), slots=slots)
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    return {
        "report": report,
        "form": form,
        "slots": slots,
        "can_edit": can_edit,
        "closed_reason": services.closed_reason(report),
        "can_review": permissions.can_review(request.user, report),
        "can_reopen": permissions.can_reopen(request.user, report),
        "review_form": review_form or ReviewForm(initial={"version": report.version}),
        "reopen_form": reopen_form or ReopenForm(initial={"version": report.version}),
        "can_waive": permissions.can_waive(request.user, report),
        "waive_form": waive_form or WaiveForm(initial={"version": report.version}),
        "value_changes": selectors.value_changes(slots),
        "report_history": selectors.report_history(report),
        "today": timezone.localdate(),
    }


@login_required
def report_detail(request, pk: int):
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    if request.method != "POST":
        context = _report_context(request, report)
        context["excel_errors"] = request.session.pop(EXCEL_ERRORS % report.pk, None)
        return render(request, "indicators/report_detail.html", context)
    if not permissions.can_edit_if_open(request.user, report):
        messages.error(request, _("您没有修改该报告的权限。"))  # refused as the Excel upload is: 403
        return render(request, "indicators/report_detail.html", _report_context(request, report), status=403)
    slots = selectors.report_slots(report)
    form = ReportForm(request.POST, slots=slots)
    submit = request.POST.get("action") == "submit"
    if form.is_valid():
        try:
            services.report_save(
                report=report,
                user=request.user,
                data=form.to_input(),
                version=form.cleaned_data["version"],
                submit=submit,
                reason=form.cleaned_data.get("change_reason") or "",
            )
        except services.ReportError as error:
            form.add_service_errors(error.errors)
            messages.error(request, error.message)
            if current_of(error) is not None:  # saved by someone else since: where theirs and the typed differ
                report = selectors.report_get_for_user(user=request.user, pk=pk)
                stored = report_initial(report, selectors.report_slots(report))
                form = ready_to_resend(request, form, error, field="version", stored=stored)
        else:
            messages.success(request, _("已提交，等待审核。") if submit else _("草稿已保存。"))
            return redirect("todo" if submit else report.get_absolute_url())
    else:
        messages.error(
            request, _("填报内容有误，请按提示修改后再提交。") if submit else _("填报内容有误，请按提示修改后再保存。")
        )
    return _page(request, report)(form=form)


def _page(request, report):
    """The report's page again, refused (400), with the given forms."""
    return lambda **forms: render(
        request, "indicators/report_detail.html", _report_context(request, report, **forms), status=400
    )


@login_required
@require_POST
def report_review(request, pk: int):
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    return actions.review(
        request, report, approve=services.report_approve, send_back=services.report_return, page=_page(request, report)
    )


@login_required
@require_POST
def report_reopen(request, pk: int):
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    return actions.form_action(
        request,
        report,
        ReopenForm(request.POST),
        form_name="reopen_form",
        act=lambda data: services.report_reopen(
            report=report, user=request.user, reason=data["reason"], version=data["version"]
        ),
        done=_("已重新开放，填报单位可以修改后重新提交。"),
        invalid=_("请填写重新开放的原因。"),
        page=_page(request, report),
    )


@login_required
@require_POST
def report_waive(request, pk: int):
    """The prefecture office waives a report still owed, with a reason (services.report_waive)."""
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    if not access.is_office(request.user):
        raise PermissionDenied
    return actions.form_action(
        request,
        report,
        WaiveForm(request.POST),
        form_name="waive_form",
        act=lambda data: services.report_waive(
            report=report, user=request.user, reason=data["reason"], version=data["version"]
        ),
        done=_("已免报：该报告不再计为应报，也不计为逾期。"),
        invalid=_("免报时必须填写原因。"),
        page=_page(request, report),
    )
