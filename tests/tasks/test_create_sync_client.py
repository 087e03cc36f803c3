from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from chuxiong_portal.roles import Role


def test_it_prints_the_token_as_the_last_line(plan):
    out = StringIO()
    call_command("create_sync_client", "province-stats", stdout=out)
    last_line = out.getvalue().strip().splitlines()[-1]
    token = Token.objects.get(key=last_line)
    assert token.user.username == "province-stats"
    assert token.user.role == Role.PROVINCIAL_SYNC
    assert token.user.groups.filter(name=str(Role.PROVINCIAL_SYNC.label)).exists()
    assert not token.user.has_usable_password()


def test_it_reuses_the_client_when_run_twice(plan):
    first, second = StringIO(), StringIO()
    call_command("create_sync_client", "province-stats", stdout=first)
    call_command("create_sync_client", "province-stats", stdout=second)
    assert first.getvalue().splitlines()[-1] == second.getvalue().splitlines()[-1]
    assert Token.objects.filter(user__username="province-stats").count() == 1


@pytest.mark.parametrize("persona", ["olga", "alice"])
def test_it_refuses_the_name_of_an_account_that_is_not_a_sync_client(request, persona):
    # It printed the office's (or a statistician's) own token as a "provincial-sync client" token: a machine with a
    # person's rights.
    user = request.getfixturevalue(persona)
    out = StringIO()
    with pytest.raises(CommandError, match="not a provincial-sync client"):
        call_command("create_sync_client", user.username, stdout=out)
    assert out.getvalue() == ""
    assert not Token.objects.filter(user=user).exists()
    user.refresh_from_db()
    assert user.role != Role.PROVINCIAL_SYNC
