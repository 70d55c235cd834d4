"""Which object of the world (tests/trust/world.py) each URL parameter points at.

A value names a key of `World.ids`; a value starting with "=" is a literal."""

KWARGS: dict[str, dict[str, str]] = {
    # core
    "core:api-token-revoke": {"pk": "api_token"},
    # An invalid sign-in link: a valid one is single-use and signs the visitor in.
    "core:welcome": {"token": "=not-a-valid-welcome-token"},
    # allauth: links from emails, here with keys that are not valid (the page says so)
    "account_confirm_email": {"key": "=not-a-valid-key"},
    "account_reset_password_from_key": {"uidb36": "=1", "key": "=not-a-valid-key"},
    # network
    "network:person": {"pk": "person"},
    "network:person-photo": {"pk": "person"},
    "network:person-deactivate": {"pk": "person"},
    "network:person-reactivate": {"pk": "person"},
    "network:country-edit": {"pk": "country"},
    "network:region-edit": {"pk": "region"},
    "network:metro-edit": {"pk": "metro"},
    "network:sector-edit": {"pk": "sector"},
    "network:sector-action": {"pk": "sector", "action": "=retire"},
    "network:import": {"pk": "import_job"},
    "network:import-errors": {"pk": "import_job"},
    # chapters
    **{
        f"chapters:{name}": {"pk": "chapter"}
        for name in ("detail", "edit", "invite", "join", "activate", "close", "leave")
    },
    "chapters:membership-remove": {"pk": "membership"},
    "chapters:membership-role": {"pk": "membership"},
    "chapters:invitation-send": {"pk": "invitation_proposed"},
    "chapters:invitation-resend": {"pk": "invitation"},
    "chapters:invitation-revoke": {"pk": "invitation"},
    "chapters:invitation-decide": {"pk": "invitation_proposed"},
    "chapters:invitation-object": {"pk": "invitation_proposed"},
    "chapters:invitation-open": {"pk": "invitation"},
    "chapters:invitation-decline-mine": {"pk": "invitation"},
    "chapters:invitation-accept": {"token": "invitation_token"},
    "chapters:invitation-decline": {"token": "invitation_token"},
    "chapters:join-approve": {"pk": "join_request"},
    "chapters:join-decline": {"pk": "join_request"},
    "chapters:join-withdraw": {"pk": "join_request"},
    # meetings
    **{
        f"meetings:{name}": {"chapter_pk": "chapter"}
        for name in ("chapter", "schedule", "add", "attendance-history")
    },
    **{
        f"meetings:{name}": {"pk": "meeting"}
        for name in (
            "meeting",
            "share",
            "follow-up",
            "edit",
            "cancel",
            "run",
            "attendance",
            "minutes",
            "ics",
        )
    },
    "meetings:rsvp": {"pk": "meeting_upcoming"},
    "meetings:story": {"pk": "meeting", "share_pk": "share"},
    "meetings:story-delete": {"pk": "meeting", "story_pk": "story"},
    "meetings:calendar-revoke": {"feed_pk": "calendar_feed"},
    "meetings:feed": {"key": "calendar_key"},
    # governance
    **{
        f"governance:{name}": {"pk": "committee"}
        for name in (
            "committee",
            "committee-stand-down",
            "committee-reform",
            "committee-member-add",
        )
    },
    "governance:membership-edit": {"pk": "committee_seat"},
    "governance:membership-end": {"pk": "committee_seat"},
    "governance:alert-dismiss": {"pk": "density_alert"},
    **{
        f"governance:{name}": {"pk": "escalation"}
        for name in (
            "escalation",
            "escalation-acknowledge",
            "escalation-escalate",
            "escalation-resolve",
            "escalation-assign",
            "escalation-comment",
        )
    },
    "governance:attachment": {"pk": "escalation", "attachment_pk": "attachment"},
    # marketplace
    **{
        f"apps_marketplace:{name}": {"pk": "event"}
        for name in (
            "event",
            "event-register",
            "event-ics",
            "event-manage",
            "event-edit",
            "event-publish",
            "event-cancel",
            "event-attendees-csv",
            "event-package-create",
            "sponsorship-create",
        )
    },
    **{
        f"apps_marketplace:{name}": {"pk": "app"}
        for name in (
            "app",
            "app-manage",
            "app-edit",
            "app-withdraw",
            "app-package-create",
            "event-create",
        )
    },
    "apps_marketplace:app-review": {"pk": "app_pending"},
    "apps_marketplace:package-toggle": {"pk": "package"},
    "apps_marketplace:registration-manage": {"token": "registration_token"},
    "apps_marketplace:registration-check-in": {"pk": "registration"},
    "apps_marketplace:registration-paid": {"pk": "registration"},
    "apps_marketplace:registration-cancel": {"pk": "registration"},
    "apps_marketplace:sponsorship-status": {"pk": "sponsorship"},
    "apps_marketplace:provider-revoke": {"user_pk": "user_provider"},
    "app-template-adopt": {"key": "app_template"},
    # elections
    **{
        f"elections:{name}": {"pk": "election"}
        for name in (
            "detail",
            "edit",
            "cancel",
            "officer-appoint",
            "nominate",
            "vote",
            "verify",
            "results",
            "ballots",
            "ballots-blt",
            "ballots-txt",
            "certify",
        )
    },
    "elections:officer-remove": {"pk": "election", "officer": "officer"},
    "elections:nomination": {"pk": "election", "candidate": "candidate"},
    # API
    "api:core:token-revoke": {"pk": "api_token"},
    "api:network:metro-detail": {"pk": "metro"},
    "api:network:sector-detail": {"pk": "sector"},
    "api:network:entrepreneur-detail": {"pk": "person"},
    **{
        f"api:chapters:chapter-{name}": {"pk": "chapter"}
        for name in (
            "detail",
            "activate",
            "close",
            "leave",
            "memberships",
            "invitations",
            "join-requests",
        )
    },
    "api:chapters:membership-role": {"pk": "membership"},
    "api:chapters:membership-remove": {"pk": "membership"},
    "api:chapters:membership-transfer": {"pk": "membership"},
    "api:chapters:invitation-send": {"pk": "invitation_proposed"},
    "api:chapters:invitation-resend": {"pk": "invitation"},
    "api:chapters:invitation-revoke": {"pk": "invitation"},
    "api:chapters:invitation-object": {"pk": "invitation_proposed"},
    "api:chapters:invitation-decide": {"pk": "invitation_proposed"},
    "api:chapters:join-request-approve": {"pk": "join_request"},
    "api:chapters:join-request-decline": {"pk": "join_request"},
    "api:chapters:join-request-withdraw": {"pk": "join_request"},
    **{
        f"api:meetings:meeting-{name}": {"pk": "meeting"}
        for name in ("detail", "rsvps", "attendance", "shares", "my-share", "close")
    },
    "api:meetings:meeting-story": {"pk": "meeting", "share_pk": "share"},
    "api:meetings:meeting-story-delete": {"pk": "meeting", "story_pk": "story"},
    **{
        f"api:governance:committee-{name}": {"pk": "committee"}
        for name in ("detail", "stand-down", "seats")
    },
    "api:governance:seat-detail": {"pk": "committee_seat"},
    "api:governance:seat-end": {"pk": "committee_seat"},
    **{
        f"api:governance:escalation-{name}": {"pk": "escalation"}
        for name in ("detail", "acknowledge", "escalate", "resolve", "assign", "comments")
    },
    "api:governance:escalation-attachment": {"pk": "escalation", "attachment_pk": "attachment"},
    "api:apps_marketplace:app-detail": {"pk": "app"},
    "api:apps_marketplace:app-approve": {"pk": "app_pending"},
    "api:apps_marketplace:app-reject": {"pk": "app_pending"},
    **{
        f"api:apps_marketplace:event-{name}": {"pk": "event"}
        for name in ("detail", "publish", "cancel", "register", "registrations")
    },
    **{
        f"api:apps_marketplace:registration-{name}": {"pk": "registration"}
        for name in ("detail", "cancel", "confirm", "check-in", "paid")
    },
    "api:apps_marketplace:sponsorship-detail": {"pk": "sponsorship"},
    "api:apps_marketplace:sponsorship-status": {"pk": "sponsorship"},
    **{
        f"api:elections:{name}": {"pk": "election"}
        for name in (
            "election-detail",
            "candidate-list",
            "ballot",
            "verify",
            "results",
            "ballots",
            "certify",
        )
    },
    "api:elections:candidate-respond": {"pk": "election", "candidate": "candidate"},
    "api:elections:candidate-withdraw": {"pk": "election", "candidate": "candidate"},
}
