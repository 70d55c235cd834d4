"""The periodic deadline work: a reminder once before the deadline, and the automatic move up
after it — idempotent however often it runs."""

import datetime

from django.db.models import F
from django.utils import timezone

from core.models import Notification
from governance import services, tasks
from governance.models import Escalation, EscalationEvent, EscalationRouting

from .test_routing import raise_from


def _shift(escalation, *, days: float) -> None:
    """Move the escalation's clock `days` into the past."""
    delta = datetime.timedelta(days=days)
    Escalation.objects.filter(pk=escalation.pk).update(
        routed_at=F("routed_at") - delta, deadline_at=F("deadline_at") - delta
    )


def test_the_deadline_is_14_days_by_default(world):
    escalation = raise_from(world.chapter, world.member)
    assert escalation.deadline_at - escalation.routed_at == datetime.timedelta(days=14)


def test_an_unacknowledged_escalation_moves_up_once_however_often_the_task_runs(world):
    escalation = raise_from(world.chapter, world.member)
    _shift(escalation, days=15)

    assert services.escalations_auto_escalate() == 1
    assert services.escalations_auto_escalate() == 0
    assert tasks.escalation_deadlines.apply().get() == {"reminded": 0, "moved": 0}

    escalation.refresh_from_db()
    assert escalation.committee == world.board
    assert escalation.status == Escalation.Status.OPEN
    assert escalation.deadline_at > timezone.now() + datetime.timedelta(days=13)
    hops = list(escalation.routings.order_by("pk"))
    assert [hop.kind for hop in hops] == [
        EscalationRouting.Kind.RAISED,
        EscalationRouting.Kind.AUTOMATIC,
    ]
    assert hops[1].routed_by is None
    assert hops[1].reason.startswith(
        "Not acknowledged by the Lyon steering committee within 14 days."
    )
    assert escalation.events.filter(kind=EscalationEvent.Kind.AUTO_ESCALATED).count() == 1


def test_acknowledged_and_board_escalations_do_not_move(world):
    acknowledged = raise_from(world.chapter, world.member)
    services.escalation_acknowledge(escalation=acknowledged, actor=world.chair)
    at_board = raise_from(world.chapter, world.member)
    services.escalation_escalate(escalation=at_board, actor=world.chair, reason="Up.")
    at_board.refresh_from_db()
    for escalation in (acknowledged, at_board):
        _shift(escalation, days=30)

    assert services.escalations_auto_escalate() == 0
    acknowledged.refresh_from_db()
    assert acknowledged.committee == world.lyon_committee


def test_the_committee_is_reminded_once_before_the_deadline(world):
    escalation = raise_from(world.chapter, world.member)
    assert services.escalations_send_reminders() == 0  # 14 days left: too early

    _shift(escalation, days=12)  # two days left, within the 3-day reminder window
    assert services.escalations_send_reminders() == 1
    assert services.escalations_send_reminders() == 0

    reminders = Notification.objects.filter(title__startswith="Reminder: acknowledge")
    assert set(reminders.values_list("user", flat=True)) == {
        world.chair.pk,
        world.committee_member.pk,
    }
    assert reminders.count() == 2
    assert escalation.events.filter(kind=EscalationEvent.Kind.REMINDED).count() == 1


def test_the_next_committee_gets_its_own_reminder(world):
    escalation = raise_from(world.chapter, world.member)
    _shift(escalation, days=12)
    services.escalations_send_reminders()
    _shift(escalation, days=3)
    services.escalations_auto_escalate()

    escalation.refresh_from_db()
    assert escalation.reminder_sent_at is None
    _shift(escalation, days=12)
    assert services.escalations_send_reminders() == 1
    assert (
        Notification.objects.filter(user=world.board_member, title__startswith="Reminder").count()
        == 1
    )
