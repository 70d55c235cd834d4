"""Writes of governance. One module per subject; everything is re-exported here so callers write
`from governance import services` and `services.escalation_raise(...)`."""

from .committees import (
    committee_form,
    committee_member_add,
    committee_membership_end,
    committee_membership_update,
    committee_stand_down,
    governance_settings_update,
    require_admin,
)
from .density import density_alert_dismiss, density_check
from .escalations import (
    MAX_ATTACHMENT_BYTES,
    attachment_check,
    escalation_acknowledge,
    escalation_assign,
    escalation_comment,
    escalation_escalate,
    escalation_raise,
    escalation_resolve,
    escalations_auto_escalate,
    escalations_move_from,
    escalations_send_reminders,
)
from .routing import Route, board_ensure, route_from

__all__ = [
    "MAX_ATTACHMENT_BYTES",
    "Route",
    "attachment_check",
    "board_ensure",
    "committee_form",
    "committee_member_add",
    "committee_membership_end",
    "committee_membership_update",
    "committee_stand_down",
    "density_alert_dismiss",
    "density_check",
    "escalation_acknowledge",
    "escalation_assign",
    "escalation_comment",
    "escalation_escalate",
    "escalation_raise",
    "escalation_resolve",
    "escalations_auto_escalate",
    "escalations_move_from",
    "escalations_send_reminders",
    "governance_settings_update",
    "require_admin",
    "route_from",
]
