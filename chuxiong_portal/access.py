"""Who a user is to the portal: the questions every app asks of an account, answered in one place.

The domain apps' own permission modules (`indicators.reporting.permissions`, `supervision.permissions`,
`projects.permissions`) answer what may be done with their records, and build on these answers.
This module imports nothing above the base layer.
"""

from django.db.models import QuerySet

from .roles import ZONE_ROLES, Role


def has_role(user) -> bool:
    """An active account with a role (or a superuser): may use the portal at all."""
    return bool(user.is_authenticated and user.is_active and (user.role or user.is_superuser))


def is_office(user) -> bool:
    """The prefecture office (州开发区办) or a superuser: sees and manages everything."""
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.role == Role.PREFECTURE_OFFICE))


def is_zone_user(user) -> bool:
    """A zone's own user (leader, statistician, management committee): limited to their zone."""
    return bool(user.is_authenticated and user.role in ZONE_ROLES and not is_office(user))


def may_see_zone(user, zone_id: int | None) -> bool:
    """Whether `user` may open the pages of the zone `zone_id`: a zone user only their own."""
    return not is_zone_user(user) or (zone_id is not None and user.zone_id == zone_id)


def limit_to_own_zone(user, queryset: QuerySet, field: str = "zone_id") -> QuerySet:
    """`queryset` as `user` may read it: a zone user's rows of their own zone only, everyone else all."""
    if not is_zone_user(user):
        return queryset
    return queryset.filter(**{field: user.zone_id})
