from django.core.management.base import BaseCommand, CommandError

from chuxiong_portal.services import roles_sync, sync_client_create


class Command(BaseCommand):
    help = "Create a provincial-sync API client and print its token as the last line."

    def add_arguments(self, parser):
        parser.add_argument("name")

    def handle(self, *args, name: str, **options):
        name = name.strip()
        if not name or len(name) > 150:
            raise CommandError("NAME must be 1–150 characters.")
        roles_sync()
        try:
            user, key = sync_client_create(name=name)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Provincial-sync client '{user.username}' is ready. Token:")
        self.stdout.write(key)
