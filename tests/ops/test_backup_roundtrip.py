"""export_data → an emptied database → import_data gives back every row, field for field.

The demo history (reports, values, rankings, computed progress and flags) plus a little of everything else
(history rows, a handled flag, a notification, an admin log entry, an API token) is exported, the database
is flushed (what `migrate` on a new server leaves), and the import must restore every row of every exported
model with the same primary key and the same value in every column, many-to-many links included.
"""

import json
import stat
from decimal import Decimal

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from assessments.models import Flag
from assessments.services import flag_transition
from chuxiong_portal.backup import exported_models
from chuxiong_portal.models import Notification, User
from indicators.models import DispatchReport, IndicatorValue
from tools.demo import DEMO_PASSWORD, demo_load

# Transactional: export, flush and import each run as they do from the command line, outside any outer
# transaction (on PostgreSQL a flush inside one fails on the rows' pending constraint checks).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def portal_data(plan):
    demo_load()
    call_command("recompute", verbosity=0)
    office = User.objects.get(username="demo-office")
    # History rows of every kind, as the workflow writes them.
    report = DispatchReport.objects.filter(state=DispatchReport.State.APPROVED).order_by("pk").first()
    report.reopen_reason, report.state = "省里要求补充佐证材料", DispatchReport.State.RETURNED
    report._history_user, report._change_reason = office, "重新开放：省里要求补充佐证材料"
    report.save()
    value = IndicatorValue.objects.filter(value__isnull=False).order_by("pk").first()
    value.value, value.version = value.value + Decimal("0.25"), value.version + 1
    value._history_user, value._change_reason = office, "更正"
    value.save()
    flag_transition(flag=Flag.objects.order_by("pk").first(), user=office, state="acknowledged", note="已约谈")
    Notification.objects.create(user=office, title="填报提醒", body="请按时填报", key="reminder:test")
    LogEntry.objects.create(
        user=office,
        content_type=ContentType.objects.get_for_model(Flag),
        object_id="1",
        object_repr="flag",
        action_flag=ADDITION,
        change_message="[]",
    )
    return office


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every exported model (credentials included), every column, ordered by primary key.

    Content types and permissions are recreated by `migrate`, groups matched by name: their ids may differ
    after an import, so they are compared by natural key, as the export refers to them.
    """
    natural = {
        ContentType: {ct.pk: ct.natural_key() for ct in ContentType.objects.all()},
        Permission: {p.pk: p.natural_key() for p in Permission.objects.select_related("content_type")},
        Group: {g.pk: g.natural_key() for g in Group.objects.all()},
    }

    def value(model, raw):
        return natural[model].get(raw) if model in natural else raw

    rows = {}
    for model in exported_models(include_credentials=True):
        fields = model._meta.concrete_fields
        rows[model._meta.label_lower] = sorted(
            (
                tuple(
                    value(field.related_model if field.is_relation else None, raw)
                    if not field.primary_key
                    else value(model, raw)
                    for field, raw in zip(fields, row, strict=True)
                )
                for row in model._default_manager.values_list(*[f.attname for f in fields])
            ),
            key=repr,
        )  # a column may hold None beside numbers (history rows share their object's id)
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                links = through._default_manager.values_list(field.m2m_column_name(), field.m2m_reverse_name())
                rows[f"{model._meta.label_lower}.{field.name}"] = sorted(
                    (value(model, owner), value(field.related_model, other)) for owner, other in links
                )
    return rows


def emptied_database() -> None:
    call_command("flush", interactive=False, verbosity=0)
    assert not any(
        m._default_manager.exists() for m in exported_models(include_credentials=True) if m._meta.label != "auth.Group"
    )


def without_password(rows: list[tuple]) -> list[tuple]:
    index = [f.attname for f in User._meta.concrete_fields].index("password")
    return [row[:index] + row[index + 1 :] for row in rows]


def test_it_restores_every_row_and_column_without_credentials(portal_data, tmp_path):
    before = snapshot()
    counts = {label: len(rows) for label, rows in before.items()}
    # The data this test is about is really there (and histories are not empty).
    for label in (
        "indicators.dispatchreport",
        "indicators.indicatorvalue",
        "indicators.progressresult",
        "indicators.historicaldispatchreport",
        "indicators.historicalindicatorvalue",
        "assessments.ranking",
        "assessments.historicalflag",
        "assessments.flag",
        "tasks.task",
        "chuxiong_portal.user",
        "chuxiong_portal.notification",
        "admin.logentry",
        "authtoken.token",
    ):
        assert counts[label] > 0, label

    path = tmp_path / "portal-export.json.gz"
    call_command("export_data", str(path), verbosity=0)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # names and e-mail addresses: not for everyone's eyes

    emptied_database()
    call_command("import_data", str(path), verbosity=0)
    after = snapshot()

    assert {label: len(rows) for label, rows in after.items()} == {**counts, "authtoken.token": 0}
    for label, rows in before.items():
        if label == "authtoken.token":
            continue
        if label == "chuxiong_portal.user":
            assert without_password(after[label]) == without_password(rows)
        else:
            assert after[label] == rows, label
    # No credentials travelled: nobody can log in with the old password, the sync client needs a new token.
    office = User.objects.get(username="demo-office")
    assert not office.has_usable_password()
    assert not office.check_password(DEMO_PASSWORD)
    # The ids carry on after the imported ones (sequences reset).
    new = Notification.objects.create(user=office, title="导入后")
    assert new.pk > max(row[0] for row in before["chuxiong_portal.notification"])


def test_it_restores_passwords_and_tokens_when_asked(portal_data, tmp_path, client):
    before = snapshot()
    token = Token.objects.get(user__username="demo-province-sync").key
    path = tmp_path / "portal-export.json"
    call_command("export_data", str(path), "--include-credentials", verbosity=0)
    assert json.loads(path.read_text(encoding="utf-8"))["credentials"] is True

    emptied_database()
    call_command("import_data", str(path), verbosity=0)

    assert snapshot() == before
    assert Token.objects.get(user__username="demo-province-sync").key == token
    assert client.login(username="demo-ndrc-staff", password=DEMO_PASSWORD)


def test_it_refuses_a_database_that_has_data_and_writes_nothing(portal_data, tmp_path):
    path = tmp_path / "portal-export.json"
    call_command("export_data", str(path), verbosity=0)
    before = snapshot()
    with pytest.raises(CommandError, match="empty database"):
        call_command("import_data", str(path), verbosity=0)
    assert snapshot() == before


def test_it_refuses_a_file_that_is_not_an_export(db, tmp_path):
    path = tmp_path / "other.json"
    path.write_text('[{"model": "tasks.task", "pk": 1, "fields": {}}]', encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_data", str(path), verbosity=0)
