from django.apps import AppConfig


class AppsMarketplaceConfig(AppConfig):
    name = "apps_marketplace"
    verbose_name = "Apps marketplace"
