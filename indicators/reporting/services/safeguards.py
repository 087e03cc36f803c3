"""Recording the items of the plan's 保障措施 (三、保障措施): done or not with its date and a note, or the number
where the item is counted. The office records them; the page form and the admin go through `safeguard_record`."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from indicators.models import Indicator, IndicatorValue, ReportingPeriod, Scope, Target
from indicators.progress.services import progress_recompute, targets_for_values

from .reports import value_error


class SafeguardError(Exception):
    pass


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
        raise SafeguardError(_("%(date)s不在任何调度期内。") % {"date": on.isoformat()})
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
) -> IndicatorValue:
    """Record one 保障措施 item as of `on` (its completion date when done), in the reporting period that holds
    `on`. Writes one value and recomputes the progress that depends on it; raises SafeguardError, writing
    nothing, on bad input. The page form and the admin both come here."""
    entry = safeguard_check(indicator=indicator, on=on, today=today, done=done, value=value, zone=zone)
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
