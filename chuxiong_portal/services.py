"""Users, roles and API clients."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from rest_framework.authtoken.models import Token

from .models import User
from .roles import COUNTY_ROLES, DEPARTMENT_ROLES, ROLE_PERMISSIONS, ZONE_ROLES, Role


@transaction.atomic
def roles_sync() -> dict[str, Group]:
    """Create one group per role and give it exactly the permissions of ROLE_PERMISSIONS."""
    groups = {}
    all_perms = {
        f"{p.content_type.app_label}.{p.codename}": p for p in Permission.objects.select_related("content_type")
    }
    for role in Role:
        group, _ = Group.objects.get_or_create(name=str(role.label))
        wanted = ROLE_PERMISSIONS[role]
        if wanted == ["*"]:
            perms = list(all_perms.values())
        else:
            perms = [all_perms[name] for name in wanted if name in all_perms]
        group.permissions.set(perms)
        groups[role.value] = group
    return groups


def role_group(role: str) -> Group:
    group = Group.objects.filter(name=str(Role(role).label)).first()
    return group or roles_sync()[role]


def user_role_group_sync(user: User) -> None:
    """`user` in the group of their role (its admin permissions) and in no other role's: after their role was
    changed in the admin. Groups that are no role's are left as they are."""
    others = {str(role.label) for role in Role if role != user.role}
    user.groups.remove(*user.groups.filter(name__in=others))
    if user.role:
        user.groups.add(role_group(user.role))


def user_language_set(*, user: User, language: str) -> None:
    """Record `language` (one of settings.LANGUAGES) as the language of `user`'s notices and their e-mail."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"not a language of the portal: {language!r}")
    User.objects.filter(pk=user.pk).exclude(language=language).update(language=language)
    user.language = language


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    role: str,
    department=None,
    zone=None,
    county=None,
    full_name: str = "",
    email: str = "",
) -> User:
    """Create a portal user with its role group; a department role needs a department (tasks.Department), a zone
    role a zone (parks.Zone), a county role a county (parks.County)."""
    if role in DEPARTMENT_ROLES and department is None:
        raise ValueError("a department role needs a department")
    if role in ZONE_ROLES and zone is None:
        raise ValueError("a zone role needs a zone")
    if role in COUNTY_ROLES and county is None:
        raise ValueError("a county role needs a county")
    user = User(
        username=username,
        role=role,
        department=department,
        zone=zone,
        county=county,
        email=email,
        last_name=full_name,
        is_staff=role == Role.PREFECTURE_OFFICE,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    user.groups.add(role_group(role))
    return user


@transaction.atomic
def sync_client_create(*, name: str) -> tuple[User, str]:
    """A machine client with the provincial-sync role and an API token; run again for the same client, the same token.

    A name that is already another account's (the office, a statistician) is refused: handing out that account's
    token, announced as a provincial-sync client's, would give a machine a person's rights (the office's: drafts,
    every write) and a person's name in the history."""
    user = User.objects.filter(username=name).first()
    if user is None:
        user = user_create(username=name, password=None, role=Role.PROVINCIAL_SYNC, full_name=name)
    elif user.role != Role.PROVINCIAL_SYNC or user.is_superuser:
        raise ValueError(f"the account {name!r} exists and is not a provincial-sync client: choose another name")
    token, _ = Token.objects.get_or_create(user=user)
    return user, token.key
