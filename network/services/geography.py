"""Writes of the geography (country → region → metro) and of the sector list. Organisation admins
only; every change is audited."""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from core.errors import Conflict, PermissionDenied
from core.models import User
from core.selectors import user_is_organization_admin
from core.services import audit_record

from ..errors import NetworkError
from ..models import Country, Metro, Region, Sector

COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")


def require_organization_admin(actor: User) -> None:
    if not user_is_organization_admin(actor):
        raise PermissionDenied(_("Only an organisation admin may do this."))


def _text(value: str | None) -> str:
    return " ".join((value or "").split())


def _validate_and_save(
    instance: models.Model, *, duplicates: models.QuerySet, duplicate_message: str
) -> None:
    """Field validation with the first problem as a NetworkError on its field, a friendly check
    for a duplicate name, and the database constraint as the last word (concurrent requests)."""
    try:
        instance.full_clean(validate_constraints=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise NetworkError(messages[0], field=None if field == "__all__" else field) from error
    if instance.pk is not None:
        duplicates = duplicates.exclude(pk=instance.pk)
    if duplicates.exists():
        raise Conflict(duplicate_message, field="name")
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise Conflict(duplicate_message, field="name") from error


def _changes(instance: models.Model, values: dict) -> dict:
    changed = {}
    for field, value in values.items():
        old = getattr(instance, field)
        if old != value:
            changed[field] = [str(old), str(value)]
            setattr(instance, field, value)
    return changed


# --- Countries ---------------------------------------------------------------------------------


def _country_values(name: str, code: str) -> dict:
    name, code = _text(name), _text(code).upper()
    if not name:
        raise NetworkError(_("Give the country a name."), field="name")
    if not COUNTRY_CODE.match(code):
        raise NetworkError(_("Use the two-letter ISO code, e.g. FR or US."), field="code")
    return {"name": name, "code": code}


def _country_save(country: Country) -> None:
    if Country.objects.filter(code=country.code).exclude(pk=country.pk).exists():
        raise Conflict(
            _("Another country already has the code %(code)s.") % {"code": country.code},
            field="code",
        )
    _validate_and_save(
        country,
        duplicates=Country.objects.filter(name__iexact=country.name),
        duplicate_message=f"There is already a country called “{country.name}”.",
    )


@transaction.atomic
def country_create(*, actor: User, name: str, code: str) -> Country:
    require_organization_admin(actor)
    country = Country(**_country_values(name, code))
    _country_save(country)
    audit_record(
        actor=actor,
        action="network.country.create",
        target=country,
        data={"name": country.name, "code": country.code},
    )
    return country


@transaction.atomic
def country_update(*, country: Country, actor: User, name: str, code: str) -> Country:
    require_organization_admin(actor)
    changed = _changes(country, _country_values(name, code))
    if changed:
        _country_save(country)
        audit_record(actor=actor, action="network.country.update", target=country, data=changed)
    return country


# --- Regions -----------------------------------------------------------------------------------


def _region_save(region: Region) -> None:
    _validate_and_save(
        region,
        duplicates=Region.objects.filter(country=region.country, name__iexact=region.name),
        duplicate_message=f"{region.country} already has a region called “{region.name}”.",
    )


@transaction.atomic
def region_create(*, actor: User, country: Country, name: str) -> Region:
    require_organization_admin(actor)
    name = _text(name)
    if not name:
        raise NetworkError(_("Give the region a name."), field="name")
    region = Region(country=country, name=name)
    _region_save(region)
    audit_record(
        actor=actor,
        action="network.region.create",
        target=region,
        data={"name": name, "country": country.code},
    )
    return region


@transaction.atomic
def region_update(*, region: Region, actor: User, country: Country, name: str) -> Region:
    require_organization_admin(actor)
    name = _text(name)
    if not name:
        raise NetworkError(_("Give the region a name."), field="name")
    changed = _changes(region, {"country": country, "name": name})
    if changed:
        _region_save(region)
        audit_record(actor=actor, action="network.region.update", target=region, data=changed)
    return region


# --- Metros ------------------------------------------------------------------------------------


def _metro_values(region: Region, name: str, time_zone: str) -> dict:
    name, time_zone = _text(name), (time_zone or "").strip()
    if not name:
        raise NetworkError(_("Give the metro a name."), field="name")
    if not time_zone:
        raise NetworkError(_("Choose the metro's time zone, e.g. Europe/Paris."), field="time_zone")
    return {"region": region, "name": name, "time_zone": time_zone}


def _metro_save(metro: Metro) -> None:
    _validate_and_save(
        metro,
        duplicates=Metro.objects.filter(region=metro.region, name__iexact=metro.name),
        duplicate_message=f"{metro.region} already has a metro called “{metro.name}”.",
    )


@transaction.atomic
def metro_create(*, actor: User, region: Region, name: str, time_zone: str) -> Metro:
    """A metro with an IANA time zone (checked against the zone database)."""
    require_organization_admin(actor)
    metro = Metro(**_metro_values(region, name, time_zone))
    _metro_save(metro)
    audit_record(
        actor=actor,
        action="network.metro.create",
        target=metro,
        data={"name": metro.name, "time_zone": metro.time_zone},
    )
    return metro


@transaction.atomic
def metro_update(*, metro: Metro, actor: User, region: Region, name: str, time_zone: str) -> Metro:
    require_organization_admin(actor)
    changed = _changes(metro, _metro_values(region, name, time_zone))
    if changed:
        _metro_save(metro)
        audit_record(actor=actor, action="network.metro.update", target=metro, data=changed)
    return metro


# --- Sectors -----------------------------------------------------------------------------------


def _sector_values(name: str, description: str) -> dict:
    name = _text(name)
    if not name:
        raise NetworkError(_("Give the sector a name."), field="name")
    return {"name": name, "description": _text(description)}


def _sector_save(sector: Sector) -> None:
    _validate_and_save(
        sector,
        duplicates=Sector.objects.filter(name__iexact=sector.name),
        duplicate_message=f"There is already a sector called “{sector.name}”.",
    )


@transaction.atomic
def sector_create(
    *, actor: User, name: str, description: str = "", is_active: bool = True
) -> Sector:
    require_organization_admin(actor)
    sector = Sector(**_sector_values(name, description), is_active=is_active)
    _sector_save(sector)
    audit_record(
        actor=actor,
        action="network.sector.create",
        target=sector,
        data={"name": sector.name, "is_active": is_active},
    )
    return sector


@transaction.atomic
def sector_update(
    *,
    sector: Sector,
    actor: User,
    name: str,
    description: str = "",
    is_active: bool | None = None,
) -> Sector:
    """Rename or re-describe a sector (its members keep it); with `is_active`, also retire it
    or bring it back."""
    require_organization_admin(actor)
    changed = _changes(sector, _sector_values(name, description))
    if changed:
        _sector_save(sector)
        audit_record(actor=actor, action="network.sector.update", target=sector, data=changed)
    if is_active is False:
        sector_retire(sector=sector, actor=actor)
    elif is_active is True:
        sector_reactivate(sector=sector, actor=actor)
    return sector


@transaction.atomic
def sector_retire(*, sector: Sector, actor: User) -> Sector:
    """Take a sector out of the choices; members who have it keep it."""
    require_organization_admin(actor)
    if sector.is_active:
        sector.is_active = False
        sector.save(update_fields=["is_active"])
        audit_record(actor=actor, action="network.sector.retire", target=sector)
    return sector


@transaction.atomic
def sector_reactivate(*, sector: Sector, actor: User) -> Sector:
    require_organization_admin(actor)
    if not sector.is_active:
        sector.is_active = True
        sector.save(update_fields=["is_active"])
        audit_record(actor=actor, action="network.sector.reactivate", target=sector)
    return sector


@transaction.atomic
def sector_delete(*, sector: Sector, actor: User) -> None:
    """Delete a sector nobody has; a sector in use is retired instead."""
    require_organization_admin(actor)
    locked = Sector.objects.select_for_update().get(pk=sector.pk)
    if locked.entrepreneurs.exists():
        raise Conflict(
            _("“%(locked)s” is in use by members, so it cannot be deleted; retire it instead.")
            % {"locked": locked.name},
            code="in_use",
        )
    name = locked.name
    try:
        with transaction.atomic():
            locked.delete()
    except (IntegrityError, models.ProtectedError, models.RestrictedError) as error:
        # referenced by another app's rows (e.g. chapter seats)
        raise Conflict(
            _("“%(name)s” is in use, so it cannot be deleted; retire it instead.") % {"name": name},
            code="in_use",
        ) from error
    audit_record(actor=actor, action="network.sector.delete", data={"name": name})
