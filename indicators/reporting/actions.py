"""The report workflow's actions as the report pages answer them, for every kind of report that goes through the
workflow: the dispatch reports (views.py here) and the project reports (projects/views.py).

Each action redirects to the report's page with a message when it is done; when it is refused, the page is rendered
again (400) with the form and the service's message (`page`: the report's page with the given forms, as each app
draws it).
"""

from collections.abc import Callable

from django.contrib import messages
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from chuxiong_portal.forms import ready_to_resend

from .forms import ReviewForm
from .services import ReportError

Page = Callable[..., HttpResponse]


def review(request, report, *, approve: Callable, send_back: Callable, page: Page) -> HttpResponse:
    """Approve the report or return it to its unit (`approve`, `send_back`: the app's services), as the posted
    `ReviewForm` says, at the version the reviewer saw; refused for a report changed since, the form comes back with
    the reason typed and the current version."""
    form = ReviewForm(request.POST)
    if form.only_reason_refused():
        messages.error(request, _("审核意见有误，请按提示修改后重试。"))
        return page(review_form=form)
    if not form.is_valid():
        messages.error(request, _("审核请求无效，请刷新页面后重试。"))
        return redirect(report.get_absolute_url())
    data = form.cleaned_data
    try:
        if data["action"] == "approve":
            approve(report=report, user=request.user, version=data["version"], comment=data["reason"])
            messages.success(request, _("已审核通过，数据已锁定。"))
        else:
            send_back(report=report, user=request.user, version=data["version"], reason=data["reason"])
            messages.success(request, _("已退回，填报人将看到退回原因。"))
    except ReportError as error:
        messages.error(request, error.message)
        for field, field_messages in error.errors.items():
            for message in field_messages:
                form.add_error(field if field in form.fields else None, message)
        # Refused for a report changed since the page was drawn: the page shows it as it is now, with the comment
        # typed and the current version, for the reviewer to decide again.
        return page(review_form=ready_to_resend(request, form, error, field="version"))
    return redirect(report.get_absolute_url())


def form_action(
    request, report, form: Form, *, form_name: str, act: Callable[[dict], object], done: str, invalid: str, page: Page
) -> HttpResponse:
    """One action with one form of its own (reopen, waive, answer): `act` with the form's cleaned data, then the
    report's page with `done`; or the page again with the service's message, or `invalid` when the form is not
    valid, and the form under `form_name`. Refused for a page left open (the report saved since), the form comes back
    with the report's current version and the reason typed, to be sent again deliberately."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except ReportError as error:
            messages.error(request, error.message)
            ready_to_resend(request, form, error, field="version")
        else:
            messages.success(request, done)
            return redirect(report.get_absolute_url())
    else:
        messages.error(request, invalid)
    return page(**{form_name: form})
