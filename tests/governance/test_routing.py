"""Rule 5: an escalation goes to the lowest existing committee covering its chapter's metro,
else to the board; escalating goes to the next existing level."""

import pytest

from governance import services
from governance.errors import GovernanceError
from governance.models import Committee, EscalationRouting, Level

from .factories import ChapterFactory, MetroFactory, committee_for, join


def raise_from(chapter, user=None):
    user = user or join(chapter).user
    return services.escalation_raise(
        chapter=chapter,
        user=user,
        category="conduct",
        title="Trouble",
        description="Something the chapter cannot settle.",
    )


def test_goes_to_the_metro_committee_when_the_metro_has_one(world):
    escalation = raise_from(world.chapter, world.member)

    assert escalation.committee == world.lyon_committee
    routing = escalation.routings.get()
    assert routing.kind == EscalationRouting.Kind.RAISED
    assert routing.reason == "Lyon has a metro committee."


def test_goes_to_the_region_when_only_the_region_has_a_committee(world):
    region_committee = committee_for(world.ara, members=1)
    chapter = ChapterFactory(metro=world.grenoble)

    escalation = raise_from(chapter)

    assert escalation.committee == region_committee
    assert escalation.routings.get().reason == (
        "No metro committee for Grenoble; Auvergne-Rhône-Alpes has a region committee."
    )


def test_goes_to_the_country_when_only_the_country_has_a_committee(world):
    country_committee = committee_for(world.france, members=2)
    chapter = ChapterFactory(metro=world.grenoble)

    escalation = raise_from(chapter)

    assert escalation.committee == country_committee
    assert escalation.routings.get().reason == (
        "No metro committee for Grenoble; no region committee for Auvergne-Rhône-Alpes; "
        "France has a country committee."
    )


def test_goes_to_the_board_when_no_level_has_a_committee(world):
    chapter = ChapterFactory(metro=MetroFactory(name="Nowhere"))

    escalation = raise_from(chapter)

    assert escalation.committee == world.board
    assert escalation.routings.get().reason.endswith("; the board takes it.")
    assert escalation.routings.get().reason.startswith("No metro committee for Nowhere")


def test_a_committee_without_current_members_or_stood_down_is_skipped(world):
    committee_for(world.grenoble)  # formed, nobody appointed yet
    committee_for(world.ara, status=Committee.Status.STOOD_DOWN)
    country_committee = committee_for(world.france, members=1)
    chapter = ChapterFactory(metro=world.grenoble)

    escalation = raise_from(chapter)

    assert escalation.committee == country_committee
    assert escalation.routings.get().reason == (
        "The Grenoble committee has no current members; no region committee for "
        "Auvergne-Rhône-Alpes; France has a country committee."
    )


def test_escalating_goes_to_the_next_existing_level_skipping_missing_ones(world):
    country_committee = committee_for(world.france, members=1)
    escalation = raise_from(world.chapter, world.member)

    escalation = services.escalation_escalate(
        escalation=escalation, actor=world.chair, reason="Needs a national view."
    )

    assert escalation.committee == country_committee
    hop = escalation.routings.order_by("pk").last()
    assert hop.kind == EscalationRouting.Kind.ESCALATED
    assert hop.from_committee == world.lyon_committee
    assert hop.routed_by == world.chair
    assert "Needs a national view." in hop.reason
    assert "No region committee for Auvergne-Rhône-Alpes; France has" in hop.reason

    country_member = country_committee.memberships.get().user
    escalation = services.escalation_escalate(
        escalation=escalation, actor=country_member, reason="Board policy."
    )
    assert escalation.committee.level == Level.BOARD


def test_the_board_is_the_last_level(world):
    chapter = ChapterFactory(metro=MetroFactory())
    escalation = raise_from(chapter)

    with pytest.raises(GovernanceError, match="last level"):
        services.escalation_escalate(escalation=escalation, actor=world.board_member, reason="Up!")
