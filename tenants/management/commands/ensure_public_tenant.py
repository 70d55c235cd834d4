from django.conf import settings
from django.core.management.base import BaseCommand

from tenants.services import public_tenant_ensure


class Command(BaseCommand):
    help = "Make sure the public tenant (platform site) exists on the base domain. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--domain", default=settings.BASE_DOMAIN)

    def handle(self, *args, domain, **options):
        public_tenant_ensure(domain=domain)
        self.stdout.write(f"Public site on {domain}")
