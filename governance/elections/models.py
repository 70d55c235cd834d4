"""Board elections (domain rule 6): an election, its officers, candidates, electoral roll, the
secret ballots and the separate record of who voted.

The secrecy model, in the schema itself (docs/elections.md has the whole argument):

* `Ballot` has no link to a person: no user, no timestamp, a random UUID4 key, and its default
  ordering is by `ballot_hash` (random); the only stable reference is the election.
* `VoterRecord` says who voted and nothing else (no time, UUID key) — it is what makes "one
  voter, one ballot" a database rule (unique per election and user).
* Both rows are written in one transaction; the receipt code the voter takes home is never
  stored — only two one-way hashes derived from it are (`receipt_digest` for the verify page,
  `ballot_hash` which also binds the ballot's content).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import ChoiceLabels
from governance.models import GovernanceSettings


class Method(models.TextChoices):
    """Values are the counting engine's method names (governance.counting.Method)."""

    MEEK = "meek", _("Single transferable vote — Meek's method")
    SCOTTISH = "scottish", _("Single transferable vote — Scottish rules")
    APPROVAL = "approval", _("Approval voting")
    PLURALITY = "plurality_at_large", _("Plurality at large")


RANKED_METHODS = frozenset({Method.MEEK, Method.SCOTTISH})


class Election(ChoiceLabels, models.Model):
    class State(models.TextChoices):
        SETUP = "setup", _("Being set up")
        NOMINATIONS = "nominations", _("Nominations")
        VOTING = "voting", _("Voting")
        CLOSED = "closed", _("Closed, counting")
        COUNTED = "counted", _("Counted")
        CERTIFIED = "certified", _("Certified")
        CANCELLED = "cancelled", _("Cancelled")

    class Outcome(models.TextChoices):
        ELECTED = "elected", _("Candidates elected")
        NO_QUORUM = "no_quorum", _("Turnout below the quorum — no result")
        NO_BALLOTS = "no_ballots", _("No ballots cast — no result")

    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)
    method = models.CharField(
        _("counting method"), max_length=24, choices=Method.choices, default=Method.MEEK
    )
    electorate = models.CharField(
        _("who votes"),
        max_length=32,
        choices=GovernanceSettings.Electorate.choices,
        default=GovernanceSettings.Electorate.COMMITTEE_MEMBERS,
    )
    quorum_percent = models.DecimalField(
        _("quorum (minimum turnout, %)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty for no quorum. Below it, the count gives no result."),
    )
    term_start = models.DateField(_("board term starts"))
    term_end = models.DateField(_("board term ends"))
    nominations_open = models.DateTimeField(_("nominations open"))
    nominations_close = models.DateTimeField(_("nominations close"))
    voting_open = models.DateTimeField(_("voting opens"))
    voting_close = models.DateTimeField(_("voting closes"))

    state = models.CharField(max_length=16, choices=State.choices, default=State.SETUP)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    modified = models.DateTimeField(auto_now=True)

    # Fixed when voting opens.
    electorate_size = models.PositiveIntegerField(default=0)
    # How many ballots the last re-mix wrote (see services.voting.ballots_mix).
    mixed_ballot_count = models.PositiveIntegerField(default=0, editable=False)

    # The count.
    counted_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    voters_count = models.PositiveIntegerField(default=0)
    result = models.JSONField(
        null=True, blank=True, help_text=_("governance.counting CountResult.to_dict()")
    )
    result_seed = models.CharField(max_length=40, blank=True)

    certified_at = models.DateTimeField(null=True, blank=True)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-voting_open", "-pk"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="elections_seats_positive"),
            models.CheckConstraint(
                condition=Q(nominations_close__gt=F("nominations_open"))
                & Q(voting_open__gte=F("nominations_close"))
                & Q(voting_close__gt=F("voting_open")),
                name="elections_windows_in_order",
            ),
            models.CheckConstraint(
                condition=Q(term_end__gt=F("term_start")), name="elections_term_in_order"
            ),
            models.CheckConstraint(
                condition=Q(quorum_percent__isnull=True)
                | (Q(quorum_percent__gt=0) & Q(quorum_percent__lte=100)),
                name="elections_quorum_is_a_percentage",
            ),
        ]
        indexes = [models.Index(fields=["state", "voting_close"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_ranked(self) -> bool:
        return self.method in RANKED_METHODS

    @property
    def is_editable(self) -> bool:
        return self.state == self.State.SETUP

    @property
    def has_published_ballots(self) -> bool:
        return self.state in (self.State.COUNTED, self.State.CERTIFIED)

    @property
    def turnout_percent(self) -> float | None:
        if not self.electorate_size:
            return None
        return 100 * self.voters_count / self.electorate_size

    def nominations_are_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.state == self.State.NOMINATIONS
            and self.nominations_open <= now < self.nominations_close
        )

    def voting_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.state == self.State.VOTING and self.voting_open <= now < self.voting_close


class ElectionOfficer(models.Model):
    """A person the board appointed to run one election. Officers edit the election while it is
    being set up and follow its turnout; like everybody else they never see who voted for whom."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="officers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["user__name", "pk"]
        verbose_name = _("election officer")
        verbose_name_plural = _("election officers")
        constraints = [
            models.UniqueConstraint(
                fields=["election", "user"],
                name="elections_officer_once",
                violation_error_message="This person is already an officer of the election.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.election})"


class Candidate(ChoiceLabels, models.Model):
    """A nomination, and once accepted a candidacy. `number` is the candidate's place on the
    ballot paper and in the BLT file (1-based, by name), fixed when voting opens."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the candidate's acceptance")
        ACCEPTED = "accepted", _("Standing")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        LAPSED = "lapsed", _("Not accepted in time")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="candidacies"
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    statement = models.TextField(_("candidate statement"), max_length=3000, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now, editable=False)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number", "user__name", "pk"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            models.UniqueConstraint(
                fields=["election", "user"],
                name="elections_candidate_once",
                violation_error_message="This person has already been nominated.",
            ),
            models.UniqueConstraint(
                fields=["election", "number"],
                condition=Q(number__isnull=False),
                name="elections_candidate_number_once",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_self_nominated(self) -> bool:
        return self.nominated_by_id == self.user_id

    @property
    def is_standing(self) -> bool:
        return self.status == self.Status.ACCEPTED


class Elector(models.Model):
    """The electoral roll: who may vote, fixed when voting opens (so turnout has a fixed base)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="electors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("elector")
        verbose_name_plural = _("electors")
        constraints = [
            models.UniqueConstraint(fields=["election", "user"], name="elections_elector_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.election})"


class VoterRecord(models.Model):
    """That a person voted in an election — never how, never when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="voter_records")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("voter record")
        verbose_name_plural = _("voter records")
        constraints = [
            models.UniqueConstraint(
                fields=["election", "user"],
                name="elections_one_voter_one_ballot",
                violation_error_message="You have already voted in this election.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} voted in {self.election}"


class Ballot(models.Model):
    """One anonymous ballot. `choices` are candidate numbers: in order of preference for STV,
    ascending for approval and plurality (a set).

    Deliberately absent: any user, any timestamp, any sequence. Do not add one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="ballots")
    choices = models.JSONField()
    receipt_digest = models.CharField(max_length=64, unique=True)
    ballot_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["ballot_hash"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self) -> str:
        return f"Ballot {self.ballot_hash[:12]}…"


class ReminderSent(ChoiceLabels, models.Model):
    """One row per election and reminder kind: the reminder is sent once, whatever the task
    retries."""

    class Kind(models.TextChoices):
        VOTING_OPEN = "voting_open", _("Voting is open")
        CLOSING_SOON = "closing_soon", _("Voting closes soon")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["election", "kind"], name="elections_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.election})"
