"""Writes of entrepreneur profiles: made with the account, edited by their owner, deactivated and
reactivated by an organisation admin. Nothing is ever deleted: chapters' history points here."""

import uuid

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from PIL.Image import DecompressionBombError

from core.errors import PermissionDenied
from core.models import User
from core.services import audit_record

from ..errors import NetworkError
from ..models import Entrepreneur, Metro, Sector
from .geography import require_organization_admin

PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
PROFILE_FIELDS = ("company", "role", "metro", "sector", "bio", "website", "linkedin", "visibility")
TEXT_LIMITS = {"company": 150, "role": 120, "bio": 1000}


def entrepreneur_ensure(*, user: User) -> Entrepreneur:
    """The user's profile, made if missing. Called when an account is created (allauth's
    `user_signed_up`, the CSV import, the demo) and again whenever a member opens their own
    profile, so every member has one."""
    entrepreneur = Entrepreneur.objects.filter(user=user).first()
    if entrepreneur is not None:
        return entrepreneur
    with transaction.atomic():
        entrepreneur, created = Entrepreneur.objects.get_or_create(user=user)
        if created:
            audit_record(actor=None, action="network.entrepreneur.create", target=entrepreneur)
    return entrepreneur


def photo_validate(photo: UploadedFile) -> str:
    """Check an uploaded photo (a JPEG, PNG, WebP or GIF image of at most 2 MB) and return the
    file extension to store it under."""
    if photo.size is not None and photo.size > PHOTO_MAX_BYTES:
        raise NetworkError(_("The photo is larger than 2 MB; choose a smaller one."), field="photo")
    try:
        photo.seek(0)
        with Image.open(photo) as image:
            image_format = image.format
            image.verify()
    except (
        UnidentifiedImageError,
        DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
    ) as error:
        raise NetworkError(
            _("This file is not an image we can read; use a JPEG, PNG, WebP or GIF."), field="photo"
        ) from error
    finally:
        photo.seek(0)
    if image_format not in PHOTO_FORMATS:
        raise NetworkError(
            _("%(format)s images are not accepted; use a JPEG, PNG, WebP or GIF.")
            % {"format": image_format}
            if image_format
            else _("This image format is not accepted; use a JPEG, PNG, WebP or GIF."),
            field="photo",
        )
    return PHOTO_FORMATS[image_format]


def _clean_url(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if "://" not in value:
        value = f"https://{value}"
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError as error:
        raise NetworkError(
            _("Enter a valid %(label)s address.") % {"label": label}, field=field
        ) from error
    if len(value) > 200:
        raise NetworkError(_("The %(label)s address is too long.") % {"label": label}, field=field)
    return value


def _clean_profile_values(entrepreneur: Entrepreneur, values: dict) -> dict:
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise NetworkError(f"Unknown profile fields: {', '.join(sorted(unknown))}.")
    cleaned = {}
    for field, value in values.items():
        if field in TEXT_LIMITS:
            value = (value or "").strip() if field == "bio" else " ".join((value or "").split())
            if len(value) > TEXT_LIMITS[field]:
                raise NetworkError(
                    _("Keep it to %(limit)s characters or fewer.") % {"limit": TEXT_LIMITS[field]},
                    field=field,
                )
        elif field == "website":
            value = _clean_url(value, field, _("website"))
        elif field == "linkedin":
            value = _clean_url(value, field, "LinkedIn")
        elif field == "visibility":
            if value not in Entrepreneur.Visibility.values:
                raise NetworkError(_("Choose who can see your profile."), field=field)
        elif field == "metro":
            if value is not None and not isinstance(value, Metro):
                raise NetworkError(_("Choose a metro from the list."), field=field)
        elif field == "sector" and value is not None:
            if not isinstance(value, Sector):
                raise NetworkError(_("Choose a sector from the list."), field=field)
            if not value.is_active and value.pk != entrepreneur.sector_id:
                raise NetworkError(
                    _("“%(sector)s” is retired; choose a sector in use.") % {"sector": value.name},
                    field=field,
                )
        cleaned[field] = value
    return cleaned


@transaction.atomic
def entrepreneur_update(
    *,
    entrepreneur: Entrepreneur,
    actor: User,
    values: dict,
    photo: UploadedFile | None = None,
    remove_photo: bool = False,
) -> Entrepreneur:
    """Edit one's own profile: any of company, role, metro, sector, bio, website, linkedin and
    visibility in `values`; a new `photo`, or `remove_photo`."""
    if actor.pk != entrepreneur.user_id:
        raise PermissionDenied(_("Only its owner can edit a profile."))
    cleaned = _clean_profile_values(entrepreneur, values)
    changed = []
    for field, value in cleaned.items():
        if getattr(entrepreneur, field) != value:
            setattr(entrepreneur, field, value)
            changed.append(field)
    old_photo = entrepreneur.photo.name if entrepreneur.photo else ""
    if photo is not None:
        extension = photo_validate(photo)
        entrepreneur.photo.save(f"{uuid.uuid4().hex}.{extension}", photo, save=False)
        changed.append("photo")
    elif remove_photo and old_photo:
        entrepreneur.photo = ""
        changed.append("photo")
    if changed:
        entrepreneur.save()
        audit_record(
            actor=actor,
            action="network.entrepreneur.update",
            target=entrepreneur,
            data={"fields": sorted(changed)},
        )
    if "photo" in changed and old_photo:
        storage = entrepreneur.photo.storage
        transaction.on_commit(lambda: storage.delete(old_photo))
    return entrepreneur


@transaction.atomic
def entrepreneur_deactivate(*, entrepreneur: Entrepreneur, actor: User) -> Entrepreneur:
    """Close a member's account: they can no longer sign in and leave the directory. Nothing is
    deleted, so chapters' history keeps its names."""
    require_organization_admin(actor)
    if entrepreneur.user_id == actor.pk:
        raise NetworkError(_("You cannot deactivate your own account."))
    user = User.objects.select_for_update().get(pk=entrepreneur.user_id)
    if not entrepreneur.is_active and not user.is_active:
        return entrepreneur
    user.is_active = False
    user.save(update_fields=["is_active"])
    entrepreneur.user = user
    entrepreneur.is_active = False
    entrepreneur.deactivated_at = timezone.now()
    entrepreneur.save(update_fields=["is_active", "deactivated_at", "modified"])
    audit_record(actor=actor, action="network.entrepreneur.deactivate", target=entrepreneur)
    return entrepreneur


@transaction.atomic
def entrepreneur_reactivate(*, entrepreneur: Entrepreneur, actor: User) -> Entrepreneur:
    require_organization_admin(actor)
    user = User.objects.select_for_update().get(pk=entrepreneur.user_id)
    if entrepreneur.is_active and user.is_active:
        return entrepreneur
    user.is_active = True
    user.save(update_fields=["is_active"])
    entrepreneur.user = user
    entrepreneur.is_active = True
    entrepreneur.deactivated_at = None
    entrepreneur.save(update_fields=["is_active", "deactivated_at", "modified"])
    audit_record(actor=actor, action="network.entrepreneur.reactivate", target=entrepreneur)
    return entrepreneur
