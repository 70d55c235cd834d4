"""Governance, the seed's "leadership, not management": steering committees that exist where the
network is dense enough (metro, region, country), the board on top, and escalations raised from
chapters that find the lowest committee covering the chapter's metro.

Board elections (issue 7) build on these names: GovernanceSettings.election_electorate,
Committee (level, status), CommitteeMembership (role, term_start, term_end). Keep them stable."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chapters.models import Chapter
from core.models import ChoiceLabels
from network.models import Country, Metro, Region


class Level(models.TextChoices):
    """Committee levels, lowest first: an escalation climbs in this order."""

    METRO = "metro", _("Metro")
    REGION = "region", _("Region")
    COUNTRY = "country", _("Country")
    BOARD = "board", _("Board")


LEVEL_ORDER: tuple[str, ...] = (Level.METRO, Level.REGION, Level.COUNTRY, Level.BOARD)
PLACE_LEVELS: tuple[str, ...] = (Level.METRO, Level.REGION, Level.COUNTRY)


PLACE_FIELD_OF_LEVEL = {"metro": "metro", "region": "region", "country": "country"}


def place_matches_level(*levels: str) -> Q:
    """A row names exactly the place of its level (none for the board): one check shared by
    committees and density alerts."""
    condition = Q()
    for level in levels:
        condition |= Q(
            level=level,
            **{
                f"{field}__isnull": PLACE_FIELD_OF_LEVEL.get(level) != field
                for field in ("metro", "region", "country")
            },
        )
    return condition


class GovernanceSettings(ChoiceLabels, models.Model):
    """The organisation's governance rules (one row per organisation schema)."""

    class Electorate(models.TextChoices):
        COMMITTEE_MEMBERS = "committee_members", _("Steering-committee members")
        ALL_MEMBERS = "all_members", _("All active members")

    metro_threshold = models.PositiveSmallIntegerField(
        _("metro committee threshold"),
        default=5,
        help_text=_("Active chapters a metro needs for its own steering committee."),
    )
    region_threshold = models.PositiveSmallIntegerField(
        _("region committee threshold"),
        default=10,
        help_text=_("Active chapters a region needs for its own steering committee."),
    )
    country_threshold = models.PositiveSmallIntegerField(
        _("country committee threshold"),
        default=20,
        help_text=_("Active chapters a country needs for its own steering committee."),
    )
    escalation_deadline_days = models.PositiveSmallIntegerField(
        _("days to acknowledge an escalation"),
        default=14,
        help_text=_("Unacknowledged after this many days, an escalation moves up by itself."),
    )
    reminder_days_before_deadline = models.PositiveSmallIntegerField(
        _("remind the committee (days before the deadline)"),
        default=3,
    )
    election_electorate = models.CharField(
        _("who votes in board elections"),
        max_length=32,
        choices=Electorate.choices,
        default=Electorate.COMMITTEE_MEMBERS,
    )

    class Meta:
        verbose_name = _("governance settings")
        verbose_name_plural = _("governance settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(metro_threshold__gte=1)
                & Q(region_threshold__gte=1)
                & Q(country_threshold__gte=1),
                name="governance_settings_thresholds_positive",
            ),
            models.CheckConstraint(
                condition=Q(escalation_deadline_days__gte=1)
                & Q(reminder_days_before_deadline__lt=models.F("escalation_deadline_days")),
                name="governance_settings_deadline_after_reminder",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"Committees at {self.metro_threshold} / {self.region_threshold} / "
            f"{self.country_threshold} active chapters"
        )

    @classmethod
    def load(cls) -> "GovernanceSettings":
        row, _ = cls.objects.get_or_create(pk=1)
        return row

    def threshold_for(self, level: str) -> int:
        return {
            Level.METRO: self.metro_threshold,
            Level.REGION: self.region_threshold,
            Level.COUNTRY: self.country_threshold,
        }[level]

    @property
    def escalation_deadline(self) -> datetime.timedelta:
        return datetime.timedelta(days=self.escalation_deadline_days)

    @property
    def reminder_lead(self) -> datetime.timedelta:
        return datetime.timedelta(days=self.reminder_days_before_deadline)


class Committee(ChoiceLabels, models.Model):
    """A steering committee of one place, or the board (no place). One row per place at most:
    standing a committee down keeps the row (and its history); forming it again reactivates it."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        STOOD_DOWN = "stood_down", _("Stood down")

    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    metro = models.ForeignKey(
        Metro, on_delete=models.PROTECT, null=True, blank=True, related_name="committees"
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="committees"
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="committees"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    formed_at = models.DateTimeField(_("formed"), default=timezone.now)
    stood_down_at = models.DateTimeField(_("stood down"), null=True, blank=True)
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["level", "pk"]
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        constraints = [
            models.CheckConstraint(
                condition=place_matches_level(
                    Level.METRO, Level.REGION, Level.COUNTRY, Level.BOARD
                ),
                name="governance_committee_place_matches_level",
            ),
            models.UniqueConstraint(
                fields=["metro"],
                condition=Q(metro__isnull=False),
                name="governance_one_committee_per_metro",
            ),
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(region__isnull=False),
                name="governance_one_committee_per_region",
            ),
            models.UniqueConstraint(
                fields=["country"],
                condition=Q(country__isnull=False),
                name="governance_one_committee_per_country",
            ),
            models.UniqueConstraint(
                fields=["level"],
                condition=Q(level=Level.BOARD),
                name="governance_one_board",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def place(self) -> Metro | Region | Country | None:
        return self.metro or self.region or self.country

    @property
    def name(self) -> str:
        if self.level == Level.BOARD:
            return str(_("Board"))
        # place_name: the place's name read with the committee (selectors.with_committee)
        place = self.__dict__.get("place_name") or self.place
        return str(_("%(place)s steering committee") % {"place": place})

    @property
    def is_board(self) -> bool:
        return self.level == Level.BOARD

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def rank(self) -> int:
        return LEVEL_ORDER.index(self.level)


class CommitteeMembership(ChoiceLabels, models.Model):
    """A seat on a committee for a term. Current while the term has started and has no end or
    ends in the future. Ended seats are kept (history, and elections' candidate lists)."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        CHAIR = "chair", _("Chair")

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="committee_memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    term_start = models.DateField(_("term starts"), default=timezone.localdate)
    term_end = models.DateField(
        _("term ends"),
        null=True,
        blank=True,
        help_text=_("Empty for an open-ended term. The seat ends on this day (not included)."),
    )
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-role", "user__name", "pk"]
        verbose_name = _("committee membership")
        verbose_name_plural = _("committee memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="governance_term_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["committee", "user"],
                condition=Q(term_end__isnull=True),
                name="governance_one_open_seat_per_person",
                violation_error_message="This person already sits on the committee.",
            ),
            models.UniqueConstraint(
                fields=["committee"],
                condition=Q(term_end__isnull=True, role="chair"),
                name="governance_one_open_chair",
                violation_error_message="The committee already has a chair.",
            ),
        ]
        indexes = [models.Index(fields=["user", "term_end"])]

    def __str__(self) -> str:
        return f"{self.user} on {self.committee}"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.term_start <= today and (self.term_end is None or self.term_end > today)

    @property
    def is_chair(self) -> bool:
        return self.role == self.Role.CHAIR


def current_seat_q(prefix: str = "", *, today: datetime.date | None = None) -> Q:
    """The filter for current seats, optionally through a relation (`prefix="memberships__"`)."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}term_start__lte": today}) & (
        Q(**{f"{prefix}term_end__isnull": True}) | Q(**{f"{prefix}term_end__gt": today})
    )


class Escalation(ChoiceLabels, models.Model):
    """An issue raised from a chapter that a committee must take up. `committee` is where it is
    now; EscalationRouting keeps every hop; EscalationEvent is the audit trail."""

    class Category(models.TextChoices):
        CONFLICT_OF_INTEREST = "conflict_of_interest", _("Conflict of interest")
        CONDUCT = "conduct", _("Conduct")
        CONFIDENTIALITY = "confidentiality", _("Confidentiality breach")
        FORMATION = "formation", _("Chapter formation or split")
        RESOURCES = "resources", _("Resources")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RESOLVED = "resolved", _("Resolved")

    ACTIVE_STATUSES = (Status.OPEN, Status.ACKNOWLEDGED)

    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="escalations")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="escalations_raised",
        help_text=_("Kept for follow-up even when the raiser is anonymous to committees."),
    )
    is_anonymous = models.BooleanField(
        _("hide my name from the committees"),
        default=False,
    )
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    title = models.CharField(_("summary"), max_length=150)
    description = models.TextField(_("description"), max_length=10000)
    committee = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        related_name="escalations",
        help_text=_("The committee the escalation is with now."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="escalations_assigned",
    )
    routed_at = models.DateTimeField(default=timezone.now)
    deadline_at = models.DateTimeField(_("acknowledge by"))
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.TextField(_("decision"), max_length=10000, blank=True)
    created = models.DateTimeField(_("raised"), default=timezone.now, editable=False)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="resolved") | (Q(resolved_at__isnull=False) & ~Q(decision="")),
                name="governance_resolved_has_decision",
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "status", "created"]),
            models.Index(fields=["status", "deadline_at"]),
            models.Index(fields=["raised_by", "created"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    def is_overdue(self, now: datetime.datetime | None = None) -> bool:
        return self.status == self.Status.OPEN and self.deadline_at <= (now or timezone.now())


class EscalationRouting(ChoiceLabels, models.Model):
    """One hop: the committee an escalation went to, why, and who sent it (empty: the system)."""

    class Kind(models.TextChoices):
        RAISED = "raised", _("Routed when raised")
        ESCALATED = "escalated", _("Escalated by the committee")
        AUTOMATIC = "automatic", _("Moved up after the deadline")

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="routings")
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="routings")
    from_committee = models.ForeignKey(
        Committee, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    reason = models.TextField(_("reason"), max_length=2000)
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("escalation routing")
        verbose_name_plural = _("escalation routings")
        constraints = [
            models.UniqueConstraint(
                fields=["escalation", "committee"],
                name="governance_each_committee_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.escalation_id} → {self.committee}"


class EscalationComment(models.Model):
    """A message between the committee and the raiser. `from_raiser` is fixed when written, so an
    anonymous raiser's comments read "the raiser" to committees."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_raiser = models.BooleanField(default=False)
    committee = models.ForeignKey(
        Committee,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The committee the author spoke for (empty for the raiser)."),
    )
    body = models.TextField(_("comment"), max_length=5000)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("escalation comment")
        verbose_name_plural = _("escalation comments")

    def __str__(self) -> str:
        return f"Comment on {self.escalation_id}"


def attachment_path(instance: "EscalationAttachment", filename: str) -> str:
    # A random component keeps names unguessable even though files are never served publicly.
    return f"governance/escalations/{instance.escalation_id}/{secrets.token_hex(8)}-{filename}"


class EscalationAttachment(models.Model):
    """A file the raiser attached. Stored via the default (tenant-aware) storage and served only
    by a view that checks the escalation's visibility."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("escalation attachment")
        verbose_name_plural = _("escalation attachments")

    def __str__(self) -> str:
        return self.original_name


class EscalationEvent(ChoiceLabels, models.Model):
    """The audit trail of an escalation, shown on its page. `actor` is empty for the system; an
    anonymous raiser's events are shown to committees as "the raiser"."""

    class Kind(models.TextChoices):
        RAISED = "raised", _("Raised")
        ROUTED = "routed", _("Routed")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        ASSIGNED = "assigned", _("Assigned")
        COMMENTED = "commented", _("Commented")
        ESCALATED = "escalated", _("Escalated")
        AUTO_ESCALATED = "auto_escalated", _("Moved up after the deadline")
        REMINDED = "reminded", _("Deadline reminder sent")
        RESOLVED = "resolved", _("Resolved")

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_raiser = models.BooleanField(default=False)
    committee = models.ForeignKey(
        Committee, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("escalation event")
        verbose_name_plural = _("escalation events")

    def __str__(self) -> str:
        return f"{self.escalation_id}: {self.kind}"


class DensityAlert(ChoiceLabels, models.Model):
    """A place crossed its committee threshold (up or down). One alert per crossing: the periodic
    check compares the place's state with the last alert's direction. Resolved when admins form
    or stand down the committee, or dismiss the alert."""

    class Direction(models.TextChoices):
        REACHED = "reached", _("Reached the threshold")
        FELL_BELOW = "fell_below", _("Fell below the threshold")

    level = models.CharField(max_length=16, choices=Level.choices)
    metro = models.ForeignKey(
        Metro, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    direction = models.CharField(max_length=16, choices=Direction.choices)
    active_chapters = models.PositiveIntegerField()
    threshold = models.PositiveIntegerField()
    created = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("density alert")
        verbose_name_plural = _("density alerts")
        constraints = [
            models.CheckConstraint(
                condition=place_matches_level(Level.METRO, Level.REGION, Level.COUNTRY),
                name="governance_alert_place_matches_level",
            ),
            models.UniqueConstraint(
                fields=["metro"],
                condition=Q(metro__isnull=False, resolved_at__isnull=True),
                name="governance_one_open_alert_per_metro",
            ),
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(region__isnull=False, resolved_at__isnull=True),
                name="governance_one_open_alert_per_region",
            ),
            models.UniqueConstraint(
                fields=["country"],
                condition=Q(country__isnull=False, resolved_at__isnull=True),
                name="governance_one_open_alert_per_country",
            ),
        ]
        indexes = [models.Index(fields=["level", "created"])]

    def __str__(self) -> str:
        return f"{self.place}: {self.get_direction_display()}"

    @property
    def place(self) -> Metro | Region | Country:
        return self.metro or self.region or self.country

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
