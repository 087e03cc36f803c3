"""Pages of the responsibility cycle: 督办单, work items and their lists, letters, evidence downloads.

Views translate HTTP into service calls; who may see what is in `permissions` and the `*_get_for_user`
selectors (a row the user may not read is a 404, as for flags).
"""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuxiong_portal import access
from chuxiong_portal.forms import ready_to_resend, typed_errors
from chuxiong_portal.params import whole_number
from chuxiong_portal.security import role_required
from chuxiong_portal.views import render_forbidden
from tasks.selectors import plan_in_force

from . import permissions, rules, selectors, services
from .forms import (
    AdjustForm,
    AnswerForm,
    CloseForm,
    IssueForm,
    LetterNewForm,
    LetterSignForm,
    OfficeActionForm,
    WorkItemAddForm,
    WorkReportForm,
    WorkReviewForm,
    body_choices,
    source_body_choice,
)
from .models import SupervisionItem, TaskList

OFFICE_ONLY = "只有州开发区办可以办理此操作。"


@role_required
def supervision_list(request):
    today = timezone.localdate()
    items = [(item, selectors.is_overdue(item, today)) for item in selectors.supervision_for_user(request.user)[:500]]
    return render(
        request,
        "supervision/supervision_list.html",
        {"items": items, "is_office": access.is_office(request.user), "today": today},
    )


@role_required
def supervision_new(request):
    if not access.is_office(request.user):
        return render_forbidden(request, _(OFFICE_ONLY))
    source = request.GET.get("source", SupervisionItem.Source.INSTRUCTION)
    ref = request.GET.get("ref", "")
    if request.method == "POST":
        source = request.POST.get("source", "")
        source_object = services.source_resolve(source=source, ref=request.POST.get("source_ref", ""))
        form = IssueForm(request.POST, linked_source=source if source_object else None)
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = services.supervision_issue(
                    user=request.user,
                    body=data["body"],
                    source=data["source"],
                    source_object=source_object,
                    source_text=data["source_text"] or (str(source_object) if source_object else ""),
                    requirement=data["requirement"],
                    deadline=data["deadline"],
                )
            except services.SupervisionError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("督办单 %(number)s 已交办。") % {"number": item.number})
                return redirect(item.get_absolute_url())
        return render(request, "supervision/supervision_new.html", {"form": form}, status=400)
    source_object = services.source_resolve(source=source, ref=ref)
    initial = {"source": source, "source_ref": ref, "source_text": str(source_object) if source_object else ""}
    if source_object is not None and (body := source_body_choice(source_object)):
        initial["body"] = body
    form = IssueForm(initial=initial, linked_source=source if source_object else None)
    return render(request, "supervision/supervision_new.html", {"form": form})


def _detail_context(request, item, **forms):
    today = timezone.localdate()
    user = request.user
    return {
        "item": item,
        "trail": selectors.supervision_trail(item),
        "source_url": selectors.source_url(item),
        "overdue": selectors.is_overdue(item, today),
        "today": today,
        "can_answer": item.is_open and permissions.can_answer(user, item),
        "is_office": access.is_office(user),
        "answer_form": forms.get("answer_form") or AnswerForm(initial={"version": item.version}),
        "action_form": forms.get("action_form") or OfficeActionForm(initial={"version": item.version}),
        "close_form": forms.get("close_form")
        or CloseForm(
            initial={
                "version": item.version,
                "assessment": rules.suggest_assessment(answered_on=item.answered_on, deadline=item.deadline),
            }
        ),
    }


def _errors_to_messages(request, form) -> None:
    """A refused form's errors in the page's message area, for a page that no longer draws the form (the item closed,
    the list not adopted): otherwise the page would come back without saying why."""
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


@role_required
def supervision_detail(request, pk: int):
    item = selectors.supervision_get_for_user(user=request.user, pk=pk)
    return render(request, "supervision/supervision_detail.html", _detail_context(request, item))


@role_required
@require_POST
def supervision_answer(request, pk: int):
    item = selectors.supervision_get_for_user(user=request.user, pk=pk)
    if not permissions.can_answer(request.user, item):
        return render_forbidden(request, _("只有责任主体可以反馈该督办单。"))
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.supervision_answer(
                item=item,
                user=request.user,
                text=data["text"],
                progress_pct=data["progress_pct"],
                files=data["files"],
                version=data["version"],
            )
        except services.SupervisionError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            form = ready_to_resend(request, form, error, field="version")  # changed since: the page as it is now
            item = selectors.supervision_get_for_user(user=request.user, pk=pk)
        else:
            messages.success(request, _("已反馈，等待州开发区办审核。"))
            return redirect(item.get_absolute_url())
    if not item.is_open:  # closed meanwhile: the page draws no answer form, its reason goes to the messages
        _errors_to_messages(request, form)
    return render(
        request, "supervision/supervision_detail.html", _detail_context(request, item, answer_form=form), status=400
    )


def _office_action(request, pk: int, action: str):
    item = selectors.supervision_get_for_user(user=request.user, pk=pk)
    if not access.is_office(request.user):
        return render_forbidden(request, _(OFFICE_ONLY))
    form = (CloseForm if action == "close" else OfficeActionForm)(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "remind":
                services.supervision_remind(item=item, user=request.user, text=data["text"], version=data["version"])
                done = _("已催办。")
            elif action == "return":
                services.supervision_return(item=item, user=request.user, reason=data["text"], version=data["version"])
                done = _("已退回，责任主体需重新反馈。")
            else:
                services.supervision_close(
                    item=item,
                    user=request.user,
                    assessment=data["assessment"],
                    text=data["text"],
                    version=data["version"],
                )
                done = _("已办结。")
        except services.SupervisionError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            form = ready_to_resend(request, form, error, field="version")  # changed since: the page as it is now
            item = selectors.supervision_get_for_user(user=request.user, pk=pk)
        else:
            messages.success(request, done)
            return redirect(item.get_absolute_url())
    if item.is_open:
        messages.error(request, _("未能办理，请按提示修改后重试。"))
    else:  # closed (meanwhile, or a 办结 sent twice): the page draws no office form, its reason goes to the messages
        _errors_to_messages(request, form)
    key = "close_form" if action == "close" else "action_form"
    return render(
        request, "supervision/supervision_detail.html", _detail_context(request, item, **{key: form}), status=400
    )


@role_required
@require_POST
def supervision_remind(request, pk: int):
    return _office_action(request, pk, "remind")


@role_required
@require_POST
def supervision_return(request, pk: int):
    return _office_action(request, pk, "return")


@role_required
@require_POST
def supervision_close(request, pk: int):
    return _office_action(request, pk, "close")


@role_required
def evidence_download(request, pk: int):
    """An evidence file, only for those who may read its item; always as a download, never rendered inline."""
    evidence = selectors.evidence_get_for_user(user=request.user, pk=pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("file missing") from missing
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --------------------------------------------------------------------------- work items and lists


@role_required
def work_item_list(request):
    """The user's work items (a body's own, a unit's supported ones); the office's go to the lists."""
    today = timezone.localdate()
    year = request.GET.get("year", "")
    items = selectors.work_items_for_user(request.user, year=whole_number(year, digits=4))
    return render(
        request,
        "supervision/work_item_list.html",
        {
            "items": [(item, selectors.work_item_is_overdue(item, today)) for item in items[:500]],
            "lists": TaskList.objects.all(),
            "year": year,
        },
    )


@role_required
def work_item_detail(request, pk: int):
    item = selectors.work_item_get_for_user(user=request.user, pk=pk)
    form = WorkReportForm()
    status = 200
    if request.method == "POST":
        if not permissions.can_report(request.user, item):
            return render_forbidden(request, _("只有责任主体可以报送该工作事项的进展。"))
        form = WorkReportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.work_report_file(
                    work_item=item,
                    user=request.user,
                    progress=form.cleaned_data["progress"],
                    text=form.cleaned_data["text"],
                    files=form.cleaned_data["files"],
                )
            except services.SupervisionError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
                item = selectors.work_item_get_for_user(user=request.user, pk=pk)  # as it is now
            else:
                messages.success(request, _("进展已报送。"))
                return redirect(item.get_absolute_url())
        status = 400
    # The form is offered to the body while a report may be filed: not on a draft's item, nor on one completed.
    offered = permissions.can_report(request.user, item) and services.work_report_refusal(item) is None
    if form.is_bound and not offered:  # refused, and the page draws no form: the reason goes to the messages
        _errors_to_messages(request, form)
    return render(
        request,
        "supervision/work_item_detail.html",
        {
            "item": item,
            "reports": selectors.work_item_reports(item),
            "form": form,
            "can_report": offered,
            "can_review": permissions.can_review(request.user, item),
            "overdue": selectors.work_item_is_overdue(item, timezone.localdate()),
        },
        status=status,
    )


@role_required
@require_POST
def work_report_review(request, pk: int):
    report = selectors.work_report_get_for_user(user=request.user, pk=pk)
    if not permissions.can_review(request.user, report.work_item):
        return render_forbidden(request, _("只有责任主体的审核员或州开发区办可以审核该报告。"))
    form = WorkReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, typed_errors(form, "reason") or _("审核请求无效，请刷新页面后重试。"))
    else:
        try:
            services.work_report_review(
                report=report,
                user=request.user,
                approve=form.cleaned_data["action"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except services.SupervisionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("审核完成。"))
    return redirect(report.work_item.get_absolute_url())


def _task_list_page(request, task_list: TaskList, *, refused: AdjustForm | None = None, refused_pk=None, add_form=None):
    """The list's page; for the office on a draft, each item's 调整 form and the form of a new item. A refused form
    (`refused` for the item `refused_pk`, or `add_form`) comes back with what was typed, its errors, and open."""
    items = selectors.task_list_items(task_list)
    is_office = access.is_office(request.user)
    visible = (
        items
        if is_office
        else [
            item
            for item in items
            if permissions.can_view_work_item(request.user, item, {d.pk for d in item.co_departments.all()})
        ]
    )
    editable = is_office and task_list.state == TaskList.State.DRAFT
    today = timezone.localdate()
    forms = {item.pk: None for item in visible}
    if editable:
        bodies = body_choices()
        forms = {
            item.pk: refused if item.pk == refused_pk else AdjustForm.for_item(item, bodies=bodies) for item in visible
        }
        add_form = add_form or WorkItemAddForm(tasks=selectors.task_list_tasks(task_list), bodies=bodies)
    refused_any = refused is not None or (add_form is not None and add_form.is_bound)
    return render(
        request,
        "supervision/task_list_detail.html",
        {
            "task_list": task_list,
            # Each item with its 调整 form (the office, on a draft) and whether it is overdue (as on /work-items/).
            "rows": [(item, forms[item.pk], selectors.work_item_is_overdue(item, today)) for item in visible],
            "is_office": is_office,
            "editable": editable,
            "add_form": add_form if editable else None,
            "task_numbers": sorted({item.task.number for item in items}),
        },
        status=400 if refused_any else 200,
    )


@role_required
def task_list_detail(request, year: int):
    return _task_list_page(request, selectors.task_list_get(year=year))


@role_required
@require_POST
def task_list_copy(request, year: int):
    task_list = selectors.task_list_get(year=year)
    if not access.is_office(request.user):
        return render_forbidden(request, _(OFFICE_ONLY))
    try:
        draft = services.task_list_copy(task_list=task_list, user=request.user)
    except services.SupervisionError as error:
        messages.error(request, error.message)
        return redirect(task_list.get_absolute_url())
    messages.success(request, _("已生成%(year)s年清单草案，请对照本年完成情况调整后印发。") % {"year": draft.year})
    return redirect(draft.get_absolute_url())


@role_required
@require_POST
def task_list_adopt(request, year: int):
    task_list = selectors.task_list_get(year=year)
    if not access.is_office(request.user):
        return render_forbidden(request, _(OFFICE_ONLY))
    try:
        services.task_list_adopt(task_list=task_list, user=request.user)
    except services.SupervisionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("清单已印发。"))
    return redirect(task_list.get_absolute_url())


def _not_a_draft(request, task_list: TaskList):
    """Back to the list, with the reason, when it may no longer change (its page then has no forms to show again)."""
    try:
        services.task_list_draft_check(task_list=task_list, user=request.user)
    except services.SupervisionError as error:
        messages.error(request, error.message)
        return redirect(task_list.get_absolute_url())
    return None


@role_required
@require_POST
def work_item_adjust(request, pk: int):
    """调整 or 删除 of a draft's item; refused, the list's page comes back with what was typed and why."""
    item = selectors.work_item_get_for_user(user=request.user, pk=pk)
    if not access.is_office(request.user):
        return render_forbidden(request, _(OFFICE_ONLY))
    if refused := _not_a_draft(request, item.task_list):
        return refused
    form = AdjustForm.for_item(item, bodies=body_choices(), data=request.POST)
    if form.is_valid():
        try:
            services.work_item_adjust(item=item, user=request.user, **form.cleaned_data)
        except services.SupervisionError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            ready_to_resend(request, form, error)  # an item adjusted since: what was typed, to send again
        else:
            messages.success(request, _("清单已调整。"))
            return redirect(item.task_list.get_absolute_url())
    messages.error(request, _("未能调整清单，请按提示修改后重试。"))
    return _task_list_page(request, item.task_list, refused=form, refused_pk=item.pk)


@role_required
@require_POST
def work_item_add(request, year: int):
    """A new item of a draft list (the office)."""
    task_list = selectors.task_list_get(year=year)
    if not access.is_office(request.user):
        return render_forbidden(request, _(OFFICE_ONLY))
    if refused := _not_a_draft(request, task_list):
        return refused
    form = WorkItemAddForm(request.POST, tasks=selectors.task_list_tasks(task_list))
    if form.is_valid():
        try:
            services.work_item_add(task_list=task_list, user=request.user, **form.cleaned_data)
        except services.SupervisionError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("已新增工作事项。"))
            return redirect(task_list.get_absolute_url())
    messages.error(request, _("未能新增工作事项，请按提示修改后重试。"))
    return _task_list_page(request, task_list, add_form=form)


# --------------------------------------------------------------------------- letters


@role_required
def letter_list(request):
    return render(
        request,
        "supervision/letter_list.html",
        {"letters": selectors.letters_for_user(request.user)[:500], "is_office": access.is_office(request.user)},
    )


@role_required
def letter_new(request):
    """新建年度目标责任书 (the office): a zone and a year; the plan's targets fill the letter."""
    if not access.is_office(request.user):
        return render_forbidden(request, _(OFFICE_ONLY))
    form = LetterNewForm(
        initial={"year": selectors.letter_year_proposed(today=timezone.localdate(), plan=plan_in_force())}
    )
    status = 200
    if request.method == "POST":
        form = LetterNewForm(request.POST)
        if form.is_valid():
            try:
                letter = services.letter_new(user=request.user, **form.cleaned_data)
            except services.SupervisionError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("已新建%(letter)s，请登记签订情况。") % {"letter": letter})
                return redirect(letter.get_absolute_url())
        status = 400
    return render(request, "supervision/letter_new.html", {"form": form}, status=status)


@role_required
def letter_detail(request, pk: int):
    letter = selectors.letter_get_for_user(user=request.user, pk=pk)
    _same, targets = selectors.zone_letter(zone=letter.zone, year=letter.year)
    form = LetterSignForm(
        initial={
            "prefecture_signatory": letter.prefecture_signatory,
            "zone_signatory": letter.zone_signatory,
            "signed_on": letter.signed_on,
            "seen": services.signing_token(letter),
        }
    )
    status = 200
    if request.method == "POST":
        if not access.is_office(request.user):
            return render_forbidden(request, _(OFFICE_ONLY))
        form = LetterSignForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.letter_sign(letter=letter, user=request.user, **form.cleaned_data)
            except services.SupervisionError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
                ready_to_resend(request, form, error)  # a signing recorded since: what was typed, to send again
            else:
                messages.success(request, _("责任书签订情况已登记。"))
                return redirect(letter.get_absolute_url())
        status = 400
    return render(
        request,
        "supervision/letter_detail.html",
        {
            "letter": letter,
            "targets": targets,
            "signings": selectors.letter_signings(letter),
            "form": form,
            "is_office": access.is_office(request.user),
        },
        status=status,
    )
