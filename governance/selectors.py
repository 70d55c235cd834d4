"""Reads of governance, with their permission rules built in.

Who sees an escalation: the person who raised it, and the current members of every committee it
has passed through. Organisation admins see counts only (escalation_counts) unless they sit on
such a committee; the board sees everything that reached it and counts for the rest. Committees
see what the raiser wrote and nothing of the chapter's shares or stories (this app never reads
them). When the raiser asked for anonymity, every name shown to others goes through the *_label
helpers below, which say "the raiser" instead."""

from dataclasses import dataclass, field

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import Coalesce, JSONObject
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from chapters.models import Chapter
from core import userfacts
from core.models import User
from core.selectors import user_is_organization_admin
from network.models import Country, Metro, Region

from .models import (
    LEVEL_ORDER,
    Committee,
    CommitteeMembership,
    DensityAlert,
    Escalation,
    EscalationAttachment,
    EscalationComment,
    EscalationEvent,
    EscalationRouting,
    GovernanceSettings,
    Level,
    current_seat_q,
)

# --- Committee seats of a user ------------------------------------------------------------------


def committee_seats(user: User) -> dict[int, str]:
    """committee id → role, for the user's current seats on active committees; cached on the user
    object so that a request asks once."""
    if not user.is_authenticated:
        return {}
    cache = getattr(user, "_committee_seats", None)
    if cache is None:
        cache = dict(
            CommitteeMembership.objects.filter(
                current_seat_q(), user=user, committee__status=Committee.Status.ACTIVE
            ).values_list("committee_id", "role")
        )
        user._committee_seats = cache
    return cache


def committee_seats_expression():
    """committee_seats as an expression correlated to the user (core.userfacts)."""
    return ArraySubquery(
        CommitteeMembership.objects.filter(
            current_seat_q(), user=OuterRef("pk"), committee__status=Committee.Status.ACTIVE
        ).values(json=JSONObject(k="committee_id", v="role"))
    )


def attach_committee_seats(user: User, values) -> None:
    user._committee_seats = userfacts.pairs(values)


def forget_committee_seats(user: User) -> None:
    if hasattr(user, "_committee_seats"):
        del user._committee_seats


def is_committee_member(user: User, committee: Committee) -> bool:
    return committee.pk in committee_seats(user)


def is_committee_chair(user: User, committee: Committee) -> bool:
    return committee_seats(user).get(committee.pk) == CommitteeMembership.Role.CHAIR


def is_on_any_committee(user: User) -> bool:
    return bool(committee_seats(user))


def board() -> Committee | None:
    return Committee.objects.filter(level=Level.BOARD).first()


def board_id_expression():
    """The board's id, loaded with the session's user (core.userfacts) for is_board_member."""
    return Subquery(
        Committee.objects.filter(level=Level.BOARD).order_by("level", "pk").values("pk")[:1]
    )


def attach_board_id(user: User, board_id) -> None:
    user._board_id = board_id


def is_board_member(user: User) -> bool:
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_board_id"):
        board_committee = board()
        user._board_id = board_committee.pk if board_committee is not None else None
    return user._board_id is not None and user._board_id in committee_seats(user)


def can_see_governance_counts(user: User) -> bool:
    """Counts of all escalations (never their content): organisation admins and the board."""
    return user_is_organization_admin(user) or is_board_member(user)


# --- Committees ---------------------------------------------------------------------------------


def _with_places(queryset: QuerySet[Committee]) -> QuerySet[Committee]:
    return queryset.select_related("metro__region__country", "region__country", "country")


def current_memberships() -> QuerySet[CommitteeMembership]:
    return CommitteeMembership.objects.filter(current_seat_q())


def committees_list(*, include_stood_down: bool = False) -> QuerySet[Committee]:
    """Committees with their current members (chair first); two queries."""
    queryset = Committee.objects.all()
    if not include_stood_down:
        queryset = queryset.filter(status=Committee.Status.ACTIVE)
    seats = current_memberships().select_related("user").order_by("-role", "user__name", "pk")
    return (
        _with_places(queryset)
        .prefetch_related(Prefetch("memberships", queryset=seats, to_attr="current_seats"))
        .order_by("status", "level", "pk")
    )


def committees_of(user: User) -> QuerySet[Committee]:
    return _with_places(Committee.objects.filter(pk__in=list(committee_seats(user)))).order_by(
        "level", "pk"
    )


def get_committee(pk) -> Committee:
    """Committees are known to every member of the organisation (who sits on them, where)."""
    try:
        return _with_places(Committee.objects.all()).get(pk=int(pk))
    except (ValueError, TypeError, Committee.DoesNotExist) as error:
        raise Http404("No such committee.") from error


def committee_current_seats(committee: Committee) -> QuerySet[CommitteeMembership]:
    return (
        current_memberships()
        .filter(committee=committee)
        .select_related("user")
        .order_by("-role", "user__name", "pk")
    )


def committee_other_seats(committee: Committee) -> QuerySet[CommitteeMembership]:
    """Seats that ended or have not started yet."""
    return (
        CommitteeMembership.objects.filter(committee=committee)
        .exclude(current_seat_q())
        .select_related("user")
        .order_by("-term_start", "pk")
    )


def committee_member_users(committee: Committee) -> list[User]:
    return [seat.user for seat in committee_current_seats(committee).filter(user__is_active=True)]


def get_committee_membership(pk) -> CommitteeMembership:
    try:
        return CommitteeMembership.objects.select_related("committee", "user").get(pk=int(pk))
    except (ValueError, TypeError, CommitteeMembership.DoesNotExist) as error:
        raise Http404("No such committee membership.") from error


# --- Density ------------------------------------------------------------------------------------


@dataclass
class PlaceDensity:
    level: str
    place: Metro | Region | Country
    active_chapters: int
    threshold: int
    committee: Committee | None = None
    alert: DensityAlert | None = None
    children: list["PlaceDensity"] = field(default_factory=list)

    @property
    def meets_threshold(self) -> bool:
        return self.active_chapters >= self.threshold

    @property
    def has_active_committee(self) -> bool:
        return self.committee is not None and self.committee.is_active

    @property
    def needs_committee(self) -> bool:
        return self.meets_threshold and not self.has_active_committee

    @property
    def committee_below_threshold(self) -> bool:
        return self.has_active_committee and not self.meets_threshold

    @property
    def is_interesting(self) -> bool:
        return bool(self.active_chapters or self.committee or self.alert)


ACTIVE = Chapter.Status.ACTIVE


def places_density() -> list[PlaceDensity]:
    """Every country, region and metro with its active chapter count, threshold, committee and
    open alert, as a country → region → metro tree. Six queries whatever the network's size."""
    rules = GovernanceSettings.load()
    committees = {
        (
            committee.level,
            committee.metro_id or committee.region_id or committee.country_id,
        ): committee
        for committee in Committee.objects.exclude(level=Level.BOARD)
    }
    alerts = {
        (alert.level, alert.metro_id or alert.region_id or alert.country_id): alert
        for alert in DensityAlert.objects.filter(resolved_at__isnull=True)
    }

    def row(level: str, place) -> PlaceDensity:
        return PlaceDensity(
            level=level,
            place=place,
            active_chapters=place.active_chapters,
            threshold=rules.threshold_for(level),
            committee=committees.get((level, place.pk)),
            alert=alerts.get((level, place.pk)),
        )

    countries = Country.objects.annotate(
        active_chapters=Count(
            "regions__metros__chapters", filter=Q(regions__metros__chapters__status=ACTIVE)
        )
    ).order_by("name")
    regions = Region.objects.annotate(
        active_chapters=Count("metros__chapters", filter=Q(metros__chapters__status=ACTIVE))
    ).order_by("name")
    metros = Metro.objects.annotate(
        active_chapters=Count("chapters", filter=Q(chapters__status=ACTIVE))
    ).order_by("name")

    tree = [row(Level.COUNTRY, country) for country in countries]
    by_country = {node.place.pk: node for node in tree}
    region_nodes = {}
    for region in regions:
        node = row(Level.REGION, region)
        region_nodes[region.pk] = node
        by_country[region.country_id].children.append(node)
    for metro in metros:
        region_nodes[metro.region_id].children.append(row(Level.METRO, metro))
    return tree


def places_flat(tree: list[PlaceDensity]) -> list[PlaceDensity]:
    rows = []
    for country in tree:
        rows.append(country)
        for region in country.children:
            rows.append(region)
            rows.extend(region.children)
    return rows


def density_alerts_open() -> QuerySet[DensityAlert]:
    return DensityAlert.objects.filter(resolved_at__isnull=True).select_related(
        "metro", "region", "country"
    )


def get_density_alert(pk) -> DensityAlert:
    try:
        return DensityAlert.objects.select_related("metro", "region", "country").get(pk=int(pk))
    except (ValueError, TypeError, DensityAlert.DoesNotExist) as error:
        raise Http404("No such alert.") from error


# --- Escalations --------------------------------------------------------------------------------


def _escalation_related(queryset: QuerySet[Escalation]) -> QuerySet[Escalation]:
    return queryset.select_related(
        "chapter__metro",
        "committee__metro",
        "committee__region",
        "committee__country",
        "assigned_to",
        "raised_by",
    )


def escalations_visible_to(user: User) -> QuerySet[Escalation]:
    """The raiser's own escalations and those that passed through a committee the user sits on."""
    if not user.is_authenticated:
        return Escalation.objects.none()
    condition = Q(raised_by=user)
    seats = list(committee_seats(user))
    if seats:
        passed = EscalationRouting.objects.filter(escalation=OuterRef("pk"), committee_id__in=seats)
        condition |= Q(Exists(passed))
    return _escalation_related(Escalation.objects.filter(condition))


def get_escalation_for(user: User, pk) -> Escalation:
    """The escalation, or 404 — the same whether it does not exist or the user may not see it."""
    try:
        pk = int(pk)
    except (TypeError, ValueError) as error:
        raise Http404("No such escalation.") from error
    escalation = escalations_visible_to(user).filter(pk=pk).first()
    if escalation is None:
        raise Http404("No such escalation.")
    return escalation


def escalations_raised_by(user: User) -> QuerySet[Escalation]:
    if not user.is_authenticated:
        return Escalation.objects.none()
    return _escalation_related(Escalation.objects.filter(raised_by=user)).order_by(
        "-created", "-pk"
    )


@dataclass(frozen=True)
class QueueFilters:
    status: str = "active"  # active | open | acknowledged | resolved | all
    category: str = ""
    scope: str = "here"  # here: with the committee now; reached: everything that reached it
    assigned: str = ""  # "" | "me" | "unassigned"
    overdue: bool = False


def escalation_queue(
    user: User, committee: Committee, filters: QueueFilters
) -> QuerySet[Escalation]:
    """What reached a committee the user sits on, oldest first (the longest-waiting on top).
    Constant in the number of escalations: one query, with counts annotated."""
    if not is_committee_member(user, committee):
        raise Http404("No such committee queue.")
    if filters.scope == "reached":
        reached = EscalationRouting.objects.filter(escalation=OuterRef("pk"), committee=committee)
        queryset = Escalation.objects.filter(Exists(reached))
    else:
        # With the committee now: an escalation only gets a committee by being routed to it
        # (services.escalations._route writes both), so it reached it; one join fewer for
        # the planner on a page every committee member opens.
        queryset = Escalation.objects.filter(committee=committee)
    if filters.status == "active":
        queryset = queryset.filter(status__in=Escalation.ACTIVE_STATUSES)
    elif filters.status in Escalation.Status.values:
        queryset = queryset.filter(status=filters.status)
    if filters.category in Escalation.Category.values:
        queryset = queryset.filter(category=filters.category)
    if filters.assigned == "me":
        queryset = queryset.filter(assigned_to=user)
    elif filters.assigned == "unassigned":
        queryset = queryset.filter(assigned_to__isnull=True)
    if filters.overdue:
        queryset = queryset.filter(status=Escalation.Status.OPEN, deadline_at__lte=timezone.now())
    if filters.scope == "reached":
        # Some are with another committee now: the page names it.
        queryset = _escalation_related(queryset)
    else:
        # All are with this committee: only what the queue shows is joined (fewer joins keep
        # the planner's time down on a page every committee member opens).
        queryset = queryset.select_related("chapter__metro", "assigned_to")
    return queryset.annotate(
        comment_count=_count_of(EscalationComment),
        attachment_count=_count_of(EscalationAttachment),
    ).order_by("created", "pk")


def with_committee(queryset: QuerySet[Escalation]) -> QuerySet[Escalation]:
    """Each escalation's committee, with its place's name as `committee_place_name` for
    named_committees(): the committee joined alone and the name from three small subqueries.
    Outer joins to the committee's metro, region and country instead cost the planner about
    5 ms more on the home page."""

    def name_of(model, field: str) -> Subquery:
        return Subquery(model.objects.filter(pk=OuterRef(f"committee__{field}")).values("name"))

    return queryset.select_related("committee").annotate(
        committee_place_name=Coalesce(
            name_of(Metro, "metro_id"), name_of(Region, "region_id"), name_of(Country, "country_id")
        )
    )


def named_committees(escalations: list[Escalation]) -> list[Escalation]:
    """Give each escalation's committee (read through with_committee) its place's name."""
    for escalation in escalations:
        escalation.committee.place_name = escalation.committee_place_name
    return escalations


def with_total_count(queryset: QuerySet[Escalation]) -> QuerySet[Escalation]:
    """Annotate `total_count`, the number of rows before any slice: a page of a queue and its
    size in one query."""
    return queryset.annotate(total_count=Window(Count("pk")))


def _count_of(model) -> Coalesce:
    """How many `model` rows (comments, attachments) an escalation has: a correlated subquery
    per row shown, instead of joining both tables and grouping by every selected column."""
    counted = (
        model.objects.filter(escalation=OuterRef("pk"))
        .order_by()
        .values("escalation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def escalation_counts() -> dict:
    """Counts of every escalation by where it is and its status — aggregates only, for the board
    and organisation admins. Two queries."""
    by_level = {
        level: {"open": 0, "acknowledged": 0, "resolved": 0, "total": 0} for level in LEVEL_ORDER
    }
    rows = Escalation.objects.values("committee__level", "status").annotate(n=Count("pk"))
    for row in rows:
        bucket = by_level[row["committee__level"]]
        bucket[row["status"]] = row["n"]
        bucket["total"] += row["n"]
    totals = {
        key: sum(bucket[key] for bucket in by_level.values())
        for key in ("open", "acknowledged", "resolved", "total")
    }
    overdue = Escalation.objects.filter(
        status=Escalation.Status.OPEN, deadline_at__lte=timezone.now()
    ).count()
    return {
        "by_level": [(Level(level).label, by_level[level]) for level in LEVEL_ORDER],
        "totals": totals,
        "overdue": overdue,
    }


def escalation_routings(escalation: Escalation) -> QuerySet[EscalationRouting]:
    return escalation.routings.select_related(
        "committee__metro",
        "committee__region",
        "committee__country",
        "from_committee__metro",
        "from_committee__region",
        "from_committee__country",
    ).order_by("created", "pk")


def escalation_comments(escalation: Escalation) -> QuerySet[EscalationComment]:
    return escalation.comments.select_related(
        "author", "committee__metro", "committee__region", "committee__country"
    ).order_by("created", "pk")


def escalation_events(escalation: Escalation) -> QuerySet[EscalationEvent]:
    return escalation.events.select_related(
        "actor", "committee__metro", "committee__region", "committee__country"
    ).order_by("created", "pk")


def get_attachment_for(user: User, escalation_pk, attachment_pk):
    escalation = get_escalation_for(user, escalation_pk)
    attachment = escalation.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404("No such attachment.")
    return attachment


# --- Who may do what to an escalation -----------------------------------------------------------


def can_act_on(user: User, escalation: Escalation) -> bool:
    """Acknowledge, escalate, resolve: a current member of the committee it is with now, who did
    not raise it (nobody judges their own case)."""
    return (
        escalation.is_active
        and escalation.raised_by_id != user.pk
        and is_committee_member(user, escalation.committee)
    )


def can_assign(user: User, escalation: Escalation) -> bool:
    return can_act_on(user, escalation) and is_committee_chair(user, escalation.committee)


def can_comment(user: User, escalation: Escalation) -> bool:
    """Comments run between the raiser and the committee the escalation is with now."""
    if not user.is_authenticated:
        return False
    return escalation.raised_by_id == user.pk or is_committee_member(user, escalation.committee)


def can_raise_from(user: User, chapter: Chapter) -> bool:
    from chapters.selectors import is_chapter_member

    return is_chapter_member(user, chapter)


def chapters_for_raising(user: User) -> QuerySet[Chapter]:
    from chapters.selectors import chapters_of

    return chapters_of(user)


# --- Anonymity: how names are shown -------------------------------------------------------------


def raiser_label(escalation: Escalation, viewer: User) -> str:
    if escalation.raised_by_id == viewer.pk:
        return _("You")
    if escalation.is_anonymous:
        return _("The raiser (anonymous)")
    return escalation.raised_by.name or escalation.raised_by.email


def raiser_is_visible(escalation: Escalation, viewer: User) -> bool:
    return escalation.raised_by_id == viewer.pk or not escalation.is_anonymous


def comment_author_label(comment: EscalationComment, escalation: Escalation, viewer: User) -> str:
    if comment.author_id == viewer.pk:
        return _("You")
    if comment.from_raiser:
        if escalation.is_anonymous:
            return _("The raiser")
        return _("%(name)s (raiser)") % {"name": comment.author.name or comment.author.email}
    name = comment.author.name or comment.author.email
    if comment.committee_id:
        return f"{name} · {comment.committee.name}"
    return name


def event_actor_label(event: EscalationEvent, escalation: Escalation, viewer: User) -> str:
    if event.by_raiser:
        if escalation.raised_by_id == viewer.pk:
            return _("You")
        if escalation.is_anonymous:
            return _("The raiser")
        return escalation.raised_by.name or escalation.raised_by.email
    if event.actor_id is None:
        return _("Commons")
    if event.actor_id == viewer.pk:
        return _("You")
    return event.actor.name or event.actor.email


# --- What the escalation page shows --------------------------------------------------------------


@dataclass
class EscalationPage:
    escalation: Escalation
    raiser: str
    raiser_visible: bool
    routings: list
    comments: list  # (comment, author label)
    events: list  # (event, actor label)
    attachments: list
    is_raiser: bool
    is_on_committee: bool
    can_act: bool
    can_assign: bool
    can_comment: bool
    committee_members: list = field(default_factory=list)


def escalation_page(escalation: Escalation, viewer: User) -> EscalationPage:
    """Everything the escalation's page (and the API's detail) shows to `viewer`, with names
    replaced by "the raiser" where anonymity asks for it. Constant number of queries."""
    on_committee = is_committee_member(viewer, escalation.committee)
    members = list(committee_current_seats(escalation.committee)) if on_committee else []
    return EscalationPage(
        escalation=escalation,
        raiser=raiser_label(escalation, viewer),
        raiser_visible=raiser_is_visible(escalation, viewer),
        routings=list(escalation_routings(escalation)),
        comments=[
            (comment, comment_author_label(comment, escalation, viewer))
            for comment in escalation_comments(escalation)
        ],
        events=[
            (event, event_actor_label(event, escalation, viewer))
            for event in escalation_events(escalation)
        ],
        attachments=list(escalation.attachments.order_by("created", "pk")),
        is_raiser=escalation.raised_by_id == viewer.pk,
        is_on_committee=on_committee,
        can_act=can_act_on(viewer, escalation),
        can_assign=can_assign(viewer, escalation),
        can_comment=can_comment(viewer, escalation),
        committee_members=members,
    )
