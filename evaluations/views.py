"""Evaluation pages: the schemes by year, a year's results, a zone's gap analysis, and the office's work on
the prefecture's own 综合考评 (define, compute, hand-score, publish, export). Views translate and call."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuxiong_portal import access
from chuxiong_portal.bulk_import import ImportConflict
from chuxiong_portal.forms import ready_to_resend
from chuxiong_portal.params import whole_number
from chuxiong_portal.security import role_required
from chuxiong_portal.stale import current_of
from chuxiong_portal.views import render_forbidden
from indicators.reporting.services.excel import ExcelImportError, error_text, upload_content
from parks.selectors import zone_get_for_user
from supervision.services import SupervisionError
from tasks.selectors import plan_in_force

from . import selectors
from .excel import results_template, results_upload
from .exports import results_document, results_workbook
from .forms import (
    YEAR_RANGE,
    HandScoreForm,
    RectificationForm,
    ResultEntryForm,
    SchemeForm,
    SubIndicatorFormSet,
    define_initial,
)
from .models import EvaluationResult, SchemeKind, SchemeVersion
from .services import (
    PREFECTURE_PAGE_METHODS,
    EvaluationError,
    SubIndicatorSpec,
    prefecture_compute,
    prefecture_hand_score,
    prefecture_publish,
    rectification_open,
    results_import,
    scheme_define,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _office_only(user) -> None:
    if not user.is_office:
        raise PermissionDenied(_("只有州开发区办可以管理综合考评。"))


def _scheme_for(user, kind: str, year: int) -> SchemeVersion:
    """A scheme a user may read: a draft of the prefecture's own 考评 is the office's alone."""
    if kind not in SchemeKind.values:
        raise Http404("no such scheme")
    scheme = selectors.scheme_get(kind=kind, year=year)
    if not selectors.readable_by(user, scheme):
        raise Http404("draft")
    return scheme


@role_required
def evaluation_list(request):
    return render(request, "evaluations/list.html", {"schemes": selectors.schemes_visible_to(request.user)})


@role_required
def evaluation_define(request):
    _office_only(request.user)
    if request.method == "POST":
        form, formset = SchemeForm(request.POST), SubIndicatorFormSet(request.POST, prefix="subs")
        if form.is_valid() and formset.is_valid():
            specs = [
                SubIndicatorSpec(
                    group=f["group"],
                    code=f["code"],
                    name=f["name"],
                    unit=f.get("unit", ""),
                    weight=f["weight"],
                    method=f["method"],
                )
                for f in formset.cleaned_data
                if f and not f.get("DELETE")
            ]
            try:
                scheme = scheme_define(
                    kind=SchemeKind.PREFECTURE,
                    year=form.cleaned_data["year"],
                    title=form.cleaned_data["title"],
                    sub_indicators=specs,
                    seen=form.seen_scheme(),
                    settable_methods=PREFECTURE_PAGE_METHODS,
                )
            except EvaluationError as error:
                form.add_error(None, str(error))
                # Saved since the page was drawn: the page again with what was typed and the year's scheme as it is
                # stored now, to be saved again deliberately.
                year = form.cleaned_data["year"]
                ready_to_resend(request, form, error, shown=lambda current: SchemeForm.seen_of(year, current))
            else:
                messages.success(request, _("考评方案已保存。"))
                return redirect(scheme.get_absolute_url())
        posted = form.cleaned_data.get("year")
        opened = (
            None
            if posted is None
            else selectors.define_year(chosen=posted, today=timezone.localdate(), plan=plan_in_force())
        )
        status = 400
    else:
        # ?year= opens a chosen year's scheme (its stored draft, else the template); else the year proposed.
        chosen = whole_number(request.GET.get("year"), digits=4)
        opened = selectors.define_year(
            chosen=chosen if chosen is not None and YEAR_RANGE[0] <= chosen <= YEAR_RANGE[1] else None,
            today=timezone.localdate(),
            plan=plan_in_force(),
        )
        scheme_initial, subs_initial = define_initial(year=opened.year, stored=opened.stored)
        form = SchemeForm(initial=scheme_initial)
        formset = SubIndicatorFormSet(prefix="subs", initial=subs_initial)
        status = 200
    context = {"form": form, "formset": formset, "opened": opened}
    return render(request, "evaluations/define.html", context, status=status)


@role_required
def evaluation_scheme(request, kind: str, year: int):
    return _scheme_page(request, _scheme_for(request.user, kind, year))


def _scheme_page(request, scheme: SchemeVersion, score_form: HandScoreForm | None = None):
    """A year's results; for the office on the prefecture's draft, its forms. With `score_form`, refused (400): the
    人工评分 form as sent, with the service's message."""
    subs = selectors.sub_indicators(scheme)
    results = selectors.results_table(scheme)
    for result in results:
        by_sub = {s.sub_indicator_id: s for s in result.sub_scores.all()}
        result.cells = [by_sub.get(sub.pk) for sub in subs]
        # A zone's gap analysis is linked only for a reader who may open it: a zone user, their own zone's.
        result.gap_open = result.zone_id is not None and access.may_see_zone(request.user, result.zone_id)
    editable = (
        request.user.is_office and scheme.kind == SchemeKind.PREFECTURE and scheme.state == SchemeVersion.State.DRAFT
    )
    context = {
        "scheme": scheme,
        "subs": subs,
        "results": results,
        "editable": editable,
        "score_form": (score_form or HandScoreForm(scheme=scheme, initial={"seen": HandScoreForm.seen_for(results)}))
        if editable
        else None,
        "reviews": [r for r in results if r.review],
    }
    return render(request, "evaluations/scheme.html", context, status=400 if score_form else 200)


@role_required
def evaluation_gap(request, kind: str, year: int, code: str):
    try:
        zone_get_for_user(user=request.user, code=code, related=False)
    except PermissionDenied as denied:
        return render_forbidden(request, str(denied))
    scheme = _scheme_for(request.user, kind, year)
    benchmark = request.GET.get("benchmark", "").strip()[:40]
    gap = selectors.zone_gap(scheme=scheme, zone_code=code, benchmark_code=benchmark)
    if gap.result is None:
        raise Http404("no result")
    others = scheme.results.exclude(zone_code=code).order_by("rank", "zone_code").values_list("zone_code", "zone_name")
    return render(
        request,
        "evaluations/gap.html",
        {
            "scheme": scheme,
            "gap": gap,
            "benchmark": benchmark,
            "others": others,
            "code": code,
            "benchmark_missing": bool(benchmark) and not gap.benchmark,
            "rectifications": selectors.rectifications(gap.result, user=request.user),
        },
    )


@role_required
def evaluation_rectify(request, kind: str, year: int, code: str):
    """整改 from the gap analysis: the office sends a weak sub-indicator to a body as a supervision item."""
    _office_only(request.user)
    scheme = _scheme_for(request.user, kind, year)
    gap = selectors.zone_gap(scheme=scheme, zone_code=code, benchmark_code=request.GET.get("benchmark", "")[:40])
    if gap.result is None or gap.result.zone_id is None:
        raise Http404("no result of a prefecture zone")
    lines = gap.losses
    if request.method == "POST":
        if not lines:  # the page was opened while a sub-indicator still lost points: say the form was not taken
            messages.error(request, _("未交办整改：该开发区各分项均不低于对标开发区，没有可整改的分项。"))
        form = RectificationForm(request.POST, lines=lines)
        if form.is_valid():
            line = next(line for line in lines if line.sub.code == form.cleaned_data["sub_indicator"])
            sub_score = gap.result.sub_scores.get(sub_indicator=line.sub)
            try:
                item = rectification_open(
                    user=request.user,
                    sub_score=sub_score,
                    measure=form.cleaned_data["measure"],
                    body=form.cleaned_data["body"],
                    deadline=form.cleaned_data["deadline"],
                    lost=line.row.gap,
                )
            except SupervisionError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("整改事项已作为督办单 %(number)s 交办。") % {"number": item.number})
                return redirect(item.get_absolute_url())
        status = 400
    else:
        initial = {"body": f"zone:{gap.result.zone_id}", "sub_indicator": request.GET.get("sub", "")}
        form, status = RectificationForm(initial=initial, lines=lines), 200
    return render(
        request, "evaluations/rectify.html", {"scheme": scheme, "gap": gap, "form": form, "code": code}, status=status
    )


def _prefecture_post(request, kind: str, year: int) -> SchemeVersion:
    _office_only(request.user)
    if kind != SchemeKind.PREFECTURE:
        raise Http404("not the prefecture's own")
    return _scheme_for(request.user, kind, year)


@role_required
@require_POST
def evaluation_compute(request, kind: str, year: int):
    scheme = _prefecture_post(request, kind, year)
    try:
        count = prefecture_compute(scheme=scheme, user=request.user, today=timezone.localdate())
    except EvaluationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已根据平台数据计算%(count)s项得分。") % {"count": count})
    return redirect(scheme.get_absolute_url())


@role_required
@require_POST
def evaluation_score(request, kind: str, year: int):
    scheme = _prefecture_post(request, kind, year)
    form = HandScoreForm(request.POST, scheme=scheme)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(scheme.get_absolute_url())
    try:
        prefecture_hand_score(
            scheme=scheme,
            zone=form.cleaned_data["zone"],
            sub_indicator=form.cleaned_data["sub_indicator"],
            score=Decimal(form.cleaned_data["score"]),
            reason=form.cleaned_data["reason"],
            user=request.user,
            seen=form.seen_cell(),
        )
    except EvaluationError as error:
        messages.error(request, str(error))
        if current_of(error) is not None:  # scored since the page was drawn: the page again, what was typed kept
            ready_to_resend(request, form, error, shown=form.seen_with)
            return _scheme_page(request, _scheme_for(request.user, kind, year), form)
    else:
        messages.success(request, _("人工评分已保存。"))
    return redirect(scheme.get_absolute_url())


@role_required
@require_POST
def evaluation_publish(request, kind: str, year: int):
    scheme = _prefecture_post(request, kind, year)
    try:
        prefecture_publish(scheme=scheme, user=request.user)
    except EvaluationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("考评结果已发布。"))
    return redirect(scheme.get_absolute_url())


def _export(request, kind: str, year: int, build, content_type: str, suffix: str) -> HttpResponse:
    scheme = _scheme_for(request.user, kind, year)
    data = build(scheme=scheme, subs=selectors.sub_indicators(scheme), results=selectors.results_table(scheme))
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="evaluation-{kind}-{year}.{suffix}"'
    return response


@role_required
def evaluation_xlsx(request, kind: str, year: int):
    return _export(request, kind, year, results_workbook, XLSX, "xlsx")


@role_required
def evaluation_docx(request, kind: str, year: int):
    return _export(request, kind, year, results_document, DOCX, "docx")


@role_required
def evaluation_upload(request, kind: str, year: int):
    """The office's Excel route for a provincial or national year: GET the template, POST it back filled."""
    _office_only(request.user)
    scheme = _scheme_for(request.user, kind, year)
    if kind == SchemeKind.PREFECTURE:
        raise Http404("the prefecture's own is scored on its page")
    if request.method == "GET":
        data = results_template(
            scheme=scheme, subs=selectors.sub_indicators(scheme), results=selectors.results_table(scheme)
        )
        response = HttpResponse(data, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="evaluation-{kind}-{year}-template.xlsx"'
        return response
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ExcelImportError(_("请选择填写好的Excel文件（.xlsx）。"))
        summary = results_upload(scheme=scheme, content=upload_content(upload), user=request.user)
    except ImportConflict:  # another write of the same results met this one; nothing of the file was written
        messages.error(request, _("评价结果正被他人同时写入，本次上传未写入任何数据，请稍后重新上传。"))
        return redirect(scheme.get_absolute_url())
    except ExcelImportError as error:
        messages.error(request, error.message)
        for item in error.errors[:20]:
            messages.error(request, error_text(item))
        return redirect(scheme.get_absolute_url())
    if summary.errors:
        messages.error(request, _("上传未成功，没有写入任何数据。请按提示修改后重新上传。"))
        for error in summary.errors[:20]:
            where = _("第%(row)s行") % {"row": error["row"]} if error.get("row") else ""
            where += f"·{error['field']}" if error["field"] else ""
            messages.error(request, f"{where}{_('：')}{error['message']}" if where else error["message"])
    else:
        messages.success(
            request,
            _("已导入：新增%(created)s个，更新%(updated)s个，未变%(unchanged)s个。")
            % {"created": summary.created, "updated": summary.updated, "unchanged": summary.unchanged},
        )
    return redirect(scheme.get_absolute_url())


@role_required
def evaluation_enter(request, kind: str, year: int):
    """The office types in one zone's provincial or national result of the year; the bulk import checks and
    writes it (all or nothing), settles totals, ranks and the review mark, derives rankings and flags."""
    _office_only(request.user)
    scheme = _scheme_for(request.user, kind, year)
    if kind == SchemeKind.PREFECTURE:
        raise Http404("the prefecture's own is scored on its page")
    subs = selectors.sub_indicators(scheme)
    if request.method == "POST":
        form = ResultEntryForm(request.POST, subs=subs)
        if form.is_valid():
            try:
                summary = results_import(
                    rows=[form.row(kind=kind, year=year)],
                    user=request.user,
                    expected=form.seen_results(kind=kind, year=year),
                )
            except ImportConflict:
                form.add_error(None, _("该结果正被他人同时保存，请稍后重试。"))
            else:
                if summary.errors:
                    form.add_import_errors(summary.errors)
                    if summary.stale_count:
                        form.seen_now(scheme)
                else:
                    result = EvaluationResult.objects.get(scheme=scheme, zone_code=form.cleaned_data["zone"])
                    messages.success(
                        request,
                        _("%(zone)s的%(year)s年评价结果已保存：总分%(total)s，排名%(rank)s。")
                        % {"zone": result.zone_name, "year": year, "total": result.total, "rank": result.rank},
                    )
                    if result.review:
                        messages.warning(
                            request,
                            _("公布总分%(total)s与加权合计%(sum)s不一致，已标记为待复核。")
                            % {"total": result.stated_total, "sum": result.weighted_sum},
                        )
                    return redirect(scheme.get_absolute_url())
        status = 400
    else:
        initial, code = {}, request.GET.get("zone", "").strip()[:40]
        result = scheme.results.filter(zone_code=code).prefetch_related("sub_scores").first() if code else None
        if result is not None:
            initial = {
                "seen": ResultEntryForm.seen_for(result.zone_code, result),
                "zone": result.zone_code,
                "zone_name": result.zone_name if result.zone_id is None else "",
                "total": result.stated_total or "",
                "rank": result.stated_rank or "",
                "funding_awarded": result.funding_awarded,
            }
            by_sub = {s.sub_indicator_id: s for s in result.sub_scores.all()}
            for sub in subs:
                if (score := by_sub.get(sub.pk)) is not None:
                    initial.update(
                        {
                            f"value_{sub.code}": score.value if score.value is not None else "",
                            f"score_{sub.code}": score.score if score.score is not None else "",
                            f"rank_{sub.code}": score.rank or "",
                        }
                    )
        elif code:
            initial = {"zone": code, "seen": ResultEntryForm.seen_for(code, None)}
        form, status = ResultEntryForm(initial=initial, subs=subs), 200
    return render(request, "evaluations/enter.html", {"scheme": scheme, "form": form}, status=status)
