"""Writes of area (片区) figures: saved, and the progress of what depends on their zone recomputed."""

from django.db import transaction

from chuxiong_portal.db import serialised
from indicators.models import AreaFigure
from indicators.progress.services import progress_recompute, targets_for_values


def area_figure_queued(area_id, indicator_id, period_id) -> None:
    """Queue this transaction behind any other writing the same area's figure of the indicator for the period, until
    it ends: two admins adding it at once would both pass the unique check, and on PostgreSQL the second would fail
    on the unique index. Queued, the second's check finds the first's figure. Call it inside `atomic`, before the
    check."""
    serialised(f"area-figure:{area_id}:{indicator_id}:{period_id}")


def _recompute_zone_of(figure: AreaFigure) -> None:
    keys = [(figure.indicator_id, "zone", figure.area.zone_id, None)]
    progress_recompute(target_ids=targets_for_values(keys))


@transaction.atomic
def area_figure_save(figure: AreaFigure) -> AreaFigure:
    area_figure_queued(figure.area_id, figure.indicator_id, figure.period_id)
    figure.full_clean()
    figure.save()
    _recompute_zone_of(figure)
    return figure


@transaction.atomic
def area_figure_delete(figure: AreaFigure) -> None:
    figure.delete()
    _recompute_zone_of(figure)
