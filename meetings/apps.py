from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        from chapters.health import register_health_provider

        from .health import meeting_health_provider

        register_health_provider(meeting_health_provider)
