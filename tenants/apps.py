from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Organisations"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (drop cached host lookups on registry changes)
