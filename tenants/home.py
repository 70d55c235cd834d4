"""The signed-in home: what each person should do next, across every app, on one screen.

It lives in tenants, the top layer, because it reads every app — always through the apps' own
selectors, so their permission rules apply here too. Each part is cut to a few items with a link
to the full page, so the number of queries depends on the person's roles (how many parts they
see), never on how much data there is: tests/test_home.py pins it."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps_marketplace import selectors as marketplace
from apps_marketplace.models import Event
from chapters import coverage
from chapters import selectors as chapters
from chapters.models import Chapter, Invitation, JoinRequest, Membership
from core import views as core_views
from core.models import User
from core.pagecache import cached_page, kept_part
from core.selectors import user_is_organization_admin
from governance import selectors as governance
from governance.elections import selectors as elections
from governance.elections.models import Candidate
from governance.models import Committee, Escalation
from meetings import selectors as meetings
from network import selectors as network

LIST_LIMIT = 3  # items per part; the part links to the full list
COMMITTEE_LIMIT = 3  # committees whose queue is shown (a person rarely sits on more)
FACILITATED_LIMIT = 3  # chapters whose join requests are shown (a facilitator runs one, usually)
SOON = dt.timedelta(days=14)  # a meeting this close asks the member to prepare
SPARKLINE_POINTS = 12


@dataclass
class Step:
    """One thing to do next, most urgent first."""

    title: str
    detail: str
    url: str
    action: str
    tone: str = "brand"  # brand | warn


@dataclass
class MeetingPart:
    meeting: object | None = None  # meetings.models.Meeting
    rsvp: str | None = None
    prepared: bool = False
    prepared_count: int = 0
    member_count: int = 0
    later: list = field(default_factory=list)

    @property
    def is_soon(self) -> bool:
        return self.meeting is not None and self.meeting.starts_at - timezone.now() <= SOON


@dataclass
class CommitteeQueue:
    committee: object  # governance.models.Committee
    active_count: int
    top: list


@dataclass
class Sparkline:
    """A small line of values, drawn in an SVG 120 x 32."""

    values: list[int]
    points: str
    last_x: float
    last_y: float
    width: int = 120
    height: int = 32


@dataclass
class AdminPart:
    growth: coverage.Growth
    sparkline: Sparkline | None
    coverage_total: coverage.Cell
    chapters_by_status: list[tuple[str, int]]

    @property
    def in_chapters_percent(self) -> int | None:
        total = self.coverage_total
        return round(100 * total.in_chapters / total.members) if total.members else None


@dataclass
class Home:
    user: User
    profile: object | None  # network.models.Entrepreneur
    steps: list[Step]
    meeting: MeetingPart
    chapters: list[Chapter]
    joinable: list[Chapter]
    invitations: list[Invitation]
    my_join_requests: list[JoinRequest]
    invitations_to_handle: list[Invitation]
    join_requests_to_decide: list[JoinRequest]
    committee_queues: list[CommitteeQueue]
    my_escalations: list[Escalation]
    escalation_counts: dict | None
    elections: list
    nominations: list
    events: list[Event]
    registered_event_ids: set[int]
    provided_events: list[Event]
    is_admin: bool
    is_provider: bool
    admin: AdminPart | None

    @property
    def profile_complete(self) -> bool:
        return bool(self.profile and self.profile.metro_id and self.profile.sector_id)

    @property
    def metro(self):
        return self.profile.metro if self.profile and self.profile.metro_id else None

    @property
    def waiting_count(self) -> int:
        return (
            len(self.invitations)
            + len(self.invitations_to_handle)
            + len(self.join_requests_to_decide)
        )


# --- Parts --------------------------------------------------------------------------------------


def _meeting_part(user: User, my_chapters: list[Chapter]) -> MeetingPart:
    upcoming = kept_part(
        "home:meetings",
        user,
        lambda: list(meetings.upcoming_meetings_of(user, limit=LIST_LIMIT + 1)),
    )
    if not upcoming:
        return MeetingPart()
    following = upcoming[0]
    sizes = {chapter.pk: chapter.size for chapter in my_chapters}
    return MeetingPart(
        meeting=following,
        rsvp=following.my_rsvp,
        prepared=following.i_prepared,
        prepared_count=following.prepared_count,
        member_count=sizes.get(following.chapter_id, 0),
        later=upcoming[1:],
    )


def _next_meeting_by_chapter(part: MeetingPart) -> dict[int, object]:
    found = {}
    for meeting in [part.meeting, *part.later]:
        if meeting is not None:
            found.setdefault(meeting.chapter_id, meeting)
    return found


def _join_requests_to_decide(user: User, my_chapters: list[Chapter]) -> list[JoinRequest]:
    roles = chapters.chapter_roles_of(user)
    facilitated = [c for c in my_chapters if roles.get(c.pk) == Membership.Role.FACILITATOR]
    waiting: list[JoinRequest] = []
    for chapter in facilitated[:FACILITATED_LIMIT]:
        waiting.extend(chapters.join_requests_pending(chapter)[:LIST_LIMIT])
    return waiting[:LIST_LIMIT]


def _committee_queues(user: User) -> list[CommitteeQueue]:
    """The head of each of the user's committee queues: one query per committee (two when a
    queue is empty), the committee itself coming with its escalations."""
    queues = []
    for committee_id in sorted(governance.committee_seats(user))[:COMMITTEE_LIMIT]:
        committee = Committee(pk=committee_id)
        queue = governance.escalation_queue(user, committee, governance.QueueFilters())
        top = governance.named_committees(
            list(governance.with_committee(governance.with_total_count(queue))[:LIST_LIMIT])
        )
        queues.append(
            CommitteeQueue(
                committee=top[0].committee if top else governance.get_committee(committee_id),
                active_count=top[0].total_count if top else 0,
                top=top,
            )
        )
    return sorted(queues, key=lambda queue: (queue.committee.level, queue.committee.pk))


def _events_in_metro(user: User, metro) -> tuple[list[Event], set[int]]:
    if metro is None:
        return [], set()
    events = list(
        marketplace.with_registration_of(
            marketplace.event_list(user, marketplace.EventFilter(metro=metro)), user
        ).filter(status=Event.Status.PUBLISHED)[:LIST_LIMIT]
    )
    if not events:
        return [], set()
    return events, {event.pk for event in events if event.i_registered}


def _provided_events(user: User) -> list[Event]:
    return list(
        marketplace.events_managed_by(user)
        .filter(ends_at__gte=timezone.now())
        .exclude(status=Event.Status.CANCELLED)[:LIST_LIMIT]
    )


def sparkline(values: list[int], *, width: int = 120, height: int = 32) -> Sparkline | None:
    """Geometry of a small line chart; None with fewer than two values."""
    if len(values) < 2:
        return None
    top = max(max(values), 1)
    pad = 3
    step = (width - 2 * pad) / (len(values) - 1)
    coordinates = [
        (round(pad + index * step, 1), round(height - pad - (height - 2 * pad) * value / top, 1))
        for index, value in enumerate(values)
    ]
    return Sparkline(
        values=values,
        points=" ".join(f"{x},{y}" for x, y in coordinates),
        last_x=coordinates[-1][0],
        last_y=coordinates[-1][1],
        width=width,
        height=height,
    )


def _admin_part() -> AdminPart:
    growth = coverage.growth_series()
    past = [point.chapters for point in growth.points if point.chapters >= 0]
    labels = dict(Chapter.Status.choices)
    counts = chapters.chapter_counts_by_status()
    return AdminPart(
        growth=growth,
        sparkline=sparkline(past[-SPARKLINE_POINTS:]),
        coverage_total=coverage.coverage_grid().grand_total(),
        chapters_by_status=[(labels[status], counts.get(status, 0)) for status in labels],
    )


# --- Next steps ---------------------------------------------------------------------------------


def _date_label(when: dt.datetime, time_zone: str) -> str:
    """A time as the metro sees it, with day and month names in the reader's language."""
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return date_format(timezone.localtime(when, timezone=zone), "D j M, H:i")


def next_steps(home: Home) -> list[Step]:
    """What the person should do now, most urgent first."""
    steps: list[Step] = []
    if not home.profile_complete:
        steps.append(
            Step(
                title=_("Complete your profile"),
                detail=_(
                    "Add your metro and sector so facilitators can invite you into a chapter "
                    "without a direct competitor."
                ),
                url=reverse("network:profile-edit"),
                action=_("Complete your profile"),
                tone="warn",
            )
        )
    for invitation in home.invitations:
        steps.append(
            Step(
                title=_("You are invited to %(chapter)s") % {"chapter": invitation.chapter.name},
                detail=_("Read the collaboration agreement and answer the invitation."),
                url=reverse("chapters:invitation-open", args=[invitation.pk]),
                action=_("Answer the invitation"),
                tone="warn",
            )
        )
    for nomination in home.nominations:
        steps.append(
            Step(
                title=_("You are nominated in %(election)s") % {"election": nomination.election},
                detail=_("Accept or decline the nomination before nominations close."),
                url=reverse("elections:nomination", args=[nomination.election_id, nomination.pk]),
                action=_("Answer the nomination"),
                tone="warn",
            )
        )
    zone = home.metro.time_zone if home.metro else "UTC"
    for election in home.elections:
        if election.can_vote:
            steps.append(
                Step(
                    title=_("Vote in %(election)s") % {"election": election.title},
                    detail=_("Voting closes %(when)s.")
                    % {"when": _date_label(election.voting_close, zone)},
                    url=reverse("elections:vote", args=[election.pk]),
                    action=_("Vote"),
                )
            )
    part = home.meeting
    if part.meeting is not None and part.is_soon:
        chapter = part.meeting.chapter
        when = _date_label(part.meeting.starts_at, chapter.metro.time_zone)
        url = reverse("meetings:meeting", args=[part.meeting.pk])
        if not part.prepared:
            steps.append(
                Step(
                    title=_("Prepare your success and challenge"),
                    detail=_("%(chapter)s meets %(when)s.")
                    % {"chapter": chapter.name, "when": when},
                    url=url + "#my-share",
                    action=_("Prepare"),
                )
            )
        elif part.rsvp is None:
            steps.append(
                Step(
                    title=_("Tell your chapter if you are coming"),
                    detail=_("%(chapter)s meets %(when)s.")
                    % {"chapter": chapter.name, "when": when},
                    url=url,
                    action=_("Answer"),
                )
            )
    if home.join_requests_to_decide:
        first = home.join_requests_to_decide[0]
        steps.append(
            Step(
                title=_("Decide on join requests"),
                detail=_("%(name)s asks to join %(chapter)s.")
                % {"name": first.user.name or first.user.email, "chapter": first.chapter.name},
                url=reverse("chapters:detail", args=[first.chapter_id]) + "#h-join",
                action=_("Decide"),
            )
        )
    for queue in home.committee_queues:
        if queue.active_count:
            steps.append(
                Step(
                    title=ngettext(
                        "%(count)s escalation with %(committee)s",
                        "%(count)s escalations with %(committee)s",
                        queue.active_count,
                    )
                    % {"count": queue.active_count, "committee": queue.committee.name},
                    detail=_("The longest-waiting: “%(title)s”.") % {"title": queue.top[0].title},
                    url=reverse("governance:queue") + f"?committee={queue.committee.pk}",
                    action=_("Open the queue"),
                )
            )
    if home.profile_complete and not home.chapters:
        if home.joinable:
            steps.append(
                Step(
                    title=_("Ask to join a chapter in %(metro)s") % {"metro": home.metro.name},
                    detail=ngettext(
                        "%(count)s chapter near you has a seat for your sector.",
                        "%(count)s chapters near you have a seat for your sector.",
                        len(home.joinable),
                    )
                    % {"count": len(home.joinable)},
                    url=reverse("chapters:find"),
                    action=_("Find a chapter"),
                )
            )
        else:
            steps.append(
                Step(
                    title=_("Start a chapter in %(metro)s") % {"metro": home.metro.name},
                    detail=_(
                        "No chapter near you has a seat for your sector yet. Propose one and "
                        "invite entrepreneurs you trust."
                    ),
                    url=reverse("chapters:propose"),
                    action=_("Propose a chapter"),
                )
            )
    return steps


# --- Assembly and the view ----------------------------------------------------------------------


def _waiting_for(user: User) -> tuple[list, list]:
    """Invitations addressed to the user and their own pending join requests."""
    return (
        list(chapters.invitations_addressed_to(user)[:LIST_LIMIT]),
        list(
            chapters.join_requests_of(user).filter(status=JoinRequest.Status.PENDING)[:LIST_LIMIT]
        ),
    )


def _to_decide(user: User, my_chapters: list[Chapter]) -> tuple[list, list]:
    """A facilitator's proposed invitations and join requests to decide."""
    return (
        list(
            chapters.invitations_pending_for_facilitator(user)
            .exclude(status=Invitation.Status.SENT)
            .filter(chapter__in=my_chapters)[:LIST_LIMIT]
        ),
        _join_requests_to_decide(user, my_chapters),
    )


def _governance_part(user: User) -> tuple[list, list, object]:
    """The user's committee queues, their own escalations, the network's counts."""
    return (
        _committee_queues(user),
        governance.named_committees(  # each with its committee's name only
            list(
                governance.with_committee(
                    governance.escalations_raised_by(user).select_related(None)
                ).filter(status__in=Escalation.ACTIVE_STATUSES)[:LIST_LIMIT]
            )
        ),
        governance.escalation_counts() if governance.can_see_governance_counts(user) else None,
    )


def _open_elections(user: User) -> list:
    """Open elections, those asking for the user's answer to a nomination first."""
    visible = elections.elections_visible_to(user).filter(is_open=True)
    return list(elections.with_my_nomination(visible, user)[:LIST_LIMIT])


def home_for(user: User) -> Home:
    """The home's parts; each part that reads what others write often is kept on its own
    (core.pagecache.kept_part), so that a write redraws only the parts it touched."""
    profile = network.entrepreneur_of(user)
    my_chapters = list(chapters.chapters_of(user))
    meeting = _meeting_part(user, my_chapters)
    next_by_chapter = _next_meeting_by_chapter(meeting)
    roles = chapters.chapter_roles_of(user) if my_chapters else {}
    for chapter in my_chapters:
        chapter.my_role = roles.get(chapter.pk)
        chapter.next_meeting = next_by_chapter.get(chapter.pk)
    is_facilitator = Membership.Role.FACILITATOR in roles.values()
    complete = bool(profile and profile.metro_id and profile.sector_id)
    is_admin = user_is_organization_admin(user)
    is_provider = marketplace.user_is_provider(user)
    metro = profile.metro if profile else None
    events, registered = kept_part(
        "home:events", user, lambda: _events_in_metro(user, metro), getattr(metro, "pk", None)
    )
    open_elections = kept_part("home:elections", user, lambda: _open_elections(user))
    invitations, my_join_requests = kept_part("home:waiting", user, lambda: _waiting_for(user))
    invitations_to_handle, join_requests_to_decide = (
        kept_part(
            "home:to-decide",
            user,
            lambda: _to_decide(user, my_chapters),
            tuple(chapter.pk for chapter in my_chapters),
        )
        if is_facilitator
        else ([], [])
    )
    committee_queues, my_escalations, escalation_counts = kept_part(
        "home:governance", user, lambda: _governance_part(user)
    )
    home = Home(
        user=user,
        profile=profile,
        steps=[],
        meeting=meeting,
        chapters=my_chapters,
        joinable=(
            chapters.chapters_joinable_by(user)[:LIST_LIMIT] if complete and not my_chapters else []
        ),
        invitations=invitations,
        my_join_requests=my_join_requests,
        invitations_to_handle=invitations_to_handle,
        join_requests_to_decide=join_requests_to_decide,
        committee_queues=committee_queues,
        my_escalations=my_escalations,
        escalation_counts=escalation_counts,
        elections=open_elections,
        nominations=[
            Candidate(
                pk=election.my_nomination_id,
                election=election,
                user=user,
                status=Candidate.Status.PENDING,
            )
            for election in open_elections
            if election.my_nomination_id
        ],
        events=events,
        registered_event_ids=registered,
        provided_events=(
            kept_part("home:provided", user, lambda: _provided_events(user)) if is_provider else []
        ),
        is_admin=is_admin,
        is_provider=is_provider,
        admin=_admin_part() if is_admin else None,
    )
    home.steps = next_steps(home)
    return home


@cached_page
def home(request):
    """The organisation's front page: the landing for visitors, the home for members."""
    if not request.user.is_authenticated:
        return core_views.home(request)
    return render(request, "tenants/home/home.html", {"home": home_for(request.user)})
