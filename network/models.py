"""The network, the seed's "OS": every entrepreneur is a node where a metro (local axis) meets a
sector (vertical axis)."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import ChoiceLabels


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not an IANA time zone."), params={"value": value})


class Country(models.Model):
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("ISO code"), max_length=2, help_text=_("Two letters, e.g. FR."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="network_country_name_unique"),
            models.UniqueConstraint(fields=["code"], name="network_country_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="regions")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["country__name", "name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.UniqueConstraint(
                "country", Lower("name"), name="network_region_name_unique_in_country"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Metro(models.Model):
    """A metropolitan area: the local axis. Every time in a chapter of this metro is shown in
    its time zone."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="metros")
    name = models.CharField(_("name"), max_length=100)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_("IANA name, e.g. Europe/Paris."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("metro")
        verbose_name_plural = _("metros")
        constraints = [
            models.UniqueConstraint(
                "region", Lower("name"), name="network_metro_name_unique_in_region"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Sector(models.Model):
    """A vertical. Each organisation edits its own list; a sector in use is retired, not deleted."""

    name = models.CharField(_("name"), max_length=80)
    description = models.CharField(_("description"), max_length=240, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        constraints = [models.UniqueConstraint(Lower("name"), name="network_sector_name_unique")]

    def __str__(self) -> str:
        return self.name


class Entrepreneur(ChoiceLabels, models.Model):
    """A member's profile: the node. Created with the account; never deleted while chapters'
    history needs it (deactivation instead)."""

    class Visibility(models.TextChoices):
        NETWORK = "network", _("Everyone in the network")
        CHAPTERS = "chapters", _("Only members of my chapters")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="entrepreneur"
    )
    company = models.CharField(_("company"), max_length=150, blank=True)
    role = models.CharField(
        _("role"), max_length=120, blank=True, help_text=_("e.g. Founder & CEO")
    )
    metro = models.ForeignKey(
        Metro, on_delete=models.PROTECT, null=True, blank=True, related_name="entrepreneurs"
    )
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, null=True, blank=True, related_name="entrepreneurs"
    )
    bio = models.TextField(_("short bio"), max_length=1000, blank=True)
    website = models.URLField(_("website"), blank=True)
    linkedin = models.URLField(_("LinkedIn"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="photos/", blank=True)
    visibility = models.CharField(
        _("who can see my profile"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.NETWORK,
    )
    # Kept by chapters' services (network cannot import chapters): how many chapters this
    # member currently belongs to. Lets the directory filter "unaffiliated" without a join.
    active_chapter_count = models.PositiveIntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now, editable=False)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user__name"]
        verbose_name = _("entrepreneur")
        verbose_name_plural = _("entrepreneurs")
        indexes = [
            models.Index(fields=["metro", "sector"]),
            models.Index(fields=["is_active", "active_chapter_count"]),
        ]

    def __str__(self) -> str:
        return self.user.name or self.user.email

    @property
    def is_unaffiliated(self) -> bool:
        return self.active_chapter_count == 0


class NetworkSettings(models.Model):
    """The organisation's growth target: by default 300 chapters within 12 months of launch."""

    launch_date = models.DateField(_("launch date"), default=timezone.localdate)
    target_chapters = models.PositiveIntegerField(_("target chapters"), default=300)
    target_months = models.PositiveIntegerField(_("months to reach the target"), default=12)

    class Meta:
        verbose_name = _("network settings")
        verbose_name_plural = _("network settings")

    def __str__(self) -> str:
        return f"{self.target_chapters} chapters in {self.target_months} months"

    @classmethod
    def load(cls) -> "NetworkSettings":
        settings_row, _ = cls.objects.get_or_create(pk=1)
        return settings_row


class ImportJob(ChoiceLabels, models.Model):
    """One CSV upload of entrepreneurs, processed by a Celery task in batches. The file's text is
    kept in the row (not on disk) so that any worker can read it; per-row problems are kept as a
    list for the downloadable error report."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(_("file name"), max_length=255)
    source = models.TextField(_("file contents"))
    delimiter = models.CharField(max_length=1, default=",")
    send_invitations = models.BooleanField(_("send invitation emails"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    invited_count = models.PositiveIntegerField(default=0)
    # [{"row": 7, "email": "…", "name": "…", "message": "…"}, …] in row order.
    errors = models.JSONField(default=list, blank=True)
    failure = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))
