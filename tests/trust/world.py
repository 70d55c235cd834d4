"""One organisation with a person in every role of shared/spec/domain.md and one object of every
kind the URLs point at. The permission matrix, the isolation sweep and the confidentiality sweep
all ask their questions of this world.

Built once per test session in its own organisation (committed, then dropped at the end), so the
hundreds of requests of the matrix do not rebuild it; each test still runs in a transaction that
is rolled back, so nothing a request writes leaks into the next test.

Confidential text (shares, stories, follow-ups, minutes) carries unique markers; the sweep
checks that no page and no API answer shows a marker to anyone outside the chapter.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from core.models import Notification, Role
from core.services import api_token_create, role_grant
from tenants.models import Organization
from tenants.services import organization_create, organization_delete
from tests.factories import UserFactory

# The modules that use the world are one pytest-xdist group: they run on one worker, in a row,
# while the (package-scoped) world exists.
WORLD_GROUP = pytest.mark.xdist_group("trust-world")

# Every role of domain.md, in the order the matrix lists them.
ROLES = (
    "anonymous",
    "other_chapter",
    "member",
    "facilitator",
    "committee",
    "board",
    "officer",
    "provider",
    "admin",
    "other_org",
)
# Roles that are a signed-in account of the world's organisation.
SIGNED_IN = tuple(role for role in ROLES if role not in {"anonymous", "other_org"})
# The members of the chapter whose confidential text the world holds.
CHAPTER_INSIDERS = frozenset({"member", "facilitator"})

MARKERS = {
    "share_success": "zq-share-success-7c1e",
    "share_challenge": "zq-share-challenge-52ab",
    "story": "zq-story-text-9d04",
    "follow_up": "zq-follow-up-text-31f8",
    "minutes": "zq-minutes-text-e6a2",
}


@dataclass
class World:
    organization: Organization
    host: str
    users: dict = field(default_factory=dict)  # role -> pk
    emails: dict = field(default_factory=dict)  # role -> email
    api_keys: dict = field(default_factory=dict)  # role -> API key
    ids: dict = field(default_factory=dict)  # object name -> pk, token or slug
    sessions: dict = field(default_factory=dict)  # role -> session key (committed)
    other_org_user_pk: int | None = None
    other_org_api_key: str = ""


def world_slug() -> str:
    """One world per pytest-xdist worker: the workers share the media folder."""
    import os

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return f"trust-world-{worker}" if worker else "trust-world"


OUTSIDER_EMAIL = "outsider@other-org.test"


def _forget_outsider() -> None:
    """Remove the other organisation's account the world made, with its sessions (committed
    rows: the other organisation is shared with the rest of the suite)."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.models import Session

    outsider = get_user_model().objects.filter(email=OUTSIDER_EMAIL).first()
    if outsider is None:
        return
    keys = [
        session.session_key
        for session in Session.objects.all()
        if session.get_decoded().get("_auth_user_id") == str(outsider.pk)
    ]
    Session.objects.filter(session_key__in=keys).delete()
    outsider.delete()


def _session_for(user) -> str:
    """A signed-in session, stored in the active schema, as `Client.force_login` makes it."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _profile(user, metro, sector):
    from network.models import Entrepreneur

    return Entrepreneur.objects.create(
        user=user, company=f"{user.name} Ltd", metro=metro, sector=sector, bio="Builds things."
    )


def build_world(*, other_organization: Organization) -> World:
    """Make the organisation and its data; returns what the tests need to address it."""
    slug = world_slug()
    leftover = Organization.objects.filter(slug=slug).first()
    if leftover is not None:  # an interrupted earlier run
        organization_delete(organization=leftover)
    connection.set_schema_to_public()
    organization = organization_create(slug=slug, name="Trust World")
    host = organization.domains.get(is_primary=True).domain
    world = World(organization=organization, host=host)

    with schema_context(organization.schema_name):
        _populate(world)
    with schema_context(other_organization.schema_name):
        _forget_outsider()
        outsider = UserFactory(email=OUTSIDER_EMAIL, name="Otto Other-Org")
        world.other_org_user_pk = outsider.pk
        _, world.other_org_api_key = api_token_create(user=outsider, name="matrix")
        world.sessions["other_org"] = _session_for(outsider)
    connection.set_schema_to_public()
    return world


def destroy_world(world: World, *, other_organization: Organization) -> None:
    import shutil
    from pathlib import Path

    from django.conf import settings

    connection.set_schema_to_public()
    organization_delete(organization=world.organization)
    with schema_context(other_organization.schema_name):
        _forget_outsider()
    shutil.rmtree(Path(settings.MEDIA_ROOT) / world.organization.schema_name, ignore_errors=True)
    connection.set_schema_to_public()


def _populate(world: World) -> None:
    from apps_marketplace.models import (
        App,
        Event,
        Registration,
        Sponsorship,
        SponsorshipPackage,
    )
    from chapters.models import Chapter, Invitation, JoinRequest, Membership
    from chapters.selectors import hash_invitation_token
    from governance.elections.models import Candidate, Election, ElectionOfficer
    from governance.elections.services import election_open_voting
    from governance.models import (
        Committee,
        CommitteeMembership,
        DensityAlert,
        Escalation,
        EscalationComment,
        Level,
    )
    from governance.services.escalations import escalation_raise
    from meetings.models import FollowUp, Meeting, Share, Story
    from meetings.services.calendars import calendar_feed_create
    from network.models import Country, ImportJob, Metro, Region, Sector

    now = timezone.now()
    users = {}
    for role in SIGNED_IN:
        users[role] = UserFactory(
            email=f"{role.replace('_', '-')}@trust.test",
            name=f"{role.replace('_', ' ').title()} Person",
        )
    admin = users["admin"]
    admin.is_staff = True  # as organization_create makes the first admin
    admin.save(update_fields=["is_staff"])
    role_grant(user=admin, role=Role.ORGANIZATION_ADMIN)
    role_grant(user=users["provider"], role=Role.PROVIDER)

    # --- network ----------------------------------------------------------------------------
    country = Country.objects.create(name="France", code="FR")
    region = Region.objects.create(country=country, name="Auvergne-Rhône-Alpes")
    lyon = Metro.objects.create(region=region, name="Lyon", time_zone="Europe/Paris")
    sectors = [Sector.objects.create(name=f"Trust sector {n}") for n in range(12)]
    profiles = {}
    for n, role in enumerate(
        ("member", "facilitator", "other_chapter", "committee", "board", "officer", "provider")
    ):
        profiles[role] = _profile(users[role], lyon, sectors[n])
    import_job = ImportJob.objects.create(
        created_by=admin, filename="people.csv", source="email,name\n", total_rows=0
    )

    # --- chapters -----------------------------------------------------------------------------
    chapter = Chapter.objects.create(
        name="Lyon Makers",
        metro=lyon,
        status=Chapter.Status.ACTIVE,
        created_by=users["facilitator"],
    )
    other_chapter = Chapter.objects.create(
        name="Lyon Food", metro=lyon, status=Chapter.Status.ACTIVE
    )
    seats = {}
    for role, chapter_role in (("member", "member"), ("facilitator", "facilitator")):
        seats[role] = Membership.objects.create(
            chapter=chapter,
            user=users[role],
            sector=profiles[role].sector,
            role=chapter_role,
        )
    Membership.objects.create(
        chapter=other_chapter, user=users["other_chapter"], sector=profiles["other_chapter"].sector
    )
    invitation_token = secrets.token_urlsafe(24)
    sent_invitation = Invitation.objects.create(
        chapter=chapter,
        email="invitee@trust.test",
        sector=sectors[9],
        status=Invitation.Status.SENT,
        token_hash=hash_invitation_token(invitation_token),
        sent_at=now,
        sent_by=users["facilitator"],
        proposed_by=users["facilitator"],
        expires_at=now + dt.timedelta(days=14),
        objection_window_ends_at=now + dt.timedelta(days=3),
    )
    proposed_invitation = Invitation.objects.create(
        chapter=chapter,
        email="proposed@trust.test",
        sector=sectors[10],
        status=Invitation.Status.PROPOSED,
        proposed_by=users["member"],
        objection_window_ends_at=now + dt.timedelta(days=3),
    )
    join_request = JoinRequest.objects.create(
        chapter=chapter, user=users["other_chapter"], sector=profiles["other_chapter"].sector
    )

    # --- meetings (the confidential text) -----------------------------------------------------
    held = Meeting.objects.create(
        chapter=chapter,
        occurrence_start=now - dt.timedelta(days=2),
        starts_at=now - dt.timedelta(days=2),
        minutes=MARKERS["minutes"],
    )
    upcoming = Meeting.objects.create(
        chapter=chapter,
        occurrence_start=now + dt.timedelta(days=5),
        starts_at=now + dt.timedelta(days=5),
    )
    share = Share.objects.create(
        meeting=held,
        author=users["member"],
        success=MARKERS["share_success"],
        challenge=MARKERS["share_challenge"],
    )
    story = Story.objects.create(share=share, author=users["facilitator"], text=MARKERS["story"])
    FollowUp.objects.create(share=share, meeting=upcoming, text=MARKERS["follow_up"])
    feed, feed_key = calendar_feed_create(user=users["member"])

    # --- governance ---------------------------------------------------------------------------
    term_start = timezone.localdate() - dt.timedelta(days=30)
    lyon_committee = Committee.objects.create(level=Level.METRO, metro=lyon)
    committee_seat = CommitteeMembership.objects.create(
        committee=lyon_committee,
        user=users["committee"],
        role=CommitteeMembership.Role.CHAIR,
        term_start=term_start,
    )
    board = Committee.objects.filter(level=Level.BOARD).first() or Committee.objects.create(
        level=Level.BOARD
    )
    CommitteeMembership.objects.create(
        committee=board, user=users["board"], role="member", term_start=term_start
    )
    escalation = escalation_raise(
        chapter=chapter,
        user=users["member"],
        category=Escalation.Category.CONDUCT,
        title="A question of conduct",
        description="What happened, without the chapter's shares.",
        attachments=[SimpleUploadedFile("note.txt", b"attached note\n", "text/plain")],
    )
    attachment = escalation.attachments.get()
    EscalationComment.objects.create(
        escalation=escalation, author=users["committee"], committee=lyon_committee, body="Noted."
    )
    alert = DensityAlert.objects.create(
        level=Level.METRO,
        metro=lyon,
        direction=DensityAlert.Direction.REACHED,
        active_chapters=5,
        threshold=5,
    )

    # --- elections ----------------------------------------------------------------------------
    day = dt.timedelta(days=1)
    election = Election.objects.create(
        title="Board election",
        seats=1,
        nominations_open=now - 3 * day,
        nominations_close=now - dt.timedelta(minutes=10),
        voting_open=now - dt.timedelta(minutes=5),
        voting_close=now + 3 * day,
        term_start=(now + 10 * day).date(),
        term_end=(now + 375 * day).date(),
        state=Election.State.NOMINATIONS,
        created_by=users["board"],
    )
    candidate = Candidate.objects.create(
        election=election,
        user=users["committee"],
        nominated_by=users["committee"],
        status=Candidate.Status.ACCEPTED,
    )
    officer = ElectionOfficer.objects.create(
        election=election, user=users["officer"], appointed_by=admin
    )
    election_open_voting(election=election)

    # --- marketplace --------------------------------------------------------------------------
    provider = users["provider"]
    app = App.objects.create(
        provider=provider,
        name="Pitch Night",
        category=App.Category.PITCH,
        description="Six startups pitch.",
        default_price=Decimal("10.00"),
        currency="EUR",
        status=App.Status.APPROVED,
    )
    pending_app = App.objects.create(
        provider=provider,
        name="Investor Breakfast",
        category=App.Category.INVESTORS,
        description="Coffee with investors.",
        currency="EUR",
        status=App.Status.PENDING,
    )
    event = Event.objects.create(
        app=app,
        metro=lyon,
        title="Pitch Night Lyon",
        venue="La Commune",
        starts_at=now + 10 * day,
        ends_at=now + 10 * day + dt.timedelta(hours=2),
        capacity=20,
        price=Decimal("10.00"),
        currency="EUR",
        status=Event.Status.PUBLISHED,
    )
    package = SponsorshipPackage.objects.create(
        app=app, name="Gold", currency="EUR", slots=2, price=500
    )
    sponsorship = Sponsorship.objects.create(
        event=event,
        package=package,
        company="Sponsor Co",
        contact_name="Sam Sponsor",
        contact_email="sam@sponsor.test",
        amount=Decimal("500.00"),
        currency="EUR",
        created_by=provider,
    )
    registration = Registration.objects.create(
        event=event,
        user=users["member"],
        name=users["member"].name,
        email=users["member"].email,
        status=Registration.Status.CONFIRMED,
        amount=Decimal("10.00"),
        payment_status=Registration.Payment.DUE,
        currency="EUR",
    )

    # --- core ---------------------------------------------------------------------------------
    for role in SIGNED_IN:
        _, world.api_keys[role] = api_token_create(user=users[role], name="matrix")
    member_token = users["member"].api_tokens.get()
    notification = Notification.objects.create(user=users["member"], title="Hello")

    world.sessions.update({role: _session_for(user) for role, user in users.items()})
    world.users = {role: user.pk for role, user in users.items()}
    world.emails = {role: user.email for role, user in users.items()}
    world.ids = {
        "user_member": users["member"].pk,
        "user_provider": provider.pk,
        "api_token": member_token.pk,
        "notification": notification.pk,
        "country": country.pk,
        "region": region.pk,
        "metro": lyon.pk,
        "sector": sectors[11].pk,
        "person": profiles["member"].pk,
        "import_job": import_job.pk,
        "chapter": chapter.pk,
        "other_chapter": other_chapter.pk,
        "membership": seats["member"].pk,
        "invitation": sent_invitation.pk,
        "invitation_proposed": proposed_invitation.pk,
        "invitation_token": invitation_token,
        "join_request": join_request.pk,
        "meeting": held.pk,
        "meeting_upcoming": upcoming.pk,
        "share": share.pk,
        "story": story.pk,
        "calendar_feed": feed.pk,
        "calendar_key": feed_key,
        "committee": lyon_committee.pk,
        "committee_seat": committee_seat.pk,
        "escalation": escalation.pk,
        "attachment": attachment.pk,
        "density_alert": alert.pk,
        "election": election.pk,
        "candidate": candidate.pk,
        "officer": officer.pk,
        "app": app.pk,
        "app_pending": pending_app.pk,
        "event": event.pk,
        "package": package.pk,
        "sponsorship": sponsorship.pk,
        "registration": registration.pk,
        "registration_token": registration.token,
        "app_template": "pitch-night",
    }
