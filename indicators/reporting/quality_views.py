"""The data-quality page: the warnings of the checks between values, for the office and the reviewers."""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuxiong_portal import dates
from chuxiong_portal.forms import say_kept
from chuxiong_portal.security import role_required
from chuxiong_portal.stale import current_of
from indicators import selectors
from indicators.models import DataQualityWarning

from . import permissions, services
from .forms import AcknowledgeForm

PAGE_SIZE = 100
# The note of an acknowledgement refused for a page left open, kept in the session for the next view of the page
# (post/redirect/get), which draws the warning as it is now with the note typed, to be sent again.
KEPT_NOTE = "indicators:data-quality:kept-note"


def describe(warning: DataQualityWarning) -> str:
    """The finding in the user's language, from the rule's code and parameters."""
    try:
        return _describe(warning.rule, warning.params)
    except (KeyError, TypeError, ValueError):
        # A warning written by hand (the admin) may lack parameters: its rule still says what is wrong.
        return warning.get_rule_display()


def _describe(rule: str, p: dict) -> str:
    if rule == DataQualityWarning.Check.CLUSTER_ABOVE_ZONES:
        return _("集群产值%(cluster)s高于所依托园区产值之和%(total)s") % {
            "cluster": _number(p["cluster"]),
            "total": _number(p["zones_total"]),
        }
    if rule == DataQualityWarning.Check.YTD_FALLS:
        return _("年内累计值%(current)s低于上期（截至%(date)s）的%(previous)s") % {
            "current": _number(p["current"]),
            "previous": _number(p["previous"]),
            "date": dates.day(date.fromisoformat(p["previous_period_end"])),
        }
    if rule == DataQualityWarning.Check.NUMERATOR_ABOVE_DENOMINATOR:
        return _("分子%(numerator)s大于分母%(denominator)s") % {
            "numerator": _number(p["numerator"]),
            "denominator": _number(p["denominator"]),
        }
    return _("填报增速%(reported)s%%，按本期与上年同期总量计算应为%(implied)s%%") % {
        "reported": _number(p["reported"]),
        "implied": _number(p["implied"]),
    }


def _number(value) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def shown_value(value) -> str:
    """The value of the 数值 column in the finding's notation (thousands separated, no trailing zeros), to all the
    four decimals it is stored with: 306.51 beside 「年内累计值306.51…」, not 306.5100."""
    if value is None:
        return "—"
    text = f"{value:,.4f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _forbidden(request):
    return render(
        request,
        "dashboards/forbidden.html",
        {"message": _("数据质量页面仅供州开发区办、部门审核员和园区领导查阅。")},
        status=403,
    )


@role_required
def data_quality(request):
    if not permissions.may_read_data_quality(request.user):
        return _forbidden(request)
    state = request.GET.get("state", "open")
    state = state if state in {"open", "acknowledged", "all"} else "open"
    rule = request.GET.get("rule", "")
    rule = rule if rule in DataQualityWarning.Check.values else ""
    warnings = selectors.quality_warnings_for_user(request.user, state=state, rule=rule)
    page = Paginator(warnings, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = request.session.pop(KEPT_NOTE, None) or {}
    rows = [
        {
            "warning": w,
            "text": describe(w),
            "value": shown_value(w.value.value),
            "can_acknowledge": services.can_acknowledge(request.user, w),
            "seen": services.quality_warning_token(w),
            "note": kept.get("note", "") if kept.get("warning") == w.pk else "",
        }
        for w in page.object_list
    ]
    if any(row["note"] and row["can_acknowledge"] and not row["warning"].is_acknowledged for row in rows):
        say_kept(request)
    return render(
        request,
        "indicators/data_quality.html",
        {
            "page": page,
            "rows": rows,
            "state": state,
            "rule": rule,
            "rules": DataQualityWarning.Check.choices,
            "counts": selectors.quality_warning_counts(request.user),
        },
    )


@require_POST
@role_required
def data_quality_acknowledge(request, pk: int):
    if not permissions.may_read_data_quality(request.user):
        return _forbidden(request)
    warning = get_object_or_404(selectors.quality_warnings_for_user(request.user, state="all"), pk=pk)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():  # too long, or a character no text may hold: said, nothing written
        messages.error(request, _("；").join(message for errors in form.errors.values() for message in errors))
        return redirect("data-quality")
    try:
        data = form.cleaned_data
        services.quality_warning_acknowledge(warning=warning, user=request.user, note=data["note"], seen=data["seen"])
    except services.QualityError as error:
        messages.error(request, str(error))
        if current_of(error) is not None:  # changed since the page was drawn: drawn again as it is, the note kept
            request.session[KEPT_NOTE] = {"warning": warning.pk, "note": data["note"]}
    else:
        messages.success(request, _("已确认该数据质量提示。"))
    return redirect("data-quality")
