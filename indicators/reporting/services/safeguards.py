"""Recording the items of the plan's 保障措施 (三、保障措施): done or not with its date and a note, or the number
where the item is counted. The office records them; the page form and the admin go through `safeguard_record`."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from chuxiong_portal import dates
from chuxiong_portal.db import serialised
from chuxiong_portal.stale import shown_token, stale
from indicators.models import Indicator, IndicatorValue, ReportingPeriod, Scope, Target
from indicators.progress.services import progress_recompute, targets_for_values

from ..numbers import number_display
from .reports import value_error


class SafeguardError(Exception):
    pass


class SafeguardChanged(SafeguardError):
    """The item's records changed since the record page was drawn (marked `stale` with what the page shows now)."""


def safeguard_records(indicator: Indicator) -> list[IndicatorValue]:
    """What is recorded of the item (the portal's values, every zone and period), each zone's latest period first."""
    return list(
        IndicatorValue.objects.filter(indicator=indicator, source=IndicatorValue.Source.PORTAL)
        .select_related("zone", "period", "updated_by")
        .order_by("zone__order", "-period__end", "pk")
    )


def safeguard_token(records: list[IndicatorValue]) -> str:
    """What a record page showed of the item's records (`safeguard_records`): each record and its version."""
    return shown_token(*sorted((record.pk, record.version) for record in records))


def safeguard_value_words(indicator: Indicator, record: IndicatorValue) -> str:
    """A record as the pages word it: done with its date or not done (and the period), or the number."""
    if not safeguard_item_is_counted(indicator):
        if record.done_on is not None:
            return _("已完成（%(day)s）") % {"day": dates.day(record.done_on)}
        return _("未完成（%(period)s）") % {"period": record.period.label}
    number = number_display(record.value, indicator.unit) or "—"
    words = {"number": number, "unit": indicator.unit, "period": record.period.label}
    return _("%(number)s%(unit)s（%(period)s）") % words


def safeguard_item_is_counted(indicator: Indicator) -> bool:
    """A milestone is done or not; anything else (a recurring duty counted in 次/份) takes a number."""
    return indicator.kind != Indicator.Kind.MILESTONE


@dataclass(frozen=True)
class SafeguardEntry:
    scope: str
    period: ReportingPeriod
    value: Decimal
    done_on: date | None


def safeguard_check(
    *, indicator: Indicator, on: date, today: date, done: bool = False, value: Decimal | None = None, zone=None
) -> SafeguardEntry:
    """What recording the item would write; raises SafeguardError on bad input. Reads only."""
    if indicator.safeguard_id is None:
        raise SafeguardError(_("该指标不属于保障措施。"))
    if on > today:
        raise SafeguardError(_("日期不能晚于今天。"))
    scopes = set(Target.objects.filter(indicator=indicator).values_list("scope", "zone_id"))
    scope = Scope.ZONE if zone is not None else Scope.PREFECTURE
    if (scope, zone.pk if zone is not None else None) not in scopes:
        raise SafeguardError(
            _("请选择方案对该项作出要求的开发区。")
            if any(s == Scope.ZONE for s, _z in scopes)
            else _("该项是全州的要求，不分开发区。")
        )
    if safeguard_item_is_counted(indicator):
        if value is None:
            raise SafeguardError(_("请填写“%(name)s”的数值。") % {"name": indicator.name})
        problem = value_error(indicator, value)
        if problem:
            raise SafeguardError(problem)
        done_on = None
    else:
        value, done_on = (Decimal(1), on) if done else (Decimal(0), None)
    period = ReportingPeriod.objects.filter(cadence=indicator.cadence, start__lte=on, end__gte=on).first()
    if period is None:
        raise SafeguardError(_("%(date)s不在任何调度期内。") % {"date": dates.day(on)})
    return SafeguardEntry(scope=scope, period=period, value=value, done_on=done_on)


def safeguard_default_day(*, indicator: Indicator, today: date) -> date | None:
    """The date the record form proposes: today while a dispatch period of the item's cadence holds it; after the
    plan, the last day of its last such period (a date `safeguard_check` accepts, where today is refused); before
    the plan, none."""
    periods = ReportingPeriod.objects.of_plan_years().filter(cadence=indicator.cadence, start__lte=today)
    last = periods.order_by("-end").values_list("end", flat=True).first()
    return None if last is None else min(today, last)


@transaction.atomic
def safeguard_record(
    *,
    indicator: Indicator,
    user,
    on: date,
    today: date,
    done: bool = False,
    value: Decimal | None = None,
    zone=None,
    note: str = "",
    seen: str | None = None,
) -> IndicatorValue:
    """Record one 保障措施 item as of `on` (its completion date when done), in the reporting period that holds
    `on`. Writes one value and recomputes the progress that depends on it; raises SafeguardError, writing
    nothing, on bad input. The page form and the admin both come here.

    `seen`: the page's `safeguard_token` of the records it showed; when the item's records changed since (someone
    recorded it meanwhile), raises SafeguardChanged naming the latest record rather than overwriting it unseen.
    Records of one item queue behind each other, so two first records of the same period cannot both insert."""
    entry = safeguard_check(indicator=indicator, on=on, today=today, done=done, value=value, zone=zone)
    serialised(f"safeguard-record:{indicator.pk}")
    if seen is not None:
        records = safeguard_records(indicator)
        token = safeguard_token(records)
        if token != seen:
            raise stale(SafeguardChanged(_changed_words(indicator, records)), token)
    scope, period, value, done_on = entry.scope, entry.period, entry.value, entry.done_on
    current = (
        IndicatorValue.objects.select_for_update()
        .filter(indicator=indicator, period=period, scope=scope, zone=zone, source=IndicatorValue.Source.PORTAL)
        .first()
    )
    if current is None:
        current = IndicatorValue(
            indicator=indicator, period=period, scope=scope, zone=zone, source=IndicatorValue.Source.PORTAL
        )
    elif current.locked:
        raise SafeguardError(_("“%(name)s”已审核锁定，不能修改。") % {"name": indicator.name})
    else:
        current.version += 1
    current.value, current.done_on, current.note, current.updated_by = value, done_on, note, user
    current._history_user = user
    current._change_reason = "safeguard record"
    current.save()
    progress_recompute(target_ids=targets_for_values([(indicator.pk, scope, current.zone_id, None)]), as_of=today)
    return current


def _changed_words(indicator: Indicator, records: list[IndicatorValue]) -> str:
    """Why a record page's form is refused: the latest record, by whom and when, or none left."""
    if not records:
        return _("保存前，该项的登记已被删除，页面显示的不是最新情况。请核对后再保存。")
    latest = max(records, key=lambda record: (record.updated_at, record.pk))
    return _(
        "保存前，该项的登记已有变动：%(who)s于%(when)s将%(scope)s登记为%(words)s。"
        "请核对下方的“已登记情况”，确认后再次保存。"
    ) % {
        "scope": latest.zone.name if latest.zone_id else _("全州"),
        "words": safeguard_value_words(indicator, latest),
        "who": str(latest.updated_by) if latest.updated_by else "—",
        "when": dates.moment(latest.updated_at),
    }
