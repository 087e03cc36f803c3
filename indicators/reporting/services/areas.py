"""Writes of area (片区) figures: saved, and the progress of what depends on their zone recomputed."""

from django.db import transaction

from indicators.models import AreaFigure
from indicators.progress.services import progress_recompute, targets_for_values


def _recompute_zone_of(figure: AreaFigure) -> None:
    keys = [(figure.indicator_id, "zone", figure.area.zone_id, None)]
    progress_recompute(target_ids=targets_for_values(keys))


@transaction.atomic
def area_figure_save(figure: AreaFigure) -> AreaFigure:
    figure.full_clean()
    figure.save()
    _recompute_zone_of(figure)
    return figure


@transaction.atomic
def area_figure_delete(figure: AreaFigure) -> None:
    figure.delete()
    _recompute_zone_of(figure)
