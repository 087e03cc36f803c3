from django.core.management.base import BaseCommand, CommandError

from chuxiong_portal.backup import BackupError, data_export


class Command(BaseCommand):
    help = (
        "Export the portal's data (plan, reports, values, histories, rankings, flags, users) to one JSON file "
        "(gzip when PATH ends in .gz). Password hashes and API tokens only with --include-credentials."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--include-credentials",
            action="store_true",
            help="also export password hashes and API tokens (keep the file as secret as the DB)",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, path: str, include_credentials: bool, database: str, **options):
        try:
            counts = data_export(path=path, include_credentials=include_credentials, using=database)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] > 1:
            for label, count in sorted(counts.items()):
                self.stdout.write(f"  {label:<40} {count}")
        self.stdout.write(
            f"Exported {sum(counts.values())} rows of {len(counts)} models to {path}"
            f"{' (with credentials)' if include_credentials else ''}."
        )
