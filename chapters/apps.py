from django.apps import AppConfig


class ChaptersConfig(AppConfig):
    name = "chapters"
    verbose_name = "Chapters"

    def ready(self) -> None:
        from network.visibility import register_chapter_peers_provider

        from .selectors import chapter_peer_user_ids

        # Profiles visible to "my chapters only" are visible to the people who share a chapter.
        register_chapter_peers_provider(chapter_peer_user_ids)
