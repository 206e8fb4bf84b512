"""PostgreSQL triggers: a payment (and its reversal or refund) and a waiver are never changed nor deleted.

A mistake is corrected by a reversing entry (``equipements.paiements.contrepasser``), never by an UPDATE or
a DELETE. Their receipts are ``equipements_recu`` rows, already final once their PDF is attached (migration
0003_immuabilite_recus). Refusals raise SQLSTATE 23000: Django raises ``IntegrityError``. SQLite (the local
demo) has the model guards only.
"""

from django.db import migrations

CREER = r"""
CREATE OR REPLACE FUNCTION equipements_paiement_fige() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'a payment or an amount waived is never changed nor deleted: record a reversing entry'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER equipements_paiement_fige
    BEFORE UPDATE OR DELETE ON equipements_paiement
    FOR EACH ROW EXECUTE FUNCTION equipements_paiement_fige();

CREATE TRIGGER equipements_abandon_fige
    BEFORE UPDATE OR DELETE ON equipements_abandon
    FOR EACH ROW EXECUTE FUNCTION equipements_paiement_fige();
"""

SUPPRIMER = r"""
DROP TRIGGER IF EXISTS equipements_abandon_fige ON equipements_abandon;
DROP TRIGGER IF EXISTS equipements_paiement_fige ON equipements_paiement;
DROP FUNCTION IF EXISTS equipements_paiement_fige();
"""


def creer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREER, params=None)


def supprimer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SUPPRIMER, params=None)


class Migration(migrations.Migration):
    dependencies = [("equipements", "0010_paiements")]

    operations = [migrations.RunPython(creer, supprimer)]
