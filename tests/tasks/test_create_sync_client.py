from io import StringIO

from django.core.management import call_command
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
