"""The Django admin site of Commons. One site serves both kinds of host; models of tenant-only
apps have no table in the public schema, so on the public host (the operators' admin) they are
hidden and refused instead of failing."""

from django.conf import settings
from django.contrib.admin import AdminSite
from django.db import connection
from django.db.models.base import ModelBase
from django_tenants.utils import get_public_schema_name

PERMISSION_METHODS = (
    "has_module_permission",
    "has_view_permission",
    "has_add_permission",
    "has_change_permission",
    "has_delete_permission",
)


def _in_public_schema() -> bool:
    return connection.schema_name == get_public_schema_name()


def _confine_to_organisations(model_admin) -> None:
    for name in PERMISSION_METHODS:
        original = getattr(model_admin, name)

        def guarded(*args, _original=original, **kwargs):
            if _in_public_schema():
                return False
            return _original(*args, **kwargs)

        setattr(model_admin, name, guarded)

    # object pages look the object up before asking permission: find nothing in public
    original_get_object = model_admin.get_object

    def get_object(request, object_id, from_field=None):
        if _in_public_schema():
            return None
        return original_get_object(request, object_id, from_field)

    model_admin.get_object = get_object


class CommonsAdminSite(AdminSite):
    site_header = "Commons administration"
    site_title = "Commons"

    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, admin_class, **options)
        models = (
            [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else model_or_iterable
        )
        shared = set(settings.SHARED_APPS)
        for model in models:
            if model._meta.app_config.name not in shared:
                _confine_to_organisations(self._registry[model])
