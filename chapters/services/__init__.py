"""Writes of the chapters app. Every function is keyword-only, runs in one transaction, checks
permission and the rules, records an audit entry and sends its notifications after the commit.

Other apps call `chapter_record_meeting(chapter=, held_at=)` when a chapter meets."""

from .agreement import agreement_ensure, agreement_publish, chapter_settings_update
from .invitations import (
    invitation_accept,
    invitation_check_answerable,
    invitation_create,
    invitation_decline,
    invitation_resend,
    invitation_revoke,
    invitation_send,
    invitations_expire,
    objection_decide,
    objection_raise,
)
from .join_requests import (
    join_request_approve,
    join_request_create,
    join_request_decline,
    join_request_withdraw,
)
from .lifecycle import (
    chapter_activate,
    chapter_close,
    chapter_create_from_seed,
    chapter_propose,
    chapter_record_meeting,
    chapter_update,
    chapters_mark_dormant,
)
from .membership import (
    facilitation_transfer,
    membership_leave,
    membership_remove,
    membership_set_role,
)

__all__ = [
    "agreement_ensure",
    "agreement_publish",
    "chapter_activate",
    "chapter_close",
    "chapter_create_from_seed",
    "chapter_propose",
    "chapter_record_meeting",
    "chapter_settings_update",
    "chapter_update",
    "chapters_mark_dormant",
    "facilitation_transfer",
    "invitation_accept",
    "invitation_check_answerable",
    "invitation_create",
    "invitation_decline",
    "invitation_resend",
    "invitation_revoke",
    "invitation_send",
    "invitations_expire",
    "join_request_approve",
    "join_request_create",
    "join_request_decline",
    "join_request_withdraw",
    "membership_leave",
    "membership_remove",
    "membership_set_role",
    "objection_decide",
    "objection_raise",
]
