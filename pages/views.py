"""The home page, the prefecture overview (首页/总览), the to-do page (待办) and the dispatch bulletin (调度通报).

Who sees what
-------------
- The prefecture office (and superusers) sees everything.
- Department staff and reviewers see the overview; reviewers (and the office) also read the bulletin.
- Zone leaders and statisticians act for one zone: on ``/`` they are sent to their zone's page, and
  the bulletin is refused to them (403 with a Chinese message). Other zones' pages are refused too
  (see ``pages.zone_views.zone_detail``).
- A logged-in account without a role sees nothing but a 403 page asking them to get a role.
"""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuxiong_portal import access, dates, pagecache
from chuxiong_portal.params import whole_number
from chuxiong_portal.roles import LANDING_REVIEW, LANDING_TODO, LANDING_ZONE, landing
from chuxiong_portal.security import role_required
from chuxiong_portal.views import render_forbidden
from indicators import selectors as indicator_selectors
from indicators.reporting.services import BulletinIssueError, BulletinNotDueError, bulletin_issuable
from indicators.reporting.services import bulletin_issue as bulletin_issue_service
from parks.models import Zone
from projects.selectors import bulletin_projects
from tasks.selectors import plan_for_request, plan_get

from . import dashboards
from . import selectors as page_selectors
from .bulletin import bulletin_allowed, bulletin_build, bulletin_filename, bulletin_periods, bulletin_workbook
from .bulletin_docx import DOCX_CONTENT_TYPE, bulletin_docx
from .dashboards.overview import CHANGE_DIRECTIONS

# The areas of data each page reads (pagecache): none shows a report while it is a draft.
OVERVIEW_AREAS = (pagecache.CORE,)
BULLETIN_AREAS = (pagecache.CORE, pagecache.PROJECTS, pagecache.SUPERVISION)
# The to-do page's areas besides the drafts of the reports it lists (``todo_draft_areas``).
TODO_AREAS = (pagecache.CORE, pagecache.PROJECTS, pagecache.SUPERVISION)


@login_required
def home(request):
    """Where each role's work is (``roles.landing``): the office on the overview, zone leaders on their
    zone, staff and statisticians on their to-do, reviewers on what waits for their review."""
    user = request.user
    if not (user.role or user.is_superuser):
        return render_forbidden(request, _("您的账号尚未分配角色，请联系州开发区办。"))
    where = landing(user)
    if where == LANDING_ZONE:
        return redirect("zone-detail", code=user.zone.code)
    if where == LANDING_TODO:
        return redirect("todo")
    if where == LANDING_REVIEW:
        return redirect(reverse("todo") + "#waiting")
    return overview(request)


@login_required
def overview(request):
    """The prefecture overview for the office and the departments.

    Zone leaders and statisticians are sent to their own zone's page instead (302); an account
    without a role gets a 403.
    """
    if (elsewhere := _not_an_overview_reader(request)) is not None:
        return elsewhere
    today = timezone.localdate()
    plan = plan_for_request(request)
    period = current_period(today, plan)
    body = b""
    if period is not None:
        body = pagecache.cached_body(
            "overview",
            (period.pk, today),
            "dashboards/overview_body.html",
            lambda: {"period": period, "today": today, **dashboards.period_overview(period=period, today=today)},
            areas=OVERVIEW_AREAS,
        )
    context = {
        "period": period,
        "today": today,
        "plan": plan,
        "plan_phase": plan.phase_on(today),
        # From 1 January to the final period's deadline the overview still shows the period before it.
        "final_period": period is not None and plan.closes_with(period),
    }
    return pagecache.render_page(request, "home.html", context, body)


def _not_an_overview_reader(request):
    """Where a reader who does not read the overview (and its changes page) goes instead: a zone user to their zone's
    page, an account without a role to a 403; None for the overview's readers."""
    user = request.user
    if access.is_zone_user(user) and user.zone_id:
        return redirect("zone-detail", code=user.zone.code)
    if not (user.role or user.is_superuser):
        return render_forbidden(request, _("您的账号尚未分配角色，请联系州开发区办。"))
    return None


@role_required
def todo(request):
    """What the reader has to do: their reports by deadline, what waits for their review, their supervision items
    and work items, and (through the template's tag) their key projects — a page over several domains.

    The whole page is one cached body per scope: what it shows depends on the reader's role, unit, zone and
    county only (``todo_scope`` and the supervision items' ``county``), never on the reader themself.
    """
    user, today = request.user, timezone.localdate()

    def context():
        reports = page_selectors.todo(user, today=today)
        is_office = access.is_office(user)
        return {
            **reports,
            "waiting_rows": dashboards.report_rows(reports["waiting"], today=today, show_unit=True),
            "owed_rows": dashboards.report_rows(reports["owed"], today=today, show_unit=is_office),
            "recent_rows": dashboards.report_rows(reports["recent"], today=today, show_unit=is_office),
            "today": today,
            "is_office": is_office,
            "unit_id": user.department_id,
            "zone_id": user.zone_id,
            "county_id": user.county_id,
        }

    body = pagecache.cached_body(
        "todo",
        (*indicator_selectors.todo_scope(user), user.county_id, today),
        "indicators/todo_body.html",
        context,
        areas=(*TODO_AREAS, *indicator_selectors.todo_draft_areas(user)),
    )
    return pagecache.render_page(request, "indicators/todo.html", {}, body)


@login_required
def status_changes(request):
    """Every status change of a period (``?period=<id>``, default: the overview's) since the previous period, a page
    at a time (``?page=``), worsened or improved only (``?direction=worse|better``), of one zone only
    (``?zone=<code>``): the overview lists the first dozen and links here. For the overview's readers; zone users
    are sent to their zone's page."""
    if (elsewhere := _not_an_overview_reader(request)) is not None:
        return elsewhere
    raw_period, direction, page, code = (request.GET.get(name, "") for name in ("period", "direction", "page", "zone"))
    period, today = _bulletin_period(request, whole_number(raw_period))
    page = whole_number(page, digits=5) or 1
    zone = Zone.objects.filter(code=code).first() if code else None

    def context():
        return {
            **dashboards.period_changes(period=period, direction=direction, page=page, zone=zone),
            "periods": bulletin_periods(today=today, selected=period),
            "directions": [("", _("全部")), ("worse", _("变差")), ("better", _("好转"))],
            "zones": Zone.objects.order_by("order"),
        }

    body = pagecache.cached_body(
        "changes",
        (period.pk, today, direction, page, code),
        "dashboards/changes_body.html",
        context,
        # A made-up filter value (a direction, a zone) is answered, not cached (`pagecache.cached`).
        cacheable=direction in ("", *CHANGE_DIRECTIONS) and (zone is not None or not code),
        areas=OVERVIEW_AREAS,
    )
    return pagecache.render_page(request, "dashboards/changes.html", {"period": period}, body)


def current_period(today, plan=None):
    """The period of ``plan`` the overview and the bulletin open on, cached with the pages (it only changes with the
    data). After the plan's end it is the plan's final period, which the pages name as such."""
    plan = plan or plan_get()
    return pagecache.cached(
        "current-period",
        (today, plan.pk),
        lambda: dashboards.period_pick(today=today, plan=plan),
        areas=(pagecache.CORE,),
        count=False,
    )


def _bulletin_period(request, period_id):
    today = timezone.localdate()
    period = (
        dashboards.period_pick(today=today, period_id=period_id)
        if period_id
        else current_period(today, plan_for_request(request))
    )
    if period is None:
        raise Http404("no such period")
    return period, today


@login_required
def bulletin(request):
    """The printable dispatch bulletin of ``?period=<id>`` (default: the current period).

    For the prefecture office and department reviewers (``pages.bulletin.bulletin_allowed``);
    everyone else gets a 403 with a Chinese message — zone users read their zone's page.
    """
    if not bulletin_allowed(request.user):
        return render_forbidden(request, _("调度通报仅供州开发区办和部门审核员查阅；园区用户请查看本园区页面。"))
    raw = request.GET.get("period", "")
    period, today = _bulletin_period(request, whole_number(raw))

    def context():
        return {
            **bulletin_build(period=period, today=today),
            "periods": bulletin_periods(today=today, selected=period),
            "projects": bulletin_projects(period_end=period.end, today=today),
            "portal_plan": period.plan,  # its demo mark: the body is rendered without the request's context
        }

    # The page is the cached body; only the office's 印发 button (with its CSRF token) is drawn per request.
    body = pagecache.cached_body(
        "bulletin", (period.pk, today), "dashboards/bulletin.html", context, areas=BULLETIN_AREAS
    )
    actions = render_to_string(
        "dashboards/_bulletin_actions.html",
        {"period": period, "issuable": bulletin_issuable(period, today)},
        request,
    ).encode()
    return HttpResponse(body.replace(BULLETIN_ACTIONS, actions, 1))


BULLETIN_ACTIONS = b"<!--portal:bulletin-actions-->"


@login_required
@require_POST
def bulletin_issue(request, period_id: int):
    """The office issues (印发) the period's bulletin: it gets its 第N期 of the year, kept from then on."""
    if not request.user.is_office:
        return render_forbidden(request, _("只有州开发区办可以印发调度通报。"))
    period, today = _bulletin_period(request, period_id)
    try:
        issue, created = bulletin_issue_service(period=period, user=request.user, today=today)
    except BulletinIssueError:
        messages.error(request, _("其他人正在同时印发调度通报，请稍后重试。"))
    except BulletinNotDueError:
        messages.error(
            request,
            _("%(period)s的报送截止日为%(deadline)s，截止后方可印发该期调度通报。")
            % {"period": period.label, "deadline": dates.day(period.deadline)},
        )
    else:
        if created:
            messages.success(request, _("已印发：%(y)s年第%(n)s期。") % {"y": issue.year, "n": issue.number})
        else:
            messages.info(
                request,
                _("该期通报已于%(day)s印发（%(y)s年第%(n)s期），期号不变。")
                % {"day": dates.day(issue.issued_on), "y": issue.year, "n": issue.number},
            )
    return redirect(f"{reverse('bulletin')}?period={period.pk}")


@login_required
def bulletin_docx_view(request, period_id: int):
    """The bulletin as an editable Word document, for the same readers as the page."""
    if not bulletin_allowed(request.user):
        return render_forbidden(request, _("调度通报仅供州开发区办和部门审核员查阅；园区用户请查看本园区页面。"))
    period, today = _bulletin_period(request, period_id)
    content = pagecache.cached(
        "bulletin-docx",
        (period.pk, today),
        lambda: bulletin_docx(
            bulletin_build(period=period, today=today), projects=bulletin_projects(period_end=period.end, today=today)
        ),
        areas=BULLETIN_AREAS,
    )
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    name = bulletin_filename(period).rsplit(".", 1)[0] + ".docx"
    response["Content-Disposition"] = (
        f"attachment; filename=\"bulletin-{period.pk}.docx\"; filename*=UTF-8''{quote(name)}"
    )
    return response


@login_required
def bulletin_xlsx(request, period_id: int):
    """The same bulletin as an Excel workbook, for the same readers as the page."""
    if not bulletin_allowed(request.user):
        return render_forbidden(request, _("调度通报仅供州开发区办和部门审核员查阅；园区用户请查看本园区页面。"))
    period, today = _bulletin_period(request, period_id)
    content = pagecache.cached(
        "bulletin-xlsx",
        (period.pk, today),
        lambda: bulletin_workbook(bulletin_build(period=period, today=today)),
        areas=BULLETIN_AREAS,
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = (
        f"attachment; filename=\"bulletin-{period.pk}.xlsx\"; filename*=UTF-8''{quote(bulletin_filename(period))}"
    )
    return response
