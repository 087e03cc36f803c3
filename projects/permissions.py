"""Who may do what with projects. Reports follow indicators.reporting.permissions (the same workflow and rights).

The office keeps every project and adopts the yearly list; a zone's statistician and leader keep their own
zone's projects in the reserve pool. Everyone with a role reads.
"""

from chuxiong_portal.access import is_office, is_zone_user
from indicators.reporting.permissions import can_view


def can_manage(user, zone_id: int | None) -> bool:
    if is_office(user):
        return True
    return bool(is_zone_user(user) and zone_id and user.zone_id == zone_id)


def can_adopt(user) -> bool:
    """Adopting the yearly list and changing its baseline is the office's decision."""
    return is_office(user)


def can_view_report(user, report) -> bool:
    """As for dispatch reports (`indicators.reporting.permissions.can_view`): a zone user reads another zone's
    project reports once approved, and at every stage those filed by their zone or on their zone's projects."""
    if can_view(user, report):
        return True
    return bool(is_zone_user(user) and user.is_active and user.zone_id and report.project.zone_id == user.zone_id)
