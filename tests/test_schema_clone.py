"""Organisation schemas are cloned from the template by reading pg_catalog
(tenants.schema_clone): the clone must have the template's structure (as PostgreSQL reads its
definitions back), its rows, sequences that continue where the template's stand, and refer to
nothing in the template."""

from unittest import mock

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context, schema_exists

from tenants.models import Organization
from tenants.schema_clone import (
    SchemaCloneUnsupported,
    quote_ident,
    schema_clone,
    schema_clone_plan,
)
from tenants.services import organization_create

TEMPLATE = settings.TENANT_BASE_SCHEMA


def _rows(sql: str, params=None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def structure(schema: str) -> dict:
    """Everything about `schema` that its clone must match, read from pg_catalog with the
    schema's own name taken out (definitions are read with `search_path` set to the schema,
    so they name its objects unqualified; where PostgreSQL always qualifies, the name is
    replaced)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('search_path')")
        (saved,) = cursor.fetchone()
        cursor.execute("SELECT set_config('search_path', %s, true)", [quote_ident(schema)])
        try:
            return _structure(schema)
        finally:
            cursor.execute("SELECT set_config('search_path', %s, true)", [saved])


def _structure(schema: str) -> dict:
    (ns,) = _rows("SELECT oid FROM pg_namespace WHERE nspname = %s", [schema])[0]

    def anonymous(text):
        if text is None:
            return None
        for form in (f"{quote_ident(schema)}.", f"{schema}."):
            text = text.replace(form, "SCHEMA.")
        return text

    relations = _rows(
        """SELECT relname, relkind, relpersistence, reloptions, relacl::text[],
                  obj_description(oid, 'pg_class')
             FROM pg_class WHERE relnamespace = %s ORDER BY relname""",
        [ns],
    )
    columns = _rows(
        """SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                  a.attidentity, a.attgenerated, pg_get_expr(d.adbin, d.adrelid),
                  a.attcollation::regcollation::text, col_description(c.oid, a.attnum),
                  row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum)
             FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
             LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE c.relnamespace = %s AND c.relkind IN ('r', 'v') AND a.attnum > 0
              AND NOT a.attisdropped
            ORDER BY 1, 2""",
        [ns],
    )
    constraints = _rows(
        """SELECT c.relname, con.conname, con.contype, pg_get_constraintdef(con.oid),
                  con.condeferrable, con.condeferred, con.convalidated,
                  (SELECT relname FROM pg_class WHERE oid = con.conindid)
             FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
            WHERE c.relnamespace = %s ORDER BY 1, 2""",
        [ns],
    )
    indexes = _rows(
        """SELECT t.relname, i.relname, pg_get_indexdef(x.indexrelid), x.indisunique,
                  x.indisprimary, x.indisexclusion, x.indimmediate, x.indisclustered,
                  x.indisvalid, x.indnullsnotdistinct
             FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
             JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relnamespace = %s ORDER BY 1, 2""",
        [ns],
    )
    sequences = _rows(
        """SELECT c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement,
                  s.seqmax, s.seqmin, s.seqcache, s.seqcycle,
                  (SELECT t.relname || '.' || a.attname || ' ' || d.deptype::text
                     FROM pg_depend d JOIN pg_class t ON t.oid = d.refobjid
                     JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                    WHERE d.classid = 'pg_class'::regclass AND d.objid = s.seqrelid
                      AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))
             FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
            WHERE c.relnamespace = %s ORDER BY 1""",
        [ns],
    )
    positions = {}
    for (name,) in _rows(
        "SELECT relname FROM pg_class WHERE relnamespace = %s AND relkind = 'S'", [ns]
    ):
        positions[name] = _rows(
            f"SELECT last_value, is_called FROM {quote_ident(schema)}.{quote_ident(name)}"  # noqa: S608
        )[0]
    triggers = _rows(
        """SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid), t.tgenabled
             FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE c.relnamespace = %s AND NOT t.tgisinternal ORDER BY 1, 2""",
        [ns],
    )
    internal_triggers = _rows(
        """SELECT c.relname, count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE c.relnamespace = %s AND t.tgisinternal GROUP BY 1 ORDER BY 1""",
        [ns],
    )
    functions = _rows(
        """SELECT proname, pg_get_functiondef(oid), proacl::text[]
             FROM pg_proc WHERE pronamespace = %s ORDER BY 1""",
        [ns],
    )
    views = _rows(
        """SELECT relname, pg_get_viewdef(oid) FROM pg_class
            WHERE relnamespace = %s AND relkind = 'v' ORDER BY 1""",
        [ns],
    )
    row_counts = {}
    for (name,) in _rows(
        "SELECT relname FROM pg_class WHERE relnamespace = %s AND relkind = 'r'", [ns]
    ):
        row_counts[name] = _rows(
            f"SELECT count(*) FROM {quote_ident(schema)}.{quote_ident(name)}"  # noqa: S608
        )[0][0]
    return {
        "relations": relations,
        "columns": columns,
        "constraints": constraints,
        "indexes": [(*row[:2], anonymous(row[2]), *row[3:]) for row in indexes],
        "sequences": sequences,
        "positions": positions,
        "triggers": [(*row[:2], anonymous(row[2]), row[3]) for row in triggers],
        "internal_triggers": internal_triggers,
        "functions": [(row[0], anonymous(row[1]), row[2]) for row in functions],
        "views": views,
        "row_counts": row_counts,
    }


def references_outside(schema: str, other: str) -> list[tuple]:
    """Dependencies of objects of `schema` on objects of `other` (pg_depend), e.g. a default
    calling the other schema's sequence or a foreign key to its table."""
    return _rows(
        """
        WITH objects AS (
            SELECT 'pg_class'::regclass AS classid, oid, relnamespace AS ns FROM pg_class
            UNION ALL SELECT 'pg_proc'::regclass, oid, pronamespace FROM pg_proc
            UNION ALL SELECT 'pg_type'::regclass, oid, typnamespace FROM pg_type
            UNION ALL SELECT 'pg_constraint'::regclass, oid, connamespace FROM pg_constraint),
        dependents AS (  -- objects, and defaults, triggers and rules by their table's schema
            SELECT classid, oid, ns FROM objects
            UNION ALL SELECT 'pg_attrdef'::regclass, ad.oid, c.relnamespace
              FROM pg_attrdef ad JOIN pg_class c ON c.oid = ad.adrelid
            UNION ALL SELECT 'pg_trigger'::regclass, t.oid, c.relnamespace
              FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            UNION ALL SELECT 'pg_rewrite'::regclass, r.oid, c.relnamespace
              FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class)
        SELECT pg_describe_object(d.classid, d.objid, d.objsubid),
               pg_describe_object(d.refclassid, d.refobjid, d.refobjsubid)
          FROM pg_depend d
          JOIN dependents obj ON obj.classid = d.classid AND obj.oid = d.objid
          JOIN objects ref ON ref.classid = d.refclassid AND ref.oid = d.refobjid
         WHERE obj.ns = %(schema)s::regnamespace AND ref.ns = %(other)s::regnamespace
        """,
        {"schema": schema, "other": other},
    )


# --- The template ----------------------------------------------------------------------------


def assert_same_structure(source: str, clone: str) -> dict:
    """The clone's structure is the source's. PostgreSQL writes some expressions back
    differently from how it first read them (`status IN ('a', 'b')` on a varchar column:
    `(ARRAY[…])::text[]`, read back as `ARRAY[(…)::text, …]`), the same in meaning and what
    pg_dump would restore too: where an index or check constraint differs, the clone's must be
    what PostgreSQL makes of the source's definition."""
    ours, theirs = structure(source), structure(clone)
    for part, at, reread in (("indexes", 2, reread_index), ("constraints", 3, reread_check)):
        assert len(ours[part]) == len(theirs[part]), part
        for number, (mine, copied) in enumerate(zip(ours[part], theirs[part], strict=True)):
            if mine != copied:  # only the definition (at `at`) may differ, so:
                assert (mine[:at], mine[at + 1 :]) == (copied[:at], copied[at + 1 :]), part
                assert reread(source, mine) == copied[at], part
                ours[part][number] = copied
    for part in ours:
        assert theirs[part] == ours[part], part
    assert references_outside(clone, source) == []
    return ours


def reread_index(schema: str, row: tuple) -> str:
    """The definition PostgreSQL gives an index made from `row`'s (as `structure` wrote it),
    created for a moment on the same table."""
    _table, name, definition = row[:3]
    sql = definition.replace(f" INDEX {name} ", " INDEX reread ", 1)
    sql = sql.replace("SCHEMA.", f"{quote_ident(schema)}.", 1)
    with transaction.atomic():
        _rows(sql)
        (reread,) = _rows("SELECT pg_get_indexdef(%s::regclass)", [f"{schema}.reread"])[0]
        transaction.set_rollback(True)
    return reread.replace(" INDEX reread ", f" INDEX {name} ", 1).replace(
        f"{schema}.", "SCHEMA.", 1
    )


def reread_check(schema: str, row: tuple) -> str:
    """The definition PostgreSQL gives a check constraint made from `row`'s."""
    table, _name, kind, definition = row[:4]
    assert kind == "c"
    qualified = f"{quote_ident(schema)}.{quote_ident(table)}"
    with transaction.atomic():
        _rows(f"ALTER TABLE {qualified} ADD CONSTRAINT reread {definition}")
        (reread,) = _rows(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND conname = 'reread'",
            [qualified],
        )[0]
        transaction.set_rollback(True)
    return reread


def test_a_clone_of_the_template_has_its_structure_rows_and_sequence_positions(db):
    schema_clone(source=TEMPLATE, target="clone_check")

    template = assert_same_structure(TEMPLATE, "clone_check")
    assert len(template["columns"]) > 400 and len(template["indexes"]) > 200  # really read
    assert any(row[4] == "d" for row in template["columns"])  # identity columns
    assert template["triggers"] and template["functions"]  # the ledger's append-only guard
    assert any("WHERE" in row[2] for row in template["indexes"])  # partial unique indexes
    # sequences stand where the template's do: ids continue after the copied rows
    assert template["positions"]["django_content_type_id_seq"] == (
        template["row_counts"]["django_content_type"],
        True,
    )


def test_the_clone_reads_pg_catalog_in_the_same_number_of_queries_whatever_its_size(
    source_schema,
):
    with CaptureQueriesContext(connection) as small:
        schema_clone(source=source_schema, target="clone_dst")
    with CaptureQueriesContext(connection) as large:
        plan = schema_clone(source=TEMPLATE, target="clone_check")
    sql = " ".join(query["sql"] for query in large.captured_queries)
    assert "information_schema" not in sql
    assert len(large) == len(small) < 30
    assert all(TEMPLATE not in statement for statement in plan.definitions)


def test_the_search_path_is_as_before_after_a_clone(db):
    connection.set_schema_to_public()
    before = _rows("SELECT current_setting('search_path')")
    schema_clone(source=TEMPLATE, target="clone_check")
    assert _rows("SELECT current_setting('search_path')") == before
    assert Organization.objects.filter(slug="alpha").exists()


# --- Every kind of object it copies ----------------------------------------------------------

SOURCE = "clone_src"
FEATURES = """
CREATE SCHEMA clone_src;
SET LOCAL search_path = clone_src;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.updated := now(); RETURN NEW; END $$;
CREATE FUNCTION double_it(integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT $1 * 2';
CREATE SEQUENCE ticket_numbers AS integer START WITH 100 INCREMENT BY 5;
CREATE SEQUENCE used_sequence START WITH 1;
SELECT setval('used_sequence', 10, true);
CREATE TABLE parent (
    id serial PRIMARY KEY,
    code varchar(20) COLLATE "C" NOT NULL UNIQUE,
    "select" text DEFAULT 'keyword column',
    ticket integer DEFAULT nextval('ticket_numbers'),
    doubled integer GENERATED ALWAYS AS (double_it(id)) STORED,
    updated timestamptz,
    CONSTRAINT code_not_blank CHECK (code <> '')
) WITH (fillfactor = 90);
ALTER SEQUENCE ticket_numbers OWNED BY parent.ticket;
CREATE TABLE "Mixed Case" (
    id bigint GENERATED ALWAYS AS IDENTITY (START WITH 7 INCREMENT BY 3) PRIMARY KEY,
    parent_id integer NOT NULL REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED,
    sibling_id bigint REFERENCES "Mixed Case" (id) ON DELETE CASCADE,
    email varchar(254) NOT NULL,
    status varchar(16) NOT NULL DEFAULT 'open',
    amount numeric(10, 2) DEFAULT 0 CHECK (amount >= 0),
    CONSTRAINT status_known CHECK (status IN ('open', 'closed')),
    UNIQUE (parent_id, email) DEFERRABLE
);
ALTER TABLE "Mixed Case" ADD CONSTRAINT late_check CHECK (amount < 1000000) NOT VALID;
CREATE UNIQUE INDEX one_open_per_email ON "Mixed Case" (lower(email)) WHERE status = 'open';
CREATE INDEX email_like ON "Mixed Case" (email varchar_pattern_ops);
CREATE INDEX parent_desc ON "Mixed Case" (parent_id DESC NULLS LAST) INCLUDE (status);
CLUSTER "Mixed Case" USING parent_desc;
CREATE UNLOGGED TABLE scratch (id integer GENERATED BY DEFAULT AS IDENTITY, note text);
CREATE TRIGGER touch_parent BEFORE UPDATE ON parent FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER touch_parent_off BEFORE INSERT ON parent FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE parent DISABLE TRIGGER touch_parent_off;
CREATE VIEW open_items AS SELECT id, email FROM "Mixed Case" WHERE status = 'open';
CREATE VIEW open_count AS SELECT count(*) AS n FROM open_items;
COMMENT ON TABLE parent IS 'The parents; it''s commented';
COMMENT ON COLUMN "Mixed Case".email IS 'Where to write';
COMMENT ON INDEX email_like IS 'For LIKE';
GRANT SELECT ON parent TO PUBLIC;
INSERT INTO parent (code) VALUES ('a'), ('b');
INSERT INTO "Mixed Case" (parent_id, email) VALUES (1, 'x@example.org'), (2, 'y@example.org');
SELECT setval('ticket_numbers', 200, false);
SET CONSTRAINTS ALL IMMEDIATE;
"""


@pytest.fixture
def source_schema(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('search_path')")
        (saved,) = cursor.fetchone()
        cursor.execute(FEATURES)
        cursor.execute("SELECT set_config('search_path', %s, true)", [saved])
    return SOURCE


def test_every_kind_of_object_is_copied_as_in_the_source(source_schema):
    schema_clone(source=source_schema, target="clone_dst")

    source = assert_same_structure(source_schema, "clone_dst")
    clone = structure("clone_dst")
    assert clone["positions"]["ticket_numbers"] == (200, False)
    assert clone["positions"]["used_sequence"] == (10, True)
    assert clone["positions"]["parent_id_seq"] == (2, True)
    assert clone["positions"]["Mixed Case_id_seq"] == (10, True)  # 7, then 10
    assert [row[0] for row in source["views"]] == ["open_count", "open_items"]


def test_the_copy_works_on_its_own_and_leaves_the_source_alone(source_schema):
    schema_clone(source=source_schema, target="clone_dst")

    # ids after the copied rows; a sequence set with is_called false hands out that value
    assert _rows(
        "INSERT INTO clone_dst.parent (code) VALUES ('c') RETURNING id, ticket, doubled"
    ) == [(3, 200, 6)]
    assert _rows(
        """INSERT INTO clone_dst."Mixed Case" (parent_id, email) VALUES (3, 'z@x.org')
           RETURNING id"""
    ) == [(13,)]
    assert _rows("SELECT n FROM clone_dst.open_count") == [(3,)]
    with pytest.raises(IntegrityError, match="one_open_per_email"), transaction.atomic():
        _rows("""INSERT INTO clone_dst."Mixed Case" (parent_id, email) VALUES (1, 'Z@x.org')""")
    with pytest.raises(IntegrityError, match="parent_id_fkey"), transaction.atomic():
        _rows("""INSERT INTO clone_dst."Mixed Case" (parent_id, email) VALUES (9, 'w@x.org')""")
        _rows("SET CONSTRAINTS ALL IMMEDIATE")

    assert _rows("SELECT last_value FROM clone_src.parent_id_seq") == [(2,)]
    assert _rows("SELECT count(*) FROM clone_src.parent") == [(2,)]


@pytest.mark.parametrize(
    ("statement", "reason"),
    [
        (f"CREATE TYPE {SOURCE}.mood AS ENUM ('ok')", "type mood"),
        (f"CREATE MATERIALIZED VIEW {SOURCE}.snapshot AS SELECT 1 AS one", "snapshot"),
        (f"ALTER TABLE {SOURCE}.parent ENABLE ROW LEVEL SECURITY", "row-level security"),
        (
            f"CREATE TABLE {SOURCE}.child (extra int) INHERITS ({SOURCE}.parent)",
            "inheritance",
        ),
        (
            f"CREATE FUNCTION {SOURCE}.leaky() RETURNS bigint LANGUAGE sql "  # noqa: S608
            f"AS 'SELECT count(*) FROM {SOURCE}.parent'",
            "names clone_src",
        ),
    ],
)
def test_what_it_does_not_copy_is_refused_before_anything_is_written(
    source_schema, statement, reason
):
    _rows(statement)
    with pytest.raises(SchemaCloneUnsupported, match=reason):
        schema_clone(source=source_schema, target="clone_dst")
    assert not schema_exists("clone_dst")


def test_a_missing_source_is_refused(db):
    with pytest.raises(SchemaCloneUnsupported, match="no schema"):
        schema_clone_plan(source="no_such_schema", target="clone_dst")


# --- Organisations ---------------------------------------------------------------------------


def test_an_organisation_is_cloned_without_django_tenants_clone_and_works(db):
    with mock.patch("django_tenants.models.CloneSchema") as slow_clone:
        organization = organization_create(
            slug="cloned",
            name="Cloned",
            admin_email="admin@cloned.example",
            admin_password="Sturdy-pass-42!",
        )
    slow_clone.assert_not_called()
    assert structure("cloned")["columns"] == structure(TEMPLATE)["columns"]

    from governance.models import Committee
    from tests.network.factories import MetroFactory

    with schema_context(organization.schema_name):
        template_types = ContentType.objects.count()
        made = ContentType.objects.create(app_label="clone", model="check")
        assert made.pk == template_types + 1  # the sequence continues after the copied rows
        board = Committee.objects.get()  # seeded by a data migration, copied with the template
        metro = MetroFactory()
        committee = Committee.objects.create(level="metro", metro=metro)
        assert committee.pk == board.pk + 1
        assert Committee.objects.count() == 2
    with schema_context(TEMPLATE):
        assert Committee.objects.count() == 1
        assert not ContentType.objects.filter(app_label="clone").exists()


def test_an_organisation_whose_template_lags_behind_gets_the_missing_migrations(db):
    _rows(
        f"DELETE FROM {TEMPLATE}.django_migrations "  # noqa: S608
        "WHERE app = 'apps_marketplace' AND name = '0002_ledger_append_only'"
    )
    with mock.patch("tenants.schema_clone.call_command") as call_command:
        organization_create(slug="lagging", name="Lagging")
    call_command.assert_called_once_with(
        "migrate_schemas", tenant=True, schema_name="lagging", interactive=False, verbosity=0
    )


def test_an_up_to_date_template_needs_one_query_to_know_it(db):
    with mock.patch("tenants.schema_clone.MigrationExecutor") as executor:
        organization_create(slug="current", name="Current")
    executor.assert_not_called()


def test_an_unsupported_template_falls_back_to_django_tenants(db, caplog):
    with mock.patch(
        "tenants.schema_clone.schema_clone", side_effect=SchemaCloneUnsupported("type mood")
    ):
        organization = organization_create(slug="fallback", name="Fallback")
    assert "type mood" in caplog.text
    assert structure(organization.schema_name)["columns"] == structure(TEMPLATE)["columns"]
