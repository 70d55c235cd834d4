"""Copying the template schema into a new organisation's schema, read from pg_catalog.

django-tenants clones TENANT_BASE_SCHEMA with a plpgsql function that asks
`information_schema` about every table and column; those views scan the catalogue of every
schema in the database, so with 200 organisations one clone took 13 to 16 s. Here a dozen
queries read the template's definitions from pg_catalog (by object id, through the catalogue's
indexes), the DDL is written in Python and run as one script, in about the order pg_dump
restores a schema: functions; sequences other than identities; tables with their columns
(defaults, identities, generated columns), primary keys, unique, exclusion and check
constraints; sequence ownership; the rows; sequence positions; foreign keys (one ALTER TABLE
per table) and constraints not validated in the template; the other indexes; views; triggers;
comments on tables, columns, views, sequences and indexes; privileges granted to other roles.

Definitions are read with `search_path` set to the template only, so that PostgreSQL's
`pg_get_*def` functions leave the names of the template's own objects unqualified (and qualify
everything else, e.g. `public.…`); the script runs with `search_path` set to the new schema,
where those names resolve to the new objects. The few places where PostgreSQL always qualifies
a name (an index's table, a trigger's table, a function's own name) are rewritten exactly, and
a definition still naming the template afterwards is refused.

Not copied: column statistics targets, storage and compression settings, replica identity,
comments on other objects; the new objects belong to the role that runs the clone. A template
holding objects this module does not copy at all (types, partitioned or inherited tables,
materialised views, row-level security, rules, objects of extensions, …) raises
`SchemaCloneUnsupported` before anything is written, and
`tenants.models.Organization.create_schema` falls back to django-tenants' clone.

PostgreSQL writes some expressions back differently from how it first read them (an `IN` list
on a varchar column in a partial index or a check constraint); such a definition in the clone
is what PostgreSQL makes of the template's, as after a pg_dump and restore. Same meaning."""

from __future__ import annotations

import functools
import graphlib
import logging
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django_tenants.utils import (
    get_creation_fakes_migrations,
    get_tenant_base_schema,
    schema_exists,
)

logger = logging.getLogger(__name__)


class SchemaCloneUnsupported(Exception):
    """The source schema holds objects this clone does not copy."""


def quote_ident(name: str) -> str:
    """A PostgreSQL identifier, always quoted (safe for any name)."""
    if "\x00" in name:
        raise ValueError("identifier with a NUL character")
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    """A standard SQL string literal (standard_conforming_strings is on)."""
    return "'" + text.replace("'", "''") + "'"


@dataclass
class ClonePlan:
    """The statements that make `target` a copy of `source`: definitions before the rows
    (never naming the source), the rows, and definitions after the rows."""

    source: str
    target: str
    before_data: list[str]
    data: list[str]
    after_data: list[str]

    @property
    def definitions(self) -> list[str]:
        return [*self.before_data, *self.after_data]

    def script(self) -> str:
        return ";\n".join([*self.before_data, *self.data, *self.after_data]) + ";"


def schema_clone_plan(*, source: str, target: str) -> ClonePlan:
    """Read `source` from pg_catalog and return the statements that make `target` a copy of
    it. Runs in a transaction (it sets `search_path` for it, and restores it)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('search_path')")
        (saved_search_path,) = cursor.fetchone()
        cursor.execute("SELECT set_config('search_path', %s, true)", [quote_ident(source)])
        try:
            return _Planner(cursor, source, target).plan()
        finally:
            cursor.execute("SELECT set_config('search_path', %s, true)", [saved_search_path])


def schema_clone(*, source: str, target: str) -> ClonePlan:
    """Create schema `target` as a copy of `source` (structure and rows), all or nothing.

    Raises SchemaCloneUnsupported, having written nothing, when `source` holds objects this
    clone does not copy."""
    with transaction.atomic():
        plan = schema_clone_plan(source=source, target=target)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('search_path'), current_setting('check_function_bodies')"
            )
            saved_search_path, saved_check = cursor.fetchone()
            # The template's names in the definitions resolve in the new schema; function
            # bodies are checked when called (as in pg_dump's restore).
            cursor.execute(
                "SELECT set_config('search_path', %s, true), "
                "set_config('check_function_bodies', 'off', true)",
                [quote_ident(target)],
            )
            cursor.execute(plan.script())
            cursor.execute(
                "SELECT set_config('search_path', %s, true), "
                "set_config('check_function_bodies', %s, true)",
                [saved_search_path, saved_check],
            )
    return plan


# --- Reading the source ----------------------------------------------------------------------

_RELATIONS = """
SELECT c.oid, c.relname, quote_ident(c.relname), c.relkind, c.relpersistence, c.reloptions,
       c.relrowsecurity OR c.relforcerowsecurity
  FROM pg_class c
 WHERE c.relnamespace = %(ns)s
 ORDER BY c.oid
"""

# Objects this clone does not copy, outside pg_class (whose kinds are checked in Python).
_UNSUPPORTED = """
SELECT format('inheritance or partition of %%s', inhrelid::regclass) FROM pg_inherits
 WHERE inhrelid = ANY(%(relations)s::oid[]) OR inhparent = ANY(%(relations)s::oid[])
UNION ALL
SELECT format('rule %%s', rulename) FROM pg_rewrite
 WHERE ev_class = ANY(%(relations)s::oid[]) AND rulename <> '_RETURN'
UNION ALL
SELECT format('column default on view %%s', adrelid::regclass) FROM pg_attrdef
 WHERE adrelid = ANY(%(views)s::oid[])
UNION ALL
SELECT format('column privileges on %%s', attrelid::regclass) FROM pg_attribute
 WHERE attrelid = ANY(%(relations)s::oid[]) AND attacl IS NOT NULL
UNION ALL
SELECT format('policy %%s', polname) FROM pg_policy WHERE polrelid = ANY(%(relations)s::oid[])
UNION ALL
SELECT format('type %%s', t.typname) FROM pg_type t
 WHERE t.typnamespace = %(ns)s AND t.typrelid = 0
   AND NOT (t.typcategory = 'A'
            AND EXISTS (SELECT FROM pg_type e WHERE e.oid = t.typelem AND e.typrelid <> 0))
UNION ALL
SELECT format('function %%s (kind %%s)', proname, prokind) FROM pg_proc
 WHERE pronamespace = %(ns)s AND prokind NOT IN ('f', 'p')
UNION ALL
SELECT format('collation %%s', collname) FROM pg_collation WHERE collnamespace = %(ns)s
UNION ALL
SELECT format('operator %%s', oprname) FROM pg_operator WHERE oprnamespace = %(ns)s
UNION ALL
SELECT format('operator family %%s', opfname) FROM pg_opfamily WHERE opfnamespace = %(ns)s
UNION ALL
SELECT format('statistics %%s', stxname) FROM pg_statistic_ext WHERE stxnamespace = %(ns)s
UNION ALL
SELECT format('text search configuration %%s', cfgname) FROM pg_ts_config
 WHERE cfgnamespace = %(ns)s
UNION ALL
SELECT format('text search dictionary %%s', dictname) FROM pg_ts_dict
 WHERE dictnamespace = %(ns)s
UNION ALL
SELECT format('conversion %%s', conname) FROM pg_conversion WHERE connamespace = %(ns)s
UNION ALL
SELECT format('member of extension %%s: %%s', e.extname, pg_describe_object(classid, objid, 0))
  FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
 WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
   AND (d.classid, d.objid) IN (
        SELECT 'pg_class'::regclass, unnest(%(relations)s::oid[])
        UNION ALL SELECT 'pg_proc'::regclass, oid FROM pg_proc WHERE pronamespace = %(ns)s)
"""

_COLUMNS = """
SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       a.attidentity, a.attgenerated, pg_get_expr(d.adbin, d.adrelid),
       CASE WHEN a.attcollation <> t.typcollation
            THEN quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END
  FROM pg_attribute a
  JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  LEFT JOIN pg_collation co ON co.oid = a.attcollation
  LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
 WHERE a.attrelid = ANY(%(tables)s::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attrelid, a.attnum
"""

_SEQUENCES = """
SELECT s.seqrelid, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmax,
       s.seqmin, s.seqcache, s.seqcycle, dep.refobjid, a.attname, dep.deptype
  FROM pg_sequence s
  LEFT JOIN pg_depend dep ON dep.classid = 'pg_class'::regclass AND dep.objid = s.seqrelid
       AND dep.refclassid = 'pg_class'::regclass AND dep.deptype IN ('a', 'i')
  LEFT JOIN pg_attribute a ON a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid
 WHERE s.seqrelid = ANY(%(sequences)s::oid[])
"""

_CONSTRAINTS = """
SELECT con.conrelid, con.conname, con.contype, con.convalidated, pg_get_constraintdef(con.oid)
  FROM pg_constraint con
 WHERE con.conrelid = ANY(%(tables)s::oid[]) AND con.contype IN ('p', 'u', 'x', 'c', 'f')
 ORDER BY con.conrelid, con.oid
"""

_INDEXES = """
SELECT i.indrelid, ic.relname, quote_ident(ic.relname), i.indisunique,
       pg_get_indexdef(i.indexrelid), i.indisclustered,
       EXISTS (SELECT FROM pg_constraint con WHERE con.conindid = i.indexrelid
                  AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')),
       obj_description(i.indexrelid, 'pg_class')
  FROM pg_index i
  JOIN pg_class ic ON ic.oid = i.indexrelid
 WHERE i.indrelid = ANY(%(tables)s::oid[])
 ORDER BY i.indexrelid
"""

_VIEWS = """
SELECT c.oid, pg_get_viewdef(c.oid), ARRAY(
           SELECT DISTINCT d.refobjid FROM pg_rewrite r
             JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
            WHERE r.ev_class = c.oid AND d.refclassid = 'pg_class'::regclass
              AND d.refobjid <> c.oid)
  FROM pg_class c
 WHERE c.oid = ANY(%(views)s::oid[])
"""

_FUNCTIONS = """
SELECT p.oid, p.proname, quote_ident(p.proname), p.prokind, pg_get_functiondef(p.oid),
       pg_get_function_identity_arguments(p.oid)
  FROM pg_proc p
 WHERE p.pronamespace = %(ns)s
 ORDER BY p.oid
"""

_TRIGGERS = """
SELECT t.tgrelid, t.tgname, pg_get_triggerdef(t.oid), t.tgenabled
  FROM pg_trigger t
 WHERE t.tgrelid = ANY(%(relations)s::oid[]) AND NOT t.tgisinternal
 ORDER BY t.oid
"""

_COMMENTS = """
SELECT d.objoid, d.objsubid, a.attname, d.description
  FROM pg_description d
  LEFT JOIN pg_attribute a ON a.attrelid = d.objoid AND a.attnum = d.objsubid
 WHERE d.classoid = 'pg_class'::regclass AND d.objoid = ANY(%(relations)s::oid[])
"""

_GRANTS = """
SELECT 'schema', NULL::oid, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END,
       a.privilege_type, a.is_grantable
  FROM pg_namespace n CROSS JOIN LATERAL aclexplode(n.nspacl) a
  LEFT JOIN pg_roles r ON r.oid = a.grantee
 WHERE n.oid = %(ns)s AND a.grantee <> n.nspowner
UNION ALL
SELECT 'relation', c.oid, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END,
       a.privilege_type, a.is_grantable
  FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a
  LEFT JOIN pg_roles r ON r.oid = a.grantee
 WHERE c.oid = ANY(%(relations)s::oid[]) AND a.grantee <> c.relowner
UNION ALL
SELECT 'function', p.oid, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END,
       a.privilege_type, a.is_grantable
  FROM pg_proc p CROSS JOIN LATERAL aclexplode(p.proacl) a
  LEFT JOIN pg_roles r ON r.oid = a.grantee
 WHERE p.pronamespace = %(ns)s AND a.grantee <> p.proowner
"""


@dataclass
class _Relation:
    oid: int
    name: str
    pg_quoted: str  # as PostgreSQL writes it in definitions (quoted only when it must be)
    kind: str
    persistence: str
    options: list[str] | None
    row_security: bool
    columns: list[str] = field(default_factory=list)  # definitions, constraints inlined
    copied_columns: list[str] = field(default_factory=list)
    later_constraints: list[str] = field(default_factory=list)  # foreign keys, NOT VALID


_COPIED_KINDS = {"r": "table", "S": "sequence", "v": "view", "i": "index"}


class _Planner:
    """Reads the source schema (with `search_path` set to it) and writes the plan."""

    def __init__(self, cursor, source: str, target: str) -> None:
        self.cursor = cursor
        self.source, self.target = source, target
        self.src, self.dst = quote_ident(source), quote_ident(target)
        self.before: list[str] = []
        self.data: list[str] = []
        self.after: list[str] = []

    def fetch(self, sql: str, **params) -> list[tuple]:
        self.cursor.execute(sql, params)
        return self.cursor.fetchall()

    def name(self, oid: int) -> str:
        """A relation of the source, named in the target."""
        return f"{self.dst}.{quote_ident(self.relations[oid].name)}"

    def plan(self) -> ClonePlan:
        self.cursor.execute(
            "SELECT oid, quote_ident(nspname) FROM pg_namespace WHERE nspname = %s",
            [self.source],
        )
        found = self.cursor.fetchone()
        if found is None:
            raise SchemaCloneUnsupported(f"there is no schema {self.source}")
        # pg_source: the source as PostgreSQL writes it where it always qualifies names.
        self.ns, self.pg_source = found
        self.relations = {row[0]: _Relation(*row) for row in self.fetch(_RELATIONS, ns=self.ns)}
        self.tables = self.of_kind("r")
        self.views = self.of_kind("v")
        self.copied = [oid for oid, rel in self.relations.items() if rel.kind != "i"]
        self.refuse_unsupported()

        self.before.append(f"CREATE SCHEMA {self.dst}")
        self.functions()
        identity_sequences = self.sequences()
        self.tables_and_rows(identity_sequences)
        self.sequence_positions()
        self.later_constraints()
        self.indexes()
        self.create_views()
        self.triggers()
        self.comments()
        self.grants()

        plan = ClonePlan(self.source, self.target, self.before, self.data, self.after)
        # Anything still naming the source (a function body, a function's own search_path, a
        # comment…) would tie the new schema to the template: refuse rather than copy it.
        mention = re.compile(rf"(?<![\w$]){re.escape(self.source)}(?![\w$])")
        for statement in plan.definitions:
            if mention.search(statement.replace(self.dst, "")):
                raise SchemaCloneUnsupported(f"a definition names {self.source}: {statement}")
        return plan

    def of_kind(self, kind: str) -> list[int]:
        return [oid for oid, rel in self.relations.items() if rel.kind == kind]

    def refuse_unsupported(self) -> None:
        reasons = [
            f"{rel.name} (relation kind {rel.kind})"
            for rel in self.relations.values()
            if rel.kind not in _COPIED_KINDS
        ]
        reasons += [
            f"row-level security on {r.name}" for r in self.relations.values() if r.row_security
        ]
        reasons += [
            row[0]
            for row in self.fetch(_UNSUPPORTED, ns=self.ns, relations=self.copied, views=self.views)
        ]
        if reasons:
            raise SchemaCloneUnsupported("; ".join(reasons))

    def functions(self) -> None:
        """First: defaults, checks and indexes may call them (their bodies are not checked)."""
        self.function_signatures = {}
        for oid, name, pg_quoted, kind, definition, arguments in self.fetch(_FUNCTIONS, ns=self.ns):
            word = "FUNCTION" if kind == "f" else "PROCEDURE"
            qualified = f"{self.dst}.{quote_ident(name)}"
            self.before.append(
                _replace_once(
                    definition,
                    f"CREATE OR REPLACE {word} {self.pg_source}.{pg_quoted}(",
                    f"CREATE {word} {qualified}(",
                )
                .rstrip()
                .rstrip(";")
            )
            self.function_signatures[oid] = f"{word} {qualified}({arguments})"

    def sequences(self) -> dict[tuple[int, str], tuple]:
        """Sequences other than identities', before the tables whose defaults use them; the
        identity sequences, by (table, column), for their columns to make."""
        identity = {}
        owned_by = []
        for row in self.fetch(_SEQUENCES, sequences=self.of_kind("S")):
            oid, data_type, owner_table, owner_column, deptype = (*row[:2], *row[8:])
            if deptype == "i":
                identity[(owner_table, owner_column)] = row
                continue
            unlogged = "UNLOGGED " if self.relations[oid].persistence == "u" else ""
            self.before.append(
                f"CREATE {unlogged}SEQUENCE {self.name(oid)} AS {data_type} "
                f"{_sequence_options(row)}"
            )
            if deptype == "a":
                owned_by.append(
                    f"ALTER SEQUENCE {self.name(oid)} OWNED BY "
                    f"{self.name(owner_table)}.{quote_ident(owner_column)}"
                )
        self.owned_by = owned_by
        return identity

    def tables_and_rows(self, identity_sequences: dict) -> None:
        for table, name, type_, notnull, identity, generated, default, collation in self.fetch(
            _COLUMNS, tables=self.tables
        ):
            column = f"{quote_ident(name)} {type_}"
            if collation:
                column += f" COLLATE {collation}"
            if generated == "s":
                column += f" GENERATED ALWAYS AS ({default}) STORED"
            elif default is not None:
                column += f" DEFAULT {default}"
            if identity:
                sequence = identity_sequences[(table, name)]
                column += (
                    f" GENERATED {'ALWAYS' if identity == 'a' else 'BY DEFAULT'} AS IDENTITY "
                    f"(SEQUENCE NAME {self.name(sequence[0])} {_sequence_options(sequence)})"
                )
            if notnull:
                column += " NOT NULL"
            self.relations[table].columns.append(column)
            if generated != "s":
                self.relations[table].copied_columns.append(quote_ident(name))

        # Primary keys, unique, exclusion and check constraints are written into the table
        # (cheaper than adding them afterwards); foreign keys, and constraints not validated
        # in the source, come after the rows.
        for table, name, kind, validated, definition in self.fetch(
            _CONSTRAINTS, tables=self.tables
        ):
            constraint = f"CONSTRAINT {quote_ident(name)} {definition}"
            if kind == "f" or not validated:
                self.relations[table].later_constraints.append(constraint)
            else:
                self.relations[table].columns.append(constraint)

        for oid in self.tables:
            rel = self.relations[oid]
            unlogged = "UNLOGGED " if rel.persistence == "u" else ""
            options = f" WITH ({', '.join(rel.options)})" if rel.options else ""
            self.before.append(
                f"CREATE {unlogged}TABLE {self.name(oid)} ({', '.join(rel.columns)}){options}"
            )
            if rel.copied_columns:
                columns = ", ".join(rel.copied_columns)
                self.data.append(
                    f"INSERT INTO {self.name(oid)} ({columns}) OVERRIDING SYSTEM VALUE "  # noqa: S608
                    f"SELECT {columns} FROM {self.src}.{quote_ident(rel.name)}"  # nosec B608
                )
        self.before.extend(self.owned_by)

    def sequence_positions(self) -> None:
        """Where each sequence stands in the source, so that ids continue after the copied
        rows (a sequence never used is left as created)."""
        sequences = self.of_kind("S")
        if not sequences:
            return
        self.cursor.execute(
            " UNION ALL ".join(
                f"SELECT {int(oid)}::oid, last_value, is_called, "  # noqa: S608
                f"(SELECT seqstart FROM pg_sequence WHERE seqrelid = {int(oid)}) "
                f"FROM {self.src}.{quote_ident(self.relations[oid].name)}"  # nosec B608
                for oid in sequences
            )
        )
        for oid, last_value, is_called, start in self.cursor.fetchall():
            if is_called or last_value != start:
                self.after.append(
                    f"SELECT setval({_literal(self.name(oid))}, {int(last_value)}, "
                    f"{'true' if is_called else 'false'})"
                )

    def later_constraints(self) -> None:
        for oid in self.tables:
            constraints = self.relations[oid].later_constraints
            if constraints:
                adds = ", ".join(f"ADD {constraint}" for constraint in constraints)
                self.after.append(f"ALTER TABLE {self.name(oid)} {adds}")

    def indexes(self) -> None:
        """Indexes other than the constraints' (made with them); PostgreSQL always qualifies
        the table in an index definition, so that is rewritten."""
        for (
            table,
            name,
            pg_quoted,
            unique,
            definition,
            clustered,
            of_constraint,
            comment,
        ) in self.fetch(_INDEXES, tables=self.tables):
            index = f"{self.dst}.{quote_ident(name)}"
            if not of_constraint:
                unique_word = "UNIQUE " if unique else ""
                self.after.append(
                    _replace_once(
                        definition,
                        f"CREATE {unique_word}INDEX {pg_quoted} ON "
                        f"{self.pg_source}.{self.relations[table].pg_quoted} USING ",
                        f"CREATE {unique_word}INDEX {quote_ident(name)} ON "
                        f"{self.name(table)} USING ",
                    )
                )
            if clustered:
                self.after.append(f"ALTER TABLE {self.name(table)} CLUSTER ON {quote_ident(name)}")
            if comment is not None:
                self.after.append(f"COMMENT ON INDEX {index} IS {_literal(comment)}")

    def create_views(self) -> None:
        """Views, each after the views it reads."""
        rows = {row[0]: row for row in self.fetch(_VIEWS, views=self.views)}
        order = graphlib.TopologicalSorter(
            {oid: [used for used in row[2] if used in rows] for oid, row in rows.items()}
        )
        for oid in order.static_order():
            options = self.relations[oid].options
            with_options = f" WITH ({', '.join(options)})" if options else ""
            query = rows[oid][1].rstrip().rstrip(";")
            self.after.append(f"CREATE VIEW {self.name(oid)}{with_options} AS {query}")

    def triggers(self) -> None:
        """After the rows, as pg_dump does; the table is always qualified, so rewritten."""
        states = {"D": "DISABLE", "R": "ENABLE REPLICA", "A": "ENABLE ALWAYS"}
        for table, name, definition, enabled in self.fetch(_TRIGGERS, relations=self.copied):
            self.after.append(
                _replace_once(
                    definition,
                    f" ON {self.pg_source}.{self.relations[table].pg_quoted} ",
                    f" ON {self.name(table)} ",
                )
            )
            if enabled in states:
                self.after.append(
                    f"ALTER TABLE {self.name(table)} {states[enabled]} TRIGGER {quote_ident(name)}"
                )

    def comments(self) -> None:
        for oid, column_number, column, text in self.fetch(_COMMENTS, relations=self.copied):
            if column_number:
                target = f"COLUMN {self.name(oid)}.{quote_ident(column)}"
            else:
                target = f"{_COPIED_KINDS[self.relations[oid].kind].upper()} {self.name(oid)}"
            self.after.append(f"COMMENT ON {target} IS {_literal(text)}")

    def grants(self) -> None:
        """Privileges granted to others than the owner (the new objects' owner is the role
        that runs the clone)."""
        for kind, oid, grantee, privilege, grantable in self.fetch(
            _GRANTS, ns=self.ns, relations=self.copied
        ):
            if kind == "schema":
                on = f"SCHEMA {self.dst}"
            elif kind == "function":
                on = self.function_signatures[oid]
            else:
                word = "SEQUENCE" if self.relations[oid].kind == "S" else "TABLE"
                on = f"{word} {self.name(oid)}"
            option = " WITH GRANT OPTION" if grantable else ""
            self.after.append(f"GRANT {privilege} ON {on} TO {grantee}{option}")


def _sequence_options(row: tuple) -> str:
    _oid, _type, start, increment, maximum, minimum, cache, cycle = row[:8]
    return (
        f"START WITH {int(start)} INCREMENT BY {int(increment)} MINVALUE {int(minimum)} "
        f"MAXVALUE {int(maximum)} CACHE {int(cache)} {'CYCLE' if cycle else 'NO CYCLE'}"
    )


def _replace_once(definition: str, old: str, new: str) -> str:
    if old not in definition:
        raise SchemaCloneUnsupported(f"unexpected definition: {definition}")
    return definition.replace(old, new, 1)


# --- Organisations -----------------------------------------------------------------------------


def organization_schema_create(*, schema_name: str, verbosity: int = 1) -> bool:
    """Make an organisation's schema by cloning the template (TENANT_BASE_SCHEMA) with
    `schema_clone`; False, having done nothing, when that is not possible (no template, or a
    template this clone does not copy), for the caller to fall back to django-tenants.

    The template's rows come along, django_migrations among them; should the template lag
    behind the migrations on disk, the missing ones are run on the new schema (django-tenants
    would mark them applied without running them)."""
    template = get_tenant_base_schema()
    if not template or not get_creation_fakes_migrations() or not schema_exists(template):
        return False
    if schema_exists(schema_name, case_sensitive=False):
        raise ValidationError("New schema name already exists")
    connection.set_schema_to_public()
    try:
        schema_clone(source=template, target=schema_name)
    except SchemaCloneUnsupported as error:
        logger.warning("cloning %s from pg_catalog is not possible: %s", template, error)
        return False
    behind = _migrations_not_applied(schema_name)
    if behind:
        logger.warning(
            "template %s lacks %d migrations; running them on %s",
            template,
            len(behind),
            schema_name,
        )
        call_command(
            "migrate_schemas",
            tenant=True,
            schema_name=schema_name,
            interactive=False,
            verbosity=verbosity,
        )
        connection.set_schema_to_public()
    return True


@functools.cache
def _migrations_on_disk() -> frozenset[tuple[str, str]]:
    """(app, name) of every migration in the code, read once per process."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def _migrations_not_applied(schema_name: str) -> list:
    """The migrations a new schema still needs: none when its django_migrations (the
    template's) lists every migration in the code, which one query tells; otherwise
    Django's own plan."""
    with connection.cursor() as cursor:
        table = f"{quote_ident(schema_name)}.django_migrations"
        cursor.execute(f"SELECT app, name FROM {table}")  # noqa: S608  # nosec B608 (quoted)
        if _migrations_on_disk() <= set(cursor.fetchall()):
            return []
    try:
        connection.set_schema(schema_name)
        executor = MigrationExecutor(connection)
        return executor.migration_plan(executor.loader.graph.leaf_nodes())
    finally:
        connection.set_schema_to_public()
