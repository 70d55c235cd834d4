"""Bulk writing for the scale seed: PostgreSQL COPY into one organisation's tables.

The seed bypasses services for speed, so it allocates primary keys itself (and moves each
table's identity sequence past them afterwards) and fills every column a service would — a
column the generator does not give gets the model field's default, evaluated once."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import connection, models
from django.utils import timezone

FLUSH_ROWS = 50_000
_NULL = "\\N"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return _NULL
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int | Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            raise ValueError(f"naive datetime {value!r}")
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict | list | tuple):
        return json.dumps(value).translate(_ESCAPES)
    raise TypeError(f"cannot COPY a {type(value).__name__}")


class Table:
    """Rows for one model, COPYed in batches. `fields` are model field names (`user` or
    `user_id` for a foreign key); every other concrete field gets its default, and an
    auto-numbered primary key left out is numbered by the database."""

    def __init__(self, model: type[models.Model], fields: Sequence[str]) -> None:
        self.model = model
        self.table = model._meta.db_table
        given = [model._meta.get_field(name.removesuffix("_id")) for name in fields]
        given_names = {field.name for field in given}
        columns = [field.column for field in given]
        constants: list[str] = []
        now = timezone.now()
        for field in model._meta.concrete_fields:
            if field.name in given_names:
                continue
            if field.primary_key and isinstance(field, models.AutoField | models.BigAutoField):
                continue  # not referenced by other rows: the database numbers them
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            else:
                value = field.get_default()
                if value is None and not field.null:
                    raise ValueError(f"{model.__name__}.{field.name} has no default; give it")
            columns.append(field.column)
            constants.append(_text(value))
        self.suffix = ("\t" + "\t".join(constants)) if constants else ""
        self.columns = columns
        self.buffer = io.StringIO()
        self.pending = 0
        self.written = 0

    def add(self, *values) -> None:
        self.buffer.write("\t".join(map(_text, values)))
        self.buffer.write(self.suffix)
        self.buffer.write("\n")
        self.pending += 1
        if self.pending >= FLUSH_ROWS:
            self.flush()

    def extend(self, rows: Iterable[Sequence]) -> None:
        for row in rows:
            self.add(*row)

    def flush(self) -> None:
        if not self.pending:
            return
        self.buffer.seek(0)
        columns = ", ".join(f'"{column}"' for column in self.columns)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(f'COPY "{self.table}" ({columns}) FROM STDIN', self.buffer)
        self.written += self.pending
        self.pending = 0
        self.buffer = io.StringIO()


class Ids:
    """Primary keys handed out by the seed, per model, after the largest one in the table."""

    def __init__(self) -> None:
        self.next: dict[type[models.Model], int] = {}

    def take(self, model: type[models.Model], count: int = 1) -> int:
        """The first of `count` consecutive new ids."""
        if model not in self.next:
            with connection.cursor() as cursor:
                table = model._meta.db_table  # a model's own table name, not input
                cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')  # noqa: S608
                self.next[model] = cursor.fetchone()[0] + 1
        first = self.next[model]
        self.next[model] = first + count
        return first

    def sync_sequences(self) -> None:
        """Move each table's identity sequence past the ids the seed used."""
        with connection.cursor() as cursor:
            for model, following in self.next.items():
                table = model._meta.db_table
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)",
                    [table, max(following, 1)],
                )
