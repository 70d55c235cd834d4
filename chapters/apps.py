from django.apps import AppConfig


class ChaptersConfig(AppConfig):
    name = "chapters"
    verbose_name = "Chapters"

    def ready(self) -> None:
        from network.visibility import register_chapter_peers_provider

        from .selectors import chapter_peer_user_ids

        # Profiles visible to "my chapters only" are visible to the people who share a chapter.
        register_chapter_peers_provider(chapter_peer_user_ids)

        from core import userfacts

        from .selectors import attach_chapter_roles, chapter_roles_expression

        # The user's chapter roles come with the session's user query.
        userfacts.register(
            "chapter_roles", expression=chapter_roles_expression, attach=attach_chapter_roles
        )

        from django.db.models.signals import post_delete, post_save

        from network.models import Country, Entrepreneur, Metro, Region, Sector

        from .coverage import chapter_rules_changed, coverage_changed
        from .models import Chapter, ChapterSettings, Membership

        # The cached coverage grid is replaced when anything it counts changes.
        for model in (Entrepreneur, Metro, Region, Country, Sector, Chapter, Membership):
            for signal in (post_save, post_delete):
                signal.connect(coverage_changed, sender=model, dispatch_uid="coverage")
        post_save.connect(chapter_rules_changed, sender=ChapterSettings, dispatch_uid="coverage")
