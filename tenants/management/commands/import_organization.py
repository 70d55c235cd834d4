from django.core.management.base import BaseCommand, CommandError

from core.errors import ApplicationError
from tenants.data_rights import organization_import


class Command(BaseCommand):
    help = (
        "Restore a file written by export_organization as a new organisation: the schema is "
        "renamed to the new slug's and the organisation and its domain are created. Sessions "
        "and API tokens of the copy are removed unless --keep-credentials."
    )

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True, help="The new organisation's slug.")
        parser.add_argument("--input", required=True, help="The export file.")
        parser.add_argument("--name", help="A new name (default: the exported one).")
        parser.add_argument("--domain", help="Its host (default: <slug>.<BASE_DOMAIN>).")
        parser.add_argument(
            "--keep-credentials",
            action="store_true",
            help="Keep sessions and API tokens (moving an organisation, not copying it).",
        )

    def handle(self, *args, slug, input, name, domain, keep_credentials, **options):
        try:
            organization = organization_import(
                path=input,
                slug=slug,
                name=name,
                domain=domain,
                keep_credentials=keep_credentials,
            )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        except FileNotFoundError as error:
            raise CommandError(f"No such file: {input}") from error
        self.stdout.write(
            self.style.SUCCESS(f"Imported {organization.slug} ({organization.schema_name})")
        )
