"""Apps: a provider lists one, the organisation approves it before it is public; sponsorship
packages; the organisation's marketplace settings; who is a provider."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import Role, User
from core.notify import lazy_interpolate
from core.selectors import user_is_organization_admin
from core.services import audit_record, role_grant, role_revoke

from ..errors import MarketplaceConflict, MarketplaceError, MarketplacePermissionDenied
from ..models import App, Event, MarketplaceSettings, SponsorshipPackage
from ..money import quantize
from ..selectors import can_manage_app, user_is_provider
from . import notify

APP_FIELDS = (
    "name",
    "category",
    "description",
    "format",
    "default_price",
    "currency",
    "revenue_share",
    "refund_days",
    "late_refund_percent",
)
# Changing these on an approved app sends it back to the organisation for approval.
REVIEWED_FIELDS = ("name", "category", "description", "revenue_share")


def full_clean_or_raise(instance, *, exclude: list[str] | None = None) -> None:
    """Model validation as a MarketplaceError naming the first field at fault."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            field, messages = next(iter(error.message_dict.items()))
            field = None if field == "__all__" else field
            raise MarketplaceError(" ".join(messages), field=field) from error
        raise MarketplaceError(" ".join(error.messages)) from error


def _money(value, field: str) -> Decimal:
    try:
        amount = quantize(value)
    except (ValueError, TypeError) as error:
        raise MarketplaceError(_("Enter an amount such as 25.00."), field=field) from error
    if amount < 0:
        raise MarketplaceError(_("The amount cannot be negative."), field=field)
    return amount


@transaction.atomic
def app_create(
    *,
    provider: User,
    actor: User,
    name: str,
    category: str,
    description: str,
    format: str = "",
    default_price: Decimal = Decimal("0"),
    currency: str | None = None,
    revenue_share: Decimal | None = None,
    refund_days: int = 7,
    late_refund_percent: int = 0,
    template_key: str = "",
    packages: list[dict] | tuple = (),
) -> App:
    """List an app. It waits for the organisation's approval, unless an organisation admin lists
    it (e.g. by adopting a platform template for a provider)."""
    actor_is_admin = user_is_organization_admin(actor)
    if actor.pk != provider.pk and not actor_is_admin:
        raise MarketplacePermissionDenied(_("You can list apps only for yourself."))
    if not user_is_provider(provider):
        raise MarketplacePermissionDenied(
            _("%(provider)s is not a provider; an organisation admin grants that role first.")
            % {"provider": provider},
            field="provider",
        )
    app = App(
        provider=provider,
        name=(name or "").strip(),
        category=category,
        description=(description or "").strip(),
        format=(format or "").strip(),
        default_price=_money(default_price, "default_price"),
        currency=currency or MarketplaceSettings.load().default_currency,
        revenue_share=revenue_share,
        refund_days=refund_days,
        late_refund_percent=late_refund_percent,
        template_key=template_key,
    )
    if actor_is_admin:
        app.status = App.Status.APPROVED
        app.reviewed_by = actor
        app.reviewed_at = timezone.now()
    full_clean_or_raise(app)
    app.save()
    for package in packages:
        package_create(app=app, actor=actor, **package)
    audit_record(
        actor=actor,
        action="marketplace.app.create",
        target=app,
        data={"status": app.status, "template": template_key},
    )
    if app.status == App.Status.PENDING:
        notify.tell_admins_app_waits(app)
    return app


@transaction.atomic
def app_update(*, app: App, actor: User, **changes) -> App:
    if not can_manage_app(actor, app):
        raise MarketplacePermissionDenied(_("Only the app's provider can change it."))
    unknown = set(changes) - set(APP_FIELDS)
    if unknown:
        raise MarketplaceError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    app = App.objects.select_for_update(of=("self",)).get(pk=app.pk)
    if "default_price" in changes:
        changes["default_price"] = _money(changes["default_price"], "default_price")
    changed = [name for name, value in changes.items() if getattr(app, name) != value]
    for name in changed:
        setattr(app, name, changes[name])
    full_clean_or_raise(app)
    resubmitted = False
    if not user_is_organization_admin(actor) and (
        app.status == App.Status.REJECTED
        or (app.status == App.Status.APPROVED and set(changed) & set(REVIEWED_FIELDS))
    ):
        app.status = App.Status.PENDING
        resubmitted = True
    app.save()
    audit_record(
        actor=actor,
        action="marketplace.app.update",
        target=app,
        data={"fields": changed, "resubmitted": resubmitted},
    )
    if resubmitted:
        notify.tell_admins_app_waits(app)
    return app


def _review(app: App, actor: User, status: App.Status, note: str) -> App:
    if not user_is_organization_admin(actor):
        raise MarketplacePermissionDenied(_("Only an organisation admin reviews apps."))
    app = App.objects.select_for_update(of=("self",)).get(pk=app.pk)
    if app.status == App.Status.WITHDRAWN:
        raise MarketplaceConflict(_("The provider has withdrawn this app."))
    app.status = status
    app.review_note = (note or "").strip()[:500]
    app.reviewed_by = actor
    app.reviewed_at = timezone.now()
    app.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at", "modified"])
    audit_record(actor=actor, action=f"marketplace.app.{status}", target=app)
    return app


@transaction.atomic
def app_approve(*, app: App, actor: User, note: str = "") -> App:
    app = _review(app, actor, App.Status.APPROVED, note)
    notify.tell_provider(
        app,
        title=lazy_interpolate(gettext_lazy("“%(app)s” is approved"), app=app.name),
        body=app.review_note,
    )
    return app


@transaction.atomic
def app_reject(*, app: App, actor: User, note: str) -> App:
    if not (note or "").strip():
        raise MarketplaceError(
            _("Tell the provider why, so they can improve the app."), field="note"
        )
    if Event.objects.filter(app=app, status=Event.Status.PUBLISHED).exists():
        raise MarketplaceConflict(
            _("This app has published events; the provider cancels them first.")
        )
    app = _review(app, actor, App.Status.REJECTED, note)
    notify.tell_provider(
        app,
        title=lazy_interpolate(gettext_lazy("“%(app)s” was not approved"), app=app.name),
        body=app.review_note,
    )
    return app


@transaction.atomic
def app_withdraw(*, app: App, actor: User) -> App:
    if not can_manage_app(actor, app):
        raise MarketplacePermissionDenied(_("Only the app's provider can withdraw it."))
    if Event.objects.filter(
        app=app, status=Event.Status.PUBLISHED, ends_at__gt=timezone.now()
    ).exists():
        raise MarketplaceConflict(_("Cancel or finish this app's upcoming events first."))
    app.status = App.Status.WITHDRAWN
    app.save(update_fields=["status", "modified"])
    audit_record(actor=actor, action="marketplace.app.withdraw", target=app)
    return app


# --- Sponsorship packages -------------------------------------------------------------------------


@transaction.atomic
def package_create(
    *,
    actor: User,
    name: str,
    price: Decimal,
    slots: int,
    benefits: str = "",
    app: App | None = None,
    event: Event | None = None,
    currency: str | None = None,
) -> SponsorshipPackage:
    if (app is None) == (event is None):
        raise MarketplaceError(_("A package belongs to an app or to one event."))
    owner_app = app or event.app
    if not can_manage_app(actor, owner_app):
        raise MarketplacePermissionDenied(_("Only the app's provider can offer sponsorship."))
    if event is not None and event.status in (Event.Status.CANCELLED, Event.Status.COMPLETED):
        raise MarketplaceConflict(_("This event is over; it takes no more sponsors."))
    package = SponsorshipPackage(
        app=app,
        event=event,
        name=(name or "").strip(),
        price=_money(price, "price"),
        currency=currency or (event.currency if event else owner_app.currency),
        slots=slots,
        benefits=(benefits or "").strip(),
    )
    full_clean_or_raise(package)
    package.save()
    audit_record(actor=actor, action="marketplace.package.create", target=package)
    return package


@transaction.atomic
def package_set_active(
    *, package: SponsorshipPackage, actor: User, active: bool
) -> SponsorshipPackage:
    owner_app = package.app or package.event.app
    if not can_manage_app(actor, owner_app):
        raise MarketplacePermissionDenied(_("Only the app's provider can change its packages."))
    package.is_active = active
    package.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="marketplace.package.active" if active else "marketplace.package.retire",
        target=package,
    )
    return package


# --- Organisation settings and providers ----------------------------------------------------------


@transaction.atomic
def marketplace_settings_update(
    *, actor: User, default_revenue_share: Decimal, default_currency: str, offer_hours: int
) -> MarketplaceSettings:
    if not user_is_organization_admin(actor):
        raise MarketplacePermissionDenied(_("Only an organisation admin changes these settings."))
    row = MarketplaceSettings.load()
    row.default_revenue_share = default_revenue_share
    row.default_currency = default_currency
    row.offer_hours = offer_hours
    full_clean_or_raise(row)
    row.save()
    audit_record(
        actor=actor,
        action="marketplace.settings.update",
        target=row,
        data={
            "default_revenue_share": str(default_revenue_share),
            "default_currency": default_currency,
            "offer_hours": offer_hours,
        },
    )
    return row


@transaction.atomic
def provider_grant(*, user: User, actor: User) -> None:
    if not user_is_organization_admin(actor):
        raise MarketplacePermissionDenied(_("Only an organisation admin grants the provider role."))
    if not user.is_active:
        raise MarketplaceError(_("This account is deactivated."), field="email")
    role_grant(user=user, role=Role.PROVIDER, actor=actor)


@transaction.atomic
def provider_revoke(*, user: User, actor: User) -> None:
    if not user_is_organization_admin(actor):
        raise MarketplacePermissionDenied(
            _("Only an organisation admin revokes the provider role.")
        )
    if Event.objects.filter(
        app__provider=user, status=Event.Status.PUBLISHED, ends_at__gt=timezone.now()
    ).exists():
        raise MarketplaceConflict(
            _("%(user)s has upcoming published events; they are cancelled or finished first.")
            % {"user": user}
        )
    role_revoke(user=user, role=Role.PROVIDER, actor=actor)
