from django.core.management.base import BaseCommand

from tools.demo import DEMO_PASSWORD, DEMO_USERS, demo_load


class Command(BaseCommand):
    help = "Replace the demo data (a synthetic history of the plan in force, demo users). Never touches real data."

    def handle(self, *args, **options):
        counts = demo_load()
        self.stdout.write(
            f"Demo data loaded: {counts['reports']} dispatch reports, {counts['values']} indicator values, "
            f"{counts['evaluations']} evaluations, {counts['users']} demo users (password {DEMO_PASSWORD})."
        )
        for username, role, *_ in DEMO_USERS:
            self.stdout.write(f"  {username:<22} {role.label}")
