"""Reads of evaluation schemes and results: the year's scheme, its results, and a zone's gap analysis."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404

from supervision import permissions as supervision_permissions
from supervision.models import SupervisionItem

from . import scoring
from .models import EvaluationResult, SchemeKind, SchemeVersion, SubIndicator, SubScore


def schemes() -> QuerySet[SchemeVersion]:
    return SchemeVersion.objects.order_by("kind", "-year")


def _year_just_over(*, today, plan) -> int:
    """The year just over, kept to the plan's years (2021 in 2022 or 2029 in 2030 has nothing to compute)."""
    return today.year - 1 if plan is None else plan.year_nearest(today.year - 1)


def prefecture_year_proposed(*, today, plan) -> int:
    """The year the office is offered for a new 考评 scheme: the year just over, kept to the plan's years, or the first
    year after it whose 考评 is not yet published (a published one can no longer be defined again)."""
    year = _year_just_over(today=today, plan=plan)
    published = set(
        SchemeVersion.objects.filter(
            kind=SchemeKind.PREFECTURE, state=SchemeVersion.State.PUBLISHED, year__gte=year
        ).values_list("year", flat=True)
    )
    while year in published:
        year += 1
    return year


@dataclass(frozen=True)
class DefineYear:
    """The year the define page is for, and what the page says of it: past the plan (2026 once 2025 is published) the
    office should see which year it is about to define, and why."""

    year: int
    stored: SchemeVersion | None  # the year's stored scheme, which the page starts from
    skipped: tuple[int, int] | None  # proposed past these years (from the year just over), whose 考评 are published
    plan_years: tuple[int, int] | None  # the plan's first and last years, when `year` lies outside them


def define_year(*, chosen: int | None, today, plan) -> DefineYear:
    """The define page's year: `chosen` (asked for, or posted), else `prefecture_year_proposed`."""
    year = chosen if chosen is not None else prefecture_year_proposed(today=today, plan=plan)
    just_over = _year_just_over(today=today, plan=plan)
    return DefineYear(
        year=year,
        stored=scheme_stored(kind=SchemeKind.PREFECTURE, year=year),
        skipped=(just_over, year - 1) if chosen is None and year != just_over else None,
        plan_years=None if plan is None or plan.year_nearest(year) == year else (plan.first_year, plan.last_year),
    )


def _office_draft() -> Q:
    """A draft of the prefecture's own 考评: the office's alone, until it is published."""
    return Q(kind=SchemeKind.PREFECTURE, state=SchemeVersion.State.DRAFT)


def readable_by(user, scheme: SchemeVersion) -> bool:
    return user.is_office or not (scheme.kind == SchemeKind.PREFECTURE and scheme.state == SchemeVersion.State.DRAFT)


def schemes_visible_to(user, queryset: QuerySet[SchemeVersion] | None = None) -> QuerySet[SchemeVersion]:
    """The schemes `user` may read, pages and API alike: every one but the prefecture's drafts, which only the office
    reads."""
    queryset = schemes() if queryset is None else queryset
    return queryset if user.is_office else queryset.exclude(_office_draft())


def results_visible_to(user, queryset: QuerySet[EvaluationResult]) -> QuerySet[EvaluationResult]:
    """The results of the schemes `user` may read (`schemes_visible_to`)."""
    return queryset if user.is_office else queryset.exclude(scheme__in=SchemeVersion.objects.filter(_office_draft()))


def scheme_stored(*, kind: str, year: int) -> SchemeVersion | None:
    """A year's scheme of `kind`, if one is stored (the define page starts from it)."""
    return SchemeVersion.objects.filter(kind=kind, year=year).first()


def scheme_get(*, kind: str, year: int) -> SchemeVersion:
    scheme = SchemeVersion.objects.filter(kind=kind, year=year).select_related("published_by").first()
    if scheme is None:
        raise Http404("no such scheme")
    return scheme


def sub_indicators(scheme: SchemeVersion) -> list[SubIndicator]:
    return list(scheme.sub_indicators.prefetch_related("feeds").order_by("order", "pk"))


def results_table(scheme: SchemeVersion) -> list[EvaluationResult]:
    """The scheme's results, best first, each with its sub-scores (and their scorers) prefetched."""
    scores = SubScore.objects.select_related("scorer", "sub_indicator")
    return list(
        scheme.results.select_related("zone")
        .prefetch_related(Prefetch("sub_scores", queryset=scores))
        .order_by("rank", "zone_code")
    )


def latest_scheme(kind: str = SchemeKind.PROVINCIAL) -> SchemeVersion | None:
    return SchemeVersion.objects.filter(kind=kind, results__isnull=False).order_by("-year").first()


@dataclass
class GapLine:
    sub: SubIndicator
    row: scoring.GapRow


@dataclass
class ZoneGap:
    scheme: SchemeVersion
    result: EvaluationResult | None
    references: list[EvaluationResult]
    benchmark: EvaluationResult | None
    previous: EvaluationResult | None
    lines: list[GapLine] = field(default_factory=list)

    @property
    def losses(self) -> list[GapLine]:
        """The sub-indicators that lost points against the reference, biggest loss first."""
        return [line for line in self.lines if line.row.gap is not None and line.row.gap > 0]


def zone_gap(*, scheme: SchemeVersion, zone_code: str, benchmark_code: str = "", feeds: bool = True) -> ZoneGap:
    """Where a zone lost its points in one year's scheme: against the year's leading zones (or the named
    benchmark zone), with each sub-indicator's movement since the previous year under that year's scheme.

    Five queries whatever the number of zones and sub-indicators (six with the sub-indicators' `feeds`, which
    the zone page does not show): the zone's (and benchmark's) result this year and last, the leaders, every
    sub-score of those results, and the sub-indicators of both years."""
    codes = {zone_code, benchmark_code} - {""}
    found = list(
        EvaluationResult.objects.filter(
            Q(scheme=scheme, zone_code__in=codes)
            | Q(scheme__kind=scheme.kind, scheme__year=scheme.year - 1, zone_code=zone_code)
        )
    )
    this_year = {r.zone_code: r for r in found if r.scheme_id == scheme.pk}
    result = this_year.get(zone_code)
    benchmark = this_year.get(benchmark_code) if benchmark_code else None
    previous = next((r for r in found if r.scheme_id != scheme.pk), None)
    if benchmark is not None:
        references = [benchmark]
    else:
        references = list(
            scheme.results.exclude(zone_code=zone_code)
            .exclude(rank=None)
            .order_by("rank", "zone_code")[: scoring.LEADERS]
        )
    # Every sub-score of those results as plain rows (code, score), not a model each: a scheme has dozens.
    scores: dict[int, dict] = defaultdict(dict)
    for result_id, code, score in SubScore.objects.filter(
        result__in=[r.pk for r in (result, previous, *references) if r is not None]
    ).values_list("result_id", "sub_indicator__code", "score"):
        scores[result_id][code] = score
    schemes_read = [scheme.pk] if previous is None else [scheme.pk, previous.scheme_id]
    all_subs = list(SubIndicator.objects.filter(scheme_id__in=schemes_read).order_by("order", "pk"))
    subs = [s for s in all_subs if s.scheme_id == scheme.pk]
    if feeds:
        prefetch_related_objects(subs, "feeds")
    previous_weights = {
        s.code: s.weight for s in all_subs if previous is not None and s.scheme_id == previous.scheme_id
    }
    rows = scoring.gap_analysis(
        weights={s.code: s.weight for s in subs},
        zone_scores=scores[result.pk] if result else {},
        reference_scores=[scores[r.pk] for r in references],
        previous_weights=previous_weights,
        previous_scores=scores[previous.pk] if previous else {},
    )
    by_code = {s.code: s for s in subs}
    return ZoneGap(
        scheme=scheme,
        result=result,
        references=references,
        benchmark=benchmark,
        previous=previous,
        lines=[GapLine(sub=by_code[row.code], row=row) for row in rows],
    )


def zone_gap_latest(zone) -> ZoneGap | None:
    """The gap analysis of a zone's latest provincial result, for its zone page (None without one)."""
    scheme = SchemeVersion.objects.filter(kind=SchemeKind.PROVINCIAL, results__zone=zone).order_by("-year").first()
    return None if scheme is None else zone_gap(scheme=scheme, zone_code=zone.code, feeds=False)


def rectifications(result: EvaluationResult | None, *, user) -> list[SupervisionItem]:
    """The 整改 items opened from a result's sub-scores, newest first, each with `opens`: whether `user` may open it
    (`supervision.permissions.can_view`; the gap page's other readers see its number without a link)."""
    if result is None:
        return []
    items = list(
        SupervisionItem.objects.filter(
            source=SupervisionItem.Source.EVALUATION_GAP,
            source_type=ContentType.objects.get_for_model(SubScore),
            source_id__in=result.sub_scores.values("pk"),
        )
        .select_related("zone", "county", "department")
        .order_by("-issued_on", "-pk")
    )
    for item in items:
        item.opens = supervision_permissions.can_view(user, item)
    return items
