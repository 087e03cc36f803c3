"""No browser form POST answers 500 on bad input, and a refused one writes nothing.

Every route of the site that takes a POST is read from the URL resolver with `test_url_access`'s machinery (its
routes, its example arguments, its table of who may do what, its `world` of personas and objects), and posted to
as a user its table lets through (the office where it may, else the first persona whose answer is not a refusal),
with hostile payloads built from the fields of the route's forms as the pages draw them (the route's own page, the
page it sends back to, or the page its form lives on), else from common field names:

- an empty body;
- every field set to each of HOSTILE ('', '0', '-1', a number beyond 64 bits, '1e309', 'NaN', full-width digits,
  an Arabic-Indic digit, 2025-02-30, markup, 10,000 characters), then to a list of two values;
- a multipart upload, the other fields as the page fills them, with a zero-byte file and with a file named
  '../../x.pdf', in every file field (or `file`).

Each answer must be below 500, and a 400 must say what is wrong (a field's error list or an alert). A payload that
is refused (a 400, 403 or 404, or a redirect with an error message) must leave the row counts of the portal's own
models as they were. Each payload runs in a savepoint rolled back after it, so one payload's write never changes
what the next one meets.

Skipped, as in `test_url_access`: the admin (Django's own forms) and the API (tests/api/test_schemathesis.py
fuzzes it against its schema).
"""

import importlib
from datetime import date
from functools import cache as once
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django import forms
from django.apps import apps
from django.contrib.messages import constants, get_messages
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse

from chuxiong_portal.backup import project_app_configs
from evaluations.models import SubScore
from indicators.models import DispatchReport
from projects.models import ProjectReport
from projects.services import listing_adopt
from supervision.models import SupervisionItem, TaskList
from tests.security import test_url_access as access

world = access.world  # the module's personas and objects, built once and rolled back after the last test

HOSTILE = (
    "",
    "0",
    "-1",
    "99999999999999999999",
    "1e309",
    "NaN",
    "２０２５",
    "٣",
    "2025-02-30",
    "<script>",
    "x" * 10_000,
)


# Where a route's form is drawn when it is neither on its own page nor on the page one level up.
FORM_PAGES = {
    "data-quality-acknowledge": lambda w: ["/data-quality/"],
    "bulletin-issue": lambda w: [reverse("bulletin") + f"?period={w.objects['period'].pk}"],
    "workitem-adjust": lambda w: [reverse("tasklist-detail", kwargs={"year": 2026})],
    "workreport-review": lambda w: [
        reverse("workitem-detail", kwargs={"pk": w.objects[key].pk}) for key in ("work_lufeng", "work_ndrc")
    ],
}


def _reports_in(state: str):
    def set_state(w):
        keys = ("report_ndrc", "report_lufeng")
        DispatchReport.objects.filter(pk__in=[w.objects[key].pk for key in keys]).update(state=state)
        ProjectReport.objects.filter(pk=w.objects["project_report"].pk).update(
            state=state, coordination="协调用地", coordination_unit=w.users["alice"].department
        )

    return set_state


def _project_listed(w):
    planned = {"signed": date(2026, 3, 1), "eia": date(2026, 4, 1), "started": date(2026, 6, 1)}
    listing_adopt(
        project=w.objects["project"], user=w.users["olga"], year=2026, planned_investment=50, milestones=planned
    )


def _zone_behind(w):
    SubScore.objects.filter(result__zone_code="lufeng", result__scheme=w.objects["scheme"]).update(score=40)


def _items_overdue(w):
    SupervisionItem.objects.filter(pk__in=[w.objects["sup_lufeng"].pk, w.objects["sup_ndrc"].pk]).update(
        issued_on=date(2020, 1, 1), deadline=date(2020, 1, 31), answered_on=None
    )


def _list_drafted(w):
    TaskList.objects.filter(year=2026).update(state=TaskList.State.DRAFT)


# The state in which a route's form is drawn and taken, where the world's objects are past it (set in a savepoint
# of the test, rolled back after it): the fuzz then meets the form's own checks, not the state's refusal.
STATES = {
    "report-review": _reports_in("submitted"),
    "report-reopen": _reports_in("approved"),
    "project-report-review": _reports_in("submitted"),
    "project-report-reopen": _reports_in("approved"),
    "project-report-answer": _reports_in("submitted"),
    "project-rebaseline": _project_listed,
    "project-milestone-done": _project_listed,
    "evaluation-rectify": _zone_behind,
    "supervision-remind": _items_overdue,
    "workitem-adjust": _list_drafted,
    "workitem-add": _list_drafted,
    "tasklist-adopt": _list_drafted,
}

# The persona who holds the right, where the office is let through only to be refused.
FUZZ_AS = {
    ("report-detail", "ndrc"): "alice",
    ("report-detail", "lufeng"): "sam",
    ("report-review", "ndrc"): "rita",
    ("report-review", "lufeng"): "leo",
    ("report-excel", "ndrc"): "alice",
    ("report-excel", "lufeng"): "sam",
    ("project-report-detail", ""): "alice",
    ("project-report-excel", ""): "alice",
    ("project-report-review", ""): "rita",
    ("project-report-answer", ""): "alice",
}
REFUSALS = (403, 404, 405, access.LOGIN)
PORTAL_APPS = tuple(config.label for config in project_app_configs())  # the portal's own apps, not the libraries'


# Posted when no page draws the route's form for its user (the object's state hides it): every field name of the
# portal's forms, so that the view's own form meets its fields whichever it is.
def common_fields() -> list[str]:
    names = {"action", "version", "seen", "file"}
    for app in PORTAL_APPS:
        for module in ("forms", "reporting.forms"):
            try:
                found = importlib.import_module(f"{app}.{module}")
            except ModuleNotFoundError:
                continue
            for value in vars(found).values():
                if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == found.__name__:
                    names.update(value.base_fields)
    return sorted(names)


# --------------------------------------------------------------------------- the cases


def _cases():
    cases = []
    for route in access.ROUTES:
        if route.is_api or access.skipped(route) or route.namespace == "admin":
            continue
        for case, row in access.EXPECT.get(route.key, {}).items():
            method, _, label = case.partition(" ")
            if method != "POST":
                continue
            allowed = [persona for persona, answer in row.items() if answer not in REFUSALS]
            if not allowed:
                continue
            persona = FUZZ_AS.get((route.key, label)) or ("olga" if "olga" in allowed else allowed[0])
            cases.append(pytest.param(route, label, persona, id=f"{route.key}|{label or '-'}|{persona}"))
    return cases


CASES = _cases()


def test_every_posting_route_is_fuzzed():
    """A new route that takes a POST from someone is in the table of test_url_access, hence here."""
    posting = {
        route.key
        for route in access.ROUTES
        if not route.is_api and route.key in access.EXPECT and route.namespace != "admin"
        for case, row in access.EXPECT[route.key].items()
        if case.startswith("POST") and any(answer not in REFUSALS for answer in row.values())
    }
    assert posting == {param.values[0].key for param in CASES}
    assert len(posting) > 40


# --------------------------------------------------------------------------- the forms a page draws


class _Forms(HTMLParser):
    """The POST forms of a page: [(actions, [(field name, kind, default value)])], the actions being the form's
    and its buttons' (`formaction`)."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[list[str], list[tuple[str, str, str]]]] = []
        self._fields = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                self._fields = []
                self.forms.append(([attrs.get("action") or ""], self._fields))
            return
        if self._fields is not None and attrs.get("formaction"):
            self.forms[-1][0].append(attrs["formaction"])
        if self._fields is None or not attrs.get("name"):
            if tag == "option" and self._select is not None and ("selected" in attrs or self._select[2] is None):
                self._select[2] = attrs.get("value") or ""
            return
        name = attrs["name"]
        if tag in ("input", "button"):
            kind = (attrs.get("type") or ("submit" if tag == "button" else "text")).lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                self._fields.append((name, kind, None))
            else:
                self._fields.append((name, kind, attrs.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select = [name, "select", None]
        elif tag == "textarea":
            self._textarea = [name, "textarea", ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None
        elif tag == "select" and self._select is not None:
            if self._fields is not None:
                self._fields.append(tuple(self._select))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            if self._fields is not None:
                self._fields.append(tuple(self._textarea))
            self._textarea = None


def form_fields(client, url: str, pages: list[str]) -> list[tuple[str, str, str]]:
    """The fields of every form posting to `url` on the pages (a form without action posts to its own page)."""
    fields = []
    for page in pages:
        response = client.get(page)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Forms()
        parser.feed(response.content.decode())
        for actions, found in parser.forms:
            if url in {urlsplit(action).path or urlsplit(page).path for action in actions}:
                fields.extend(field for field in found if field not in fields)
    return fields


# --------------------------------------------------------------------------- the payloads


def payloads(fields: list[tuple[str, str, str]]):
    """(label, data) of every hostile payload for a form of these fields."""
    names = list(dict.fromkeys(name for name, _, _ in fields)) or common_fields()
    yield "empty body", {}
    for value in HOSTILE:
        yield f"every field {value[:20]!r}", dict.fromkeys(names, value)
    yield "every field a list of two values", {name: ["1", "2"] for name in names}
    files = [name for name, kind, _ in fields if kind == "file"] or ["file"]
    defaults = {}
    for name, kind, value in fields:
        if value is not None and kind != "file":
            defaults.setdefault(name, value)
    for label, filename, content in (
        ("a zero-byte file", "empty.pdf", b""),
        ("a file named ../../x.pdf", "../../x.pdf", b"%PDF-1.4\n%%EOF\n"),
    ):
        upload = {name: SimpleUploadedFile(filename, content, content_type="application/pdf") for name in files}
        yield f"multipart with {label}", {**defaults, **upload}


# --------------------------------------------------------------------------- what a refused payload must not change


@once
def _count_sql() -> tuple[str, list[str]]:
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_label in PORTAL_APPS and model._meta.managed and not model._meta.proxy
        }
    )
    quote = connection.ops.quote_name
    return "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables), tables


def row_counts() -> dict[str, int]:
    sql, tables = _count_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def says_why(response) -> bool:
    """A refused form's page shows what is wrong: a field's error list, or an alert (a message, the 400 page)."""
    return b'class="errorlist' in response.content or b'role="alert"' in response.content


def refused(response) -> bool:
    if response.status_code in (400, 403, 404):
        return True
    if response.status_code == 302:
        return any(message.level >= constants.WARNING for message in get_messages(response.wsgi_request))
    return False


# --------------------------------------------------------------------------- the fuzz


def fuzz(url: str, persona: str, fields, world) -> list[str]:
    """Every payload posted in a savepoint of its own: the problems found."""
    problems = []
    for what, data in payloads(fields):
        cache.clear()  # no throttle or cached page carried from one payload to the next
        client = world.client(persona, api=False)  # a fresh session cookie: a log-out is undone with the savepoint
        with transaction.atomic():
            before = row_counts()
            try:
                response = client.post(url, data)
            except Exception as error:  # the test client re-raises what would be a 500
                problems.append(f"{what}: 500 ({type(error).__name__}: {str(error)[:200]})")
                transaction.set_rollback(True)
                continue
            after = row_counts()
            transaction.set_rollback(True)
        if response.status_code >= 500:
            problems.append(f"{what}: {response.status_code}")
        elif response.status_code == 400 and not says_why(response):
            problems.append(f"{what}: 400 without a message")
        if refused(response) and after != before:
            changed = {table: (before[table], after[table]) for table in before if before[table] != after[table]}
            problems.append(f"{what}: refused ({response.status_code}) but wrote rows {changed}")
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("route,label,persona", CASES)
def test_bad_input_is_answered_without_500(route, label, persona, world):
    kwargs = access.EXAMPLES[route.key][label](world) if route.key in access.EXAMPLES else {}
    url = reverse(route.key, kwargs=kwargs or None)
    pages = [url, url.rstrip("/").rsplit("/", 1)[0] + "/", *FORM_PAGES.get(route.key, lambda w: [])(world)]
    with transaction.atomic():
        if route.key in STATES:
            STATES[route.key](world)
        cache.clear()
        fields = form_fields(world.client(persona, api=False), url, pages)
        problems = fuzz(url, persona, fields, world)
        transaction.set_rollback(True)
    names = sorted({name for name, _, _ in fields}) or "common names"
    assert not problems, f"POST {url} as {persona} (fields: {names}):\n" + "\n".join(problems)
