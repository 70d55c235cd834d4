"""open → acknowledged → resolved, or escalated with a reason; comments; the audit trail;
notifications at each step."""

import pytest

from core.models import Notification
from governance import services
from governance.errors import (
    EscalationStateConflict,
    GovernanceError,
    GovernancePermissionDenied,
)
from governance.models import Escalation, EscalationEvent

from .test_routing import raise_from


def kinds(escalation) -> list[str]:
    return list(escalation.events.order_by("pk").values_list("kind", flat=True))


def titles_for(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_the_whole_way_from_raising_to_a_decision(world):
    escalation = raise_from(world.chapter, world.member)
    assert escalation.status == Escalation.Status.OPEN
    assert any("New escalation" in t for t in titles_for(world.chair))
    assert any("went to the Lyon steering committee" in t for t in titles_for(world.member))

    escalation = services.escalation_acknowledge(escalation=escalation, actor=world.chair)
    assert escalation.status == Escalation.Status.ACKNOWLEDGED
    assert escalation.acknowledged_by == world.chair
    assert any("took up your escalation" in t for t in titles_for(world.member))

    services.escalation_comment(escalation=escalation, actor=world.chair, body="Who is involved?")
    services.escalation_comment(escalation=escalation, actor=world.member, body="Two members.")
    assert any("wrote on" in t for t in titles_for(world.member))
    assert any("raiser replied" in t for t in titles_for(world.committee_member))

    escalation = services.escalation_escalate(
        escalation=escalation, actor=world.chair, reason="Beyond our remit."
    )
    assert escalation.committee == world.board
    assert escalation.status == Escalation.Status.OPEN  # the board has to acknowledge it
    assert escalation.acknowledged_at is None
    assert any("moved up to the Board" in t for t in titles_for(world.board_member))

    escalation = services.escalation_resolve(
        escalation=escalation, actor=world.board_member, decision="Mediation by the board."
    )
    assert escalation.status == Escalation.Status.RESOLVED
    assert escalation.decision == "Mediation by the board."
    assert escalation.acknowledged_at is not None
    assert any("resolved your escalation" in t for t in titles_for(world.member))
    assert kinds(escalation) == [
        EscalationEvent.Kind.RAISED,
        EscalationEvent.Kind.ROUTED,
        EscalationEvent.Kind.ACKNOWLEDGED,
        EscalationEvent.Kind.COMMENTED,
        EscalationEvent.Kind.COMMENTED,
        EscalationEvent.Kind.ESCALATED,
        EscalationEvent.Kind.ROUTED,
        EscalationEvent.Kind.RESOLVED,
    ]


def test_only_the_current_committee_acts_and_never_the_raiser(world):
    escalation = raise_from(world.chapter, world.member)
    for outsider in (world.member, world.facilitator, world.board_member, world.admin):
        with pytest.raises(GovernancePermissionDenied):
            services.escalation_acknowledge(escalation=escalation, actor=outsider)

    # A committee member who raised the escalation cannot handle it.
    from .factories import join

    join(world.chapter, world.committee_member)
    own = raise_from(world.chapter, world.committee_member)
    with pytest.raises(GovernancePermissionDenied, match="another member"):
        services.escalation_resolve(escalation=own, actor=world.committee_member, decision="x")


def test_stale_and_repeated_actions_are_refused(world):
    escalation = raise_from(world.chapter, world.member)
    services.escalation_acknowledge(escalation=escalation, actor=world.chair)
    with pytest.raises(EscalationStateConflict, match="already acknowledged"):
        services.escalation_acknowledge(escalation=escalation, actor=world.committee_member)

    services.escalation_escalate(escalation=escalation, actor=world.chair, reason="Up.")
    # the page still showed the Lyon committee
    with pytest.raises(EscalationStateConflict, match="moved on"):
        services.escalation_resolve(
            escalation=escalation,
            actor=world.board_member,
            decision="x",
            committee_id=world.lyon_committee.pk,
        )
    services.escalation_resolve(escalation=escalation, actor=world.board_member, decision="Done.")
    with pytest.raises(EscalationStateConflict, match="already resolved"):
        services.escalation_escalate(escalation=escalation, actor=world.board_member, reason="?")


def test_bad_input_is_refused_without_writing(world):
    escalation = raise_from(world.chapter, world.member)
    with pytest.raises(GovernanceError):
        services.escalation_resolve(escalation=escalation, actor=world.chair, decision="  ")
    with pytest.raises(GovernanceError):
        services.escalation_escalate(escalation=escalation, actor=world.chair, reason="")
    with pytest.raises(GovernanceError):
        services.escalation_comment(escalation=escalation, actor=world.chair, body="")
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.OPEN
    assert escalation.committee == world.lyon_committee
    before = Escalation.objects.count()
    with pytest.raises(GovernanceError):
        services.escalation_raise(
            chapter=world.chapter,
            user=world.member,
            category="nonsense",
            title="t",
            description="d",
        )
    assert Escalation.objects.count() == before


def test_only_members_and_facilitators_of_the_chapter_raise_from_it(world):
    services.escalation_raise(
        chapter=world.chapter,
        user=world.facilitator,
        category="other",
        title="t",
        description="d",
    )
    for user in (world.outsider, world.chair, world.admin, world.board_member):
        with pytest.raises(GovernancePermissionDenied):
            services.escalation_raise(
                chapter=world.chapter, user=user, category="other", title="t", description="d"
            )


def test_the_chair_assigns_to_a_member_of_the_committee(world):
    escalation = raise_from(world.chapter, world.member)
    with pytest.raises(GovernancePermissionDenied, match="chair"):
        services.escalation_assign(
            escalation=escalation, actor=world.committee_member, assignee=world.committee_member
        )
    with pytest.raises(GovernanceError, match="does not sit"):
        services.escalation_assign(escalation=escalation, actor=world.chair, assignee=world.admin)

    escalation = services.escalation_assign(
        escalation=escalation, actor=world.chair, assignee=world.committee_member
    )
    assert escalation.assigned_to == world.committee_member
    assert any("assigned you" in t for t in titles_for(world.committee_member))


def test_standing_a_committee_down_moves_its_escalations_up(world):
    escalation = raise_from(world.chapter, world.member)
    services.committee_stand_down(committee=world.lyon_committee, actor=world.admin)

    escalation.refresh_from_db()
    assert escalation.committee == world.board
    assert "stood down" in escalation.routings.order_by("pk").last().reason
    assert not world.lyon_committee.memberships.filter(term_end__isnull=True).exists()
