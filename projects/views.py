"""Pages of the key-project dispatch: reserve pool, project page, project reports, the board, the figures.

Views translate and call: rules are in services/selectors/rules, rights in permissions and
indicators.reporting.permissions.
"""

from urllib.parse import quote

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuxiong_portal import dates, pagecache
from chuxiong_portal.forms import ready_to_resend
from chuxiong_portal.params import year_number
from chuxiong_portal.security import role_required
from chuxiong_portal.views import render_forbidden
from indicators.reporting import actions as report_actions
from indicators.reporting import permissions as report_permissions
from indicators.reporting.forms import ReopenForm, ReviewForm
from indicators.reporting.services import closed_reason
from indicators.reporting.services.excel import error_text as excel_error_text
from indicators.reporting.services.excel import upload_content
from parks.models import IndustryCluster, Zone
from tasks.models import Department, Task

from . import excel, permissions, rules, selectors, services
from .board import board_chart, board_workbook, investment_charts
from .forms import (
    AnswerForm,
    BoardFilterForm,
    ListingForm,
    MilestoneDoneForm,
    ProjectForm,
    ProjectReportForm,
    RebaselineForm,
    StageForm,
    project_initial,
    project_report_initial,
)
from .models import Milestone, Stage

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@role_required
def project_list(request):
    zone, stage = request.GET.get("zone", ""), request.GET.get("stage", "")
    return render(
        request,
        "projects/project_list.html",
        {
            "projects": selectors.projects_pool(zone=zone, stage=stage),
            "zones": Zone.objects.all(),
            "stages": Stage.choices,
            "zone": zone,
            "stage": stage,
            "can_create": permissions.can_manage(request.user, request.user.zone_id),
        },
    )


@role_required
def project_create(request):
    if not permissions.can_manage(request.user, request.user.zone_id):
        return render_forbidden(request, _("只有州开发区办和园区用户可以新增项目。"))
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                project = services.project_create(
                    user=request.user,
                    data=form.data_dict(),
                    tasks=form.cleaned_data["tasks"],
                    units=form.cleaned_data["units"],
                )
            except services.ProjectError as error:
                form.add_service_errors(error.errors)
                messages.error(request, error.message)
            else:
                messages.success(request, _("项目已入库（储备）。"))
                return redirect(project.get_absolute_url())
        else:
            messages.error(request, _("项目信息有误，请按提示修改后再保存。"))
        return render(request, "projects/project_form.html", {"form": form}, status=400)
    return render(request, "projects/project_form.html", {"form": form})


def _detail_context(request, project, **forms):
    user = request.user
    stages = services.stages_allowed(project)
    listings = selectors.listing_milestones(project)
    rebaseline_form = forms.get("rebaseline_form") or RebaselineForm()
    listing_year = rules.listing_year_proposed(
        timezone.localdate(), (listing.year for listing in listings), project.completed_on
    )
    return {
        "project": project,
        "listings": listings,
        "changes": selectors.project_changes(project),
        # Those the reader may open: a zone user is not listed another zone's unpublished reports.
        "reports": selectors.project_reports_visible_to(
            user, project.reports.select_related("period").order_by("-period__start")
        ),
        "can_manage": permissions.can_manage(user, project.zone_id),
        "can_adopt": permissions.can_adopt(user),
        "can_open_report": services.can_open_report(user, project),
        "done_by_hand": services.MILESTONES_DONE_BY_HAND,  # the others are reached with the project's stage
        "edit_form": forms.get("edit_form")
        or ProjectForm(instance=project, user=user, initial={"version": project.version}),
        "stage_form": forms.get("stage_form") or StageForm(offered=stages, initial={"seen": project.stage}),
        "stage_final": not stages,  # 投产/竣工 or 退出: no stage follows
        "listing_form": forms.get("listing_form") or ListingForm(initial={"year": listing_year}),
        "listing_closed": listing_year is None,  # in production before the year that would be offered
        "rebaseline_form": rebaseline_form,
        "rebaseline_milestone": _posted_milestone(rebaseline_form, project),
        "today": timezone.localdate(),
    }


def _posted_milestone(form, project) -> Milestone | None:
    """The project's milestone a bound form's `milestone` names, valid or not: a refusal says whose baseline it is."""
    if not form.is_bound:
        return None
    try:
        pk = int(form.data.get("milestone", ""))
    except (TypeError, ValueError):
        return None
    return Milestone.objects.select_related("listing").filter(pk=pk, listing__project=project).first()


@role_required
def project_detail(request, code: str):
    project = selectors.project_get(code=code)
    if request.method != "POST":
        return render(request, "projects/project_detail.html", _detail_context(request, project))
    if not permissions.can_manage(request.user, project.zone_id):
        return render_forbidden(request, _("您没有修改该项目的权限。"))
    form = ProjectForm(request.POST, instance=project, user=request.user)
    if form.is_valid():
        try:
            services.project_update(
                project=project,
                user=request.user,
                data=form.data_dict(),
                version=form.cleaned_data.get("version") or 0,
                reason=form.cleaned_data.get("reason") or "",
                tasks=form.cleaned_data["tasks"],
                units=form.cleaned_data["units"],
            )
        except services.ProjectError as error:
            form.add_service_errors(error.errors)
            messages.error(request, error.message)
        except services.StaleReportError as error:  # someone saved the project since this form was opened
            messages.error(request, error.message)
            stored = project_initial(selectors.project_get(code=code))
            form = ready_to_resend(request, form, error, field="version", stored=stored)
        else:
            messages.success(request, _("项目信息已更新。"))
            return redirect(project.get_absolute_url())
    else:
        messages.error(request, _("项目信息有误，请按提示修改后再保存。"))
    project = selectors.project_get(code=code)
    return render(
        request, "projects/project_detail.html", _detail_context(request, project, edit_form=form), status=400
    )


def _refused(request, project, error, **forms):
    """The project's page again with the service's message and the refused form, what was typed kept; refused for a
    page left open, the form holds what the page would show now (`seen`), to be sent again deliberately."""
    messages.error(request, error.message)
    for form in forms.values():
        for field_name, field_messages in error.errors.items():
            for message in field_messages:
                form.add_error(field_name if field_name in form.fields else None, message)
        ready_to_resend(request, form, error)
    return render(request, "projects/project_detail.html", _detail_context(request, project, **forms), status=400)


@role_required
@require_POST
def project_stage(request, code: str):
    project = selectors.project_get(code=code)
    if not permissions.can_manage(request.user, project.zone_id):
        return render_forbidden(request, _("您没有修改该项目的权限。"))
    form = StageForm(request.POST, offered=services.stages_allowed(project))
    if not form.is_valid():
        messages.error(request, _("未能变更项目阶段，请按提示修改后重试。"))
        return render(
            request, "projects/project_detail.html", _detail_context(request, project, stage_form=form), status=400
        )
    try:
        services.project_stage_set(
            project=project,
            user=request.user,
            stage=form.cleaned_data["stage"],
            on=form.cleaned_data["on"],
            reason=form.cleaned_data["reason"],
            seen=form.cleaned_data["seen"],
        )
    except services.ProjectError as error:
        return _refused(request, project, error, stage_form=form)
    messages.success(request, _("项目阶段已更新。"))
    return redirect(project.get_absolute_url())


@role_required
@require_POST
def project_adopt(request, code: str):
    project = selectors.project_get(code=code)
    if not permissions.can_adopt(request.user):
        return render_forbidden(request, _("只有州开发区办可以确定年度重点项目建设清单。"))
    form = ListingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("年度清单信息有误，请按提示修改。"))
        return render(
            request, "projects/project_detail.html", _detail_context(request, project, listing_form=form), status=400
        )
    try:
        services.listing_adopt(
            project=project,
            user=request.user,
            year=form.cleaned_data["year"],
            planned_investment=form.cleaned_data["planned_investment"],
            milestones=form.milestones(),
        )
    except services.ProjectError as error:
        return _refused(request, project, error, listing_form=form)
    messages.success(request, _("已列入%(year)d年度重点项目建设清单。") % {"year": form.cleaned_data["year"]})
    return redirect(project.get_absolute_url())


def _milestone_of(form, project) -> Milestone | None:
    """The project's milestone a valid form names (its hidden `milestone`), or None."""
    if not form.is_valid():
        return None
    return Milestone.objects.filter(pk=form.cleaned_data["milestone"], listing__project=project).first()


@role_required
@require_POST
def project_rebaseline(request, code: str):
    project = selectors.project_get(code=code)
    if not permissions.can_adopt(request.user):
        return render_forbidden(request, _("只有州开发区办可以调整倒排工期基线。"))
    form = RebaselineForm(request.POST)
    milestone = _milestone_of(form, project)
    if milestone is None:
        messages.error(request, _("调整内容有误：请选择节点，填写新的计划日期和原因。"))
        return render(
            request, "projects/project_detail.html", _detail_context(request, project, rebaseline_form=form), status=400
        )
    try:
        services.milestone_rebaseline(
            milestone=milestone,
            user=request.user,
            planned_on=form.cleaned_data["planned_on"],
            reason=form.cleaned_data["reason"],
            seen=form.cleaned_data["seen"],
        )
    except services.ProjectError as error:
        return _refused(request, project, error, rebaseline_form=form)
    messages.success(request, _("倒排工期基线已调整，原基线保留在变更记录中。"))
    return redirect(project.get_absolute_url())


@role_required
@require_POST
def project_milestone_done(request, code: str):
    """The actual date of a milestone that is not a stage (环评批复, 七通一平, 主体完工): those who keep the project."""
    project = selectors.project_get(code=code)
    if not permissions.can_manage(request.user, project.zone_id):
        return render_forbidden(request, _("您没有修改该项目的权限。"))
    form = MilestoneDoneForm(request.POST)
    milestone = _milestone_of(form, project)
    if milestone is None:
        messages.error(request, _("请选择节点并填写实际完成日期。"))
        return render(request, "projects/project_detail.html", _detail_context(request, project), status=400)
    try:
        # The page's form says what it showed (`seen`, empty: not done): a date recorded since is not overwritten.
        seen = form.cleaned_data["seen"] if "seen" in request.POST else services.AS_READ
        services.milestone_done(milestone=milestone, user=request.user, on=form.cleaned_data["on"], seen=seen)
    except services.ProjectError as error:
        return _refused(request, project, error)
    messages.success(request, _("已记录%(label)s的实际完成日期。") % {"label": milestone.get_kind_display()})
    return redirect(project.get_absolute_url())


@role_required
@require_POST
def project_report_open(request, code: str):
    project = selectors.project_get(code=code)
    try:
        report = services.project_report_open(project=project, user=request.user)
    except services.ProjectError as error:
        messages.error(request, error.message)
        return redirect(project.get_absolute_url())
    return redirect(report.get_absolute_url())


# --------------------------------------------------------------------------- project reports


def _report_context(request, report, form=None, review_form=None, reopen_form=None, answer_form=None):
    user = request.user
    can_edit = report_permissions.can_edit(user, report)
    form = form or ProjectReportForm(initial=project_report_initial(report))
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    return {
        "report": report,
        "form": form,
        "can_edit": can_edit,
        "closed_reason": closed_reason(report),
        "can_review": report_permissions.can_review(user, report),
        "can_reopen": report_permissions.can_reopen(user, report),
        "can_answer": bool(
            report.coordination
            and not report.coordination_answer
            and selectors.can_answer_coordination(user=user, report=report)
        ),
        "review_form": review_form or ReviewForm(initial={"version": report.version}),
        "reopen_form": reopen_form or ReopenForm(initial={"version": report.version}),
        "answer_form": answer_form or AnswerForm(),
        "history": report.history.select_related("history_user").order_by("-history_date")[:50],
        "today": timezone.localdate(),
    }


@role_required
def project_report_detail(request, pk: int):
    report = selectors.project_report_get(pk=pk, user=request.user)
    if request.method != "POST":
        context = _report_context(request, report)
        context["excel_errors"] = request.session.pop(EXCEL_ERRORS % report.pk, None)
        return render(request, "projects/report_detail.html", context)
    form = ProjectReportForm(request.POST)
    submit = request.POST.get("action") == "submit"
    if form.is_valid():
        try:
            services.project_report_save(
                report=report,
                user=request.user,
                data=form.to_input(),
                version=form.cleaned_data["version"],
                submit=submit,
            )
        except services.ProjectError as error:
            form.add_service_errors(error.errors)
            messages.error(request, error.message)
        except services.StaleReportError as error:  # saved by someone else since: where theirs and the typed differ
            messages.error(request, error.message)
            report = selectors.project_report_get(pk=pk, user=request.user)
            form = ready_to_resend(request, form, error, field="version", stored=project_report_initial(report))
        else:
            messages.success(request, _("已提交，等待审核。") if submit else _("草稿已保存。"))
            return redirect(report.get_absolute_url())
    else:
        messages.error(request, _("填报内容有误，请按提示修改后再保存。"))
    return _page(request, report)(form=form)


def _page(request, report):
    """The report's page again, refused (400), with the given forms."""
    return lambda **forms: render(
        request, "projects/report_detail.html", _report_context(request, report, **forms), status=400
    )


@role_required
@require_POST
def project_report_review(request, pk: int):
    report = selectors.project_report_get(pk=pk, user=request.user)
    return report_actions.review(
        request,
        report,
        approve=lambda **kwargs: _approved(request, services.project_report_approve(**kwargs)),
        send_back=services.project_report_return,
        page=_page(request, report),
    )


def _approved(request, report):
    """An approval whose stage the project had reached already says that the project's own date stands."""
    if report.stage_kept is not None:
        messages.info(
            request,
            _("项目已于%(on)s达到“%(stage)s”阶段，本报告填报的阶段（%(reported)s）未再变更项目；本期完成投资已计入。")
            % {
                "on": dates.day(report.stage_kept),
                "stage": report.get_stage_reached_display(),
                "reported": dates.day(report.stage_reached_on),
            },
        )
    return report


@role_required
@require_POST
def project_report_reopen(request, pk: int):
    report = selectors.project_report_get(pk=pk, user=request.user)
    return report_actions.form_action(
        request,
        report,
        ReopenForm(request.POST),
        form_name="reopen_form",
        act=lambda data: services.project_report_reopen(
            report=report, user=request.user, reason=data["reason"], version=data["version"]
        ),
        done=_("已重新开放，填报单位可以修改后重新提交。"),
        invalid=_("请填写重新开放的原因。"),
        page=_page(request, report),
    )


@role_required
@require_POST
def project_report_answer(request, pk: int):
    report = selectors.project_report_get(pk=pk, user=request.user)
    return report_actions.form_action(
        request,
        report,
        AnswerForm(request.POST),
        form_name="answer_form",
        act=lambda data: services.coordination_answer(report=report, user=request.user, answer=data["answer"]),
        done=_("已答复需协调事项。"),
        invalid=_("未能答复需协调事项，请按提示修改后重试。"),
        page=_page(request, report),
    )


# --------------------------------------------------------------------------- the board and the figures


def _board_params(request):
    """(year, filters, cacheable): filter values no link produces are rendered but not cached."""
    form = BoardFilterForm(request.GET)
    if not form.is_valid():
        return _list_in_force(), selectors.BoardFilters(), False
    data = form.cleaned_data
    filters = selectors.BoardFilters(
        zone=data["zone"] or "",
        cluster=data["cluster"] or "",
        task=data["task"],
        unit=data["unit"] or "",
        stage=data["stage"] or "",
    )
    known = (
        (not filters.zone or Zone.objects.filter(code=filters.zone).exists())
        and (not filters.cluster or IndustryCluster.objects.filter(code=filters.cluster).exists())
        and (not filters.unit or Department.objects.filter(slug=filters.unit).exists())
    )
    return data["year"] or _list_in_force(), filters, known


def _list_in_force() -> int:
    """The year a page of the key projects opens on: the list in force (`selectors.list_year`: in January, last
    year's until this year's is drawn up; after the plan, its latest), as the to-do and the zone page read it."""
    return selectors.list_year(timezone.localdate())


@role_required
def project_board(request):
    """挂图作战: the year's list as a Gantt of planned vs actual dates, coloured green/amber/red."""
    year, filters, cacheable = _board_params(request)
    today = timezone.localdate()

    def context():
        rows = selectors.board_rows(year=year, today=today, filters=filters)
        return {
            "year": year,
            "today": today,
            "rows": rows,
            "counts": selectors.board_counts(rows),
            "chart": board_chart(rows, year=year, today=today),
            "filters": filters,
            "zones": Zone.objects.all(),
            "clusters": IndustryCluster.objects.all(),
            "tasks": Task.objects.all(),
            "units": Department.objects.filter(kind=Department.Kind.PREFECTURE),
            "stages": Stage.choices,
            "query": request.GET.urlencode(),
        }

    body = pagecache.cached_body(
        "project-board", (year, *filters.as_tuple(), today), "projects/board_body.html", context, cacheable=cacheable
    )
    return pagecache.render_page(request, "projects/board.html", {"year": year}, body)


@role_required
def project_board_xlsx(request):
    year, filters, _cacheable = _board_params(request)
    today = timezone.localdate()
    rows = selectors.board_rows(year=year, today=today, filters=filters)
    response = HttpResponse(board_workbook(rows, year=year, today=today), content_type=XLSX)
    name = _("%(year)d年重点项目挂图作战表.xlsx") % {"year": year}
    response["Content-Disposition"] = f"attachment; filename=\"projects-{year}.xlsx\"; filename*=UTF-8''{quote(name)}"
    return response


@role_required
def project_figures(request):
    """Investment completed against the year's plan by month (per zone and cluster), and the 招商 rates."""
    raw = request.GET.get("year", "")
    today = timezone.localdate()
    year = year_number(raw) or _list_in_force()

    def context():
        by_zone = selectors.investment_by_month(year=year, today=today, by="zone")
        by_cluster = selectors.investment_by_month(year=year, today=today, by="cluster")
        return {
            "year": year,
            "today": today,
            "rates": selectors.zone_rates(year=year),
            "charts": investment_charts(by_zone, by_cluster, year=year),
            "by_zone": by_zone,
            "by_cluster": by_cluster,
        }

    body = pagecache.cached_body("project-figures", (year, today), "projects/figures_body.html", context)
    return pagecache.render_page(request, "projects/figures.html", {"year": year}, body)


@role_required
def project_report_excel(request, pk: int):
    """GET: the report as a pre-filled workbook; POST (`file`, optional `action=submit`): upload it back."""
    report = selectors.project_report_get(pk=pk, user=request.user)
    if request.method != "POST":
        response = HttpResponse(excel.project_report_workbook(report), content_type=excel.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="project-report-{report.pk}.xlsx"'
        return response
    if not report_permissions.can_edit(request.user, report):
        return render_forbidden(request, _("您没有修改该报告的权限，或该报告已提交/已审核。"))
    upload = request.FILES.get("file")
    if upload is None:
        return _excel_refused(
            request, report, _("上传未成功，没有写入任何数据。"), [_("请选择要上传的Excel文件（.xlsx）。")]
        )
    try:
        excel.project_report_import(
            report=report,
            user=request.user,
            content=upload_content(upload),
            submit=request.POST.get("action") == "submit",
        )
    except excel.ExcelImportError as error:
        return _excel_refused(request, report, error.message, [excel_error_text(e) for e in error.errors])
    messages.success(request, _("已从Excel导入。"))
    return redirect(report.get_absolute_url())


EXCEL_ERRORS = "projects:excel-errors:%d"  # the session key of a report's refused upload (as indicators' uploads)
MAX_EXCEL_MESSAGES = 50


def _excel_refused(request, report, summary: str, lines: list[str]):
    """A refused upload answers post/redirect/get, as the dispatch reports' does: the problems wait in the session for
    the report page's next view (shown under the upload form), so a refresh does not post the file again."""
    messages.error(request, summary)
    request.session[EXCEL_ERRORS % report.pk] = {
        "lines": lines[:MAX_EXCEL_MESSAGES],
        "more": max(len(lines) - MAX_EXCEL_MESSAGES, 0),
    }
    return redirect(report.get_absolute_url())
