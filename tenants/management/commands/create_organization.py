import time

from django.core.management.base import BaseCommand, CommandError

from core.errors import ApplicationError
from tenants.selectors import primary_domain_of
from tenants.services import organization_create


class Command(BaseCommand):
    help = "Create an organisation (schema, domain and optionally its first admin)."

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--domain", help="Defaults to <slug>.<BASE_DOMAIN>.")
        parser.add_argument("--admin-email")
        parser.add_argument("--admin-password")
        parser.add_argument("--admin-name", default="")

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            organization = organization_create(
                slug=options["slug"],
                name=options["name"],
                domain=options["domain"],
                admin_email=options["admin_email"],
                admin_password=options["admin_password"],
                admin_name=options["admin_name"],
            )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {organization.name} on {primary_domain_of(organization)} "
                f"(schema {organization.schema_name}) in {elapsed:.2f} s"
            )
        )
