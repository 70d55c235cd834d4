from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = (
        "Migrate the public schema, the template schema new organisations are cloned from, and "
        "every organisation. Idempotent."
    )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=verbosity)
        template = settings.TENANT_BASE_SCHEMA
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA IF NOT EXISTS "{template}"')
        call_command(
            "migrate_schemas",
            tenant=True,
            schema_name=template,
            interactive=False,
            verbosity=verbosity,
        )
        call_command("migrate_schemas", tenant=True, interactive=False, verbosity=verbosity)
