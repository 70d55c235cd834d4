"""The role-aware home (tenants.home): what each role finds on the first screen, the empty states
that say what to do next, and a number of queries that does not grow with the data."""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps_marketplace.services.registrations import registration_create
from chapters.models import Chapter, JoinRequest, Membership
from core.models import Role
from core.services import role_grant
from governance.elections.services import ballot_cast
from governance.models import Escalation
from governance.services.escalations import escalation_raise
from meetings.models import Rsvp, Share
from network.models import Entrepreneur
from tests.apps_marketplace.factories import AppFactory, EventFactory
from tests.chapters.factories import (
    ChapterFactory,
    EntrepreneurFactory,
    MetroFactory,
    SectorFactory,
    sent_invitation,
)
from tests.elections import factories as election_factories
from tests.factories import UserFactory
from tests.governance.factories import committee_for, seat
from tests.meetings import factories as meeting_factories


def _seat(chapter: Chapter, user, *, role=Membership.Role.MEMBER) -> Membership:
    """A seat written directly (the chapters app's rules are not under test here)."""
    return Membership.objects.create(chapter=chapter, user=user, sector=SectorFactory(), role=role)


@pytest.fixture
def world(in_a, member_a):
    """Paris with one active chapter (member_a and a facilitator), its next meeting, a Paris
    committee, an open election with member_a on the roll and an event in Paris."""
    paris = MetroFactory(name="Paris", time_zone="Europe/Paris")
    fintech = SectorFactory(name="Fintech")
    Entrepreneur.objects.create(user=member_a, company="Ledgerline", metro=paris, sector=fintech)
    chapter = ChapterFactory(name="Paris Founders", metro=paris, status=Chapter.Status.ACTIVE)
    facilitator = UserFactory(email="fatou@alpha.test", name="Fatou Facilitator")
    EntrepreneurFactory(user=facilitator, metro=paris)
    _seat(chapter, member_a)
    _seat(chapter, facilitator, role=Membership.Role.FACILITATOR)
    meeting = meeting_factories.meeting(chapter, starts_in=dt.timedelta(days=4), location="Loft")
    committee = committee_for(paris)
    chen = UserFactory(email="chen@alpha.test", name="Chen Committee")
    seat(committee, chen)
    election, candidates, _ = election_factories.voting_election(
        candidates=2, electors=1, title="Board election — open seats"
    )
    election.electors.create(user=member_a)
    event = EventFactory(title="Pitch Night Paris", metro=paris)
    return SimpleNamespace(
        paris=paris,
        fintech=fintech,
        chapter=chapter,
        facilitator=facilitator,
        meeting=meeting,
        committee=committee,
        chen=chen,
        election=election,
        candidates=candidates,
        event=event,
    )


def _home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


# --- What each role finds ------------------------------------------------------------------------


def test_visitors_get_the_landing_page(client_a):
    page = _home(client_a)
    assert "Create an account" in page and "Your next steps" not in page


def test_member_sees_the_next_meeting_and_whether_they_prepared(world, logged_in_a, member_a):
    page = _home(logged_in_a)
    assert "Your next meeting" in page and "Paris Founders" in page
    assert "Not prepared yet" in page
    assert "Prepare your success and challenge" in page  # the meeting is four days away
    assert f"/meetings/{world.meeting.pk}/#my-share" in page
    assert "0 of 2 members have prepared" in page

    Share.objects.create(meeting=world.meeting, author=member_a, success="A", challenge="B")
    Rsvp.objects.create(meeting=world.meeting, user=member_a, answer=Rsvp.Answer.YES)
    page = _home(logged_in_a)
    assert "Prepared" in page and "Not prepared yet" not in page
    assert "Prepare your success and challenge" not in page
    assert "1 of 2 members has prepared" in page
    assert "Coming" in page


def test_meeting_times_are_shown_in_the_metro_time_zone(world, logged_in_a):
    page = _home(logged_in_a)
    local = timezone.localtime(world.meeting.starts_at, timezone=ZoneInfo("Europe/Paris"))
    assert f"{local:%H:%M}" in page and "(Europe/Paris)" in page


def test_an_invitation_waiting_is_a_next_step(world, logged_in_a, member_a):
    other = ChapterFactory(name="Paris Rive Gauche", metro=world.paris)
    invitation = sent_invitation(
        other, email=member_a.email, sector=world.fintech, token="t" * 40, by=world.facilitator
    )
    page = _home(logged_in_a)
    assert "You are invited to Paris Rive Gauche" in page
    assert f"/chapters/invitations/{invitation.pk}/" in page


def test_a_facilitator_sees_join_requests_to_decide(world, client_a, member_a):
    newcomer = UserFactory(email="nina@alpha.test", name="Nina Newcomer")
    JoinRequest.objects.create(chapter=world.chapter, user=newcomer, sector=SectorFactory())
    client_a.force_login(world.facilitator)
    page = _home(client_a)
    assert "Decide on join requests" in page
    assert "Nina Newcomer asks to join Paris Founders." in page
    client_a.force_login(member_a)
    assert "Nina Newcomer" not in _home(client_a)  # a plain member does not decide


def test_my_own_join_request_is_listed(world, logged_in_a, member_a):
    other = ChapterFactory(name="Paris Impact", metro=world.paris)
    JoinRequest.objects.create(chapter=other, user=member_a, sector=world.fintech)
    page = _home(logged_in_a)
    assert "Your requests to join" in page and "Paris Impact" in page


def test_a_committee_member_sees_their_queue(world, client_a, member_a):
    for index in range(2):
        escalation_raise(
            chapter=world.chapter,
            user=member_a,
            category=Escalation.Category.values[0],
            title=f"Venue problem {index}",
            description="The venue closed.",
        )
    client_a.force_login(world.chen)
    page = _home(client_a)
    assert '<span class="kpi">2</span> escalations waiting for your committee' in page
    assert "Venue problem 0" in page and "Venue problem 1" in page
    assert f"/governance/queue/?committee={world.committee.pk}" in page
    assert f">{world.committee.name}</h2>" in page and "Paris steering committee" in page
    # The raiser follows their own escalations, each with its committee, and sees no queue.
    client_a.force_login(member_a)
    page = _home(client_a)
    assert "Your escalations" in page and "Venue problem 0" in page
    assert "· Paris steering committee ·" in page
    assert "waiting for your committee" not in page


def test_an_elector_is_asked_to_vote_then_offered_the_receipt_check(world, logged_in_a, member_a):
    page = _home(logged_in_a)
    assert "Vote in Board election — open seats" in page
    assert f"/elections/{world.election.pk}/vote/" in page
    ballot_cast(election=world.election, voter=member_a, choices=[world.candidates[0].number])
    page = _home(logged_in_a)
    assert "Vote in Board election" not in page
    assert "You voted" in page and f"/elections/{world.election.pk}/verify/" in page


def test_events_in_my_metro_with_my_registration(world, logged_in_a, member_a):
    EventFactory(title="Demo Day Lyon", metro=MetroFactory(name="Lyon"))
    page = _home(logged_in_a)
    assert "Events in Paris" in page and "Pitch Night Paris" in page
    assert "Demo Day Lyon" not in page
    assert "You are registered" not in page
    registration_create(event=world.event, user=member_a)
    assert "You are registered" in _home(logged_in_a)


def test_a_provider_sees_the_events_they_run(world, client_a):
    event = EventFactory(title="VC Breakfast", metro=world.paris)
    client_a.force_login(event.app.provider)
    page = _home(client_a)
    assert "Events you run" in page and "VC Breakfast" in page
    assert f"/marketplace/provide/events/{event.pk}/" in page


def test_admins_see_growth_and_coverage_and_members_do_not(world, client_a, member_a):
    admin = UserFactory(email="ada@alpha.test", name="Ada Admin")
    role_grant(user=admin, role=Role.ORGANIZATION_ADMIN)
    client_a.force_login(admin)
    page = _home(client_a)
    assert "Growth tracker" in page and "chapters formed" in page
    assert "Coverage map" in page and "Open seats" in page
    assert "Escalations across the network" in page
    client_a.force_login(member_a)
    page = _home(client_a)
    assert "Growth tracker" not in page and "Coverage map" not in page


# --- Empty states --------------------------------------------------------------------------------


def test_without_a_profile_the_first_step_is_to_complete_it(in_a, logged_in_a):
    page = _home(logged_in_a)
    assert "Complete your profile" in page and "/network/profile/" in page
    assert "You are not in a chapter yet." in page
    assert "Add your metro to your profile to see the events near you." in page


def test_without_a_chapter_the_member_is_asked_to_join_one_in_their_metro(
    world, client_a, member_a
):
    newcomer = UserFactory(email="lea@alpha.test", name="Léa Newcomer")
    Entrepreneur.objects.create(user=newcomer, metro=world.paris, sector=SectorFactory())
    client_a.force_login(newcomer)
    page = _home(client_a)
    assert "Ask to join a chapter in Paris" in page and "/chapters/find/" in page


def test_without_a_chapter_to_join_the_member_is_asked_to_start_one(in_a, client_a):
    lyon = MetroFactory(name="Lyon")
    person = UserFactory(email="leo@alpha.test", name="Léo Lyon")
    Entrepreneur.objects.create(user=person, metro=lyon, sector=SectorFactory())
    client_a.force_login(person)
    page = _home(client_a)
    assert "Start a chapter in Lyon" in page and "/chapters/propose/" in page
    assert "No event is planned in Lyon yet." in page


def test_nothing_waiting_says_so(world, client_a):
    person = UserFactory(email="calm@alpha.test", name="Calm Person")
    Entrepreneur.objects.create(user=person, metro=world.paris, sector=SectorFactory())
    chapter = ChapterFactory(name="Quiet Chapter", metro=world.paris, status=Chapter.Status.ACTIVE)
    _seat(chapter, person)
    client_a.force_login(person)
    page = _home(client_a)
    assert "Nothing is waiting for you." in page
    assert "Your chapter has no meeting planned yet." in page


# --- Isolation -----------------------------------------------------------------------------------


def test_another_organisations_account_sees_only_its_own_home(world, org_b, client_b):
    connection.set_tenant(org_b)
    stranger = UserFactory(email="bo@beta.test", name="Bo Beta")
    client_b.force_login(stranger)
    page = _home(client_b)
    assert "Hello, Bo" in page
    assert "Paris Founders" not in page and "Pitch Night Paris" not in page
    assert "Board election — open seats" not in page


# --- Query counts --------------------------------------------------------------------------------


def _count_queries(client) -> int:
    client.get("/")  # warm up: the connection's search path is the organisation's now
    with CaptureQueriesContext(connection) as context:
        client.get("/")
    return len(context.captured_queries)


def _more_of_everything(world, member_a) -> None:
    """Several times the data of each part the member sees."""
    for index in range(4):
        chapter = ChapterFactory(
            name=f"Extra {index}", metro=world.paris, status=Chapter.Status.ACTIVE
        )
        _seat(chapter, member_a)
        meeting_factories.meeting(chapter, starts_in=dt.timedelta(days=2 + index))
        sent_invitation(
            ChapterFactory(metro=world.paris),
            email=member_a.email,
            sector=world.fintech,
            token=f"{index}" * 40,
        )
        EventFactory(metro=world.paris, app=world.event.app)
        escalation_raise(
            chapter=world.chapter,
            user=member_a,
            category=Escalation.Category.values[0],
            title=f"Issue {index}",
            description="Details.",
        )
        JoinRequest.objects.create(
            chapter=ChapterFactory(metro=world.paris), user=member_a, sector=world.fintech
        )
    election, _, _ = election_factories.voting_election(candidates=2, electors=1, title="Second")
    election.electors.create(user=member_a)


def test_a_write_redraws_only_the_parts_of_the_home_it_touched(
    world, logged_in_a, member_a, django_assert_num_queries
):
    _home(logged_in_a)  # sets the CSRF cookie: a page without one is not kept
    _home(logged_in_a)
    assert logged_in_a.get("/").get("X-Page-Cache") == "hit"
    Rsvp.objects.create(meeting=world.meeting, user=member_a, answer=Rsvp.Answer.YES)
    # The page is drawn again (RSVPs are on it) but only its meetings part asks the database:
    # the 3 of any page, profile, chapters, meetings; events, elections, invitations and
    # escalations are kept parts (core.pagecache.kept_part)
    with django_assert_num_queries(6):
        response = logged_in_a.get("/")
    assert response.get("X-Page-Cache") == "miss" and "Coming" in response.content.decode()
    assert "Paris Founders" in response.content.decode()


def test_member_home_queries_do_not_grow_with_data(
    pages_drawn, world, logged_in_a, member_a, django_assert_num_queries
):
    # 3 for any page (search path, session, and the user with their roles, unread count,
    # chapter roles, committee seats and the board: core.userfacts; the host lookup is cached)
    # and 8 for the parts: profile, chapters, meetings (with RSVP and preparation), events (with
    # registration), invitations, own join requests, own escalations, elections (with
    # nominations).
    before = _count_queries(logged_in_a)
    assert before == 11
    _more_of_everything(world, member_a)
    with django_assert_num_queries(before):
        response = logged_in_a.get("/")
    assert "Extra 3" in response.content.decode()


def test_home_of_every_role_at_once_queries_do_not_grow_with_data(
    pages_drawn, world, logged_in_a, member_a, django_assert_num_queries
):
    """A member who also facilitates, sits on a committee, provides events and administers."""
    Membership.objects.filter(chapter=world.chapter, user=member_a).update(
        role=Membership.Role.FACILITATOR
    )
    seat(world.committee, member_a)
    role_grant(user=member_a, role=Role.ORGANIZATION_ADMIN)
    role_grant(user=member_a, role=Role.PROVIDER)
    AppFactory(provider=member_a)
    newcomer = UserFactory(email="nina@alpha.test")
    JoinRequest.objects.create(chapter=world.chapter, user=newcomer, sector=SectorFactory())
    escalation_raise(
        chapter=world.chapter,
        user=world.facilitator,
        category=Escalation.Category.values[0],
        title="Waiting for the committee",
        description="Details.",
    )
    before = _count_queries(logged_in_a)
    # The member's 11, and: proposed invitations, join requests to decide, the committee's queue
    # (its head with the committee and the count; an empty queue asks for the committee
    # too), escalation counts (2), events run, growth (2), chapters by status, coverage (7).
    assert before == 27
    _more_of_everything(world, member_a)
    for index in range(3):
        JoinRequest.objects.create(
            chapter=world.chapter, user=UserFactory(), sector=SectorFactory()
        )
        EventFactory(app=member_a.marketplace_apps.get(), metro=world.paris)
        escalation_raise(
            chapter=world.chapter,
            user=world.facilitator,
            category=Escalation.Category.values[0],
            title=f"For the committee {index}",
            description="Details.",
        )
    with django_assert_num_queries(before):
        page = logged_in_a.get("/").content.decode()
    assert "Growth tracker" in page and "Events you run" in page
    assert "Decide on join requests" in page and "waiting for your committee" in page
