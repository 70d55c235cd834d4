"""The collaboration agreement (versioned) and the organisation's chapter settings."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from core.errors import Conflict
from core.models import User
from core.selectors import user_is_organization_admin
from core.services import audit_record

from .. import selectors
from ..errors import ChapterError, ChapterPermissionDenied
from ..models import DEFAULT_AGREEMENT_TEXT, ChapterSettings, CollaborationAgreement

MAX_CHAPTER_SIZE = 50


def agreement_ensure() -> CollaborationAgreement:
    """The current agreement; an organisation that never wrote one gets the default text as v1."""
    current = selectors.agreement_current()
    if current is not None:
        return current
    agreement, _ = CollaborationAgreement.objects.get_or_create(
        version=1, defaults={"text": DEFAULT_AGREEMENT_TEXT}
    )
    return agreement


@transaction.atomic
def agreement_publish(*, actor: User, text: str) -> CollaborationAgreement:
    """Publish a new version. Members who joined under an older one keep their acceptance of it;
    new members accept the new text."""
    if not user_is_organization_admin(actor):
        raise ChapterPermissionDenied(gettext("Only organisation admins can change the agreement."))
    text = (text or "").strip()
    if len(text) < 20:
        raise ChapterError(
            gettext("Write the agreement in at least a sentence (20 characters)."), field="text"
        )
    if len(text) > 10000:
        raise ChapterError(gettext("The agreement can be at most 10,000 characters."), field="text")
    current = agreement_ensure()
    if current.text.strip() == text:
        raise ChapterError(
            gettext("This is the current text already; change it to publish a new version."),
            field="text",
        )
    try:
        with transaction.atomic():
            agreement = CollaborationAgreement.objects.create(
                version=current.version + 1, text=text, created_by=actor
            )
    except IntegrityError as error:
        raise Conflict(
            gettext("Someone published a new version at the same time; reload and retry.")
        ) from error
    audit_record(
        actor=actor,
        action="chapters.agreement.publish",
        target=agreement,
        data={"version": agreement.version},
    )
    return agreement


SETTINGS_FIELDS = (
    "min_size",
    "max_size",
    "seats_per_sector",
    "objection_window_days",
    "dormant_after_months",
    "invitation_valid_days",
)


@transaction.atomic
def chapter_settings_update(*, actor: User, **values) -> ChapterSettings:
    if not user_is_organization_admin(actor):
        raise ChapterPermissionDenied(
            gettext("Only organisation admins can change chapter settings.")
        )
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise ChapterError(f"Unknown settings: {', '.join(sorted(unknown))}.")
    rules = ChapterSettings.objects.select_for_update().get(pk=ChapterSettings.load().pk)
    for name, value in values.items():
        setattr(rules, name, value)
    if rules.min_size < 2:
        raise ChapterError(
            gettext("A chapter needs at least 2 members to be a chapter."), field="min_size"
        )
    if rules.max_size < rules.min_size:
        raise ChapterError(gettext("The maximum cannot be below the minimum."), field="max_size")
    if rules.max_size > MAX_CHAPTER_SIZE:
        raise ChapterError(
            gettext("A chapter can have at most %(max)s members.") % {"max": MAX_CHAPTER_SIZE},
            field="max_size",
        )
    if rules.seats_per_sector not in (1, 2):
        raise ChapterError(gettext("Allow one or two seats per sector."), field="seats_per_sector")
    if not 0 <= rules.objection_window_days <= 30:
        raise ChapterError(
            gettext("The objection window is 0 to 30 days."), field="objection_window_days"
        )
    if not 1 <= rules.dormant_after_months <= 24:
        raise ChapterError(gettext("Choose 1 to 24 months."), field="dormant_after_months")
    if not 1 <= rules.invitation_valid_days <= 90:
        raise ChapterError(
            gettext("Invitation links last 1 to 90 days."), field="invitation_valid_days"
        )
    rules.save()
    audit_record(
        actor=actor,
        action="chapters.settings.update",
        target=rules,
        data={name: getattr(rules, name) for name in SETTINGS_FIELDS},
    )
    return rules
