from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from indicators.reporting.services import obligations_generate, periods_generate
from tasks.services import PLAN_FIXTURE, PlanFileError, plan_load


class Command(BaseCommand):
    help = (
        "Load a plan file (default fixtures/plan.json): the plan, its programmes, tasks, indicators and targets, "
        "the shared units, zones and clusters it names, its reporting periods and obligations. Idempotent. "
        "A file that breaks the schema (README, 'Plan files') is refused with the JSON path of each bad entry, "
        "and nothing of it is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(PLAN_FIXTURE), help="the plan file (JSON)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            with transaction.atomic():
                summary = plan_load(path=path)
                periods = periods_generate(plan=summary.plan)
                obligations = obligations_generate(plan=summary.plan)
        except PlanFileError as exc:
            lines = "".join(f"\n  {where}: {message}" for where, message in exc.problems[:50])
            if len(exc.problems) > 50:
                lines += "\n  " + _("……另有 %(count)s 处问题") % {"count": len(exc.problems) - 50}
            raise CommandError(_("%(path)s：未载入，未写入任何内容。") % {"path": path} + lines) from exc
        created = sum(summary.created.values())
        self.stdout.write(
            f"Plan {summary.plan.code} loaded: {created} rows created, {sum(summary.updated.values())} checked; "
            f"{periods} periods and {obligations} obligations created."
        )
