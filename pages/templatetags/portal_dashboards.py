"""Template filters of the dashboards: long tables' rows written once in Python (`pages.dashboards`), not cell by
cell in the template."""

from django import template

from pages import dashboards

register = template.Library()


@register.filter
def flag_rows_html(rows, hide_zone=False):
    """``{{ rows|flag_rows_html }}`` (``:True`` to name each flag's scheme, not its zone): the rows of
    dashboards/_flags.html."""
    return dashboards.flag_rows_html(rows, hide_zone=bool(hide_zone))


@register.filter
def change_rows_html(changes):
    """``{{ changes|change_rows_html }}``: the rows of dashboards/_changes.html."""
    return dashboards.change_rows_html(changes)


@register.filter
def headline_rows_html(headlines):
    """``{{ headlines|headline_rows_html }}``: the rows of the bulletin's table of the zones' headline figures."""
    return dashboards.headline_rows_html(headlines)


@register.filter
def zone_cards_html(headlines):
    """``{{ headlines|zone_cards_html }}``: the overview's zone cards."""
    return dashboards.zone_cards_html(headlines)


@register.filter
def board_html(board):
    """``{{ board|board_html }}``: the overview's programmes and task tiles."""
    return dashboards.board_html(board)
