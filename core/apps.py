from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from . import pagecache, signals  # noqa: F401  (signals: worker heartbeat on start)

        pagecache.install()  # every write replaces the versions of the tables it touched


class CommonsAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "core.admin_site.CommonsAdminSite"
