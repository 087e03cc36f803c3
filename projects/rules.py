"""The board's colours and the 招商 rates: pure functions over plain values, no Django.

Codes and numbers only; the words are chosen where they are shown (projects/views.py, templates).

Colours follow the portal's rule (DESIGN §2): green at ≥ 100 % of what is due, amber at ≥ 90 %, red below.
- A baseline date passed without the milestone reached: red ("overdue"). Reached after its date: green, with
  the days of delay kept ("late"). Not yet due: green ("pending").
- Investment: completed this year against the 序时进度 of the year's plan, i.e. the plan × the share of the
  year elapsed (by days; the whole plan once the year is over, nothing before it starts).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

GREEN, AMBER, RED, GREY = "green", "amber", "red", "grey"
_RANK = {GREY: 0, GREEN: 1, AMBER: 2, RED: 3}
AMBER_FLOOR = Decimal("0.9")


def worst(*statuses: str) -> str:
    return max(statuses, key=_RANK.__getitem__, default=GREY)


@dataclass(frozen=True)
class MilestoneState:
    code: str  # "done", "late", "overdue", "pending"
    status: str
    days_late: int = 0


def milestone_state(planned_on: date, actual_on: date | None, today: date) -> MilestoneState:
    if actual_on is not None:
        late = (actual_on - planned_on).days
        return MilestoneState("late", GREEN, late) if late > 0 else MilestoneState("done", GREEN)
    if planned_on < today:
        return MilestoneState("overdue", RED, (today - planned_on).days)
    return MilestoneState("pending", GREEN)


def year_elapsed(year: int, today: date) -> Decimal:
    """The share of `year` due by `today`, in whole months ended (investment is counted by month):
    0 in January and before the year, 1 once the year is over."""
    if today.year < year:
        return Decimal(0)
    if today.year > year:
        return Decimal(1)
    return Decimal(today.month - 1) / Decimal(12)


@dataclass(frozen=True)
class InvestmentState:
    status: str
    planned: Decimal
    expected: Decimal  # 序时进度 of the plan
    done: Decimal
    attainment: Decimal | None  # done ÷ expected


def investment_state(*, planned: Decimal, done: Decimal, year: int, today: date) -> InvestmentState:
    expected = (planned * year_elapsed(year, today)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    if expected <= 0:
        return InvestmentState(GREY if planned <= 0 else GREEN, planned, expected, done, None)
    ratio = done / expected  # judged unrounded: 89.999 % is not 90 %
    status = GREEN if ratio >= 1 else AMBER if ratio >= AMBER_FLOOR else RED
    return InvestmentState(status, planned, expected, done, ratio.quantize(Decimal("0.0001"), ROUND_HALF_UP))


# --------------------------------------------------------------------------- 招商 rates


@dataclass(frozen=True)
class SignedProject:
    """What the rates need of one 招商引资 project signed in the year."""

    landed: bool
    started: bool
    signed_amount: Decimal | None
    capital_in_place: Decimal | None


@dataclass(frozen=True)
class Rates:
    signed: int
    landed: int
    started: int
    signed_amount: Decimal
    capital_in_place: Decimal
    landing_rate: Decimal | None  # None: no project signed, nothing to divide by
    start_rate: Decimal | None
    capital_rate: Decimal | None
    capital_above_signed: int  # projects whose capital in place exceeds their signed amount


def _pct(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def rates(projects: list[SignedProject]) -> Rates:
    """落地率, 开工率 and 资金到位率 (percentages) of the 招商 projects signed in a year (README: Key projects).

    Capital above the signed amount counts as reported (the rate may pass 100 %) and is counted apart,
    so that the reader sees why.
    """
    signed_amount = sum((p.signed_amount or Decimal(0) for p in projects), Decimal(0))
    capital = sum((p.capital_in_place or Decimal(0) for p in projects), Decimal(0))
    return Rates(
        signed=len(projects),
        landed=sum(p.landed for p in projects),
        started=sum(p.started for p in projects),
        signed_amount=signed_amount,
        capital_in_place=capital,
        landing_rate=_pct(sum(p.landed for p in projects), len(projects)),
        start_rate=_pct(sum(p.started for p in projects), len(projects)),
        capital_rate=_pct(capital, signed_amount),
        capital_above_signed=sum(
            1
            for p in projects
            if p.capital_in_place is not None and p.capital_in_place > (p.signed_amount or Decimal(0))
        ),
    )


def listing_year_proposed(today: date, listed_years, completed_on: date | None = None) -> int | None:
    """The year a project is first offered for on the yearly list: this year, or the first one after it that the
    project is not listed for (a project on this year's list is proposed for the next, not for a year refused).
    None when that year comes after the project's 投产/竣工 (`listing_year_open`): there is none to offer."""
    year, listed = today.year, set(listed_years)
    while year in listed:
        year += 1
    return year if listing_year_open(year, completed_on) else None


def listing_year_open(year: int, completed_on: date | None) -> bool:
    """A project may be on the 年度重点项目建设清单 of `year` unless it went into production (投产/竣工) in an
    earlier year: the list is of the year's construction, and it has none left to plan."""
    return completed_on is None or year <= completed_on.year


def reported_in(year: int, *, exited: bool, completed_on: date | None) -> bool:
    """Whether a project files its half-month 项目调度报告 in `year`: not once it left the pool (退出), nor in a year
    after it went into production (the year it did, it still reports its last investment)."""
    return not exited and listing_year_open(year, completed_on)


# --------------------------------------------------------------------------- the 倒排工期 baseline

# A year's baseline plans the year's work: its dates lie in that year, or in the first months of the next for a
# milestone due early in it (a 投产 planned for February stays on the list of the year its construction was done).
BASELINE_MONTHS_INTO_NEXT_YEAR = 3


def baseline_range(year: int) -> tuple[date, date]:
    """The first and last day a planned date of `year`'s baseline may fall on."""
    months = BASELINE_MONTHS_INTO_NEXT_YEAR
    after_last = date(year + 1 + months // 12, months % 12 + 1, 1)
    return date(year, 1, 1), after_last - timedelta(days=1)


def baseline_out_of_range(year: int, on: date) -> bool:
    first, last = baseline_range(year)
    return not first <= on <= last


def baseline_out_of_order(planned: dict, before: list[tuple[str, str]]) -> tuple[str, str] | None:
    """The first pair (earlier, later) of `before` — a milestone kind that comes no later than another — whose
    planned dates (`planned`, kind → date) are the other way round, or None. Equal dates are in order."""
    for earlier, later in before:
        if planned.get(earlier) and planned.get(later) and planned[earlier] > planned[later]:
            return earlier, later
    return None


def investment_plans_over_total(plans, total) -> bool:
    """Whether the years' planned investments (`plans`) add up to more than the project's total investment."""
    return sum(plans) > total
