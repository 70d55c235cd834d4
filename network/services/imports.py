"""Bulk import of entrepreneurs from a CSV file.

`import_job_create` checks the file itself (size, encoding, delimiter, header) while the admin
waits, stores it and sends the Celery task once the transaction commits. `import_job_run` (the
task's body) reads it in batches: each batch is validated row by row, written with bulk_create /
bulk_update in its own transaction, and the progress is saved after it, so a 10,000-row file
takes seconds and the page's progress bar moves. Idempotent on email: a known address updates
that member's profile instead of making a second account, so running a file again is safe.

Invitations are durable: a batch writes its invitation emails to the task outbox in its own
transaction, and they are published once it commits (or by the periodic outbox flush, should the
worker die first or the broker be down) — each invited person gets exactly one.
"""

import csv
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from core.hosts import absolute_url
from core.models import User
from core.services import audit_record
from core.tasks import outbox_send_after_commit

from ..errors import NetworkError
from ..models import Entrepreneur, ImportJob, Metro, Sector
from .geography import require_organization_admin

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
BATCH_SIZE = 500
REQUIRED_COLUMNS = ("name", "email", "company", "metro", "sector")
OPTIONAL_COLUMNS = ("role", "bio")
COLUMN_ALIASES = {"e-mail": "email", "mail": "email", "email address": "email"}
LIMITS = {"name": 150, "email": 254, "company": 150, "role": 120, "bio": 1000}


# --- Checking the file while the admin waits ---------------------------------------------------


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / 1024 / 1024:.1f} MB".replace(".0 MB", " MB")
    if count >= 1024:
        return f"{count // 1024} KB"
    return f"{count} bytes"


def _decode(raw: bytes) -> str:
    if b"\x00" in raw[:4096]:
        raise NetworkError(
            _(
                "This looks like a spreadsheet or other binary file, not CSV text. In "
                "your spreadsheet program choose “Save as… → CSV UTF-8” and upload that "
                "file."
            ),
            field="file",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NetworkError(
            _(
                "The file is not UTF-8 text (a byte at position %(start)s cannot be "
                "read). Save it as “CSV UTF-8” and upload it again."
            )
            % {"start": error.start},
            field="file",
        ) from error


def _sniff_delimiter(text: str) -> str:
    first_line = text.lstrip().split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
    except csv.Error as error:
        raise NetworkError(
            _(
                "We could not read this file as CSV: its first line should name the "
                "columns (%(columns)s), separated by commas, semicolons or tabs."
            )
            % {"columns": ", ".join(REQUIRED_COLUMNS)},
            field="file",
        ) from error


def _normalise_column(name: str) -> str:
    name = " ".join((name or "").strip().lower().split())
    return COLUMN_ALIASES.get(name, name)


def _reader(text: str, delimiter: str) -> Iterator[list[str]]:
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)


def _read_columns(text: str, delimiter: str) -> list[str]:
    try:
        header = next(_reader(text, delimiter), [])
    except csv.Error as error:
        raise NetworkError(
            _("The header line cannot be read as CSV: %(error)s.") % {"error": error}, field="file"
        ) from error
    columns = [_normalise_column(name) for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise NetworkError(
            _(
                "The file has no column named %(missing)s. The first line must name the "
                "columns %(columns)s (and optionally %(optional)s)."
            )
            % {
                "missing": ", ".join(missing),
                "columns": ", ".join(REQUIRED_COLUMNS),
                "optional": ", ".join(OPTIONAL_COLUMNS),
            },
            field="file",
        )
    duplicated = sorted({name for name in columns if name and columns.count(name) > 1})
    if duplicated:
        raise NetworkError(
            _("The column %(duplicated)s appears twice.") % {"duplicated": ", ".join(duplicated)},
            field="file",
        )
    return columns


def _count_rows(text: str, delimiter: str) -> int:
    reader = _reader(text, delimiter)
    count = 0
    try:
        next(reader, None)
        for values in reader:
            if any(value.strip() for value in values):
                count += 1
    except csv.Error as error:
        raise NetworkError(
            _("The file cannot be read as CSV near line %(line_num)s: %(error)s.")
            % {"line_num": reader.line_num, "error": error},
            field="file",
        ) from error
    return count


@transaction.atomic
def import_job_create(
    *, actor: User, upload: UploadedFile, send_invitations: bool = False
) -> ImportJob:
    """Check and store an uploaded CSV file, then start importing it in the background."""
    require_organization_admin(actor)
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise NetworkError(
            _("The file is %(size)s; the limit is %(limit)s. Split it into several files.")
            % {"size": _size(upload.size), "limit": _size(MAX_UPLOAD_BYTES)},
            field="file",
        )
    raw = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(raw) > MAX_UPLOAD_BYTES:
        raise NetworkError(
            _("The file is larger than %(size)s; split it.") % {"size": _size(MAX_UPLOAD_BYTES)},
            field="file",
        )
    if not raw.strip():
        raise NetworkError(_("The file is empty."), field="file")
    text = _decode(raw)
    delimiter = _sniff_delimiter(text)
    _read_columns(text, delimiter)
    total = _count_rows(text, delimiter)
    if total == 0:
        raise NetworkError(_("The file names its columns but has no rows to import."), field="file")
    if total > MAX_ROWS:
        raise NetworkError(
            _("The file has %(total)s rows; import at most %(max)s at a time.")
            % {"total": format(total, ","), "max": format(MAX_ROWS, ",")},
            field="file",
        )
    job = ImportJob.objects.create(
        created_by=actor,
        filename=(upload.name or "upload.csv")[:255],
        source=text,
        delimiter=delimiter,
        send_invitations=send_invitations,
        total_rows=total,
    )
    audit_record(
        actor=actor,
        action="network.import.create",
        target=job,
        data={"rows": total, "invitations": send_invitations},
    )
    tenant = connection.tenant
    transaction.on_commit(lambda: _start(job.pk, tenant))
    return job


def _start(job_id: int, tenant) -> None:
    from ..tasks import import_entrepreneurs

    with tenant_context(tenant):
        import_entrepreneurs.delay(job_id)


# --- Importing, in the worker ------------------------------------------------------------------


@dataclass
class ImportRow:
    number: int  # as a spreadsheet numbers it: the header is row 1
    values: dict[str, str]
    email: str = ""
    metro_id: int | None = None
    sector_id: int | None = None
    problems: list[str] = field(default_factory=list)

    def get(self, column: str) -> str:
        return self.values.get(column, "")


class RowValidator:
    """Checks rows one by one against the organisation's metros and sectors (read once) and the
    emails seen earlier in the file."""

    def __init__(self) -> None:
        self.metros: dict[str, list[int]] = {}
        for pk, name in Metro.objects.values_list("pk", "name"):
            self.metros.setdefault(name.lower(), []).append(pk)
        self.sectors = {
            name.lower(): (pk, is_active)
            for pk, name, is_active in Sector.objects.values_list("pk", "name", "is_active")
        }
        self.first_row_of_email: dict[str, int] = {}

    def check(self, row: ImportRow) -> ImportRow:
        for column, limit in LIMITS.items():
            if len(row.get(column)) > limit:
                row.problems.append(f"{column} is longer than {limit} characters")
        if not row.get("name"):
            row.problems.append("name is missing")
        self._check_email(row)
        self._check_metro(row)
        self._check_sector(row)
        return row

    def _check_email(self, row: ImportRow) -> None:
        email = row.get("email").lower()
        if not email:
            row.problems.append("email is missing")
            return
        try:
            validate_email(email)
        except ValidationError:
            row.problems.append(f"“{email}” is not a valid email address")
            return
        first = self.first_row_of_email.setdefault(email, row.number)
        if first != row.number:
            row.problems.append(f"same email as row {first} (only the first is imported)")
            return
        row.email = email

    def _check_metro(self, row: ImportRow) -> None:
        name = row.get("metro")
        if not name:
            return
        matches = self.metros.get(name.lower(), [])
        if not matches:
            row.problems.append(f"unknown metro “{name}”")
        elif len(matches) > 1:
            row.problems.append(f"several metros are called “{name}”; set it by hand")
        else:
            row.metro_id = matches[0]

    def _check_sector(self, row: ImportRow) -> None:
        name = row.get("sector")
        if not name:
            return
        found = self.sectors.get(name.lower())
        if found is None:
            row.problems.append(f"unknown sector “{name}”")
        elif not found[1]:
            row.problems.append(f"sector “{name}” is retired")
        else:
            row.sector_id = found[0]


def _rows(job: ImportJob) -> Iterator[ImportRow]:
    reader = _reader(job.source, job.delimiter)
    columns = [_normalise_column(name) for name in next(reader)]
    number = 1
    for values in reader:
        number += 1
        if not any(value.strip() for value in values):
            continue
        cells = {}
        for column, value in zip(columns, values, strict=False):
            if column in REQUIRED_COLUMNS or column in OPTIONAL_COLUMNS:
                cells[column] = value.strip() if column == "bio" else " ".join(value.split())
        yield ImportRow(number=number, values=cells)


def _batches(rows: Iterator[ImportRow], size: int) -> Iterator[list[ImportRow]]:
    batch: list[ImportRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class BatchResult:
    created: int = 0
    updated: int = 0
    invited: int = 0


def _write_batch(rows: list[ImportRow], *, send_invitations: bool) -> BatchResult:
    """Write valid rows: new accounts (unusable password, unverified address) with their
    profiles, and updated profiles for addresses already known."""
    result = BatchResult()
    emails = [row.email for row in rows]
    existing = {
        user.email_lower: user
        for user in User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
    }
    new_users = [
        User(email=row.email, name=row.get("name"), password=make_password(None))
        for row in rows
        if row.email not in existing
    ]
    User.objects.bulk_create(new_users)
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=user, email=user.email, primary=True, verified=False)
            for user in new_users
        ],
        ignore_conflicts=True,
    )
    users = existing | {user.email: user for user in new_users}
    profiles = {
        profile.user_id: profile
        for profile in Entrepreneur.objects.filter(user_id__in=[u.pk for u in existing.values()])
    }
    now = timezone.now()
    to_create, to_update = [], []
    for row in rows:
        user = users[row.email]
        profile = profiles.get(user.pk)
        if profile is None:
            profile = Entrepreneur(user=user)
            to_create.append(profile)
        else:
            profile.modified = now
            to_update.append(profile)
        for column in ("company", "role", "bio"):
            if row.get(column):
                setattr(profile, column, row.get(column))
        if row.metro_id:
            profile.metro_id = row.metro_id
        if row.sector_id:
            profile.sector_id = row.sector_id
        if row.email in existing:
            result.updated += 1
        else:
            result.created += 1
    Entrepreneur.objects.bulk_create(to_create)
    Entrepreneur.objects.bulk_update(
        to_update, ["company", "role", "bio", "metro", "sector", "modified"]
    )
    if send_invitations and new_users:
        messages = [_invitation(user) for user in new_users]
        outbox_send_after_commit(task_name="core.tasks.send_email", calls=messages)
        result.invited = len(messages)
    return result


def invitation_link(user: User) -> str:
    """A set-password link (allauth's password-reset key) on the organisation's own host."""
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
    return absolute_url(path.replace("UID-KEY", key))


def _invitation(user: User) -> dict:
    organization = connection.tenant.name
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    body = (
        f"Hello {user.name},\n\n"
        f"{organization} has added you to its network of entrepreneur chapters.\n\n"
        f"Choose your password to sign in:\n{invitation_link(user)}\n\n"
        f"The link works for {days} days. After that, use “Forgot your password?” on the "
        f"sign-in page ({absolute_url(reverse('account_login'))}).\n\n"
        "Once in, complete your profile — your metro and sector — so that facilitators can "
        "invite you into a chapter with no direct competitor.\n"
    )
    return {
        "subject": f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}You are invited to {organization}",
        "body": body,
        "to": [user.email],
    }


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Import a stored file. Safe to run again (a redelivered task): rows are matched on email."""
    started = ImportJob.objects.filter(
        pk=job_id, status__in=[ImportJob.Status.PENDING, ImportJob.Status.RUNNING]
    ).update(
        status=ImportJob.Status.RUNNING,
        started_at=timezone.now(),
        processed_rows=0,
        created_count=0,
        updated_count=0,
        invited_count=0,
        error_count=0,
        errors=[],
        failure="",
    )
    if not started:
        return None
    job = ImportJob.objects.get(pk=job_id)
    validator = RowValidator()
    try:
        for batch in _batches(_rows(job), BATCH_SIZE):
            for row in batch:
                validator.check(row)
            valid = [row for row in batch if not row.problems]
            result = _write_batch_with_retry(valid, send_invitations=job.send_invitations)
            job.errors.extend(
                {
                    "row": row.number,
                    "email": row.get("email"),
                    "name": row.get("name"),
                    "message": "; ".join(row.problems),
                }
                for row in batch
                if row.problems
            )
            job.processed_rows += len(batch)
            job.created_count += result.created
            job.updated_count += result.updated
            job.invited_count += result.invited
            job.error_count = len(job.errors)
            job.save(
                update_fields=[
                    "processed_rows",
                    "created_count",
                    "updated_count",
                    "invited_count",
                    "error_count",
                    "errors",
                ]
            )
    except Exception as error:
        logger.exception("import %s failed", job_id)
        job.status = ImportJob.Status.FAILED
        job.failure = (
            f"The import stopped after {job.processed_rows} rows ({type(error).__name__}). "
            "The rows before were imported; running the same file again is safe."
        )
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "failure", "finished_at"])
        return job
    job.status = ImportJob.Status.DONE
    job.total_rows = job.processed_rows
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "total_rows", "finished_at"])
    audit_record(
        actor=job.created_by,
        action="network.import.finish",
        target=job,
        data={
            "created": job.created_count,
            "updated": job.updated_count,
            "errors": job.error_count,
            "invited": job.invited_count,
        },
    )
    return job


def _write_batch_with_retry(rows: list[ImportRow], *, send_invitations: bool) -> BatchResult:
    """One transaction per batch. If someone signs up with one of its addresses between our
    read and our write, the batch is rolled back and written again, now as an update."""
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                return _write_batch(rows, send_invitations=send_invitations)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
