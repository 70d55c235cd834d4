"""Writes of elections. One module per subject; everything is re-exported here so callers write
`from governance.elections import services` and `services.ballot_cast(...)`."""

from .interchange import MAX_BLT_BYTES, blt_count, election_blt
from .lifecycle import (
    counting_input,
    elected_candidates,
    election_certify,
    election_close,
    election_count,
    election_open_nominations,
    election_open_voting,
    elections_advance,
    reminders_send,
    tie_seed,
)
from .nominations import (
    candidate_nominate,
    candidate_respond,
    candidate_statement_update,
    candidate_withdraw,
)
from .setup import (
    EDITABLE_FIELDS,
    election_cancel,
    election_create,
    election_update,
    officer_appoint,
    officer_remove,
)
from .voting import CastReceipt, ballot_cast, ballot_choices_check, ballots_mix

__all__ = [
    "EDITABLE_FIELDS",
    "MAX_BLT_BYTES",
    "CastReceipt",
    "ballot_cast",
    "ballot_choices_check",
    "ballots_mix",
    "blt_count",
    "candidate_nominate",
    "candidate_respond",
    "candidate_statement_update",
    "candidate_withdraw",
    "counting_input",
    "elected_candidates",
    "election_blt",
    "election_cancel",
    "election_certify",
    "election_close",
    "election_count",
    "election_create",
    "election_open_nominations",
    "election_open_voting",
    "election_update",
    "elections_advance",
    "officer_appoint",
    "officer_remove",
    "reminders_send",
    "tie_seed",
]
