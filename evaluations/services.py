"""Writes of evaluation schemes and results: define a year's scheme, import results with their sub-scores,
keep the rankings the rules read consistent with them, and run the prefecture's own 综合考评."""

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessments.jobs import recompute_flags
from assessments.models import Evaluation, Ranking
from assessments.services import rankings_writer
from chuxiong_portal import dates
from chuxiong_portal.bulk_import import (
    CODE,
    MAX_YEAR,
    MIN_YEAR,
    ImportConflict,
    ImportSummary,
    batch_error,
    code_of,
    decimal_of,
    decimal_refusable,
    int_of,
    labelled,
    too_long_code,
)
from chuxiong_portal.db import serialised
from chuxiong_portal.queue import enqueue_on_commit
from chuxiong_portal.stale import shown_token, stale
from indicators.models import DispatchReport, Indicator, ProgressResult, Target
from indicators.reporting.flow_words import kept
from parks.models import Zone
from supervision.models import SupervisionItem, TaskList, WorkItem
from supervision.services import supervision_issue

from . import scoring
from .models import PREFECTURE_PURPOSE, EvaluationResult, SchemeKind, SchemeVersion, SubIndicator, SubScore

RESULT_CHANGE_REASON = "评价结果同步"
_RESULT_FIELDS = frozenset({"scheme", "year", "zone", "zone_name", "total", "rank", "funding_awarded", "sub_scores"})
_SUB_FIELDS = frozenset({"indicator", "value", "score", "rank"})
# The longest codes a row may give: those the columns hold (a longer zone code broke PostgreSQL's insert, a 500).
ZONE_CODE_LENGTH = EvaluationResult._meta.get_field("zone_code").max_length
SUB_CODE_LENGTH = SubIndicator._meta.get_field("code").max_length


class EvaluationError(Exception):
    """A refused evaluation write, with a message for the user."""


# --------------------------------------------------------------------------- schemes


@dataclass(frozen=True)
class SubIndicatorSpec:
    group: str
    code: str
    name: str
    weight: Decimal
    unit: str = ""
    # None: as stored for a code the scheme already has (a form that does not edit it keeps it), else higher / none.
    direction: str | None = None
    method: str = SubIndicator.Method.IMPORTED
    feeds: tuple[str, ...] | None = None  # codes of the plan's indicators that feed it


@transaction.atomic
def scheme_define(
    *,
    kind: str,
    year: int,
    title: str,
    sub_indicators: list[SubIndicatorSpec],
    total_is_weighted_sum: bool | None = None,
    purpose: str | None = None,
    is_demo: bool = False,
    seen: str | None = None,
    settable_methods: Collection[str] | None = None,
) -> SchemeVersion:
    """Create or replace the sub-indicators of a year's scheme. A published scheme is kept as published. `seen`:
    `scheme_seen` of the year's stored scheme as the user's page read it ("" none; None, the default: not checked):
    a scheme defined or redefined by someone else since then is not replaced unseen. What is left None here or in
    a spec (`total_is_weighted_sum`, `purpose`, a sub-indicator's direction and feeds) stays as stored: the define
    page does not edit it, so saving that page does not reset it. `settable_methods`: the scoring methods a
    sub-indicator may be given here (None, the default: any); one outside them is kept where the stored
    sub-indicator of that code already holds it, and refused otherwise (the define page: `PREFECTURE_PAGE_METHODS`)."""
    if kind not in SchemeKind.values:
        raise EvaluationError(_("未知的评价体系。"))
    if year > (latest := timezone.localdate().year + 1):
        raise EvaluationError(
            _("不能定义%(year)s年的评价方案：最远可提前定义下一年度（%(latest)s年）的方案。")
            % {"year": year, "latest": latest}
        )
    if not sub_indicators:
        raise EvaluationError(_("评价方案至少需要一个分项。"))
    if any(spec.method not in SubIndicator.Method.values for spec in sub_indicators):
        raise EvaluationError(_("未知的评分方式。"))
    codes = [spec.code for spec in sub_indicators]
    if len(set(codes)) != len(codes):
        raise EvaluationError(_("分项代码不能重复。"))
    feeds = {code for spec in sub_indicators for code in spec.feeds or ()}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=feeds)}
    if unknown := sorted(feeds - set(indicators)):
        raise EvaluationError(_("未知的行动方案指标代码：%(codes)s。") % {"codes": "、".join(unknown)})
    # Definitions of a year queue: locking the year's row locks nothing while it does not exist, and two first
    # definitions at once would both insert it (the second failing on the unique (kind, year) index). The second
    # finds the first's scheme here and, when its page showed none (`seen` ""), is told.
    serialised(f"evaluations.scheme_define:{kind}:{year}")
    scheme = SchemeVersion.objects.select_for_update().filter(kind=kind, year=year).first()
    if total_is_weighted_sum is None:
        total_is_weighted_sum = scheme.total_is_weighted_sum if scheme is not None else True
    if total_is_weighted_sum and sum((spec.weight for spec in sub_indicators), Decimal(0)) != 100:
        raise EvaluationError(
            _("各分项权重之和应为100分（当前为%(sum)s分）。")
            % {"sum": sum((spec.weight for spec in sub_indicators), Decimal(0))}
        )
    if purpose is None:
        purpose = scheme.purpose if scheme is not None else ""
    if kind == SchemeKind.PREFECTURE and not purpose:
        purpose = PREFECTURE_PURPOSE
    if scheme is not None and scheme.state == SchemeVersion.State.PUBLISHED:
        raise EvaluationError(_("%(year)s年的评价方案已发布，不能再修改。") % {"year": year})
    if seen is not None and scheme_seen(scheme) != seen:  # the row is locked: a page left open meets a change here
        if scheme is None:
            raise stale(EvaluationError(_("%(year)s年的评价方案已被他人删除。") % {"year": year}), "")
        when = dates.moment(scheme.updated_at)
        if not seen:  # the page showed no scheme of this year: opened for another, or before this one was saved
            raise stale(
                EvaluationError(
                    _("%(year)s年已有评价方案（%(when)s保存），本页未显示它：请打开%(year)s年的方案核对后再保存。")
                    % {"year": year, "when": when}
                ),
                scheme_seen(scheme),
            )
        raise stale(
            EvaluationError(_("%(year)s年的评价方案已被他人于%(when)s保存。") % {"year": year, "when": when}),
            scheme_seen(scheme),
        )
    if settable_methods is not None:
        _methods_check(scheme, sub_indicators, settable_methods)
    if scheme is None:
        scheme = SchemeVersion.objects.create(
            kind=kind,
            year=year,
            title=title,
            purpose=purpose,
            total_is_weighted_sum=total_is_weighted_sum,
            is_demo=is_demo,
        )
    else:
        scheme.title, scheme.purpose, scheme.total_is_weighted_sum = title, purpose, total_is_weighted_sum
        scheme.save(update_fields=["title", "purpose", "total_is_weighted_sum", "updated_at"])
    existing = {s.code: s for s in scheme.sub_indicators.all()}
    SubIndicator.objects.filter(scheme=scheme).exclude(code__in=codes).delete()
    for order, spec in enumerate(sub_indicators, start=1):
        row = existing.get(spec.code) or SubIndicator(scheme=scheme, code=spec.code)
        row.group, row.name, row.unit = spec.group, spec.name, spec.unit
        row.weight, row.method, row.order = spec.weight, spec.method, order
        if spec.direction is not None:
            row.direction = spec.direction
        row.save()
        if spec.feeds is not None:
            row.feeds.set([indicators[code] for code in spec.feeds])
    return scheme


def _methods_check(
    scheme: SchemeVersion | None, specs: list[SubIndicatorSpec], settable_methods: Collection[str]
) -> None:
    """Refuse a method outside `settable_methods` given to a sub-indicator that does not already hold it (before
    anything is written: the scheme is locked, so what it holds is what is kept)."""
    held = {} if scheme is None else dict(scheme.sub_indicators.values_list("code", "method"))
    refused = [spec for spec in specs if spec.method not in settable_methods and held.get(spec.code) != spec.method]
    if refused:
        method = refused[0].method  # the first refused method, with every sub-indicator given it
        raise EvaluationError(
            _(
                "评分方式“%(method)s”只能在管理后台设置，不能在本页选择（分项：%(subs)s）：州开发区年度综合考评的得分"
                "在平台内计算或人工评分，不从外部导入。已设为该方式的分项保存时保持不变。"
            )
            % {
                "method": SubIndicator.Method(method).label,
                "subs": _("、").join(spec.name for spec in refused if spec.method == method),
            }
        )


def scheme_seen(scheme: SchemeVersion | None) -> str:
    """What a page remembers of the stored scheme it would replace: when it was last saved ("" when there was none)."""
    return scheme.updated_at.isoformat() if scheme is not None else ""


# --------------------------------------------------------------------------- results import (API)


@dataclass
class _Row:
    index: int
    kind: str
    year: int
    code: str
    name: str
    zone: Zone | None
    total: Decimal | None
    rank: int | None
    funding: bool
    scores: dict[str, tuple[Decimal | None, Decimal | None, int | None]]


def _parse_sub_scores(index: int, raw, summary: ImportSummary) -> dict | None:
    if not isinstance(raw, list) or not raw:
        # An empty list is well-formed, but the year's scheme wants every one of its sub-indicators scored.
        (summary.refuse if isinstance(raw, list) else summary.error)(index, "sub_scores", _("分项得分应为非空数组。"))
        return None
    scores, before = {}, summary.error_count
    for position, item in enumerate(raw):
        where = f"sub_scores[{position}]"
        if not isinstance(item, dict):
            summary.error(index, where, _("每个分项得分必须是 JSON 对象。"))
            continue
        if unknown := sorted(str(name) for name in item if name not in _SUB_FIELDS):
            summary.error(index, where, _("未知字段：%(fields)s。") % {"fields": "、".join(unknown)[:200]})
        code = item.get("indicator")
        if not isinstance(code, str) or not CODE.fullmatch(code.strip()):
            summary.error(index, f"{where}.indicator", _("请填写分项代码。"))
            continue
        code = code.strip()
        if len(code) > SUB_CODE_LENGTH:
            summary.error(index, f"{where}.indicator", too_long_code(_("分项"), SUB_CODE_LENGTH))
            continue
        if code in scores:
            summary.refuse(index, f"{where}.indicator", _("分项“%(code)s”重复。") % {"code": code})
        value = score = None
        # A value the schema allows (api_support.decimal_field) but the import cannot take is refused (409); one that
        # breaks the schema (true, "abc", an object, a number beyond its bounds) is invalid (400).
        if item.get("value") is not None:
            value, message = decimal_of(item["value"], 4, Decimal("1e14"))
            if message:
                refusable = decimal_refusable(item["value"], -(10**14), 10**14, exclusive=True)
                message = labelled(_("指标值"), message)
                (summary.refuse if refusable else summary.error)(index, f"{where}.value", message)
        if item.get("score") is not None:
            score, message = decimal_of(item["score"], 2, Decimal("1000"))
            if message:
                refusable = decimal_refusable(item["score"], 0, 100)
                (summary.refuse if refusable else summary.error)(index, f"{where}.score", labelled(_("得分"), message))
            elif not 0 <= score <= 100:
                # The schema bounds a number, not a string: "150" keeps to it and is refused, 150 breaks it.
                (summary.refuse if isinstance(item["score"], str) else summary.error)(
                    index, f"{where}.score", _("得分应在0—100之间（百分制）。")
                )
        rank = None
        if item.get("rank") is not None:
            rank = int_of(item["rank"], 1, 10_000)
            if rank is None:
                summary.error(index, f"{where}.rank", _("分项排名应为 1—10000 之间的整数。"))
        scores[code] = (value, score, rank)
    return scores if summary.error_count == before else None


def _parse_result(index: int, row, summary: ImportSummary, zones: dict[str, Zone]) -> _Row | None:
    if not isinstance(row, dict):
        summary.error(index, None, _("每一行必须是 JSON 对象。"))
        return None
    before = summary.error_count
    if unknown := sorted(str(name) for name in row if name not in _RESULT_FIELDS):
        summary.error(index, None, _("未知字段：%(fields)s。") % {"fields": "、".join(unknown)[:200]})
    kind = row.get("scheme") or SchemeKind.PROVINCIAL
    if kind not in (SchemeKind.PROVINCIAL, SchemeKind.NATIONAL):
        summary.error(index, "scheme", _("评价体系只能是 provincial 或 national（州综合考评在平台内评分）。"))
    year = int_of(row.get("year"), MIN_YEAR, MAX_YEAR)
    if year is None:
        summary.error(
            index, "year", _("评价年度应为 %(min)d—%(max)d 之间的整数。") % {"min": MIN_YEAR, "max": MAX_YEAR}
        )
    code = code_of(row, "zone", index, summary, _("开发区"), max_length=ZONE_CODE_LENGTH)
    zone = zones.get(code.lower()) if code else None  # `zones` by lower-case code
    if zone is not None and zone.code != code:
        summary.refuse(index, "zone", _case_variant(code, zone.code, zone.name))
    name = row.get("zone_name")
    if name is not None and (not isinstance(name, str) or not 0 < len(name.strip()) <= 60):
        # Of 1–60 characters (the schema's bounds) but blank is refused; anything else is invalid.
        blank = isinstance(name, str) and 0 < len(name) <= 60
        (summary.refuse if blank else summary.error)(index, "zone_name", _("开发区名称应为1—60个字符。"))
        name = None
    if zone is not None and name and name.strip() != zone.name:
        # A prefecture zone's result is stored under its own name: another name is another zone's result sent under
        # this code by mistake.
        summary.refuse(
            index,
            "zone_name",
            _("“%(code)s”是州内开发区“%(zone)s”的代码，开发区名称应为“%(zone)s”（或不填），不能是“%(name)s”。")
            % {"code": zone.code, "zone": zone.name, "name": name.strip()},
        )
    if code and zone is None and not name:
        summary.refuse(index, "zone_name", _("州外开发区“%(code)s”须填写开发区名称。") % {"code": code})
    if zone is not None and kind == SchemeKind.NATIONAL and zone.level != Zone.Level.NATIONAL:
        summary.refuse(
            index, "scheme", _("只有国家级开发区（%(zone)s不是）参加国家高新区综合评价。") % {"zone": zone.name}
        )
    total = None
    if row.get("total") is not None:
        total, message = decimal_of(row["total"], 2, Decimal("1e6"))
        if message:
            refusable = decimal_refusable(row["total"], -(10**6), 10**6, exclusive=True)
            (summary.refuse if refusable else summary.error)(index, "total", labelled(_("总分"), message))
    rank = None
    if row.get("rank") is not None:
        rank = int_of(row["rank"], 1, 10_000)
        if rank is None:
            summary.error(index, "rank", _("排名应为 1—10000 之间的整数（1为最好）。"))
    funding = row.get("funding_awarded", False)
    if funding is None:
        funding = False
    if not isinstance(funding, bool):
        summary.error(index, "funding_awarded", _("是否获省级资金补助应为 true 或 false。"))
    scores = _parse_sub_scores(index, row.get("sub_scores"), summary)
    if summary.error_count > before:
        return None
    return _Row(
        index=index,
        kind=kind,
        year=year,
        code=code,
        name=(name or zone.name).strip(),
        zone=zone,
        total=total,
        rank=rank,
        funding=funding,
        scores=scores,
    )


def results_import(
    *, rows, user, dry_run: bool = False, expected: dict[tuple, str] | None = None, from_template: bool = False
) -> ImportSummary:
    """Validate and upsert evaluation results with their sub-scores, keyed by (scheme, year, zone).

    One row: {"scheme": "provincial", "year": 2024, "zone": "lufeng", "total": "78.40", "rank": 21,
    "funding_awarded": false, "sub_scores": [{"indicator": "rd-intensity", "value": "1.8", "score": "62",
    "rank": 30}, ...]}; a zone outside the prefecture also gives "zone_name". The year's scheme must have
    been defined; every sub-indicator of the scheme is scored. A row replaces what is stored for its key.
    A stated total that is not the weighted sum of the sub-scores (when the scheme says it is) is stored
    and marked for review; a missing total is the weighted sum; missing ranks follow the totals.
    All-or-nothing like `ranking_import`; the rankings the rules read are then derived and the flags
    recomputed. `expected`: (scheme, year, zone) → `result_seen` of the stored result as a form showed it; a result
    changed (or entered) since then refuses its row: two people typing one result at once, the second is told.
    `from_template`: `expected` was read from a downloaded Excel template, so the refusal names the zone and the
    sub-indicators now stored otherwise than the row, and advises downloading the template again.
    """
    summary = ImportSummary(dry_run=dry_run)
    if batch_error(summary, rows):
        return summary
    codes = {row["zone"].strip() for row in rows if isinstance(row, dict) and isinstance(row.get("zone"), str)}
    # By lower-case code: "LUFENG" is found as lufeng, and refused as a variant of its code (not taken for a zone
    # outside the prefecture, which added a 67th zone to the year and moved every zone's N).
    lowered = {c.lower() for c in codes if CODE.fullmatch(c)}
    zones = {z.code.lower(): z for z in Zone.objects.annotate(code_lower=Lower("code")).filter(code_lower__in=lowered)}
    parsed = [r for r in (_parse_result(i, row, summary, zones) for i, row in enumerate(rows)) if r]
    schemes = {
        (s.kind, s.year): s
        for s in SchemeVersion.objects.filter(_keys_q({(r.kind, r.year) for r in parsed})).prefetch_related(
            "sub_indicators"
        )
    }
    seen: dict[tuple, int] = {}
    for row in parsed:
        scheme = schemes.get((row.kind, row.year))
        if scheme is None:
            summary.refuse(
                row.index, "year", _("%(year)s年的评价方案尚未定义，请先定义评价方案。") % {"year": row.year}
            )
            continue
        wanted = {s.code for s in scheme.sub_indicators.all()}
        if unknown := sorted(set(row.scores) - wanted):
            summary.refuse(
                row.index,
                "sub_scores",
                _("%(year)s年评价方案中没有分项：%(codes)s。") % {"year": row.year, "codes": "、".join(unknown)[:200]},
            )
        if missing := sorted(wanted - set(row.scores)):
            summary.refuse(
                row.index, "sub_scores", _("缺少分项得分：%(codes)s。") % {"codes": "、".join(missing)[:200]}
            )
        key = (row.kind, row.year, row.code.lower())  # codes differing in case only are one zone's
        if key in seen:
            summary.refuse(
                row.index, None, _("与第 %(first)d 行（从0起计）的评价体系、年度和开发区重复。") % {"first": seen[key]}
            )
        seen.setdefault(key, row.index)
    if summary.errors:
        return summary
    try:
        with transaction.atomic():
            _results_write(parsed, schemes, user, summary, dry_run, expected or {}, from_template)
    except IntegrityError as error:
        raise ImportConflict(str(error)) from error
    return summary


def _stale_template_row(row: _Row, scheme: SchemeVersion, stored: EvaluationResult | None, scores: dict) -> str:
    """The refusal of a template row whose zone's result was changed or entered since the template was downloaded:
    it names the zone and the sub-indicators whose stored value, score or rank is not the row's."""
    differing = []
    for sub in scheme.sub_indicators.all():
        current = scores.get((stored.pk, sub.pk)) if stored is not None else None
        now = (current.value, current.score, current.rank) if current is not None else (None, None, None)
        if now != row.scores.get(sub.code):
            differing.append(sub.name)
    if not differing:
        return _("%(zone)s的评价结果在模板下载后已被他人修改或录入：请重新下载模板，在新模板中填写后再上传。") % {
            "zone": row.name
        }
    return _(
        "%(zone)s的评价结果在模板下载后已被他人修改或录入，现存的分项%(subs)s与本行不同："
        "请重新下载模板，在新模板中填写后再上传。"
    ) % {"zone": row.name, "subs": "、".join(f"“{name}”" for name in differing)[:200]}


def _stale_entry(row: _Row, stored: EvaluationResult | None) -> str:
    """The refusal of a typed-in result whose zone's result was entered, changed or deleted since its form was drawn:
    what is stored now. The form comes back with what was typed, ready to be sent again (`ResultEntryForm.seen_now`)."""
    if stored is None:
        return _("%(zone)s的评价结果已被他人删除。") % {"zone": row.name}
    return _("%(zone)s的评价结果已被他人于%(when)s保存为总分%(total)s、排名%(rank)s。") % {
        "zone": stored.zone_name,
        "when": dates.moment(stored.updated_at),
        "total": "—" if stored.total is None else stored.total,
        "rank": "—" if stored.rank is None else stored.rank,
    }


def _case_variant(code: str, stored: str, name: str) -> str:
    return _("开发区代码“%(code)s”与已有的代码“%(stored)s”（%(name)s）仅大小写不同，请使用“%(stored)s”。") % {
        "code": code,
        "stored": stored,
        "name": name,
    }


def _results_check(parsed: list[_Row], schemes: dict, existing: dict, summary: ImportSummary) -> dict[int, tuple]:
    """The rules between a batch and the results stored in its schemes (read under the schemes' lock), and what each
    row states: row index → (stated total, stated rank) to store.

    - A new code may not be a stored one in another case ("LUFENG" beside lufeng), nor carry the name of another
      code's result: either would add a phantom zone to the year, and N, the number of zones ranked, with it.
    - A stated rank lies within 1..N, N counted after the batch (a rank of 9999 of 66 left every rule of the zone
      unable to judge).
    - A total or rank sent equal to what the portal computes is not stored as stated, so that a result sent back as
      the list gave it (which gives the computed total and rank) is unchanged and keeps following its sub-scores.
    """
    stated: dict[int, tuple] = {}
    for scheme in schemes.values():
        rows = [row for row in parsed if (row.kind, row.year) == (scheme.kind, scheme.year)]
        if not rows:
            continue
        stored = {code: result for (scheme_id, code), result in existing.items() if scheme_id == scheme.pk}
        stored_lower = {code.lower(): result for code, result in stored.items()}
        names = {code: result.zone_name for code, result in stored.items()}
        names.update({row.code: row.name for row in rows})
        for row in rows:
            if row.code in stored:
                continue
            if (variant := stored_lower.get(row.code.lower())) is not None:
                summary.refuse(row.index, "zone", _case_variant(row.code, variant.zone_code, variant.zone_name))
            elif other := sorted(code for code, name in names.items() if name == row.name and code != row.code):
                summary.refuse(
                    row.index,
                    "zone",
                    _(
                        "开发区名称“%(name)s”已用于代码“%(other)s”（%(year)d年同一评价）：同一开发区只能有一个代码，"
                        "请使用“%(other)s”。"
                    )
                    % {"name": row.name, "other": other[0], "year": row.year},
                )
        weights = [(sub.code, sub.weight) for sub in scheme.sub_indicators.all()]
        computed = {
            row.code: scoring.weighted_sum((weight, row.scores[code][1]) for code, weight in weights) for row in rows
        }
        totals = {code: result.total for code, result in stored.items()}
        totals.update({row.code: computed[row.code] if row.total is None else row.total for row in rows})
        ranks = scoring.competition_ranks(totals)
        for row in rows:
            if row.rank is not None and row.rank > len(totals):
                summary.refuse(
                    row.index,
                    "rank",
                    _("排名（%(rank)d）不能大于%(year)d年参评开发区数（%(total)d，含本批数据）。")
                    % {"rank": row.rank, "year": row.year, "total": len(totals)},
                )
            result = stored.get(row.code)
            stated[row.index] = (
                _stated(row.total, computed[row.code], result.stated_total if result else None),
                _stated(row.rank, ranks.get(row.code), result.stated_rank if result else None),
            )
    return stated


def _stated(sent, computed, stored):
    """What to store as stated of a value `sent` (None: not sent) where the portal computes `computed`: nothing when
    they agree (the value keeps following the computation), unless that very value was stated before (a round trip
    changes nothing)."""
    if sent is None or sent != computed:
        return sent
    return stored if stored == sent else None


def _keys_q(keys) -> Q:
    wanted = Q(pk__in=[])
    for kind, year in keys:
        wanted |= Q(kind=kind, year=year)
    return wanted


def result_seen(result: EvaluationResult | None) -> str:
    """What a form remembers of the stored result it showed: when it was last written ("" when there was none)."""
    return result.updated_at.isoformat() if result is not None else ""


def _results_write(
    parsed: list[_Row],
    schemes: dict,
    user,
    summary: ImportSummary,
    dry_run: bool,
    expected: dict[tuple, str],
    from_template: bool,
) -> None:
    locked = SchemeVersion.objects.filter(pk__in=[s.pk for s in schemes.values()])
    if not dry_run:
        list(locked.order_by("pk").select_for_update())  # one global lock order: no deadlock
    existing = {(r.scheme_id, r.zone_code): r for r in EvaluationResult.objects.filter(scheme__in=schemes.values())}
    scores = {(s.result_id, s.sub_indicator_id): s for s in SubScore.objects.filter(result__in=existing.values())}
    for row in parsed:  # as the writer saw them (the schemes are locked: nobody writes them meanwhile)
        key = (row.kind, row.year, row.code)
        stored = existing.get((schemes[(row.kind, row.year)].pk, row.code))
        if key in expected and expected[key] != result_seen(stored):
            if from_template:
                message = _stale_template_row(row, schemes[(row.kind, row.year)], stored, scores)
            else:
                message = _stale_entry(row, stored)
            summary.refuse(row.index, None, message)
            summary.stale_count += 1
    if summary.errors:
        return
    stated = _results_check(parsed, schemes, existing, summary)
    if summary.errors:
        return
    now = timezone.now()
    new_results, changed_results, new_scores, changed_scores = [], [], [], []
    for row in parsed:
        scheme = schemes[(row.kind, row.year)]
        subs = {s.code: s for s in scheme.sub_indicators.all()}
        result = existing.get((scheme.pk, row.code))
        fields = {
            "zone_name": row.name,
            "zone": row.zone,
            "stated_total": stated[row.index][0],
            "stated_rank": stated[row.index][1],
            "funding_awarded": row.funding,
        }
        changed = False
        if result is None:
            result = EvaluationResult(scheme=scheme, zone_code=row.code, **fields)
            new_results.append(result)
        elif any(getattr(result, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(result, name, value)
            result.updated_at = now
            changed_results.append(result)
            changed = True
        for code, (value, score, rank) in row.scores.items():
            sub = subs[code]
            current = scores.get((result.pk, sub.pk)) if result.pk else None
            if current is None:
                new_scores.append(SubScore(result=result, sub_indicator=sub, value=value, score=score, rank=rank))
                changed = True
            elif (current.value, current.score, current.rank) != (value, score, rank):
                current.value, current.score, current.rank, current.updated_at = value, score, rank, now
                changed_scores.append(current)
                changed = True
        if result.pk is None:
            summary.created += 1
        elif changed:
            if result not in changed_results:  # its sub-scores only: the result was written all the same
                result.updated_at = now
                changed_results.append(result)
            summary.updated += 1
        else:
            summary.unchanged += 1
    if dry_run:
        return
    if new_results:
        bulk_create_with_history(
            new_results, EvaluationResult, batch_size=500, default_user=user, default_change_reason=RESULT_CHANGE_REASON
        )
        # bulk_create on SQLite does not set pks on the objects the scores point at: read them back.
        ids = {(r.scheme_id, r.zone_code): r.pk for r in EvaluationResult.objects.filter(scheme__in=schemes.values())}
        for score in new_scores:
            score.result_id = ids[(score.result.scheme_id, score.result.zone_code)]
    if changed_results:
        bulk_update_with_history(
            changed_results,
            EvaluationResult,
            ["zone_name", "zone", "stated_total", "stated_rank", "funding_awarded", "updated_at"],
            batch_size=500,
            default_user=user,
            default_change_reason=RESULT_CHANGE_REASON,
        )
    if new_scores:
        bulk_create_with_history(
            new_scores, SubScore, batch_size=1000, default_user=user, default_change_reason=RESULT_CHANGE_REASON
        )
    if changed_scores:
        bulk_update_with_history(
            changed_scores,
            SubScore,
            ["value", "score", "rank", "updated_at"],
            batch_size=1000,
            default_user=user,
            default_change_reason=RESULT_CHANGE_REASON,
        )
    if new_results or changed_results or new_scores or changed_scores:
        # Only the rankings of the zones this batch changed, directly or through the ranks it moved: another zone's
        # ranking may have been set since through /rankings/, and stays as it was.
        # (A result whose sub-scores alone changed is among the changed results.)
        touched = {r.zone_id for r in (*new_results, *changed_results)}
        for scheme in schemes.values():
            moved = results_settle(scheme=scheme)
            rankings_derive(scheme=scheme, zone_ids=touched | moved)
        enqueue_on_commit(recompute_flags)


# --------------------------------------------------------------------------- totals, review, ranks, rankings


def results_settle(*, scheme: SchemeVersion) -> set[int]:
    """Weighted sums, the review mark of totals that disagree with them, missing totals and missing ranks. Returns
    the zones whose total or rank this changed."""
    subs = list(scheme.sub_indicators.all())
    results = list(scheme.results.prefetch_related("sub_scores"))
    before = {result.pk: (result.total, result.rank) for result in results}
    for result in results:
        by_sub = {s.sub_indicator_id: s.score for s in result.sub_scores.all()}
        result.weighted_sum = scoring.weighted_sum((sub.weight, by_sub.get(sub.pk)) for sub in subs)
        result.total = result.stated_total if result.stated_total is not None else result.weighted_sum
        result.review = scoring.total_review(
            total=result.stated_total, computed=result.weighted_sum, must_match=scheme.total_is_weighted_sum
        )
    ranks = scoring.competition_ranks({r.zone_code: r.total for r in results})
    for result in results:
        result.rank = result.stated_rank or ranks.get(result.zone_code)
    if results:
        EvaluationResult.objects.bulk_update(results, ["weighted_sum", "total", "review", "rank"], batch_size=500)
    return {result.zone_id for result in results if before[result.pk] != (result.total, result.rank)}


def rankings_derive(*, scheme: SchemeVersion, zone_ids: set[int] | None = None) -> None:
    """The Evaluation and Ranking rows the accountability rules read, from the scheme's results.

    N is the number of zones with a result; each prefecture zone's rank, total and funding mark are
    copied — of `zone_ids` only, when given (the zones an import changed). Rankings of zones without a result in
    this year, or not among `zone_ids`, are left as they are (as imported through /rankings/).
    """
    if scheme.kind == SchemeKind.PREFECTURE:
        return
    results = [r for r in scheme.results.all() if r.zone_id and r.rank and (zone_ids is None or r.zone_id in zone_ids)]
    total_zones = scheme.results.count()
    if not total_zones:
        return
    # Locked, as the ranking import (/rankings/) locks it: the rankings of an evaluation are written one writer at a
    # time, so that a zone's ranking sent by the province while its result is entered here is inserted once and then
    # updated (two inserts failed on the unique (evaluation, zone) index). A first evaluation of the year inserted by
    # both at once is found by get_or_create.
    rankings_writer()
    evaluation, created = Evaluation.objects.select_for_update().get_or_create(
        scheme=scheme.kind, year=scheme.year, defaults={"total_zones": total_zones, "is_demo": scheme.is_demo}
    )
    if not created and evaluation.total_zones != total_zones:
        evaluation.total_zones = total_zones
        evaluation.save(update_fields=["total_zones", "updated_at"])
    existing = {r.zone_id: r for r in evaluation.rankings.all()}
    now = timezone.now()
    to_create, to_update = [], []
    for result in results:
        ranking = existing.get(result.zone_id)
        if ranking is None:
            to_create.append(
                Ranking(
                    evaluation=evaluation,
                    zone_id=result.zone_id,
                    rank=result.rank,
                    score=result.total,
                    funding_awarded=result.funding_awarded,
                )
            )
        elif (ranking.rank, ranking.score, ranking.funding_awarded) != (
            result.rank,
            result.total,
            result.funding_awarded,
        ):
            ranking.rank, ranking.score, ranking.funding_awarded = result.rank, result.total, result.funding_awarded
            ranking.updated_at = now
            to_update.append(ranking)
    if to_create:
        bulk_create_with_history(to_create, Ranking, default_change_reason=RESULT_CHANGE_REASON)
    if to_update:
        bulk_update_with_history(
            to_update,
            Ranking,
            ["rank", "score", "funding_awarded", "updated_at"],
            default_change_reason=RESULT_CHANGE_REASON,
        )


# --------------------------------------------------------------------------- the prefecture's 综合考评


def _targets_met(zone: Zone, year: int) -> tuple[int, int]:
    """(targets met, targets due) of a zone's own targets for the year, by their latest progress in the year."""
    due = met = 0
    latest: dict[int, str] = {}
    rows = (
        ProgressResult.objects.filter(target__zone=zone, target__year=year, period__year=year)
        .order_by("target_id", "period__end")
        .values_list("target_id", "status")
    )
    for target_id, status in rows:
        latest[target_id] = status
    for target_id in Target.objects.filter(zone=zone, year=year).values_list("pk", flat=True):
        due += 1
        met += latest.get(target_id) == ProgressResult.Status.GREEN
    return met, due


def _reports_on_time(zone: Zone, year: int, today) -> tuple[int, int]:
    """(reports first submitted by their deadline, reports whose deadline has passed) of a zone in the year; a report
    the office waived is neither."""
    reports = (
        DispatchReport.objects.counted()
        .filter(zone=zone, period__year=year, period__deadline__lt=today)
        .values_list("first_submitted_at", "period__deadline")
    )
    due = on_time = 0
    for submitted, deadline in reports:
        due += 1
        on_time += submitted is not None and timezone.localdate(submitted) <= deadline
    return on_time, due


def _work_items_on_time(zone: Zone, year: int, today) -> tuple[int, int]:
    """(work items done by their deadline, work items due) of the zone's management committee in the year's
    adopted 重点工作任务清单. An item is due once its deadline has passed or it is done."""
    items = WorkItem.objects.filter(zone=zone, task_list__year=year, task_list__state=TaskList.State.ADOPTED)
    due = on_time = 0
    for status, done_on, deadline in items.values_list("status", "done_on", "due_date"):
        done = status == WorkItem.Status.DONE
        if not done and deadline >= today:
            continue
        due += 1
        on_time += done and done_on is not None and done_on <= deadline
    return on_time, due


_COMPUTED = {
    SubIndicator.Method.TARGETS_MET: "targets_met",
    SubIndicator.Method.REPORTS_ON_TIME: "reports_on_time",
    SubIndicator.Method.WORK_ITEMS: "work_items",
}

# The scoring methods the define page offers on the prefecture's 考评: by hand, and what `_score_computed` computes.
# 导入得分 is not among them: the 考评 is scored in the portal, never imported (`results_import` takes provincial and
# national results only, and the enter and upload pages answer 404 for it), so choosing it on the page would promise an
# import that does not exist. The admin may still set it (say, for a score another department gives); such a
# sub-indicator is scored by hand on the scheme page like 人工评分, and the define page keeps it as stored.
PREFECTURE_PAGE_METHODS = (SubIndicator.Method.MANUAL, *_COMPUTED)


def prefecture_editable(scheme: SchemeVersion) -> None:
    if scheme.kind != SchemeKind.PREFECTURE:
        raise EvaluationError(_("只有州开发区年度综合考评在平台内评分。"))
    if scheme.state == SchemeVersion.State.PUBLISHED:
        raise EvaluationError(_("考评结果已发布，不能再修改。"))


@transaction.atomic
def prefecture_compute(*, scheme: SchemeVersion, user, today) -> int:
    """Open a result for every prefecture zone and score the parts the portal can compute. Returns scores set.

    Hand scores are never overwritten; computed scores are recomputed each time.
    """
    scheme = SchemeVersion.objects.select_for_update().get(pk=scheme.pk)
    prefecture_editable(scheme)
    count = _score_computed(scheme, today)
    results_settle(scheme=scheme)
    return count


def _score_computed(scheme: SchemeVersion, today) -> int:
    """Open a result for every zone and (re)score the sub-indicators the portal computes, from today's data; hand
    scores are kept. Returns the scores set."""
    zones = list(Zone.objects.order_by("order"))
    results = {r.zone_id: r for r in scheme.results.all()}
    for zone in zones:
        if zone.pk not in results:
            results[zone.pk] = EvaluationResult.objects.create(
                scheme=scheme, zone=zone, zone_code=zone.code, zone_name=zone.name
            )
    computed = [s for s in scheme.sub_indicators.all() if s.method in _COMPUTED]
    by_hand = set(
        SubScore.objects.filter(result__scheme=scheme, source=SubScore.Source.MANUAL).values_list(
            "result__zone_id", "sub_indicator_id"
        )
    )
    count = 0
    for zone in zones:
        for sub in computed:
            if (zone.pk, sub.pk) in by_hand:
                continue
            if sub.method == SubIndicator.Method.TARGETS_MET:
                done, due = _targets_met(zone, scheme.year)
            elif sub.method == SubIndicator.Method.WORK_ITEMS:
                done, due = _work_items_on_time(zone, scheme.year, today)
            else:
                done, due = _reports_on_time(zone, scheme.year, today)
            score = scoring.share_score(done, due)
            SubScore.objects.update_or_create(
                result=results[zone.pk],
                sub_indicator=sub,
                defaults={
                    "score": score,
                    "value": score,
                    "source": SubScore.Source.COMPUTED,
                    "scorer": None,
                    "reason": "",
                    "inputs": {"method": _COMPUTED[sub.method], "done": done, "due": due},
                },
            )
            count += 1
    return count


def sub_score_token(sub_score: SubScore | None) -> str:
    """A zone's score on a sub-indicator as a page shows it (score, computed or by hand, scorer, reason), as a short
    token; "" for no score."""
    if sub_score is None or sub_score.score is None:
        return ""
    shown = (str(sub_score.score), sub_score.source, sub_score.scorer_id, sub_score.reason)
    return shown_token(*shown)


@transaction.atomic
def prefecture_hand_score(
    *,
    scheme: SchemeVersion,
    zone: Zone,
    sub_indicator: SubIndicator,
    score: Decimal,
    reason: str,
    user,
    seen: str | None = None,
) -> SubScore:
    """A hand score, with its scorer and reason: of a manual sub-indicator, or in place of a computed one
    (where the portal has nothing to compute from, or the office corrects it). `seen`: the `sub_score_token` of the
    score the user's page showed ("" none; None, the default: not checked): a score given or computed since then is
    not scored over unseen."""
    scheme = SchemeVersion.objects.select_for_update().get(pk=scheme.pk)
    prefecture_editable(scheme)
    if sub_indicator.scheme_id != scheme.pk:
        raise EvaluationError(_("该分项不属于本方案。"))
    # The scheme is locked (every score of it is written under that lock): a page left open meets a change here.
    stored = SubScore.objects.filter(result__scheme=scheme, result__zone_code=zone.code, sub_indicator=sub_indicator)
    stored = stored.select_related("scorer").first()
    if seen is not None and sub_score_token(stored) != seen:
        raise stale(
            EvaluationError(
                _("%(zone)s“%(sub)s”的得分已被他人改为%(score)s。")
                % {
                    "zone": zone.name,
                    "sub": sub_indicator.name,
                    "score": stored.score if stored is not None and stored.score is not None else "—",
                }
            ),
            sub_score_token(stored),
        )
    if not 0 <= score <= 100:
        raise EvaluationError(_("得分应在0—100之间（百分制）。"))
    reason = reason.strip()
    if not reason:
        raise EvaluationError(_("人工评分必须填写评分理由。"))
    result, _created = EvaluationResult.objects.get_or_create(
        scheme=scheme, zone_code=zone.code, defaults={"zone": zone, "zone_name": zone.name}
    )
    sub_score, _created = SubScore.objects.update_or_create(
        result=result,
        sub_indicator=sub_indicator,
        defaults={
            "score": score,
            "value": score,
            "source": SubScore.Source.MANUAL,
            "scorer": user,
            "reason": reason,
            "inputs": {},
        },
    )
    results_settle(scheme=scheme)
    return sub_score


def _unscored(scheme: SchemeVersion) -> list[tuple[str, str]]:
    """(zone, sub-indicator) names of every pair of the prefecture's zones and the scheme's sub-indicators without a
    score, in the zones' and the scheme's order."""
    subs = list(scheme.sub_indicators.all())
    scored = {
        (result.zone_id, sub_score.sub_indicator_id)
        for result in scheme.results.prefetch_related("sub_scores")
        for sub_score in result.sub_scores.all()
        if sub_score.score is not None
    }
    zones = Zone.objects.order_by("order")
    return [(zone.name, sub.name) for zone in zones for sub in subs if (zone.pk, sub.pk) not in scored]


UNSCORED_NAMED = 5  # the refusal names this many pairs, then says how many more


def _unscored_message(missing: list[tuple[str, str]]) -> str:
    pairs = _("、").join(_("%(zone)s·%(sub)s") % {"zone": zone, "sub": sub} for zone, sub in missing[:UNSCORED_NAMED])
    words = {"missing": len(missing), "pairs": pairs}
    if len(missing) > UNSCORED_NAMED:
        return _("还有%(missing)s项得分未评定，全部评定后才能发布：%(pairs)s等。") % words
    return _("还有%(missing)s项得分未评定，全部评定后才能发布：%(pairs)s。") % words


@transaction.atomic
def prefecture_publish(*, scheme: SchemeVersion, user, today=None) -> SchemeVersion:
    """Publish the year's 考评: every zone scored on every sub-indicator; totals and ranks fixed. The computed
    parts are scored again from the data as it stands when published (progress and reports move on after the
    office's last 计算得分), so that what is published never rests on figures the data has since left."""
    scheme = SchemeVersion.objects.select_for_update().get(pk=scheme.pk)
    prefecture_editable(scheme)
    _score_computed(scheme, today or timezone.localdate())
    missing = _unscored(scheme)
    if missing:
        raise EvaluationError(_unscored_message(missing))
    results_settle(scheme=scheme)
    scheme.state, scheme.published_at, scheme.published_by = SchemeVersion.State.PUBLISHED, timezone.now(), user
    scheme.save(update_fields=["state", "published_at", "published_by", "updated_at"])
    return scheme


# --------------------------------------------------------------------------- 整改, followed as supervision items


def rectification_open(*, user, sub_score: SubScore, measure: str, body, deadline, lost=None) -> SupervisionItem:
    """整改: the office sends a zone's weak sub-indicator, with the measure (整改和发展措施), to a body by a
    deadline. It is a supervision item of source "evaluation gap" (交办 → 反馈 → 催办 → 退回 → 办结/评价),
    pointing at the sub-score it comes from; the supervision workflow's rules apply unchanged."""
    result, sub = sub_score.result, sub_score.sub_indicator
    facts = {
        "year": result.scheme.year,
        "scheme": kept(SchemeKind(result.scheme.kind).label),  # a catalogue message, worded for each reader
        "zone": result.zone_name,
        "group": sub.group,
        "name": sub.name,
    }
    if lost is not None:
        facts["lost"] = str(lost)
    return supervision_issue(
        user=user,
        body=body,
        source=SupervisionItem.Source.EVALUATION_GAP,
        source_object=sub_score,
        source_facts=facts,
        requirement=measure,
        deadline=deadline,
    )
