"""Reads of chapters, with their permission rules built in. Other apps (meetings, governance)
call `chapters_of`, `is_chapter_member`, `is_facilitator`, `get_chapter_for` and
`chapter_member_user_ids`."""

import hashlib
from collections.abc import Iterable

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import JSONObject
from django.http import Http404
from django.utils import timezone

from core import userfacts
from core.models import User
from core.selectors import user_is_organization_admin
from network.models import Entrepreneur

from .models import (
    Chapter,
    ChapterSettings,
    CollaborationAgreement,
    Invitation,
    JoinRequest,
    Membership,
    Objection,
)

CURRENT = Q(memberships__left_at__isnull=True)


def hash_invitation_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def with_size(queryset: QuerySet[Chapter]) -> QuerySet[Chapter]:
    """Annotate `size` (current members) and `facilitator_count`."""
    return queryset.annotate(
        size=Count("memberships", filter=CURRENT),
        facilitator_count=Count(
            "memberships", filter=CURRENT & Q(memberships__role=Membership.Role.FACILITATOR)
        ),
    )


# --- Membership questions (used by other apps) ---------------------------------------------------


def current_memberships_of(user: User) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user, left_at__isnull=True)


def chapters_of(user: User) -> QuerySet[Chapter]:
    """The chapters the user currently belongs to, with their metro and size."""
    if not user.is_authenticated:
        return Chapter.objects.none()
    mine = Membership.objects.filter(chapter=OuterRef("pk"), user=user, left_at__isnull=True)
    return (
        with_size(Chapter.objects.filter(Exists(mine)))
        .select_related("metro")
        .order_by("name", "pk")
    )


def chapter_roles_of(user: User) -> dict[int, str]:
    """chapter id → role, for the user's current memberships; cached on the user object so
    a request asks once."""
    cache = getattr(user, "_chapter_roles", None)
    if cache is None:
        cache = dict(current_memberships_of(user).values_list("chapter_id", "role"))
        user._chapter_roles = cache
    return cache


def chapter_roles_expression():
    """chapter_roles_of as an expression correlated to the user (core.userfacts)."""
    return ArraySubquery(
        Membership.objects.filter(user=OuterRef("pk"), left_at__isnull=True).values(
            json=JSONObject(k="chapter_id", v="role")
        )
    )


def attach_chapter_roles(user: User, values) -> None:
    user._chapter_roles = userfacts.pairs(values)


def forget_memberships(user: User) -> None:
    if hasattr(user, "_chapter_roles"):
        del user._chapter_roles


def is_chapter_member(user: User, chapter: Chapter) -> bool:
    return user.is_authenticated and chapter.pk in chapter_roles_of(user)


def is_facilitator(user: User, chapter: Chapter) -> bool:
    return (
        user.is_authenticated
        and chapter_roles_of(user).get(chapter.pk) == Membership.Role.FACILITATOR
    )


def is_any_facilitator(user: User) -> bool:
    return user.is_authenticated and Membership.Role.FACILITATOR in chapter_roles_of(user).values()


def can_manage_chapter(user: User, chapter: Chapter) -> bool:
    """Facilitators of the chapter and organisation admins run its membership (never its
    meeting content, which is the meetings app's and members-only)."""
    return is_facilitator(user, chapter) or user_is_organization_admin(user)


def can_seed_chapters(user: User) -> bool:
    return user_is_organization_admin(user) or is_any_facilitator(user)


def chapter_member_user_ids(chapter: Chapter) -> set[int]:
    return set(
        Membership.objects.filter(chapter=chapter, left_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )


def chapter_peer_user_ids(user: User) -> set[int]:
    """Everyone who currently shares a chapter with the user (the user included). The network
    directory's provider for profiles visible to "my chapters only"."""
    if not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(
            left_at__isnull=True,
            chapter__memberships__user=user,
            chapter__memberships__left_at__isnull=True,
        ).values_list("user_id", flat=True)
    )


# --- Chapters -----------------------------------------------------------------------------------


def chapters_visible_to(user: User) -> QuerySet[Chapter]:
    """The chapters whose page the user may open: their own; every chapter for admins."""
    if not user.is_authenticated:
        return Chapter.objects.none()
    if user_is_organization_admin(user):
        return with_size(Chapter.objects.all()).select_related("metro")
    return chapters_of(user)


def get_chapter_for(user: User, pk: int) -> Chapter:
    """The chapter, or 404 — the same whether it does not exist or the user may not see it."""
    chapter = chapters_visible_to(user).filter(pk=pk).select_related("metro__region__country")
    chapter = chapter.first()
    if chapter is None:
        raise Http404("No such chapter.")
    return chapter


def chapter_counts_by_status() -> dict[str, int]:
    return dict(Chapter.objects.values_list("status").annotate(n=Count("pk")).order_by())


def chapters_for_admin(
    *, status: str | None = None, metro_id: int | None = None, search: str = ""
) -> QuerySet[Chapter]:
    queryset = with_size(Chapter.objects.all()).select_related("metro")
    if status:
        queryset = queryset.filter(status=status)
    if metro_id:
        queryset = queryset.filter(metro_id=metro_id)
    if search:
        queryset = queryset.filter(name__icontains=search)
    return queryset.order_by("metro__name", "name", "pk")


def chapter_members(chapter: Chapter) -> QuerySet[Membership]:
    """Current members with what the chapter page shows: name, company, sector."""
    return (
        Membership.objects.filter(chapter=chapter, left_at__isnull=True)
        .select_related("user__entrepreneur", "sector")
        .order_by("role", "user__name", "pk")  # facilitators first
    )


def chapter_former_members(chapter: Chapter) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(chapter=chapter, left_at__isnull=False)
        .select_related("user", "sector")
        .order_by("-left_at")
    )


def chapter_status_history(chapter: Chapter) -> QuerySet:
    return chapter.status_changes.select_related("changed_by").order_by("-created", "-pk")


def seats_taken(chapter: Chapter) -> dict[int, int]:
    """sector id → current members holding one of its seats."""
    rows = (
        Membership.objects.filter(chapter=chapter, left_at__isnull=True)
        .values("sector_id")
        .annotate(n=Count("pk"))
    )
    return {row["sector_id"]: row["n"] for row in rows}


def seats_reserved(chapter: Chapter, *, exclude_invitation: Invitation | None = None) -> dict:
    """sector id → open invitations waiting on one of its seats."""
    queryset = Invitation.objects.filter(chapter=chapter, status__in=Invitation.OPEN_STATUSES)
    if exclude_invitation is not None:
        queryset = queryset.exclude(pk=exclude_invitation.pk)
    rows = queryset.values("sector_id").annotate(n=Count("pk"))
    return {row["sector_id"]: row["n"] for row in rows}


def chapters_joinable_by(user: User) -> list[Chapter]:
    """Forming and active chapters in the user's metro with a free seat for their sector, that
    they are not in and have not already asked to join. Two queries."""
    entrepreneur = entrepreneur_of(user)
    if entrepreneur is None or entrepreneur.metro_id is None or entrepreneur.sector_id is None:
        return []
    rules = ChapterSettings.load()
    same_sector = Q(
        memberships__left_at__isnull=True, memberships__sector_id=entrepreneur.sector_id
    )
    mine = Membership.objects.filter(chapter=OuterRef("pk"), user=user, left_at__isnull=True)
    asked = JoinRequest.objects.filter(
        chapter=OuterRef("pk"), user=user, status=JoinRequest.Status.PENDING
    )
    queryset = (
        with_size(
            Chapter.objects.filter(
                metro_id=entrepreneur.metro_id, status__in=Chapter.OPEN_STATUSES
            ).exclude(Exists(mine))
        )
        .annotate(same_sector=Count("memberships", filter=same_sector), already_asked=Exists(asked))
        .filter(size__lt=rules.max_size, same_sector__lt=rules.seats_per_sector)
        .select_related("metro")
        .order_by("name", "pk")
    )
    return list(queryset)


def entrepreneur_of(user: User) -> Entrepreneur | None:
    if not user.is_authenticated:
        return None
    return Entrepreneur.objects.select_related("metro", "sector").filter(user=user).first()


# --- Invitations --------------------------------------------------------------------------------


def invitations_of_chapter(chapter: Chapter, *, open_only: bool = True) -> QuerySet[Invitation]:
    queryset = Invitation.objects.filter(chapter=chapter)
    if open_only:
        queryset = queryset.filter(status__in=Invitation.OPEN_STATUSES)
    return (
        queryset.select_related("sector", "proposed_by", "sent_by", "invitee")
        .prefetch_related(
            Prefetch(
                "objections",
                queryset=Objection.objects.select_related("member").order_by("created"),
            )
        )
        .order_by("-created", "-pk")
    )


def invitations_addressed_to(user: User) -> QuerySet[Invitation]:
    """Invitations sent to the user's address that they can still answer."""
    if not user.is_authenticated:
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(
            Q(invitee=user) | Q(email__iexact=user.email),
            status=Invitation.Status.SENT,
            expires_at__gt=timezone.now(),
        )
        .select_related("chapter__metro", "sector", "sent_by")
        .order_by("-sent_at")
    )


def get_invitation_addressed_to(user: User, pk: int) -> Invitation:
    """An invitation sent to the signed-in user's address (any state, so the page can say why it
    cannot be answered), else 404."""
    invitation = (
        Invitation.objects.select_related("chapter__metro", "sector", "sent_by", "invitee")
        .filter(Q(invitee=user) | Q(email__iexact=user.email), pk=pk)
        .exclude(status=Invitation.Status.PROPOSED)
        .first()
        if user.is_authenticated
        else None
    )
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


def invitations_pending_for_facilitator(user: User) -> QuerySet[Invitation]:
    """Open invitations of every chapter the user facilitates (all chapters for admins)."""
    queryset = Invitation.objects.filter(status__in=Invitation.OPEN_STATUSES)
    if not user_is_organization_admin(user):
        facilitated = [
            pk for pk, role in chapter_roles_of(user).items() if role == Membership.Role.FACILITATOR
        ]
        queryset = queryset.filter(chapter_id__in=facilitated)
    return queryset.select_related("chapter", "sector", "proposed_by").order_by("-created", "-pk")


def get_invitation_for(user: User, pk: int) -> Invitation:
    """An invitation of a chapter the user belongs to or manages, else 404."""
    invitation = (
        Invitation.objects.select_related("chapter__metro", "sector", "proposed_by")
        .filter(pk=pk)
        .first()
    )
    if invitation is None or not (
        is_chapter_member(user, invitation.chapter) or user_is_organization_admin(user)
    ):
        raise Http404("No such invitation.")
    return invitation


def invitation_by_token(token: str) -> Invitation | None:
    if not token or len(token) > 200:
        return None
    return (
        Invitation.objects.select_related("chapter__metro", "sector", "sent_by", "invitee")
        .filter(token_hash=hash_invitation_token(token))
        .first()
    )


# --- Join requests ------------------------------------------------------------------------------


def join_requests_of(user: User) -> QuerySet[JoinRequest]:
    if not user.is_authenticated:
        return JoinRequest.objects.none()
    return (
        JoinRequest.objects.filter(user=user)
        .select_related("chapter__metro", "sector")
        .order_by("-created", "-pk")
    )


def join_requests_pending(chapter: Chapter) -> QuerySet[JoinRequest]:
    return (
        JoinRequest.objects.filter(chapter=chapter, status=JoinRequest.Status.PENDING)
        .select_related("user__entrepreneur", "sector")
        .order_by("created", "pk")
    )


def get_join_request_for(user: User, pk: int) -> JoinRequest:
    """A join request its requester or the chapter's managers may act on, else 404."""
    join_request = (
        JoinRequest.objects.select_related("chapter__metro", "sector", "user").filter(pk=pk).first()
    )
    if join_request is None or not (
        join_request.user_id == user.pk or can_manage_chapter(user, join_request.chapter)
    ):
        raise Http404("No such join request.")
    return join_request


# --- Agreement ----------------------------------------------------------------------------------


def agreement_current() -> CollaborationAgreement | None:
    return CollaborationAgreement.objects.order_by("-version").first()


def agreement_versions() -> QuerySet[CollaborationAgreement]:
    return (
        CollaborationAgreement.objects.select_related("created_by")
        .annotate(acceptance_count=Count("acceptances"))
        .order_by("-version")
    )


def users_by_ids(ids: Iterable[int]) -> QuerySet[User]:
    return User.objects.filter(pk__in=list(ids), is_active=True)
