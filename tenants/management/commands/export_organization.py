from django.core.management.base import BaseCommand, CommandError

from core.errors import ApplicationError
from tenants.data_rights import organization_export
from tenants.selectors import organization_by_slug


class Command(BaseCommand):
    help = (
        "Write one organisation — its whole schema, structure and data — to a file that "
        "import_organization restores (here or on another installation)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True, help="The organisation to export.")
        parser.add_argument("--output", required=True, help="The file to write.")

    def handle(self, *args, slug, output, **options):
        organization = organization_by_slug(slug)
        if organization is None or organization.schema_name == "public":
            raise CommandError(f"No organisation with slug “{slug}”.")
        try:
            organization_export(organization=organization, path=output)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(self.style.SUCCESS(f"Exported {slug} to {output}"))
