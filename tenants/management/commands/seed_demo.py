from django.conf import settings
from django.core.management.base import BaseCommand

from tenants.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, OPERATOR_EMAIL, demo_domain, seed_demo


class Command(BaseCommand):
    help = "Create (or complete) the demo organisation and its demo accounts. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--port", default=settings.PUBLIC_PORT or "")

    def handle(self, *args, port, **options):
        seed_demo()
        suffix = f":{port}" if port else ""
        lines = [
            "",
            f"  Commons is running.  Demo organisation: http://{demo_domain()}{suffix}/",
            f"  Public site:         http://{settings.BASE_DOMAIN}{suffix}/  "
            f"(operator: {OPERATOR_EMAIL} at /admin/)",
            f"  Demo logins (password “{DEMO_PASSWORD}” for all):",
            *[f"    {account.email:<30} {account.name}" for account in DEMO_ACCOUNTS],
            "",
        ]
        self.stdout.write("\n".join(lines))
