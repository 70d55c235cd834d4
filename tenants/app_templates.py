"""The platform's catalogue of app templates (public schema): proven formats — First Tuesday,
Startup Weekend, Pitch Night… — that any organisation adopts into its own marketplace as a
starting point. Model, reads and writes in one small module; the catalogue itself is seeded by a
data migration (tenants/migrations/0002_app_templates.py)."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import schema_context


class AppTemplate(models.Model):
    """A format in the platform catalogue. `category` uses the marketplace's app categories;
    `suggested_packages` is a list of {"name", "price", "slots", "benefits"}."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    category = models.CharField(_("category"), max_length=16)
    description = models.TextField(_("description"))
    format = models.TextField(_("format"), blank=True)
    suggested_price = models.DecimalField(
        _("suggested price"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    suggested_currency = models.CharField(_("currency"), max_length=3, default="EUR")
    suggested_packages = models.JSONField(
        _("suggested sponsorship packages"), default=list, blank=True
    )
    is_published = models.BooleanField(_("published"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        app_label = "tenants"
        ordering = ["position", "name"]
        verbose_name = _("app template")
        verbose_name_plural = _("app templates")

    def __str__(self) -> str:
        return self.name


# --- Reads (always from the public schema, whichever host asks) --------------------------------


def app_templates_published() -> list[AppTemplate]:
    with schema_context("public"):
        return list(AppTemplate.objects.filter(is_published=True).order_by("position", "name"))


def get_app_template(key: str) -> AppTemplate:
    with schema_context("public"):
        template = AppTemplate.objects.filter(key=key, is_published=True).first()
    if template is None:
        raise Http404("No such app template.")
    return template


def app_templates_all() -> QuerySet[AppTemplate]:
    return AppTemplate.objects.order_by("position", "name")


# --- Writes -----------------------------------------------------------------------------------


CATALOGUE: tuple[dict, ...] = (
    {
        "key": "first-tuesday",
        "name": "First Tuesday",
        "category": "networking",
        "description": "A monthly evening where entrepreneurs, investors and the people who help "
        "them meet over drinks, always on the first Tuesday of the month.",
        "format": "18:30 doors · 19:00 two short talks · 19:30-21:30 open networking. "
        "60-150 people.",
        "suggested_price": "15.00",
        "suggested_packages": [
            {
                "name": "Host sponsor",
                "price": "1500.00",
                "slots": 1,
                "benefits": "Logo on every page and badge, a 3-minute welcome on stage.",
            },
            {
                "name": "Drinks sponsor",
                "price": "500.00",
                "slots": 2,
                "benefits": "Logo at the bar and in the follow-up email.",
            },
        ],
    },
    {
        "key": "startup-weekend",
        "name": "Startup Weekend",
        "category": "hackathon",
        "description": "54 hours from Friday evening to Sunday night: pitch ideas, form teams, "
        "build a product and present it to a jury.",
        "format": "Friday pitches and team forming · Saturday building with coaches · Sunday "
        "demos and jury. 40-120 participants.",
        "suggested_price": "60.00",
        "suggested_packages": [
            {
                "name": "Headline partner",
                "price": "5000.00",
                "slots": 1,
                "benefits": "Naming, a jury seat, the opening keynote.",
            },
            {
                "name": "Coach partner",
                "price": "1000.00",
                "slots": 4,
                "benefits": "Your experts coach the teams on Saturday.",
            },
            {
                "name": "Meals partner",
                "price": "750.00",
                "slots": 3,
                "benefits": "Logo at one meal and on the schedule.",
            },
        ],
    },
    {
        "key": "pitch-night",
        "name": "Pitch Night",
        "category": "pitch",
        "description": "Six startups pitch for five minutes each to an audience and a panel "
        "of investors, who give feedback in public.",
        "format": "5-minute pitch · 5 minutes of questions · panel feedback · audience vote.",
        "suggested_price": "10.00",
        "suggested_packages": [
            {
                "name": "Panel sponsor",
                "price": "800.00",
                "slots": 1,
                "benefits": "A seat on the panel and the prize for the audience's favourite.",
            },
        ],
    },
    {
        "key": "vc-breakfast",
        "name": "VC Breakfast",
        "category": "investors",
        "description": "A small breakfast where a dozen founders meet two or three investors "
        "around one table, off the record.",
        "format": "8:00-9:30 · 12 founders, 2-3 investors · one question each, then open talk.",
        "suggested_price": "25.00",
        "suggested_packages": [
            {
                "name": "Breakfast host",
                "price": "600.00",
                "slots": 1,
                "benefits": "Hosts the table; logo on the invitation.",
            },
        ],
    },
    {
        "key": "business-plan-competition",
        "name": "Business-Plan Competition",
        "category": "competition",
        "description": "Teams submit a business plan, the best are coached and defend it before "
        "a jury for prizes in cash and services.",
        "format": "Call for plans · shortlist · two coaching sessions · final before a jury.",
        "suggested_price": "0.00",
        "suggested_packages": [
            {
                "name": "Prize sponsor",
                "price": "3000.00",
                "slots": 3,
                "benefits": "Names a prize and presents it at the final.",
            },
            {
                "name": "Jury partner",
                "price": "1000.00",
                "slots": 2,
                "benefits": "A jury seat and the shortlist's plans.",
            },
        ],
    },
    {
        "key": "seedcamp",
        "name": "Seedcamp",
        "category": "accelerator",
        "description": "An intensive week in which a selected cohort of early startups works "
        "with mentors, then meets investors on demo day.",
        "format": "Application and selection · five days of mentor sessions · investor day.",
        "suggested_price": "0.00",
        "suggested_packages": [
            {
                "name": "Cohort partner",
                "price": "8000.00",
                "slots": 1,
                "benefits": "First look at the cohort and a mentor slot every day.",
            },
            {
                "name": "Mentor partner",
                "price": "1500.00",
                "slots": 5,
                "benefits": "Your people mentor; logo on the programme.",
            },
        ],
    },
    {
        "key": "founders-office-hours",
        "name": "Founders' Office Hours",
        "category": "mentoring",
        "description": "Experienced founders give 30-minute one-to-one sessions on the question "
        "that keeps you up at night.",
        "format": "Booked slots of 30 minutes, 6-10 per mentor, over an afternoon.",
        "suggested_price": "20.00",
        "suggested_packages": [],
    },
    {
        "key": "demo-day",
        "name": "Demo Day",
        "category": "showcase",
        "description": "The startups of a programme show what they built to investors, press "
        "and the network, with an expo afterwards.",
        "format": "Opening · 3-minute demos · expo tables and drinks. 100-300 guests.",
        "suggested_price": "0.00",
        "suggested_packages": [
            {
                "name": "Presenting partner",
                "price": "4000.00",
                "slots": 1,
                "benefits": "Opening words, logo everywhere.",
            },
            {
                "name": "Expo table",
                "price": "400.00",
                "slots": 10,
                "benefits": "A table at the expo.",
            },
        ],
    },
)


@transaction.atomic
def app_templates_seed(model=AppTemplate) -> int:
    """Add the platform's catalogue; idempotent (existing keys are left as the operators edited
    them). `model` lets the data migration pass its historical model."""
    created = 0
    for position, entry in enumerate(CATALOGUE):
        _, made = model.objects.get_or_create(
            key=entry["key"],
            defaults={
                **entry,
                "suggested_price": Decimal(entry["suggested_price"]),
                "position": position * 10,
            },
        )
        created += made
    return created
