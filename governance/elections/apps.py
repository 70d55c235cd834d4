from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "governance.elections"
    label = "elections"
    verbose_name = "Board elections"
