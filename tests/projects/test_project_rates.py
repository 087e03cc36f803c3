"""The 招商 rates (落地率, 开工率, 资金到位率), at their edges, from the pure rule and from projects."""

from datetime import date
from decimal import Decimal

import pytest

from projects import rules, selectors
from projects.models import Project


def signed(landed=False, started=False, amount="100", capital=None):
    return rules.SignedProject(
        landed=landed,
        started=started,
        signed_amount=Decimal(amount),
        capital_in_place=Decimal(capital) if capital is not None else None,
    )


def test_it_gives_no_rate_without_projects():
    result = rules.rates([])
    assert result.signed == 0
    assert (result.landing_rate, result.start_rate, result.capital_rate) == (None, None, None)


def test_it_gives_zero_when_all_signed_and_none_landed():
    result = rules.rates([signed(), signed(), signed()])
    assert result.landing_rate == Decimal("0.0")
    assert result.start_rate == Decimal("0.0")
    assert result.capital_rate is None or result.capital_rate == Decimal("0.0")


def test_it_counts_capital_above_the_signed_amount_and_says_so():
    result = rules.rates([signed(landed=True, started=True, amount="100", capital="150"), signed(amount="100")])
    assert result.capital_rate == Decimal("75.0")  # 150 / 200
    assert result.capital_above_signed == 1
    alone = rules.rates([signed(amount="100", capital="150")])
    assert alone.capital_rate == Decimal("150.0")


def test_it_rounds_to_one_decimal():
    result = rules.rates([signed(landed=True), signed(), signed()])
    assert result.landing_rate == Decimal("33.3")


@pytest.mark.django_db
def test_it_computes_the_rates_per_zone_from_projects(make_project, plan):
    lufeng, wuding = plan["lufeng"], plan["wuding"]
    kind = Project.Kind.INVESTMENT
    make_project(
        zone=lufeng,
        kind=kind,
        signed_on=date(2026, 2, 1),
        landed_on=date(2026, 3, 1),
        started_on=date(2026, 4, 1),
        stage="started",
        signed_amount=Decimal("1000"),
        capital_in_place=Decimal("600"),
    )
    make_project(
        zone=lufeng,
        kind=kind,
        signed_on=date(2026, 5, 1),
        stage="signed",
        signed_amount=Decimal("1000"),
        capital_in_place=Decimal("0"),
    )
    make_project(zone=lufeng, kind=kind, signed_on=date(2025, 5, 1), stage="signed", signed_amount=Decimal("500"))
    make_project(zone=lufeng, kind=Project.Kind.INDUSTRIAL, signed_on=date(2026, 5, 1), stage="signed")
    make_project(
        zone=wuding,
        kind=kind,
        signed_on=date(2026, 6, 1),
        stage="signed",
        signed_amount=Decimal("200"),
        capital_in_place=Decimal("300"),
    )
    result = selectors.zone_rates(year=2026)
    by_zone = {zone.code: rates for zone, rates in result["zones"]}
    assert by_zone["lufeng"].signed == 2  # the 2025 signing and the non-招商 project do not count
    assert by_zone["lufeng"].landing_rate == Decimal("50.0")
    assert by_zone["lufeng"].start_rate == Decimal("50.0")
    assert by_zone["lufeng"].capital_rate == Decimal("30.0")
    assert by_zone["wuding"].capital_rate == Decimal("150.0")
    assert by_zone["wuding"].capital_above_signed == 1
    assert by_zone["mouding"].landing_rate is None
    assert result["total"].signed == 3
    assert result["total"].capital_rate == Decimal("40.9")  # 900 / 2200
