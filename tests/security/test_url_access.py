"""Who may open which URL: every route of the site and of the API, as every persona, against one table.

The routes are read from the URL resolver, not listed by hand: a route the table below does not cover fails
`test_every_url_is_in_the_table`, so no URL can be added without deciding who may use it. Skipped on purpose:
the admin's per-model pages (Django's own permission checks; `/admin/` and the user list stand for them),
`i18n/setlang/` and static/media serving.

Each route is requested with GET, and with POST where it writes (every API route gets a POST too): web pages
through a session (`force_login`), the API with each persona's token. The POST bodies are empty or invalid,
so nothing is written; what a right holder may actually do is tested per feature (tests/indicators/
test_report_permissions.py, tests/assessments/test_flag_pages.py, tests/api/test_api_auth.py).

Personas (tests/conftest.py): alice staff of 州发展改革委 (ndrc), rita its reviewer, bob staff of 州商务局, sam
statistician and leo leader of 禄丰 (lufeng), olga the prefecture office, charlie logged in without a role,
zack staff of 禄丰's management committee, cora staff of 武定县人民政府 (a county government),
anon not logged in; sync is the provincial statistics client (API only: it has no password).

A cell the portal gets wrong is written with the right answer and listed in KNOWN_BUGS (by route id: the name,
plus ".json" for a format-suffix route) with its fix: it runs as a strict xfail, so fixing the view turns it into
a failure that asks for the entry to be removed.
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

# --------------------------------------------------------------------------- the routes


@dataclass(frozen=True)
class Route:
    key: str  # the route's name (namespaced), or its full pattern when it has none
    pattern: str
    params: tuple[str, ...]
    namespace: str
    module: str
    callback: object = None

    @property
    def is_api(self) -> bool:
        return self.key.startswith("api-")

    @property
    def id(self) -> str:
        return self.key + (".json" if "format" in self.params else "")


def walk(patterns=None, prefix="", namespace="", params=()):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        own = tuple(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part)
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner, params + own)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            callback = entry.callback
            yield Route(
                key=name or prefix + str(entry.pattern),
                pattern=prefix + str(entry.pattern),
                params=params + own,
                namespace=namespace,
                module=getattr(callback, "__module__", "") or "",
                callback=callback,
            )


ADMIN_KEPT = {"admin:index", "admin:chuxiong_portal_user_changelist"}


def skipped(route: Route) -> bool:
    if route.namespace == "admin":
        return route.key not in ADMIN_KEPT
    if slashless_twin(route) is not None:
        return True  # the same view as its twin with the slash, whose access the table checks
    return route.key == "set_language" or route.module.startswith(("django.views.static", "django.contrib.staticfiles"))


def slashless_twin(route: Route) -> Route | None:
    """For an API route answered without its trailing slash (chuxiong_portal.api), its twin with the slash."""
    if not route.pattern.startswith("api/v1/") or route.pattern.endswith(("/", "/$")):
        return None
    pattern = route.pattern[:-1] + "/$" if route.pattern.endswith("$") else route.pattern + "/"
    return BY_PATTERN.get(pattern)


ROUTES = list(walk())
BY_PATTERN = {route.pattern: route for route in ROUTES}

# --------------------------------------------------------------------------- example arguments

# For each route with arguments: {example label: world → kwargs}. "" is the only example of most routes.
EXAMPLES = {
    "task-detail": {"": lambda w: {"number": 14}},
    "department-detail": {"": lambda w: {"slug": "ndrc"}},
    "zone-detail": {"own": lambda w: {"code": "lufeng"}, "other": lambda w: {"code": "wuding"}},
    "target-detail": {
        "own": lambda w: {"pk": w.objects["target"].pk},
        "other": lambda w: {"pk": w.objects["target_wuding"].pk},
    },
    "bulletin-xlsx": {"": lambda w: {"period_id": w.objects["period"].pk}},
    "data-quality-acknowledge": {
        "own": lambda w: {"pk": w.objects["warning_lufeng"].pk},
        "other": lambda w: {"pk": w.objects["warning_wuding"].pk},
    },
    "safeguard-record": {"": lambda w: {"code": "dual-leader-system"}},
    "bulletin-docx": {"": lambda w: {"period_id": w.objects["period"].pk}},
    "bulletin-issue": {"": lambda w: {"period_id": w.objects["period"].pk}},
    "api-zone-detail": {"": lambda w: {"code": "lufeng"}},
    "api-task-detail": {"": lambda w: {"number": 14}},
    "api-plan-detail": {"": lambda w: {"code": "zones-2023-2025"}},
    "api-department-detail": {"": lambda w: {"slug": "ndrc"}},
    "api-indicator-detail": {"": lambda w: {"code": "industrial-output"}},
    "api-target-detail": {"": lambda w: {"pk": w.objects["target"].pk}},
    "api-indicator-value-detail": {"": lambda w: {"pk": w.objects["province_value"].pk}},
    "api-evaluation-detail": {"": lambda w: {"pk": w.objects["evaluation"].pk}},
    "api-ranking-detail": {"": lambda w: {"pk": w.objects["ranking"].pk}},
    "api-progress-detail": {"": lambda w: {"pk": w.objects["progress"].pk}},
    "api-reconciliation-detail": {"": lambda w: {"pk": w.objects["province_value"].pk}},
    "api-project-detail": {"": lambda w: {"code": w.objects["project"].code}},
    "api-project-report-detail": {"": lambda w: {"pk": w.objects["project_report"].pk}},
    "api-project-investment-detail": {"": lambda w: {"pk": w.objects["project_investment"].pk}},
    "api-flag-detail": {
        "own": lambda w: {"pk": w.objects["flag_lufeng"].pk},
        "other": lambda w: {"pk": w.objects["flag_wuding"].pk},
    },
}
_REPORTS = {
    "ndrc": lambda w: {"pk": w.objects["report_ndrc"].pk},
    "lufeng": lambda w: {"pk": w.objects["report_lufeng"].pk},
}
_FLAGS = {"own": lambda w: {"pk": w.objects["flag_lufeng"].pk}, "other": lambda w: {"pk": w.objects["flag_wuding"].pk}}
EXAMPLES.update(
    {name: _REPORTS for name in ("report-detail", "report-review", "report-reopen", "report-waive", "report-excel")}
)
EXAMPLES.update({name: _FLAGS for name in ("flag-detail", "flag-handle")})
_PROVINCIAL = {"": lambda w: {"kind": "provincial", "year": 2024}}
_PUBLISHED = {"": lambda w: {"kind": "prefecture", "year": 2023}}  # published: the office's POSTs change nothing
EXAMPLES.update(
    {
        "evaluation-scheme": {**_PROVINCIAL, "draft": lambda w: {"kind": "prefecture", "year": 2024}},
        "evaluation-gap": {
            "own": lambda w: {"kind": "provincial", "year": 2024, "code": "lufeng"},
            "other": lambda w: {"kind": "provincial", "year": 2024, "code": "wuding"},
        },
        "evaluation-xlsx": _PROVINCIAL,
        "evaluation-docx": _PROVINCIAL,
        "evaluation-upload": _PROVINCIAL,
        "evaluation-enter": _PROVINCIAL,
        "evaluation-rectify": {"": lambda w: {"kind": "provincial", "year": 2024, "code": "lufeng"}},
        **{name: _PUBLISHED for name in ("evaluation-compute", "evaluation-score", "evaluation-publish")},
        "api-evaluation-scheme-detail": {"": lambda w: {"pk": w.objects["scheme"].pk}},
        "api-evaluation-result-detail": {"": lambda w: {"pk": w.objects["result"].pk}},
    }
)
_SUPERVISION = {
    "own": lambda w: {"pk": w.objects["sup_lufeng"].pk},
    "other": lambda w: {"pk": w.objects["sup_ndrc"].pk},
}
EXAMPLES.update(
    {
        name: _SUPERVISION
        for name in (
            "supervision-detail",
            "supervision-answer",
            "supervision-remind",
            "supervision-return",
            "supervision-close",
        )
    }
)
EXAMPLES["evidence-download"] = {
    "own": lambda w: {"pk": w.objects["evidence_lufeng"].pk},
    "other": lambda w: {"pk": w.objects["evidence_ndrc"].pk},
}
_WORK = {"own": lambda w: {"pk": w.objects["work_lufeng"].pk}, "other": lambda w: {"pk": w.objects["work_ndrc"].pk}}
EXAMPLES.update({name: _WORK for name in ("workitem-detail", "workitem-adjust")})
EXAMPLES["workreport-review"] = {
    "own": lambda w: {"pk": w.objects["report_work_lufeng"].pk},
    "other": lambda w: {"pk": w.objects["report_work_ndrc"].pk},
}
EXAMPLES.update(
    {
        name: {"": lambda w: {"year": 2026}}
        for name in ("tasklist-detail", "tasklist-copy", "tasklist-adopt", "workitem-add")
    }
)
EXAMPLES["letter-detail"] = {
    "own": lambda w: {"pk": w.objects["letter_lufeng"].pk},
    "other": lambda w: {"pk": w.objects["letter_wuding"].pk},
}
_PROJECT = {"": lambda w: {"code": w.objects["project"].code}}
EXAMPLES.update(
    {
        name: _PROJECT
        for name in (
            "project-detail",
            "project-stage",
            "project-adopt",
            "project-rebaseline",
            "project-milestone-done",
            "project-report-open",
        )
    }
)
EXAMPLES.update(
    {
        name: {"": lambda w: {"pk": w.objects["project_report"].pk}}
        for name in (
            "project-report-detail",
            "project-report-review",
            "project-report-reopen",
            "project-report-answer",
            "project-report-excel",
        )
    }
)

# --------------------------------------------------------------------------- the answers


@dataclass(frozen=True)
class To:
    """A 302 whose Location is `where` (LOGIN: the login page with ?next=; BACK: the object's page)."""

    where: str

    def __repr__(self):
        return f"302→{self.where}"


LOGIN = To("/accounts/login/?next=…")
ADMIN_LOGIN = To("/admin/login/?next=…")
LOGGED_OUT = To("/accounts/login/")
OWN_ZONE = To("/zones/lufeng/")
TODO = To("/todo/")
REVIEW = To("/todo/#waiting")
BACK = To("the object's page (form refused with a message, nothing written)")
DQ_PAGE = To("/data-quality/")
WORK_ITEM = To("/work-items/<pk>/ (the reviewed report's work item, refused with a message)")
LIST_2026 = To("/task-lists/2026/")
PROJECT_REPORT = To("a project report")
BULLETIN = To("/bulletin/?period=<pk>")

WEB = ("anon", "alice", "rita", "bob", "sam", "leo", "olga", "charlie", "zack", "cora")
API = (*WEB, "sync")


def web(anon, alice, rita, bob, sam, leo, olga, charlie, zack, cora):
    return dict(zip(WEB, (anon, alice, rita, bob, sam, leo, olga, charlie, zack, cora), strict=True))


def api(anon, alice, rita, bob, sam, leo, olga, charlie, zack, cora, sync):
    return dict(zip(API, (anon, alice, rita, bob, sam, leo, olga, charlie, zack, cora, sync), strict=True))


def roles(answer, *, anon=LOGIN, charlie=403, **but):
    """Every persona with a role gets `answer`; anon and charlie as given; `but` overrides single personas."""
    row = {p: answer for p in WEB}
    row.update(anon=anon, charlie=charlie, **but)
    return row


def api_roles(answer, *, anon=401, charlie=403, **but):
    row = {p: answer for p in API}
    row.update(anon=anon, charlie=charlie, **but)
    return row


API_READ = {"GET": api_roles(200), "POST": api_roles(405)}
API_READ_ZONED = {  # a zone's users read only their own zone's flags (as on the pages)
    "GET own": api_roles(200),
    "GET other": api_roles(200, sam=404, leo=404, zack=404),
    "POST own": api_roles(405),
    "POST other": api_roles(405),
}
API_BULK = {"GET": api_roles(405), "POST": api_roles(403, olga=400, sync=400)}  # writers get 400 for the invalid body
EVERYONE_READS = {"GET": roles(200)}  # with a role; charlie gets the "no role yet" 403 page

EXPECT: dict[str, dict[str, dict[str, object]]] = {
    # --- pages: key → {"METHOD[ example]": {persona: answer}}
    # each role lands at its work: a committee's or county's staff on the to-do (督办单, work items)
    "home": {"GET": web(LOGIN, TODO, REVIEW, TODO, TODO, OWN_ZONE, 200, 403, TODO, TODO)},
    "overview": {"GET": web(LOGIN, 200, 200, 200, OWN_ZONE, OWN_ZONE, 200, 403, OWN_ZONE, 200)},
    "status-changes": {"GET": web(LOGIN, 200, 200, 200, OWN_ZONE, OWN_ZONE, 200, 403, OWN_ZONE, 200)},  # overview's
    "health": {"GET": roles(200, anon=200, charlie=200)},  # for the load balancer: parts and ok/error only
    "login": {"GET": roles(200, anon=200, charlie=200), "POST": roles(200, anon=200, charlie=200)},
    "logout": {
        "GET": roles(405, anon=405, charlie=405),
        "POST": roles(LOGGED_OUT, anon=LOGGED_OUT, charlie=LOGGED_OUT),
    },
    # a user's own account: anyone logged in, a role or not (an empty form is shown again with its errors)
    "account": {"GET": roles(200, charlie=200), "POST": roles(200, charlie=200)},
    "password_change": {"GET": roles(200, charlie=200), "POST": roles(200, charlie=200)},
    "task-list": EVERYONE_READS,
    "task-detail": EVERYONE_READS,
    "department-list": EVERYONE_READS,
    "department-detail": EVERYONE_READS,
    "responsibility-matrix": EVERYONE_READS,
    "zone-detail": {"GET own": roles(200), "GET other": roles(200, sam=403, leo=403, zack=403)},
    # as its results on the task page: a zone's users read their own zone's targets and the shared ones
    "target-detail": {"GET own": roles(200), "GET other": roles(200, sam=403, leo=403, zack=403)},
    "todo": EVERYONE_READS,
    "reconciliation": EVERYONE_READS,
    "report-detail": {  # everyone with a role reads a report, but zone users another's only once approved (these
        # are not); a save by anyone but those who fill it is a 403 (as the Excel upload); an invalid form a 400
        "GET ndrc": roles(200, charlie=403, sam=403, leo=403, zack=403),
        "GET lufeng": roles(200, charlie=403),
        "POST ndrc": roles(403, alice=400, olga=400),
        "POST lufeng": roles(403, sam=400, olga=400),
    },
    "report-review": {
        "GET ndrc": roles(405, charlie=405),
        "GET lufeng": roles(405, charlie=405),
        "POST ndrc": roles(BACK, charlie=403, sam=403, leo=403, zack=403),
        "POST lufeng": roles(BACK, charlie=403),
    },
    "report-reopen": {
        "GET ndrc": roles(405, charlie=405),
        "GET lufeng": roles(405, charlie=405),
        "POST ndrc": roles(400, charlie=403, sam=403, leo=403, zack=403),
        "POST lufeng": roles(400, charlie=403),
    },
    "report-waive": {  # only the office waives; without a reason it is refused
        "GET ndrc": roles(405, charlie=405),
        "GET lufeng": roles(405, charlie=405),
        "POST ndrc": roles(403, olga=400),
        "POST lufeng": roles(403, olga=400),
    },
    "report-excel": {  # download for readers; an upload (here without a file) only for those who fill the report
        "GET ndrc": roles(200, charlie=403, sam=403, leo=403, zack=403),
        "GET lufeng": roles(200, charlie=403),
        "POST ndrc": roles(403, alice=BACK, olga=BACK),  # refused file: back to the report page, which says why
        "POST lufeng": roles(403, sam=BACK, olga=BACK),
    },
    "bulletin": {"GET": roles(403, rita=200, olga=200)},
    "bulletin-xlsx": {"GET": roles(403, rita=200, olga=200)},
    # The office and the reviewers (unit reviewers, zone leaders) read it; a leader sees their zone's warnings.
    "data-quality": {"GET": roles(403, rita=200, leo=200, olga=200)},
    "data-quality-acknowledge": {  # an empty note is refused with a message: back to the page, nothing written
        "GET own": roles(405, charlie=405, anon=405),
        "GET other": roles(405, charlie=405, anon=405),
        "POST own": roles(403, rita=404, leo=DQ_PAGE, olga=DQ_PAGE),
        "POST other": roles(403, rita=404, leo=404, olga=DQ_PAGE),
    },
    "safeguards": EVERYONE_READS,
    # The office records the 保障措施; an empty form comes back with its errors (400), nothing written.
    "safeguard-record": {"GET": roles(403, olga=200), "POST": roles(403, olga=400)},
    "bulletin-docx": {"GET": roles(403, rita=200, olga=200)},
    # the office issues (印发) a bulletin: its 第N期 is given, then back to the bulletin
    "bulletin-issue": {"GET": roles(405, charlie=405), "POST": roles(403, olga=BULLETIN)},
    "flag-list": EVERYONE_READS,
    "flag-detail": {"GET own": roles(200), "GET other": roles(200, sam=404, leo=404, zack=404)},
    "flag-handle": {  # the office handles every flag, a zone leader acknowledges their own zone's
        "GET own": roles(405),
        "GET other": roles(405),
        "POST own": roles(403, leo=BACK, olga=BACK),
        "POST other": roles(403, sam=404, leo=404, zack=404, olga=BACK),
    },
    "evaluation-list": EVERYONE_READS,
    "evaluation-define": {"GET": roles(403, olga=200), "POST": roles(403, olga=400)},
    "evaluation-scheme": {"GET": roles(200), "GET draft": roles(404, olga=200)},  # a draft 考评 is the office's
    "evaluation-gap": {"GET own": roles(200), "GET other": roles(200, sam=403, leo=403, zack=403)},
    "evaluation-rectify": {"GET": roles(403, olga=200), "POST": roles(403, olga=400)},  # 整改: the office's
    "evaluation-upload": {"GET": roles(403, olga=200), "POST": roles(403, olga=BACK)},  # template out, file in
    "evaluation-enter": {"GET": roles(403, olga=200), "POST": roles(403, olga=400)},  # one result typed in
    "evaluation-xlsx": EVERYONE_READS,
    "evaluation-docx": EVERYONE_READS,
    **{
        name: {"GET": roles(405), "POST": roles(403, olga=BACK)}
        for name in ("evaluation-compute", "evaluation-score", "evaluation-publish")
    },
    # --- the responsibility cycle: a 督办单 and a work item of 禄丰's committee ("own") and of ndrc ("other"),
    # zack acts for 禄丰's committee, cora for 武定县人民政府; sam and leo read their zone's items
    "supervision-list": EVERYONE_READS,
    "supervision-new": {"GET": roles(403, olga=200), "POST": roles(403, olga=400)},
    "supervision-detail": {
        "GET own": roles(404, olga=200, zack=200, sam=200, leo=200),
        "GET other": roles(404, olga=200, alice=200, rita=200),
    },
    "supervision-answer": {
        "GET own": roles(405),
        "GET other": roles(405),
        "POST own": roles(404, olga=403, sam=403, leo=403, zack=400),
        "POST other": roles(404, olga=403, alice=400, rita=400),
    },
    **{
        name: {
            "GET own": roles(405),
            "GET other": roles(405),
            "POST own": roles(404, olga=400, sam=403, leo=403, zack=403),
            "POST other": roles(404, olga=400, alice=403, rita=403),
        }
        for name in ("supervision-remind", "supervision-return", "supervision-close")
    },
    "evidence-download": {
        "GET own": roles(404, olga=200, zack=200, sam=200, leo=200),
        "GET other": roles(404, olga=200, alice=200, rita=200),
    },
    "workitem-list": EVERYONE_READS,
    "workitem-detail": {
        "GET own": roles(404, olga=200, zack=200, sam=200, leo=200),
        "GET other": roles(404, olga=200, alice=200, rita=200, bob=200),  # bob's unit helps
        "POST own": roles(404, olga=400, zack=400, sam=403, leo=403),
        "POST other": roles(404, olga=400, alice=400, rita=400, bob=403),
    },
    "workitem-adjust": {
        "GET own": roles(405),
        "GET other": roles(405),
        "POST own": roles(404, olga=LIST_2026, zack=403, sam=403, leo=403),
        "POST other": roles(404, olga=LIST_2026, alice=403, rita=403, bob=403),
    },
    "workreport-review": {
        "GET own": roles(405),
        "GET other": roles(405),
        "POST own": roles(404, olga=WORK_ITEM, zack=403, sam=403, leo=403),
        "POST other": roles(404, olga=WORK_ITEM, alice=403, rita=WORK_ITEM, bob=403),
    },
    "tasklist-detail": EVERYONE_READS,
    "tasklist-copy": {"GET": roles(405), "POST": roles(403, olga=LIST_2026)},  # 2027 exists: refused
    "tasklist-adopt": {"GET": roles(405), "POST": roles(403, olga=LIST_2026)},  # already adopted: refused
    "workitem-add": {"GET": roles(405), "POST": roles(403, olga=LIST_2026)},  # adopted: refused
    "letter-list": EVERYONE_READS,
    "letter-new": {"GET": roles(403, olga=200), "POST": roles(403, olga=400)},
    "letter-detail": {
        "GET own": roles(200),
        "GET other": roles(200, sam=404, leo=404, zack=404),
        "POST own": roles(403, olga=400),
        "POST other": roles(403, olga=400, sam=404, leo=404, zack=404),
    },
    "admin:index": {"GET": roles(ADMIN_LOGIN, anon=ADMIN_LOGIN, charlie=ADMIN_LOGIN, olga=200)},
    "admin:chuxiong_portal_user_changelist": {
        "GET": roles(ADMIN_LOGIN, anon=ADMIN_LOGIN, charlie=ADMIN_LOGIN, olga=200)
    },
    # --- API: 401 without a token, 403 without a role, reads for every role, bulk writes for office and sync
    "api-schema": {"GET": api_roles(200, anon=200, charlie=200), "POST": api_roles(405, anon=405, charlie=405)},
    "api-docs": {"GET": api_roles(200, anon=200, charlie=200), "POST": api_roles(405, anon=405, charlie=405)},
    "api-root": API_READ,
    **{
        f"api-{name}-{kind}": API_READ
        for name in (
            "zone",
            "task",
            "department",
            "indicator",
            "target",
            "indicator-value",
            "evaluation",
            "ranking",
            "progress",
            "flag",
            "reconciliation",
            "plan",
        )
        for kind in ("list", "detail")
    },
    "api-flag-detail": API_READ_ZONED,
    "api-timeliness": API_READ,
    "api-indicator-value-bulk": API_BULK,
    "api-ranking-bulk": API_BULK,
    **{f"api-evaluation-{name}-{kind}": API_READ for name in ("scheme", "result") for kind in ("list", "detail")},
    "api-evaluation-result-bulk": API_BULK,
    # --- key projects (the world's project is 禄丰's, led by 州发展改革委 (ndrc); its report is ndrc's draft)
    "project-list": EVERYONE_READS,
    "project-board": EVERYONE_READS,
    "project-board-xlsx": EVERYONE_READS,
    "project-figures": EVERYONE_READS,
    # a zone's committee keeps its zone's projects like the zone's statistician and leader
    "project-create": {
        "GET": roles(403, sam=200, leo=200, zack=200, olga=200),
        "POST": roles(403, sam=400, leo=400, zack=400, olga=400),
    },
    "project-detail": {"GET": roles(200), "POST": roles(403, sam=400, leo=400, zack=400, olga=400)},
    "project-stage": {"GET": roles(405), "POST": roles(403, sam=400, leo=400, zack=400, olga=400)},
    "project-adopt": {"GET": roles(405), "POST": roles(403, olga=400)},
    "project-rebaseline": {"GET": roles(405), "POST": roles(403, olga=400)},
    "project-milestone-done": {"GET": roles(405), "POST": roles(403, sam=400, leo=400, zack=400, olga=400)},
    "project-report-open": {"GET": roles(405), "POST": roles(BACK, alice=PROJECT_REPORT, olga=PROJECT_REPORT)},
    "project-report-detail": {"GET": roles(200), "POST": roles(400)},
    "project-report-review": {"GET": roles(405), "POST": roles(BACK)},
    "project-report-reopen": {"GET": roles(405), "POST": roles(400)},
    "project-report-answer": {"GET": roles(405), "POST": roles(400)},
    # an upload (here without a file) only for those who fill the report: back to the report page, which says why
    "project-report-excel": {"GET": roles(200), "POST": roles(403, alice=BACK, olga=BACK)},
    **{
        f"api-{name}-{kind}": API_READ
        for name in ("project", "project-report", "project-investment")
        for kind in ("list", "detail")
    },
    "api-project-investment-bulk": API_BULK,
    "api-rate-reconciliation-list": API_READ,
}
# The final evaluation of a plan whose last year has ended (evaluation/): the prefecture office only.
_EVALUATION = ("plan-evaluation", "plan-evaluation-docx", "plan-evaluation-xlsx")
EXAMPLES.update({name: {"": lambda w: {"code": "zones-2023-2025"}} for name in _EVALUATION})
EXPECT.update({name: {"GET": roles(403, olga=200)} for name in _EVALUATION})
for _roleless in (
    "task-list",
    "task-detail",
    "department-list",
    "department-detail",
    "responsibility-matrix",
    "todo",
    "reconciliation",
    "flag-list",
):
    assert EXPECT[_roleless]["GET"]["charlie"] == 403

_ROLE_FIX = (
    "Fix: decorate the view with `chuxiong_portal.security.role_required` instead of `login_required` "
    "(as assessments/views.py and indicators/reporting/views.py:todo now are)."
)
_API_ROLE_FIX = (
    "Fix in chuxiong_portal/api.py: `class ApiRootView(DefaultRouter.APIRootView): permission_classes = "
    "[ApiAccess]` and `router.APIRootView = ApiRootView` (api_support.ApiAccess), so the root answers "
    "a roleless account like every other API view."
)
_API_FLAG_FIX = (
    "Fix in assessments/api.py FlagViewSet: `def get_queryset(self): return "
    "selectors.flags_for_user(self.request.user)` (the pages' selector), so a zone's users read only "
    "their zone's flags through the API as on /flags/."
)

KNOWN_BUGS: dict[tuple[str, str, str], str] = {}

# --------------------------------------------------------------------------- the data, once per module


@dataclass
class World:
    users: dict
    sessions: dict
    tokens: dict
    objects: dict

    def client(self, persona: str, *, api: bool):
        from django.conf import settings

        if api:
            client = APIClient()
            if persona != "anon":
                client.credentials(HTTP_AUTHORIZATION=f"Token {self.tokens[persona]}")
            return client
        client = Client()
        if persona != "anon":
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[persona]
        return client


def build_world() -> World:
    from django.conf import settings
    from rest_framework.authtoken.models import Token

    from assessments.models import Evaluation, Flag, Ranking, Rule
    from chuxiong_portal.models import User
    from chuxiong_portal.roles import Role
    from chuxiong_portal.services import sync_client_create, user_create
    from evaluations.models import EvaluationResult, SchemeVersion, SubScore
    from evaluations.services import SubIndicatorSpec, scheme_define
    from indicators.models import (
        DataQualityWarning,
        DispatchReport,
        Indicator,
        IndicatorValue,
        ProgressResult,
        ReportingPeriod,
        Target,
    )
    from indicators.selectors import current_period
    from parks.models import County, Zone
    from projects.models import Project, ProjectInvestment, ProjectReport
    from tasks.models import Department, Task
    from tests.conftest import PASSWORD, ensure_plan

    ensure_plan()
    ndrc, commerce = Department.objects.get(slug="ndrc"), Department.objects.get(slug="commerce")
    lufeng, wuding = Zone.objects.get(code="lufeng"), Zone.objects.get(code="wuding")

    def persona(name, role, **where):
        return user_create(username=name, password=PASSWORD, role=role, full_name=name, **where)

    users = {
        "alice": persona("alice", Role.DEPARTMENT_STAFF, department=ndrc),
        "zack": persona("zack", Role.COMMITTEE_STAFF, zone=lufeng),
        "cora": persona("cora", Role.COUNTY_STAFF, county=County.objects.get(code="wuding")),
        "rita": persona("rita", Role.DEPARTMENT_REVIEWER, department=ndrc),
        "bob": persona("bob", Role.DEPARTMENT_STAFF, department=commerce),
        "sam": persona("sam", Role.ZONE_STATISTICIAN, zone=lufeng),
        "leo": persona("leo", Role.ZONE_LEADER, zone=lufeng),
        "olga": persona("olga", Role.PREFECTURE_OFFICE),
    }
    charlie = User(username="charlie")
    charlie.set_password(PASSWORD)
    charlie.save()
    users["charlie"] = charlie
    users["sync"], sync_key = sync_client_create(name="province-stats")

    sessions, tokens = {}, {"sync": sync_key}
    for name, user in users.items():
        if name != "sync":
            client = Client()
            client.force_login(user)
            sessions[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
            tokens[name] = Token.objects.create(user=user).key

    march_2023 = ReportingPeriod.objects.get(cadence="monthly", year=2023, index=3)
    march_2024 = ReportingPeriod.objects.get(cadence="monthly", year=2024, index=3)
    output = Indicator.objects.get(code="industrial-output")
    evaluation = Evaluation.objects.create(year=2024, total_zones=66)
    objects = {
        "report_ndrc": DispatchReport.objects.create(
            department=ndrc, task=Task.objects.get(number=14), period=march_2023, state=DispatchReport.State.DRAFT
        ),
        "report_lufeng": DispatchReport.objects.create(
            zone=lufeng, period=march_2024, state=DispatchReport.State.DRAFT
        ),
        "flag_lufeng": Flag.objects.create(
            zone=lufeng, year=2024, rule=Rule.BOTTOM_FIVE, consequence="约谈", responsible_party="禄丰市人民政府"
        ),
        "flag_wuding": Flag.objects.create(
            zone=wuding, year=2024, rule=Rule.BOTTOM_FIVE, consequence="约谈", responsible_party="武定县人民政府"
        ),
        "evaluation": evaluation,
        "ranking": Ranking.objects.create(evaluation=evaluation, zone=lufeng, rank=12),
        "target": Target.objects.filter(indicator=output, zone=lufeng).first(),
        "target_wuding": Target.objects.filter(indicator=output, zone=wuding).first(),
        "period": current_period(today=timezone.localdate()) or march_2024,
    }
    IndicatorValue.objects.create(indicator=output, period=march_2024, scope="zone", zone=wuding, value=Decimal("100"))
    spec = [SubIndicatorSpec(group="创新能力", code="innovation", name="创新能力", weight=Decimal(100))]
    objects["scheme"] = scheme_define(kind="provincial", year=2024, title="2024年评价", sub_indicators=spec)
    for zone in (lufeng, wuding):
        objects["result"] = EvaluationResult.objects.create(
            scheme=objects["scheme"], zone=zone, zone_code=zone.code, zone_name=zone.name, total=Decimal("70"), rank=5
        )
        SubScore.objects.create(
            result=objects["result"], sub_indicator=objects["scheme"].sub_indicators.get(), score=Decimal("70")
        )
    scheme_define(kind="prefecture", year=2024, title="2024年度综合考评（草稿）", sub_indicators=spec)
    scheme_define(kind="prefecture", year=2023, title="2023年度综合考评", sub_indicators=spec)
    SchemeVersion.objects.filter(kind="prefecture", year=2023).update(state="published")
    objects["province_value"] = IndicatorValue.objects.create(
        indicator=output,
        period=march_2024,
        scope="zone",
        zone=wuding,
        value=Decimal("110"),
        source=IndicatorValue.Source.PROVINCE,
    )
    objects["progress"] = ProgressResult.objects.create(target=objects["target"], period=march_2024)
    FALL = {"previous": 100.0, "current": 90.0, "previous_period_end": "2023-02-28"}  # noqa: N806
    lufeng_value = IndicatorValue.objects.create(
        indicator=output, period=march_2023, scope="zone", zone=lufeng, value=Decimal("90")
    )
    objects["warning_lufeng"] = DataQualityWarning.objects.create(value=lufeng_value, rule="ytd_falls", params=FALL)
    objects["warning_wuding"] = DataQualityWarning.objects.create(
        value=objects["province_value"], rule="ytd_falls", params=FALL
    )
    objects.update(_supervision_objects(users, ndrc, lufeng, wuding))
    project = Project.objects.create(
        code="world-1", name="世界项目", zone=lufeng, total_investment=Decimal("100"), lead_unit=ndrc
    )
    objects["project"] = project
    objects["project_report"] = ProjectReport.objects.create(
        project=project, period=march_2024, department=ndrc, state=ProjectReport.State.DRAFT
    )
    objects["project_investment"] = ProjectInvestment.objects.create(
        project=project, year=2024, month=3, amount=Decimal("10")
    )
    return World(users=users, sessions=sessions, tokens=tokens, objects=objects)


def _supervision_objects(users, ndrc, lufeng, wuding) -> dict:
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from supervision import services
    from supervision.models import TaskList, WorkItem, WorkReport
    from tasks.models import Task

    olga, zack, alice = users["olga"], users["zack"], users["alice"]
    objects = {}
    for key, body, user in (("lufeng", lufeng, zack), ("ndrc", ndrc, alice)):
        item = services.supervision_issue(
            user=olga,
            body=body,
            source="instruction",
            requirement="报进展",
            deadline=date(date.today().year + 1, 12, 31),
        )
        step = services.supervision_answer(
            item=item, user=user, text="见附件", files=[SimpleUploadedFile("a.pdf", b"%PDF-1.4 test")]
        )
        objects[f"sup_{key}"], objects[f"evidence_{key}"] = item, step.files.get()
    task_list = TaskList.objects.create(year=2026, state=TaskList.State.ADOPTED)
    TaskList.objects.create(year=2027)
    for key, where in (("lufeng", {"zone": lufeng}), ("ndrc", {"department": ndrc})):
        work = WorkItem.objects.create(
            task_list=task_list,
            task=Task.objects.get(number=6),
            title=f"事项{key}",
            due_date=date(2026, 9, 30),
            evidence_required="文件",
            **where,
        )
        objects[f"work_{key}"] = work
        objects[f"report_work_{key}"] = WorkReport.objects.create(
            work_item=work, progress="in_progress", text="x", submitted_at=timezone.now()
        )
    objects["work_ndrc"].co_departments.add(users["bob"].department)
    objects["letter_lufeng"] = services.letter_create(zone=lufeng, year=2025)
    objects["letter_wuding"] = services.letter_create(zone=wuding, year=2025)
    return objects


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The personas and objects of this module, in a transaction rolled back after its last test."""
    from supervision.models import EvidenceFile

    storage = EvidenceFile._meta.get_field("file").storage  # evidence files of this module go to a temporary folder
    before, storage._location = storage._location, str(tmp_path_factory.mktemp("private"))
    for cached in ("base_location", "location"):
        storage.__dict__.pop(cached, None)
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            storage._location = before
            for cached in ("base_location", "location"):
                storage.__dict__.pop(cached, None)


@pytest.fixture(autouse=True)
def _no_throttle_history():
    cache.clear()


# --------------------------------------------------------------------------- coverage of the table


def test_every_url_is_in_the_table():
    missing = sorted({r.key for r in ROUTES if not skipped(r)} - set(EXPECT))
    assert not missing, (
        "URLs without access rules — add them to EXPECT in tests/security/test_url_access.py "
        "(and EXAMPLES for their arguments): " + ", ".join(missing)
    )


def test_every_api_route_without_its_slash_is_its_twins_view():
    """The table checks each API route once, with its slash: the route without it must be the very same view."""
    bare = [route for route in ROUTES if slashless_twin(route) is not None]
    assert len(bare) > 30  # every route of the API, the bulk writes among them
    assert {"api/v1/^rankings/bulk$", "api/v1/timeliness"} <= {route.pattern for route in bare}
    assert [r.pattern for r in bare if slashless_twin(r).callback is not r.callback] == []
    # Every one but the API's root (/api/v1/ itself, a GET: its redirect loses no body).
    named = [
        r for r in ROUTES if r.key.startswith("api-") and r.pattern.endswith(("/", "/$")) and r.pattern != "api/v1/"
    ]
    assert {r.pattern for r in named} == {slashless_twin(r).pattern for r in bare}


def test_the_table_has_no_url_the_site_lacks():
    stale = sorted(set(EXPECT) - {r.key for r in ROUTES})
    assert not stale, "EXPECT lists URLs the resolver no longer has: " + ", ".join(stale)


def test_every_argument_has_an_example_and_every_case_names_one():
    problems = []
    for route in ROUTES:
        if skipped(route) or route.key not in EXPECT:
            continue
        labels = set(EXAMPLES.get(route.key, {"": None}))
        needed = {p for p in route.params if p != "format"}
        if needed and route.key not in EXAMPLES:
            problems.append(f"{route.key}: no example for {sorted(needed)}")
        for case, row in EXPECT[route.key].items():
            method, _, label = case.partition(" ")
            if method not in ("GET", "POST") or label not in labels:
                problems.append(f"{route.key}: case {case!r} (examples: {sorted(labels)})")
            if set(row) != set(API if route.is_api else WEB):
                problems.append(f"{route.key} {case}: personas {sorted(row)}")
    assert not problems, "\n".join(problems)


def test_known_bugs_name_real_cells():
    cells = {
        (route.id, case, persona)
        for route in ROUTES
        if route.key in EXPECT
        for case, row in EXPECT[route.key].items()
        for persona in row
    }
    assert not set(KNOWN_BUGS) - cells, sorted(set(KNOWN_BUGS) - cells)


# --------------------------------------------------------------------------- the access matrix


def _params():
    params = []
    for route in ROUTES:
        if skipped(route) or route.key not in EXPECT:
            continue
        for case, row in EXPECT[route.key].items():
            for persona in row:
                bug = KNOWN_BUGS.get((route.id, case, persona))
                marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
                params.append(pytest.param(route, case, persona, marks=marks, id=f"{route.id}|{case}|{persona}"))
    return params


def _check(response, expected, url: str) -> str | None:
    location = response.get("Location", "")
    got = f"{response.status_code}" + (f" → {location}" if location else "")
    if isinstance(expected, To):
        if response.status_code != 302:
            return got
        wanted = {
            LOGIN: lambda: location.startswith("/accounts/login/?next="),
            ADMIN_LOGIN: lambda: location.startswith("/admin/login/?next="),
            BACK: lambda: location == url.rstrip("/").rsplit("/", 1)[0] + "/",
            WORK_ITEM: lambda: location.startswith("/work-items/"),
            PROJECT_REPORT: lambda: location.startswith("/project-reports/"),
            BULLETIN: lambda: location.startswith("/bulletin/?period="),
        }.get(expected, lambda: location == expected.where)
        return None if wanted() else got
    return None if response.status_code == expected else got


@pytest.mark.django_db
@pytest.mark.parametrize("route,case,persona", _params())
def test_access(route, case, persona, world):
    method, _, label = case.partition(" ")
    kwargs = EXAMPLES[route.key][label](world) if route.key in EXAMPLES else {}
    if "format" in route.params:
        kwargs["format"] = "json"
    url = reverse(route.key, kwargs=kwargs or None)
    client = world.client(persona, api=route.is_api)
    if method == "GET":
        response = client.get(url)
    elif route.is_api:
        response = client.post(url, {"not": "a list of rows"}, format="json")
    else:
        response = client.post(url, {})
    expected = EXPECT[route.key][case][persona]
    problem = _check(response, expected, url)
    assert problem is None, f"{method} {url} as {persona}: expected {expected!r}, got {problem}"
