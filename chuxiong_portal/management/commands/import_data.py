from django.core.management.base import BaseCommand, CommandError

from chuxiong_portal.backup import BackupError, data_import


class Command(BaseCommand):
    help = (
        "Import a file written by export_data into an empty, migrated database (run `migrate`, nothing else). "
        "All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--database", default="default")

    def handle(self, *args, path: str, database: str, **options):
        try:
            counts = data_import(path=path, using=database)
        except (BackupError, OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] > 1:
            for label, count in sorted(counts.items()):
                self.stdout.write(f"  {label:<40} {count}")
        self.stdout.write(f"Imported {sum(counts.values())} rows of {len(counts)} models from {path}.")
