"""The demo organisation `make run` serves: idempotent, so every start can call it."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.module_loading import import_string
from django_tenants.utils import schema_context

from core.models import Role
from core.services import role_grant

from .models import Organization
from .selectors import organization_by_slug
from .services import _mark_email_verified, organization_create, public_tenant_ensure

DEMO_SLUG = "demo"
DEMO_NAME = "Entrepreneur Commons (demo)"
DEMO_PASSWORD = "commons-demo"  # noqa: S105  (published demo credentials, development only)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    roles: tuple[Role, ...] = ()
    staff: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("admin@demo.localhost", "Ada Admin", (Role.ORGANIZATION_ADMIN,), staff=True),
    DemoAccount("facilitator@demo.localhost", "Fatou Facilitator"),
    DemoAccount("member@demo.localhost", "Marco Member"),
    DemoAccount("committee@demo.localhost", "Chen Committee"),
    DemoAccount("board@demo.localhost", "Bea Board"),
    DemoAccount("provider@demo.localhost", "Priya Provider", (Role.PROVIDER,)),
)
OPERATOR_EMAIL = "operator@localhost"

# Each app seeds its part of the demo, in layer order; each seeder is idempotent.
DEMO_SEEDERS = (
    "network.demo.seed",
    "chapters.demo.seed",
    "apps_marketplace.demo.seed",
    "meetings.demo.seed",
    "governance.demo.seed",
    "governance.elections.demo.seed",
)


def demo_domain() -> str:
    return f"{DEMO_SLUG}.{settings.BASE_DOMAIN}"


def seed_demo() -> Organization:
    public_tenant_ensure(domain=settings.BASE_DOMAIN)
    _ensure_user(OPERATOR_EMAIL, "Platform Operator", staff=True, superuser=True)
    organization = organization_by_slug(DEMO_SLUG)
    if organization is None:
        organization = organization_create(slug=DEMO_SLUG, name=DEMO_NAME, domain=demo_domain())
    with schema_context(organization.schema_name):
        for account in DEMO_ACCOUNTS:
            user = _ensure_user(account.email, account.name, staff=account.staff)
            for role in account.roles:
                role_grant(user=user, role=role)
        for seeder in DEMO_SEEDERS:
            try:
                seed = import_string(seeder)
            except ImportError:
                continue  # that app has no demo data (yet)
            seed()
    return organization


@transaction.atomic
def _ensure_user(email: str, name: str, *, staff: bool = False, superuser: bool = False):
    user_model = get_user_model()
    user = user_model.objects.filter(email=email).first()
    if user is None:
        user = user_model.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            name=name,
            is_staff=staff,
            is_superuser=superuser,
        )
        _mark_email_verified(user)
    return user
