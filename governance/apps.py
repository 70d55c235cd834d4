from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        from core import userfacts

        from .selectors import (
            attach_board_id,
            attach_committee_seats,
            board_id_expression,
            committee_seats_expression,
        )

        # The user's committee seats and the board's id come with the session's user query.
        userfacts.register(
            "committee_seats", expression=committee_seats_expression, attach=attach_committee_seats
        )
        userfacts.register("board_id", expression=board_id_expression, attach=attach_board_id)
