"""Chapters, the seed's simplest app: a few entrepreneurs of one metro who agree to meet monthly.

Invitation-only, one seat per sector (no direct competitors), every member accepts the
collaboration agreement. Memberships are never deleted: leaving sets `left_at`, so history stays.

Other apps build on these names (meetings, governance); keep them stable."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import ChoiceLabels
from network.models import Metro, Sector

DEFAULT_AGREEMENT_TEXT = (
    "Collaborate with the other entrepreneurs of your chapter.\n\n"
    "We meet every month. Each of us brings one success and one challenge. We answer challenges "
    "with stories of how a similar issue was handled elsewhere — experience, not advice. What is "
    "said in the chapter stays in the chapter. Nobody in the chapter is a direct competitor of "
    "another; if that changes, we say so."
)


class ChapterSettings(ChoiceLabels, models.Model):
    """The organisation's chapter rules (one row per organisation schema)."""

    class SeatsPerSector(models.IntegerChoices):
        ONE = 1, _("One seat per sector (no direct competitors)")
        TWO = 2, _("Up to two seats per sector")

    min_size = models.PositiveSmallIntegerField(
        _("minimum members to become active"),
        default=3,
    )
    max_size = models.PositiveSmallIntegerField(_("maximum members"), default=12)
    seats_per_sector = models.PositiveSmallIntegerField(
        _("seats per sector"), choices=SeatsPerSector.choices, default=SeatsPerSector.ONE
    )
    objection_window_days = models.PositiveSmallIntegerField(
        _("objection window (days)"),
        default=3,
        help_text=_("How long members may object to a proposed invitation."),
    )
    dormant_after_months = models.PositiveSmallIntegerField(
        _("dormant after (months without a meeting)"), default=3
    )
    invitation_valid_days = models.PositiveSmallIntegerField(
        _("invitation links valid for (days)"), default=14
    )

    class Meta:
        verbose_name = _("chapter settings")
        verbose_name_plural = _("chapter settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_size__gte=2) & Q(max_size__gte=models.F("min_size")),
                name="chapters_settings_size_bounds",
            ),
            models.CheckConstraint(
                condition=Q(seats_per_sector__in=[1, 2]), name="chapters_settings_seats_1_or_2"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.min_size}-{self.max_size} members, {self.seats_per_sector} seat(s)/sector"

    @classmethod
    def load(cls) -> "ChapterSettings":
        row, _ = cls.objects.get_or_create(pk=1)
        return row


class Chapter(ChoiceLabels, models.Model):
    class Status(models.TextChoices):
        FORMING = "forming", _("Forming")
        ACTIVE = "active", _("Active")
        DORMANT = "dormant", _("Dormant")
        CLOSED = "closed", _("Closed")

    OPEN_STATUSES = (Status.FORMING, Status.ACTIVE)

    name = models.CharField(_("name"), max_length=120)
    metro = models.ForeignKey(Metro, on_delete=models.PROTECT, related_name="chapters")
    description = models.TextField(_("description"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.FORMING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(_("started"), default=timezone.now, editable=False)
    status_changed_at = models.DateTimeField(default=timezone.now)
    activated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Maintained by the meetings app through services.chapter_record_meeting.
    last_meeting_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        indexes = [
            models.Index(fields=["metro", "status"]),
            models.Index(fields=["status", "last_meeting_at"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        """Open chapters take invitations and join requests."""
        return self.status in self.OPEN_STATUSES


class ChapterStatusChange(ChoiceLabels, models.Model):
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=Chapter.Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Chapter.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when the system made the change (e.g. the dormancy check)."),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("chapter status change")
        verbose_name_plural = _("chapter status changes")

    def __str__(self) -> str:
        return f"{self.chapter}: {self.from_status or '—'} → {self.to_status}"


class Membership(ChoiceLabels, models.Model):
    """A person's seat in a chapter. Never deleted: leaving, removal and closing set `left_at`."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        FACILITATOR = "facilitator", _("Facilitator")

    class EndReason(models.TextChoices):
        LEFT = "left", _("Left")
        REMOVED = "removed", _("Removed by a facilitator")
        CHAPTER_CLOSED = "closed", _("Chapter closed")

    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chapter_memberships"
    )
    # The seat: the member's sector when they joined, and which of the sector's seats (1 or 2).
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="chapter_seats")
    seat_number = models.PositiveSmallIntegerField(default=1)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            # The sector rule in the database: seat numbers are 1 (or 2 where the organisation
            # allows two per sector), and a current seat number is held once per chapter.
            models.UniqueConstraint(
                fields=["chapter", "sector", "seat_number"],
                condition=Q(left_at__isnull=True),
                name="chapters_one_member_per_seat",
                violation_error_message="That sector's seat in this chapter is already taken.",
            ),
            models.UniqueConstraint(
                fields=["chapter", "user"],
                condition=Q(left_at__isnull=True),
                name="chapters_one_current_membership_per_person",
            ),
            models.CheckConstraint(
                condition=Q(seat_number__in=[1, 2]), name="chapters_seat_number_1_or_2"
            ),
        ]
        indexes = [models.Index(fields=["user", "left_at"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.chapter}"

    @property
    def is_current(self) -> bool:
        return self.left_at is None

    @property
    def is_facilitator(self) -> bool:
        return self.role == self.Role.FACILITATOR


class CollaborationAgreement(models.Model):
    """One version of the organisation's collaboration agreement. The highest version is current;
    older versions stay so that every acceptance points at the text that was accepted."""

    version = models.PositiveIntegerField(unique=True)
    text = models.TextField(_("text"), max_length=10000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("collaboration agreement")
        verbose_name_plural = _("collaboration agreement versions")

    def __str__(self) -> str:
        return f"Collaboration agreement v{self.version}"


class AgreementAcceptance(models.Model):
    membership = models.OneToOneField(
        Membership, on_delete=models.PROTECT, related_name="agreement_acceptance"
    )
    agreement = models.ForeignKey(
        CollaborationAgreement, on_delete=models.PROTECT, related_name="acceptances"
    )
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("agreement acceptance")
        verbose_name_plural = _("agreement acceptances")

    def __str__(self) -> str:
        return f"{self.membership} accepted v{self.agreement.version}"


class Invitation(ChoiceLabels, models.Model):
    """An invitation into a chapter for an email address (a member of the organisation or a new
    person). Only a SHA-256 hash of the link's token is stored."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed, waiting for the facilitator")
        HELD = "held", _("Held by an objection")
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Withdrawn")
        EXPIRED = "expired", _("Expired")

    OPEN_STATUSES = (Status.PROPOSED, Status.HELD, Status.SENT)

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chapter_invitations",
        help_text=_("The account, when the email belongs to a member of the organisation."),
    )
    sector = models.ForeignKey(
        Sector,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The seat the invitee would take."),
    )
    message = models.TextField(_("personal message"), max_length=2000, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    created = models.DateTimeField(default=timezone.now)
    objection_window_ends_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    membership = models.OneToOneField(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitation"
    )

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                "chapter",
                models.functions.Lower("email"),
                condition=Q(status__in=["proposed", "held", "sent"]),
                name="chapters_one_open_invitation_per_email",
                violation_error_message="This person already has an open invitation.",
            )
        ]
        indexes = [
            models.Index(fields=["chapter", "status"]),
            models.Index(fields=["status", "expires_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.chapter}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.EXPIRED or (
            self.status == self.Status.SENT
            and self.expires_at is not None
            and self.expires_at <= timezone.now()
        )

    @property
    def objection_window_open(self) -> bool:
        return self.status in self.OPEN_STATUSES and timezone.now() < self.objection_window_ends_at


class Objection(ChoiceLabels, models.Model):
    """A member's objection to an invitation, with a reason the facilitator reads. It holds the
    invitation until the facilitator decides."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for the facilitator")
        UPHELD = "upheld", _("Upheld: invitation withdrawn")
        OVERRULED = "overruled", _("Overruled: invitation goes ahead")

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="objections")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"), max_length=2000)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "member"], name="chapters_one_objection_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"Objection by {self.member} to {self.invitation}"


class JoinRequest(ChoiceLabels, models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the facilitator")
        APPROVED = "approved", _("Approved: invitation sent")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chapter_join_requests"
    )
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="+")
    message = models.TextField(_("why this chapter"), max_length=2000, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(_("message to the requester"), max_length=2000, blank=True)
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="join_request"
    )

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        constraints = [
            models.UniqueConstraint(
                fields=["chapter", "user"],
                condition=Q(status="pending"),
                name="chapters_one_pending_join_request",
                violation_error_message="You have already asked to join this chapter.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} asks to join {self.chapter}"
