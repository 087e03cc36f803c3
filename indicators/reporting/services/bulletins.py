"""Issuing a dispatch bulletin: its number 第N期 within the year of issue, given once and kept."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max

from chuxiong_portal.db import serialised
from indicators.models import BulletinIssue, ReportingPeriod

ATTEMPTS = 5  # issuers queue (`serialised`); should a unique number still be taken, the next one is tried


class BulletinIssueError(Exception):
    """The number could not be given (others kept issuing at the same moment); nothing was written."""


class BulletinNotDueError(Exception):
    """The period's reports are not all due yet: its bulletin is not issued (a number of the year would be spent on a
    bulletin that calls no one late)."""


def bulletin_issuable(period: ReportingPeriod, today: date) -> bool:
    """Whether the bulletin of `period` may be issued on `today`: once its deadline has passed, as the dashboards'
    current period (`indicators.selectors.current_period`)."""
    return period.deadline < today


def bulletin_issue(*, period: ReportingPeriod, user, today: date) -> tuple[BulletinIssue, bool]:
    """The period's bulletin as issued: (issue, created). Issuing again returns the first issue unchanged; a period
    whose deadline has not passed is refused (`BulletinNotDueError`): the page lets the office open any period's
    bulletin, and a number of the year, once given, is kept."""
    for _attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                serialised("indicators.bulletin_issue")  # issuers at once take the next numbers in turn
                existing = BulletinIssue.objects.filter(period=period).first()
                if existing is not None:
                    return existing, False
                if not bulletin_issuable(period, today):
                    raise BulletinNotDueError(period.pk)
                last = BulletinIssue.objects.filter(year=today.year).aggregate(last=Max("number"))["last"] or 0
                issue = BulletinIssue.objects.create(
                    period=period, year=today.year, number=last + 1, issued_on=today, issued_by=user
                )
        except IntegrityError:
            continue  # the number, or the period itself, was just taken: look again
        return issue, True
    raise BulletinIssueError(period.pk)
