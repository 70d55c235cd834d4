from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (worker heartbeat on start)


class CommonsAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "core.admin_site.CommonsAdminSite"
