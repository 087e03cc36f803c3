"""Bulk upsert of projects' monthly completed investment (POST /api/v1/projects/investment/bulk/).

One row:

    {"project": "lufeng-2026-01", "year": 2026, "month": 3, "amount": "1250.5", "note": ""}

The key is (project, year, month); `amount` is in 万元 with at most 2 decimal places. Same contract as the
other bulk endpoints (chuxiong_portal/bulk_import.py holds the row parsers they share): the whole batch is
validated first, in a fixed number of queries; any error rejects it and nothing is written; rows equal to
what is stored are left alone (pushing a batch twice changes nothing); `dry_run` validates only.

Refused: an unknown project, a month after the current one, a negative amount, and a batch that would bring
a project's completed investment (all months) above its total investment.
"""

import re
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from chuxiong_portal import dates
from chuxiong_portal.bulk_import import (
    MAX_NOTE,
    ImportConflict,
    ImportSummary,
    batch_error,
    clean_text,
    code_of,
    decimal_of,
    int_of,
    labelled,
)

from .models import Project, ProjectInvestment

__all__ = ["ImportConflict", "ImportSummary", "investment_import"]

_ROW_FIELDS = frozenset({"project", "year", "month", "amount", "note"})
# An amount given as a string, as the schema documents it (projects.serializers.InvestmentAmountField).
_AMOUNT_DIGITS = r"[0-9]{1,12}(\.[0-9]{1,2})?"
AMOUNT_STRING = f"^{_AMOUNT_DIGITS}$"
CHANGE_REASON = "接口同步项目完成投资"


def _parse(index: int, row, summary: ImportSummary, today: date):
    if not isinstance(row, dict):
        summary.error(index, None, _("每一行必须是 JSON 对象。"))
        return None
    before = summary.error_count
    unknown = sorted(str(name) for name in row if name not in _ROW_FIELDS)
    if unknown:
        summary.error(index, None, _("未知字段：%(fields)s。") % {"fields": _("、").join(unknown)[:200]})
    code = code_of(row, "project", index, summary, _lazy("项目"))
    year = int_of(row.get("year"), 2000, 2100)
    if year is None:
        summary.error(index, "year", _("年度应为 2000—2100 之间的整数。"))
    month = int_of(row.get("month"), 1, 12)
    if month is None:
        summary.error(index, "month", _("月份应为 1—12 之间的整数。"))
    if year is not None and month is not None and (year, month) > (today.year, today.month):
        summary.refuse(
            index, "month", _("不能填报未来月份（%(year)d年%(month)d月）的完成投资。") % {"year": year, "month": month}
        )
    amount = None
    if "amount" not in row or row.get("amount") is None:
        summary.error(index, "amount", _("请填写完成投资（amount）。"))
    elif isinstance(row["amount"], str) and not re.fullmatch(f"-?{_AMOUNT_DIGITS}", row["amount"]):
        # The schema's string (`AMOUNT_STRING`): "1,234.5", full-width digits or spaces break it, though the portal's
        # number reader (`decimal_of`) takes them. (A negative amount is told as such, below.)
        message = _("完成投资应为数字，或由半角数字组成、不带千位分隔符的字符串（如“1250.5”），最多2位小数。")
        summary.error(index, "amount", message)
    else:
        raw = row.get("amount")
        amount, message = decimal_of(raw, 2, Decimal("1e12"))
        if message:
            # A JSON number the schema allows but with more than 2 decimals is refused; a malformed one is invalid.
            number = isinstance(raw, int | float | Decimal) and not isinstance(raw, bool) and abs(raw) < 10**12
            (summary.refuse if number else summary.error)(index, "amount", labelled(_("完成投资"), message))
        elif amount < 0:
            summary.error(index, "amount", _("完成投资不能为负数。"))
    note = row.get("note") if row.get("note") is not None else ""
    if not isinstance(note, str) or len(note) > MAX_NOTE or not clean_text(note):
        # Text within the schema's length that no database takes (a NUL) is refused; anything else is invalid.
        report = summary.refuse if isinstance(note, str) and len(note) <= MAX_NOTE else summary.error
        report(index, "note", _("说明必须是不超过 %(max)d 个字符的文本。") % {"max": MAX_NOTE})
    if summary.error_count > before:
        return None
    return index, code, year, month, amount, note.strip()


def _before_the_project(project: Project, year: int, month: int) -> str | None:
    """Why a month's completed investment cannot be the project's: the project had not begun by then. A project begins
    with its first recorded milestone (签约, 落地 or 开工, whichever came first); one with none recorded yet is taken as
    the province sends it (its dates may come later). (2001 was taken for a project signed in 2024, and counted against
    its total.)"""
    begun = min((day for day in (project.signed_on, project.landed_on, project.started_on) if day), default=None)
    if begun is not None and (year, month) < (begun.year, begun.month):
        return _("项目“%(name)s”始于%(day)s，不能填报此前（%(year)d年%(month)d月）的完成投资。") % {
            "name": project.name,
            "day": dates.day(begun),
            "year": year,
            "month": month,
        }
    return None


def investment_import(*, rows, user, dry_run: bool = False, today: date | None = None) -> ImportSummary:
    today = today or timezone.localdate()
    summary = ImportSummary(dry_run=dry_run)
    if batch_error(summary, rows):
        return summary
    parsed = [r for r in (_parse(i, row, summary, today) for i, row in enumerate(rows)) if r is not None]
    projects = {
        p.code: p
        for p in Project.objects.filter(code__in={r[1] for r in parsed}).only(
            "pk", "code", "name", "total_investment", "signed_on", "landed_on", "started_on"
        )
    }
    resolved: dict[tuple, tuple] = {}
    for index, code, year, month, amount, note in parsed:
        project = projects.get(code)
        if project is None:
            summary.refuse(index, "project", _("未知的项目编号“%(code)s”。") % {"code": code})
            continue
        if problem := _before_the_project(project, year, month):
            summary.refuse(index, "month", problem)
            continue
        key = (project.pk, year, month)
        if key in resolved:
            summary.refuse(
                index, None, _("与第 %(first)d 行（从0起计）的项目和月份重复。") % {"first": resolved[key][0]}
            )
            continue
        resolved[key] = (index, amount, note)
    if summary.errors:
        return summary
    try:
        with transaction.atomic():
            return _write(resolved, projects, user, summary, dry_run)
    except IntegrityError as error:
        raise ImportConflict(str(error)) from error


def _write(resolved: dict, projects: dict, user, summary: ImportSummary, dry_run: bool) -> ImportSummary:
    project_ids = {key[0] for key in resolved}
    existing_qs = ProjectInvestment.objects.filter(project_id__in=project_ids)
    if not dry_run:
        # The cap is a sum over a project's months, and a lock on the months already stored does not cover the months
        # another batch inserts meanwhile: under PostgreSQL's READ COMMITTED two batches each adding a new month both
        # read the old sum and both pass the cap. Each batch therefore first locks its projects' rows (in the one
        # global order, by id: no deadlock); a second batch on the same project waits here until the first commits,
        # and the query below, a new statement, then reads the months the first inserted. The total investment is read
        # again under the lock too: it may have been edited since the batch was parsed.
        locked = Project.objects.filter(pk__in=project_ids).order_by("pk").select_for_update()
        caps = dict(locked.values_list("pk", "total_investment"))
        existing_qs = existing_qs.order_by("pk").select_for_update()  # one global lock order: no deadlock
    else:
        caps = {p.pk: p.total_investment for p in projects.values()}
    existing = {(i.project_id, i.year, i.month): i for i in existing_qs}
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for key, figure in existing.items():
        if key not in resolved:
            totals[key[0]] += figure.amount
    for key, (_index, amount, _note) in resolved.items():
        totals[key[0]] += amount
    by_pk = {p.pk: p for p in projects.values()}
    for key, (index, _amount, _note) in resolved.items():
        project = by_pk[key[0]]
        if totals[project.pk] > caps[project.pk]:
            summary.refuse(
                index,
                "amount",
                _("项目“%(name)s”的累计完成投资（%(done)s万元）将超过总投资（%(total)s万元）。")
                % {"name": project.name, "done": totals[project.pk], "total": caps[project.pk]},
            )
            totals[project.pk] = Decimal(-1)  # one message per project is enough
    if summary.errors:
        return summary
    now = timezone.now()
    to_create, to_update = [], []
    for key, (_index, amount, note) in resolved.items():
        current = existing.get(key)
        if current is None:
            to_create.append(
                ProjectInvestment(
                    project_id=key[0], year=key[1], month=key[2], amount=amount, note=note, updated_by=user
                )
            )
        elif current.amount == amount and current.note == note:
            summary.unchanged += 1
        else:
            current.amount, current.note, current.updated_by, current.updated_at = amount, note, user, now
            to_update.append(current)
    summary.created, summary.updated = len(to_create), len(to_update)
    if dry_run:
        return summary
    if to_create:
        bulk_create_with_history(to_create, ProjectInvestment, default_user=user, default_change_reason=CHANGE_REASON)
    if to_update:
        bulk_update_with_history(
            to_update,
            ProjectInvestment,
            ["amount", "note", "updated_by", "updated_at"],
            default_user=user,
            default_change_reason=CHANGE_REASON,
        )
    return summary
