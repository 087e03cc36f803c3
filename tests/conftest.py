"""Shared test fixtures: the plan loaded once, and one persona per role.

Personas: alice is department staff of 州发展改革委 (ndrc), rita reviews for it;
bob is staff of 州商务局 (another unit); sam is the statistician and leo the leader
of 禄丰产业园区; olga works in the prefecture office; charlie has no role at all.
"""

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from chuxiong_portal.roles import Role
from chuxiong_portal.services import roles_sync, user_create

PASSWORD = "Test-Password-2025"


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    # CI exports CELERY_BROKER_URL for its second run; tests run jobs in-process unless they say otherwise.
    from chuxiong_portal.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    yield


@pytest.fixture(scope="session")
def _page_cache_version_file(tmp_path_factory):
    return str(tmp_path_factory.mktemp("pagecache") / "version")


@pytest.fixture(autouse=True)
def _portal_language():
    # A request in English leaves English active in the thread (LocaleMiddleware does not switch back): the next
    # test's services would word their messages in English. Each test starts, and ends, in the portal's language.
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache(settings, _page_cache_version_file):
    # Each test's database is rolled back but the cache is not: a page cached by one test must not be served
    # to the next (the data version token lives in the cache and does not roll back with the rows).
    # The version file is the run's own: a development server or another test run on this checkout
    # replaces the shared one (var/pagecache-version) whenever it writes.
    from django.core.cache import cache

    settings.PORTAL_PAGE_CACHE_VERSION_FILE = _page_cache_version_file
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ensure_plan()


def ensure_plan() -> None:
    """Load the plan unless it is there (a transactional test flushes it at teardown)."""
    from django.core.management import call_command

    from tasks.models import Task

    if not Task.objects.exists():
        call_command("load_plan", verbosity=0)
        roles_sync()


@pytest.fixture
def plan(db):
    from parks.models import Zone
    from tasks.models import Department

    ensure_plan()
    return {
        "ndrc": Department.objects.get(slug="ndrc"),
        "commerce": Department.objects.get(slug="commerce"),
        "lufeng": Zone.objects.get(code="lufeng"),
        "hitech": Zone.objects.get(code="chuxiong-hitech"),
        "wuding": Zone.objects.get(code="wuding"),
    }


def _persona(username, role, **kwargs):
    return user_create(username=username, password=PASSWORD, role=role, full_name=username, **kwargs)


@pytest.fixture
def alice(plan):
    return _persona("alice", Role.DEPARTMENT_STAFF, department=plan["ndrc"])


@pytest.fixture
def rita(plan):
    return _persona("rita", Role.DEPARTMENT_REVIEWER, department=plan["ndrc"])


@pytest.fixture
def bob(plan):
    return _persona("bob", Role.DEPARTMENT_STAFF, department=plan["commerce"])


@pytest.fixture
def sam(plan):
    return _persona("sam", Role.ZONE_STATISTICIAN, zone=plan["lufeng"])


@pytest.fixture
def leo(plan):
    return _persona("leo", Role.ZONE_LEADER, zone=plan["lufeng"])


@pytest.fixture
def olga(plan):
    return _persona("olga", Role.PREFECTURE_OFFICE)


@pytest.fixture
def charlie(plan):
    from chuxiong_portal.models import User

    user = User(username="charlie")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def client_for(client):
    """Log a persona in with the test client."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def zack(plan):
    """Staff of 禄丰产业园区's management committee."""
    return _persona("zack", Role.COMMITTEE_STAFF, zone=plan["lufeng"])


@pytest.fixture
def zoe(plan):
    """Reviewer of 禄丰产业园区's management committee."""
    return _persona("zoe", Role.COMMITTEE_REVIEWER, zone=plan["lufeng"])


@pytest.fixture
def cora(plan):
    """Staff of 武定县人民政府 (a county government)."""
    from parks.models import County

    return _persona("cora", Role.COUNTY_STAFF, county=County.objects.get(code="wuding"))


@pytest.fixture
def cary(plan):
    """Reviewer of 武定县人民政府 (a county government)."""
    from parks.models import County

    return _persona("cary", Role.COUNTY_REVIEWER, county=County.objects.get(code="wuding"))


@pytest.fixture
def private_storage(tmp_path):
    """Evidence files go to a folder of this test (the private storage is fixed when the models load)."""
    from supervision.models import EvidenceFile

    storage = EvidenceFile._meta.get_field("file").storage
    before = storage._location
    storage._location = str(tmp_path / "private")
    for cached in ("base_location", "location"):
        storage.__dict__.pop(cached, None)
    yield tmp_path / "private"
    storage._location = before
    for cached in ("base_location", "location"):
        storage.__dict__.pop(cached, None)


@pytest.fixture
def open_milestone(plan):
    """禄丰's 成立专业化国有企业或运营公司 (task 6, a milestone due 2025-12-31), reported not done in the third quarter
    of 2025: an open milestone whose stored results count down from their period's end."""
    from decimal import Decimal

    from indicators.models import IndicatorValue, ReportingPeriod, Target

    target = Target.objects.get(indicator__code="zone-operating-company", zone=plan["lufeng"], year=2025)
    IndicatorValue.objects.create(
        indicator=target.indicator,
        scope="zone",
        zone=plan["lufeng"],
        period=ReportingPeriod.objects.get(cadence="quarterly", year=2025, index=3),
        value=Decimal("0"),
    )
    return target
