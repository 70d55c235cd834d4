"""The revenue ledger is append-only: the database itself refuses to change or remove an entry.
A refund is recorded as new, negative entries."""

from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION marketplace_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The revenue ledger is append-only: record a correcting entry instead.'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER marketplace_ledger_no_update_or_delete
    BEFORE UPDATE OR DELETE ON apps_marketplace_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION marketplace_ledger_append_only();
"""

ALLOW = """
DROP TRIGGER IF EXISTS marketplace_ledger_no_update_or_delete ON apps_marketplace_ledgerentry;
DROP FUNCTION IF EXISTS marketplace_ledger_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("apps_marketplace", "0001_initial")]

    operations = [migrations.RunSQL(FORBID, ALLOW)]
