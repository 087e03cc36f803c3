"""Query filters of the indicators API. A zone, cluster or indicator code that does not exist matches no row."""

from django_filters import rest_framework as filters

from chuxiong_portal.api_support import SafeIsoDateTimeFilter, UpdatedSinceFilterSet, code_filter

from .models import Cadence, Indicator, IndicatorValue, ProgressResult, Target


def _zone(field_name: str = "zone"):
    return code_filter(field_name, "开发区代码 Zone code")


def _cluster(field_name: str = "cluster"):
    return code_filter(field_name, "产业集群代码 Cluster code")


def _indicator(field_name: str = "indicator"):
    return code_filter(field_name, "指标代码 Indicator code")


class IndicatorFilter(filters.FilterSet):
    task = filters.NumberFilter(field_name="task__number", label="来源任务序号 Source task number")
    owner = filters.CharFilter(field_name="owner__slug", label="填报单位代码 Reporting unit slug")

    class Meta:
        model = Indicator
        fields = ["task", "kind", "cadence", "owner"]


class TargetFilter(filters.FilterSet):
    zone = _zone()
    cluster = _cluster()
    indicator = _indicator()

    class Meta:
        model = Target
        fields = ["zone", "cluster", "indicator", "year", "scope"]


class PeriodRangeMixin(filters.FilterSet):
    year = filters.NumberFilter(field_name="period__year", label="调度期所在年度 Year of the period")
    cadence = filters.ChoiceFilter(field_name="period__cadence", choices=Cadence.choices, label="调度期频次 Cadence")
    period_from = filters.DateFilter(
        field_name="period__end",
        lookup_expr="gte",
        label="调度期截止日期不早于（YYYY-MM-DD）Periods ending on or after",
    )
    period_to = filters.DateFilter(
        field_name="period__end",
        lookup_expr="lte",
        label="调度期截止日期不晚于（YYYY-MM-DD）Periods ending on or before",
    )


class IndicatorValueFilter(PeriodRangeMixin, UpdatedSinceFilterSet):
    zone = _zone()
    cluster = _cluster()
    indicator = _indicator()

    class Meta:
        model = IndicatorValue
        fields = [
            "zone",
            "cluster",
            "indicator",
            "scope",
            "source",
            "year",
            "cadence",
            "period_from",
            "period_to",
            "updated_since",
        ]


class ProgressFilter(PeriodRangeMixin):
    zone = _zone("target__zone")
    cluster = _cluster("target__cluster")
    indicator = _indicator("target__indicator")
    target = filters.NumberFilter(field_name="target_id", label="目标 id Target id", min_value=1, max_value=2**53)
    scope = filters.ChoiceFilter(field_name="target__scope", choices=Target._meta.get_field("scope").choices)
    updated_since = SafeIsoDateTimeFilter(
        field_name="computed_at",
        lookup_expr="gte",
        label="只返回该时间（含）之后重新计算的结果，ISO 8601。Results computed at or after this datetime.",
    )

    class Meta:
        model = ProgressResult
        fields = [
            "zone",
            "cluster",
            "indicator",
            "target",
            "scope",
            "status",
            "year",
            "cadence",
            "period_from",
            "period_to",
            "updated_since",
        ]


class ReconciliationFilter(filters.FilterSet):
    zone = _zone()
    indicator = _indicator()
    year = filters.NumberFilter(field_name="period__year", label="调度期所在年度 Year of the period")

    class Meta:
        model = IndicatorValue
        fields = ["zone", "indicator", "year"]
