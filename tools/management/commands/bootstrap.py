from django.core.management import call_command
from django.core.management.base import BaseCommand

from chuxiong_portal.models import User
from tools.demo import DEMO_PASSWORD, DEMO_USERS, demo_flags_date


class Command(BaseCommand):
    help = "First start: migrate, load the plan, load the demo data (once) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--reset-demo", action="store_true", help="replace the demo data even if present")
        parser.add_argument("--no-demo", action="store_true", help="load the plan only")

    def handle(self, *args, reset_demo: bool, no_demo: bool, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_plan", stdout=self.stdout)
        demo = not no_demo and (reset_demo or not User.objects.filter(username="demo-office").exists())
        if demo:
            call_command("load_demo", stdout=self.stdout)
        if "recompute" in _commands():
            call_command("recompute", stdout=self.stdout)
            if demo:  # its flags, raised by this recompute, dated when the demo's evaluations came in
                demo_flags_date()
        if not no_demo:
            self.stdout.write("\n演示账号 Demo logins (DEMO DATA, synthetic) — password: " + DEMO_PASSWORD)
            for username, role, *_ in DEMO_USERS:
                self.stdout.write(f"  {username:<22} {role.label}")
            self.stdout.write("Open http://127.0.0.1:8000/")


def _commands() -> set[str]:
    from django.core.management import get_commands

    return set(get_commands())
