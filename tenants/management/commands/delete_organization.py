from django.core.management.base import BaseCommand, CommandError

from core.errors import ApplicationError
from tenants.selectors import organization_by_slug
from tenants.services import organization_delete


class Command(BaseCommand):
    help = "Delete an organisation with all its data (its whole schema). Cannot be undone."

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True)
        parser.add_argument("--yes", action="store_true", help="Confirm the deletion.")

    def handle(self, *args, slug, yes, **options):
        organization = organization_by_slug(slug)
        if organization is None:
            raise CommandError(f"No organisation with slug “{slug}”.")
        if not yes:
            raise CommandError(
                f"This deletes {organization.name} and all its data. Run again with --yes."
            )
        try:
            organization_delete(organization=organization)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(self.style.SUCCESS(f"Deleted {slug}"))
