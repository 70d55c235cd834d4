"""The organisation registry (public schema): one Organization per tenant, reached by its
Domains."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin
from django_tenants.postgresql_backend.base import _check_schema_name
from django_tenants.utils import schema_exists

from .schema_clone import organization_schema_create


class Organization(TenantMixin):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    # Schemas are dropped only through organization_delete, never by a stray queryset delete.
    auto_drop_schema = False
    auto_create_schema = True

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def create_schema(self, check_if_exists=False, sync_schema=True, verbosity=1):
        """The new organisation's schema, cloned from the template by reading pg_catalog
        (tenants.schema_clone): django-tenants' own clone asks information_schema, which slows
        down with every organisation (13 to 15 s with 200 present). Falls back to it when the
        template holds something the fast clone does not copy."""
        if check_if_exists and schema_exists(self.schema_name):
            return False
        if sync_schema:
            _check_schema_name(self.schema_name)
            if organization_schema_create(schema_name=self.schema_name, verbosity=verbosity):
                return True
        return super().create_schema(
            check_if_exists=check_if_exists, sync_schema=sync_schema, verbosity=verbosity
        )


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self) -> str:
        return self.domain


from .app_templates import AppTemplate  # noqa: E402,F401
