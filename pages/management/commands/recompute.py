import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from assessments.services import flags_recompute
from indicators.progress.services import progress_recompute
from indicators.reporting import services


class Command(BaseCommand):
    help = "Run the nightly work by hand: open reports, mark overdue ones, recompute progress and flags."

    def add_arguments(self, parser):
        parser.add_argument("--reminders", action="store_true", help="also send the deadline reminders")

    def handle(self, *args, reminders: bool, **options):
        started = time.perf_counter()
        today = timezone.localdate()
        opened = services.reports_open(today=today)
        overdue = services.reports_mark_overdue(today=today)
        results = progress_recompute()
        flags = flags_recompute()
        quality = services.quality_recheck()
        sent = services.reminders_send(today=today) if reminders else 0
        self.stdout.write(
            f"Recomputed {results} progress results and flags (raised {flags.raised}, withdrawn {flags.withdrawn}, "
            f"unchanged {flags.unchanged}); opened {opened} reports, marked {overdue} overdue, "
            f"{quality.found} data-quality warnings, sent {sent} reminders in {time.perf_counter() - started:.2f}s."
        )
