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
            yield Route(key=name or prefix + str(entry.pattern), pattern=prefix + str(entry.pattern),
                        params=params + own, namespace=namespace,
                        module=getattr(callback, "__module__", "") or "")


ADMIN_KEPT = {"admin:index", "admin:chuxiong_portal_user_changelist"}


def skipped(route: Route) -> bool:
    if route.namespace == "admin":
        return route.key not in ADMIN_KEPT
    return route.key == "set_language" or route.module.startswith(("django.views.static",
                                                                   "django.contrib.staticfiles"))


ROUTES = list(walk())

# --------------------------------------------------------------------------- example arguments

# For each route with arguments: {example label: world → kwargs}. "" is the only example of most routes.
EXAMPLES = {
    "task-detail": {"": lambda w: {"number": 14}},
    "department-detail": {"": lambda w: {"slug": "ndrc"}},
    "zone-detail": {"own": lambda w: {"code": "lufeng"}, "other": lambda w: {"code": "wuding"}},
    "bulletin-xlsx": {"": lambda w: {"period_id": w.objects["period"].pk}},
    "api-zone-detail": {"": lambda w: {"code": "lufeng"}},
    "api-task-detail": {"": lambda w: {"number": 14}},
    "api-department-detail": {"": lambda w: {"slug": "ndrc"}},
    "api-indicator-detail": {"": lambda w: {"code": "industrial-output"}},
    "api-target-detail": {"": lambda w: {"pk": w.objects["target"].pk}},
    "api-indicator-value-detail": {"": lambda w: {"pk": w.objects["province_value"].pk}},
    "api-evaluation-detail": {"": lambda w: {"pk": w.objects["evaluation"].pk}},
    "api-ranking-detail": {"": lambda w: {"pk": w.objects["ranking"].pk}},
    "api-progress-detail": {"": lambda w: {"pk": w.objects["progress"].pk}},
    "api-reconciliation-detail": {"": lambda w: {"pk": w.objects["province_value"].pk}},
    "api-flag-detail": {"own": lambda w: {"pk": w.objects["flag_lufeng"].pk},
                        "other": lambda w: {"pk": w.objects["flag_wuding"].pk}},
}
_REPORTS = {"ndrc": lambda w: {"pk": w.objects["report_ndrc"].pk},
            "lufeng": lambda w: {"pk": w.objects["report_lufeng"].pk}}
_FLAGS = {"own": lambda w: {"pk": w.objects["flag_lufeng"].pk}, "other": lambda w: {"pk": w.objects["flag_wuding"].pk}}
EXAMPLES.update({name: _REPORTS for name in ("report-detail", "report-review", "report-reopen", "report-excel")})
EXAMPLES.update({name: _FLAGS for name in ("flag-detail", "flag-handle")})

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

WEB = ("anon", "alice", "rita", "bob", "sam", "leo", "olga", "charlie")
API = (*WEB, "sync")


def web(anon, alice, rita, bob, sam, leo, olga, charlie):
    return dict(zip(WEB, (anon, alice, rita, bob, sam, leo, olga, charlie), strict=True))


def api(anon, alice, rita, bob, sam, leo, olga, charlie, sync):
    return dict(zip(API, (anon, alice, rita, bob, sam, leo, olga, charlie, sync), strict=True))


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
    "GET own": api_roles(200), "GET other": api_roles(200, sam=404, leo=404),
    "POST own": api_roles(405), "POST other": api_roles(405),
}
API_BULK = {"GET": api_roles(405),
            "POST": api_roles(403, olga=400, sync=400)}  # writers get 400 for the invalid body
EVERYONE_READS = {"GET": roles(200)}  # with a role; charlie gets the "no role yet" 403 page

EXPECT: dict[str, dict[str, dict[str, object]]] = {
    # --- pages: key → {"METHOD[ example]": {persona: answer}}
    "home": {"GET": web(LOGIN, TODO, REVIEW, TODO, TODO, OWN_ZONE, 200, 403)},  # each role lands at its work
    "overview": {"GET": web(LOGIN, 200, 200, 200, OWN_ZONE, OWN_ZONE, 200, 403)},
    "health": {"GET": roles(200, anon=200, charlie=200)},  # for the load balancer: parts and ok/error only
    "login": {"GET": roles(200, anon=200, charlie=200), "POST": roles(200, anon=200, charlie=200)},
    "logout": {"GET": roles(405, anon=405, charlie=405), "POST": roles(LOGGED_OUT, anon=LOGGED_OUT,
                                                                         charlie=LOGGED_OUT)},
    "task-list": EVERYONE_READS,
    "task-detail": EVERYONE_READS,
    "department-list": EVERYONE_READS,
    "department-detail": EVERYONE_READS,
    "responsibility-matrix": EVERYONE_READS,
    "zone-detail": {"GET own": roles(200), "GET other": roles(200, sam=403, leo=403)},
    "todo": EVERYONE_READS,
    "reconciliation": EVERYONE_READS,
    "report-detail": {  # everyone with a role reads a report; an invalid form is a 400 for anyone
        "GET ndrc": roles(200, charlie=404), "GET lufeng": roles(200, charlie=404),
        "POST ndrc": roles(400, charlie=404), "POST lufeng": roles(400, charlie=404),
    },
    "report-review": {
        "GET ndrc": roles(405, charlie=405), "GET lufeng": roles(405, charlie=405),
        "POST ndrc": roles(BACK, charlie=404), "POST lufeng": roles(BACK, charlie=404),
    },
    "report-reopen": {
        "GET ndrc": roles(405, charlie=405), "GET lufeng": roles(405, charlie=405),
        "POST ndrc": roles(400, charlie=404), "POST lufeng": roles(400, charlie=404),
    },
    "report-excel": {  # download for readers; an upload (here without a file) only for those who fill the report
        "GET ndrc": roles(200, charlie=404), "GET lufeng": roles(200, charlie=404),
        "POST ndrc": roles(403, charlie=404, alice=400, olga=400),
        "POST lufeng": roles(403, charlie=404, sam=400, olga=400),
    },
    "bulletin": {"GET": roles(403, rita=200, olga=200)},
    "bulletin-xlsx": {"GET": roles(403, rita=200, olga=200)},
    "flag-list": EVERYONE_READS,
    "flag-detail": {"GET own": roles(200), "GET other": roles(200, sam=404, leo=404)},
    "flag-handle": {  # the office handles every flag, a zone leader acknowledges their own zone's
        "GET own": roles(405), "GET other": roles(405),
        "POST own": roles(403, leo=BACK, olga=BACK), "POST other": roles(403, sam=404, leo=404, olga=BACK),
    },
    "admin:index": {"GET": roles(ADMIN_LOGIN, anon=ADMIN_LOGIN, charlie=ADMIN_LOGIN, olga=200)},
    "admin:chuxiong_portal_user_changelist": {"GET": roles(ADMIN_LOGIN, anon=ADMIN_LOGIN, charlie=ADMIN_LOGIN,
                                                           olga=200)},
    # --- API: 401 without a token, 403 without a role, reads for every role, bulk writes for office and sync
    "api-schema": {"GET": api_roles(200, anon=200, charlie=200), "POST": api_roles(405, anon=405, charlie=405)},
    "api-docs": {"GET": api_roles(200, anon=200, charlie=200), "POST": api_roles(405, anon=405, charlie=405)},
    "api-root": API_READ,
    **{f"api-{name}-{kind}": API_READ
       for name in ("zone", "task", "department", "indicator", "target", "indicator-value", "evaluation",
                    "ranking", "progress", "flag", "reconciliation")
       for kind in ("list", "detail")},
    "api-flag-detail": API_READ_ZONED,
    "api-timeliness": API_READ,
    "api-indicator-value-bulk": API_BULK,
    "api-ranking-bulk": API_BULK,
}
for _roleless in ("task-list", "task-detail", "department-list", "department-detail", "responsibility-matrix",
                  "todo", "reconciliation", "flag-list"):
    assert EXPECT[_roleless]["GET"]["charlie"] == 403

_ROLE_FIX = ("Fix: decorate the view with `chuxiong_portal.security.role_required` instead of `login_required` "
             "(as assessments/views.py and indicators/views.py:todo now are).")
_API_ROLE_FIX = ("Fix in chuxiong_portal/api.py: `class ApiRootView(DefaultRouter.APIRootView): permission_classes = "
                 "[ApiAccess]` and `router.APIRootView = ApiRootView` (api_support.ApiAccess), so the root answers "
                 "a roleless account like every other API view.")
_API_FLAG_FIX = ("Fix in assessments/api.py FlagViewSet: `def get_queryset(self): return "
                 "selectors.flags_for_user(self.request.user)` (the pages' selector), so a zone's users read only "
                 "their zone's flags through the API as on /flags/.")

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
    from indicators.models import DispatchReport, Indicator, IndicatorValue, ProgressResult, ReportingPeriod, Target
    from indicators.selectors import current_period
    from parks.models import Zone
    from tasks.models import Department, Task
    from tests.conftest import PASSWORD, ensure_plan

    ensure_plan()
    ndrc, commerce = Department.objects.get(slug="ndrc"), Department.objects.get(slug="commerce")
    lufeng, wuding = Zone.objects.get(code="lufeng"), Zone.objects.get(code="wuding")

    def persona(name, role, **where):
        return user_create(username=name, password=PASSWORD, role=role, full_name=name, **where)

    users = {
        "alice": persona("alice", Role.DEPARTMENT_STAFF, department=ndrc),
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
        "report_ndrc": DispatchReport.objects.create(department=ndrc, task=Task.objects.get(number=14),
                                                     period=march_2023, state=DispatchReport.State.DRAFT),
        "report_lufeng": DispatchReport.objects.create(zone=lufeng, period=march_2024,
                                                       state=DispatchReport.State.DRAFT),
        "flag_lufeng": Flag.objects.create(zone=lufeng, year=2024, rule=Rule.BOTTOM_FIVE, consequence="约谈",
                                           responsible_party="禄丰市人民政府"),
        "flag_wuding": Flag.objects.create(zone=wuding, year=2024, rule=Rule.BOTTOM_FIVE, consequence="约谈",
                                           responsible_party="武定县人民政府"),
        "evaluation": evaluation,
        "ranking": Ranking.objects.create(evaluation=evaluation, zone=lufeng, rank=12),
        "target": Target.objects.filter(indicator=output, zone=lufeng).first(),
        "period": current_period(today=timezone.localdate()) or march_2024,
    }
    IndicatorValue.objects.create(indicator=output, period=march_2024, scope="zone", zone=wuding,
                                  value=Decimal("100"))
    objects["province_value"] = IndicatorValue.objects.create(
        indicator=output, period=march_2024, scope="zone", zone=wuding, value=Decimal("110"),
        source=IndicatorValue.Source.PROVINCE)
    objects["progress"] = ProgressResult.objects.create(target=objects["target"], period=march_2024)
    return World(users=users, sessions=sessions, tokens=tokens, objects=objects)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The personas and objects of this module, in a transaction rolled back after its last test."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _no_throttle_history():
    cache.clear()


# --------------------------------------------------------------------------- coverage of the table


def test_every_url_is_in_the_table():
    missing = sorted({r.key for r in ROUTES if not skipped(r)} - set(EXPECT))
    assert not missing, ("URLs without access rules — add them to EXPECT in tests/security/test_url_access.py "
                         "(and EXAMPLES for their arguments): " + ", ".join(missing))


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
    cells = {(route.id, case, persona) for route in ROUTES if route.key in EXPECT
             for case, row in EXPECT[route.key].items() for persona in row}
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
