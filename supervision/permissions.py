"""Who may read and act on letters, work items, supervision items and their evidence. One place.

The prefecture office sees and does everything. A body's own users — a unit's staff and reviewer, a zone
management committee's, a county government's — read their body's work items and supervision items; staff
file reports and answers, reviewers approve or return their body's reports (and may answer too). A zone's
leader and statistician read their zone's items. Co-units read the work items they support. Nobody else.
"""

from types import SimpleNamespace

from chuxiong_portal.access import is_office
from chuxiong_portal.roles import (
    BODY_REVIEWER_ROLES,
    BODY_STAFF_ROLES,
    COMMITTEE_ROLES,
    COUNTY_ROLES,
    DEPARTMENT_ROLES,
    ZONE_ROLES,
)


def acts_for(user, obj) -> bool:
    """Whether `user` acts for the body responsible for `obj` (a work item or a supervision item)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if obj.department_id:
        return user.role in DEPARTMENT_ROLES and user.department_id == obj.department_id
    if obj.zone_id:
        return user.role in COMMITTEE_ROLES and user.zone_id == obj.zone_id
    return user.role in COUNTY_ROLES and user.county_id == obj.county_id


def can_view(user, obj) -> bool:
    if is_office(user) or acts_for(user, obj):
        return True
    return bool(obj.zone_id and user.role in ZONE_ROLES and user.zone_id == obj.zone_id)


def can_view_items_of(user, *, department_id=None, zone_id=None, county_id=None) -> bool:
    """Whether `user` may open the supervision items of one body (a unit, a zone's committee, a county): what
    `can_view` answers for any item of that body, which depends on the body alone. A page that lists a body's items
    to readers who may not open them shows them without links."""
    return can_view(user, SimpleNamespace(department_id=department_id, zone_id=zone_id, county_id=county_id))


def can_view_work_item(user, item, co_department_ids=None) -> bool:
    if can_view(user, item):
        return True
    if user.role not in DEPARTMENT_ROLES or not user.department_id:
        return False
    ids = co_department_ids if co_department_ids is not None else {d.pk for d in item.co_departments.all()}
    return user.department_id in ids


def can_answer(user, item) -> bool:
    """Whether `user` may answer (反馈) a supervision item, whatever its state (the service checks the state)."""
    return acts_for(user, item) and user.role in BODY_STAFF_ROLES | BODY_REVIEWER_ROLES


def can_report(user, work_item) -> bool:
    return acts_for(user, work_item) and user.role in BODY_STAFF_ROLES | BODY_REVIEWER_ROLES or is_office(user)


def can_review(user, work_item) -> bool:
    return is_office(user) or acts_for(user, work_item) and user.role in BODY_REVIEWER_ROLES


ALL_LETTERS = "all"


def letter_zones(user) -> str | int | None:
    """Whose letters `user` reads: ALL_LETTERS, one zone's id (a zone's users), or None (no role: none)."""
    if is_office(user):
        return ALL_LETTERS
    if user.role in ZONE_ROLES:
        return user.zone_id
    return ALL_LETTERS if user.is_authenticated and user.role else None


def can_view_letter(user, letter) -> bool:
    zones = letter_zones(user)
    return zones == ALL_LETTERS or zones is not None and zones == letter.zone_id
