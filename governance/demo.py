"""Demo governance for `make run`: committees where the seeded network is dense enough (some metros
have one, others do not), the board, and escalations in every state — one near its deadline and
one already past it, which the hourly deadline task moves up by itself. Idempotent; runs after the
chapters' seed and does nothing when there are no chapters."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from chapters.models import Chapter, Membership
from core.models import Role

from . import selectors, services
from .models import (
    Committee,
    CommitteeMembership,
    Escalation,
    EscalationEvent,
    EscalationRouting,
    GovernanceSettings,
    Level,
)

# The seeded network is small (a few active chapters per metro): lower thresholds give it a mix
# of metros with and without a committee, and a country committee above one of the latter.
DEMO_THRESHOLDS = {"metro_threshold": 2, "region_threshold": 3, "country_threshold": 3}
BOARD_EMAIL = "board@demo.localhost"
COMMITTEE_EMAIL = "committee@demo.localhost"
ADMIN_EMAIL = "admin@demo.localhost"
MEMBER_EMAIL = "member@demo.localhost"
FACILITATOR_EMAIL = "facilitator@demo.localhost"


def _user(email: str):
    return get_user_model().objects.filter(email=email).first()


def _admin():
    user = _user(ADMIN_EMAIL)
    if user is None:
        user = (
            get_user_model()
            .objects.filter(roles__role=Role.ORGANIZATION_ADMIN, is_active=True)
            .order_by("pk")
            .first()
        )
    return user


def _members_of(metro_ids, *, exclude=()) -> list:
    """People currently in chapters of these metros, facilitators first — never the demo
    accounts, whose roles the demo fixes itself."""
    seen, users = set(exclude), []
    rows = (
        Membership.objects.filter(chapter__metro_id__in=list(metro_ids), left_at__isnull=True)
        .exclude(user__email__endswith="@demo.localhost")
        .select_related("user")
        .order_by("-role", "chapter__name", "pk")
    )
    for membership in rows:
        if membership.user_id not in seen and membership.user.is_active:
            seen.add(membership.user_id)
            users.append(membership.user)
    return users


def _seat(committee, user, admin, role=CommitteeMembership.Role.MEMBER) -> None:
    if user is None:
        return
    if selectors.current_memberships().filter(committee=committee, user=user).exists():
        return
    services.committee_member_add(
        committee=committee,
        user=user,
        actor=admin,
        role=role,
        term_start=timezone.localdate() - datetime.timedelta(days=120),
    )


def seed() -> None:
    if not Chapter.objects.exists():
        return
    admin = _admin()
    if admin is None:
        return
    with transaction.atomic():
        _seed_thresholds()
        board, metro_committees, wider = _seed_committees(admin)
    if not Escalation.objects.exists():
        _seed_escalations(board, metro_committees, wider)
    services.density_check()  # what the periodic check would find: the dense places left over


def _seed_thresholds() -> None:
    rules = GovernanceSettings.load()
    if (rules.metro_threshold, rules.region_threshold, rules.country_threshold) == (5, 10, 20):
        for name, value in DEMO_THRESHOLDS.items():
            setattr(rules, name, value)
        rules.save()


def _seed_committees(admin):
    board = services.board_ensure()
    _seat(board, _user(BOARD_EMAIL), admin, CommitteeMembership.Role.CHAIR)

    rows = selectors.places_flat(selectors.places_density())
    member = _user(MEMBER_EMAIL)
    member_metros = (
        set(
            Membership.objects.filter(user=member, left_at__isnull=True).values_list(
                "chapter__metro_id", flat=True
            )
        )
        if member
        else set()
    )
    dense_metros = sorted(
        (row for row in rows if row.level == Level.METRO and row.meets_threshold),
        key=lambda row: (row.place.pk not in member_metros, -row.active_chapters, row.place.name),
    )
    metro_committees = [c for c in Committee.objects.filter(level=Level.METRO) if c.is_active]
    if not Committee.objects.filter(level=Level.METRO).exists():
        # Committees for the densest metros (the demo member's first), never all of them: the
        # demo shows both, and a density alert for the one still without.
        wanted = dense_metros[: max(1, min(2, len(dense_metros) - 1))] if dense_metros else []
        for row in wanted:
            metro_committees.append(
                services.committee_form(level=Level.METRO, place=row.place, actor=admin)
            )
    committee_user = _user(COMMITTEE_EMAIL)
    for index, committee in enumerate(metro_committees):
        if index == 0:
            _seat(committee, committee_user, admin, CommitteeMembership.Role.CHAIR)
        if selectors.committee_current_seats(committee).count() < 3:
            for user in _members_of([committee.metro_id])[:2]:
                _seat(committee, user, admin)

    # One wider committee (region, else country) over a metro that has active chapters but no
    # committee of its own, so that its escalations show routing past the metro level — away
    # from the demo member's metro, whose escalations go metro committee → board.
    wider = Committee.objects.filter(level__in=[Level.REGION, Level.COUNTRY]).first()
    if wider is None:
        covered = {c.metro_id for c in metro_committees}
        seated = set(selectors.current_memberships().values_list("user_id", flat=True))
        for row in sorted(rows, key=lambda r: r.level != Level.REGION):
            if row.level not in (Level.REGION, Level.COUNTRY) or not row.meets_threshold:
                continue
            metros = (
                row.children
                if row.level == Level.REGION
                else [m for region in row.children for m in region.children]
            )
            if not any(m.active_chapters and m.place.pk not in covered for m in metros):
                continue
            if any(m.place.pk in member_metros for m in metros):
                continue  # the demo member's escalations climb from their metro to the board
            wider = services.committee_form(level=row.level, place=row.place, actor=admin)
            people = _members_of([m.place.pk for m in metros], exclude=seated)
            if people:
                _seat(wider, people[0], admin, CommitteeMembership.Role.CHAIR)
            for user in people[1:3]:
                _seat(wider, user, admin)
            break
    # Two more board members from the network (the board is elected from committee members).
    others = [
        seat.user
        for seat in selectors.current_memberships()
        .filter(committee__level__in=[Level.METRO, Level.REGION, Level.COUNTRY])
        .exclude(user__email__endswith="@demo.localhost")
        .select_related("user")
        .order_by("pk")[:2]
    ]
    for user in others:
        _seat(board, user, admin)
    return board, metro_committees, wider


def _raiser_in(chapter: Chapter, *, prefer=(MEMBER_EMAIL, FACILITATOR_EMAIL), avoid=()):
    members = list(
        Membership.objects.filter(chapter=chapter, left_at__isnull=True)
        .select_related("user")
        .order_by("-role", "pk")
    )
    for email in prefer:
        for membership in members:
            if membership.user.email == email:
                return membership.user
    for membership in members:
        if membership.user_id not in avoid:
            return membership.user
    return None


def _age(escalation: Escalation, days: float) -> None:
    """Make a freshly raised escalation look `days` old (demo only)."""
    delta = datetime.timedelta(days=days)
    rules = GovernanceSettings.load()
    created = timezone.now() - delta
    Escalation.objects.filter(pk=escalation.pk).update(
        created=created, routed_at=created, deadline_at=created + rules.escalation_deadline
    )
    EscalationRouting.objects.filter(escalation=escalation).update(created=created)
    EscalationEvent.objects.filter(escalation=escalation).update(created=created)
    escalation.refresh_from_db()


def _covers(committee, chapter) -> bool:
    if committee is None:
        return False
    if committee.level == Level.REGION:
        return chapter.metro.region_id == committee.region_id
    return chapter.metro.region.country_id == committee.country_id


def _seed_escalations(board, metro_committees, wider) -> None:
    committee_members = {
        seat.user_id for seat in selectors.current_memberships().filter(committee__status="active")
    }
    active = Chapter.objects.filter(status=Chapter.Status.ACTIVE).select_related(
        "metro__region__country"
    )
    covered_metros = {c.metro_id for c in metro_committees}
    in_committee_metro = [c for c in active if c.metro_id in covered_metros]
    in_wider = [c for c in active if c.metro_id not in covered_metros and _covers(wider, c)]
    elsewhere = [c for c in active if c.metro_id not in covered_metros and not _covers(wider, c)]

    def raise_(chapters, category, title, description, *, anonymous=False, days=0.0):
        """Raise from the first of `chapters` with a member who sits on no committee."""
        chapters = chapters if isinstance(chapters, list) else [chapters]
        for chapter in chapters:
            user = _raiser_in(chapter, avoid=committee_members)
            if user is not None:
                break
        else:
            return None
        escalation = services.escalation_raise(
            chapter=chapter,
            user=user,
            category=category,
            title=title,
            description=description,
            anonymous=anonymous,
        )
        if days:
            _age(escalation, days)
        return escalation

    def acting(escalation):
        seat = (
            selectors.current_memberships()
            .filter(committee=escalation.committee)
            .exclude(user_id=escalation.raised_by_id)
            .select_related("user")
            .order_by("-role", "pk")
            .first()
        )
        return seat.user if seat else None

    category = Escalation.Category
    if in_committee_metro:
        chapter = in_committee_metro[0]
        raise_(
            chapter,
            category.CONFLICT_OF_INTEREST,
            "A new member's company competes with mine",
            "A member who joined last month now sells the same product to the same customers as "
            "I do. The one-seat-per-sector rule did not catch it because we are filed under "
            "different sectors. I would like the committee to decide which seat is right.",
            days=2,
        )
        raise_(
            chapter,
            category.RESOURCES,
            "Our meeting venue is no longer available",
            "The co-working space that hosted us for free closes in two months. We need help "
            "finding a venue or a small budget for one.",
            days=12,  # two days before its deadline: the reminder goes out
        )
        raise_(
            in_committee_metro[-1],
            category.OTHER,
            "Members keep missing meetings without notice",
            "Three of our nine members have missed the last three meetings without a word. "
            "We would like guidance on how to handle it.",
            days=15,  # past its deadline: the hourly task moves it up by itself
        )
        resolved = raise_(
            chapter,
            category.FORMATION,
            "Splitting our chapter in two",
            "We have twelve members and the meetings run long. Half of us would like to start "
            "a second chapter in the same metro.",
            days=20,
        )
        if resolved is not None:
            actor = acting(resolved)
            if actor is not None:
                resolved = services.escalation_acknowledge(escalation=resolved, actor=actor)
                services.escalation_comment(
                    escalation=resolved,
                    actor=actor,
                    body="Thank you — who would facilitate the new chapter?",
                )
                services.escalation_comment(
                    escalation=resolved,
                    actor=resolved.raised_by,
                    body="Two of our current members have offered.",
                )
                resolved = services.escalation_escalate(
                    escalation=resolved,
                    actor=actor,
                    reason="A split sets a precedent for the whole network; the board should "
                    "decide how splits work.",
                )
                board_actor = acting(resolved)
                if board_actor is not None:
                    services.escalation_resolve(
                        escalation=resolved,
                        actor=board_actor,
                        decision="Approved: a chapter of twelve may split in two, each keeping "
                        "the one-seat-per-sector rule. The facilitators agree who goes where.",
                    )
    if in_wider:
        escalation = raise_(
            in_wider,
            category.CONDUCT,
            "Pressure to invest in a member's company",
            "One member keeps asking others to invest in their round during meetings, after "
            "being asked to stop.",
            days=4,
        )
        if escalation is not None and acting(escalation) is not None:
            services.escalation_acknowledge(escalation=escalation, actor=acting(escalation))
    if elsewhere:
        raise_(
            elsewhere,
            category.CONFIDENTIALITY,
            "A challenge shared in the chapter was repeated outside",
            "Something I shared as a challenge was mentioned to me by a supplier a week later. "
            "I do not want to name anybody in the chapter yet.",
            anonymous=True,
            days=1,
        )
