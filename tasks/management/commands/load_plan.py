from django.core.management.base import BaseCommand

from indicators.services import obligations_generate, periods_generate
from tasks.services import plan_load


class Command(BaseCommand):
    help = "Load the plan (programmes, tasks, units, zones, clusters, indicators, targets). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--from-year", type=int, default=2022, help="2022 is the baseline year")
        parser.add_argument("--to-year", type=int, default=2025)

    def handle(self, *args, **options):
        summary = plan_load()
        periods = periods_generate(years=range(options["from_year"], options["to_year"] + 1))
        obligations = obligations_generate()
        created = sum(summary.created.values())
        self.stdout.write(
            f"Plan loaded: {created} rows created, {sum(summary.updated.values())} checked; "
            f"{periods} periods and {obligations} obligations created."
        )
