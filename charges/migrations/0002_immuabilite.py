"""PostgreSQL triggers: an issued statement, its lines, its adjustments and the charges are never changed.

- ``charges_releve``: a draft may change or be deleted. Once numbered ("being issued") only its
  documents may be attached, once (PDF, CSV, their SHA-256, the page count, the status moving to
  "issued"); once issued, nothing. Never deleted past the draft.
- ``charges_lignereleve``: no line is added to, changed in or deleted from a statement past the draft.
- ``charges_regularisation``: never updated; not deleted once on a statement past the draft.
- ``charges_charge``: never updated (a mistake is corrected by an adjustment).

Refusals raise SQLSTATE 23000 (integrity constraint violation): Django raises ``IntegrityError``.
SQLite (the local demo) has the model guards only.
"""

from django.db import migrations

CREER = r"""
CREATE OR REPLACE FUNCTION charges_releve_fige() RETURNS trigger AS $$
DECLARE
    documents text[] := ARRAY['statut', 'pdf', 'csv', 'sha256_pdf', 'sha256_csv', 'nb_pages'];
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.statut <> 'brouillon' THEN
            RAISE EXCEPTION 'statement % is issued: it cannot be deleted', OLD.numero
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.statut = 'emis' THEN
        RAISE EXCEPTION 'statement % is issued: it cannot be changed', OLD.numero
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD.statut = 'emission' AND (
        NEW.statut NOT IN ('emission', 'emis')
        OR (to_jsonb(NEW) - documents) IS DISTINCT FROM (to_jsonb(OLD) - documents)
    ) THEN
        RAISE EXCEPTION 'statement % is numbered: only its documents may be attached', OLD.numero
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER charges_releve_fige
    BEFORE UPDATE OR DELETE ON charges_releve
    FOR EACH ROW EXECUTE FUNCTION charges_releve_fige();

CREATE OR REPLACE FUNCTION charges_ligne_figee() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM charges_releve WHERE id = OLD.releve_id AND statut <> 'brouillon') THEN
        RAISE EXCEPTION 'the lines of an issued statement cannot be changed'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'UPDATE' AND EXISTS (
        SELECT 1 FROM charges_releve WHERE id = NEW.releve_id AND statut <> 'brouillon'
    ) THEN
        RAISE EXCEPTION 'no line can be added to an issued statement'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER charges_ligne_figee
    BEFORE UPDATE OR DELETE ON charges_lignereleve
    FOR EACH ROW EXECUTE FUNCTION charges_ligne_figee();

-- Lines are added by the hundred thousand at once: checked once per statement, not once per row.
CREATE OR REPLACE FUNCTION charges_lignes_ajoutees() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM nouvelles n JOIN charges_releve r ON r.id = n.releve_id WHERE r.statut <> 'brouillon'
    ) THEN
        RAISE EXCEPTION 'no line can be added to an issued statement'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER charges_lignes_ajoutees
    AFTER INSERT ON charges_lignereleve REFERENCING NEW TABLE AS nouvelles
    FOR EACH STATEMENT EXECUTE FUNCTION charges_lignes_ajoutees();

CREATE OR REPLACE FUNCTION charges_regularisation_figee() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'an adjustment is never changed'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF EXISTS (
        SELECT 1 FROM charges_lignereleve l JOIN charges_releve r ON r.id = l.releve_id
        WHERE l.regularisation_id = OLD.id AND r.statut <> 'brouillon'
    ) THEN
        RAISE EXCEPTION 'an adjustment on an issued statement cannot be deleted'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER charges_regularisation_figee
    BEFORE UPDATE OR DELETE ON charges_regularisation
    FOR EACH ROW EXECUTE FUNCTION charges_regularisation_figee();

CREATE OR REPLACE FUNCTION charges_charge_figee() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'a charge is never changed: record an adjustment'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER charges_charge_figee
    BEFORE UPDATE ON charges_charge
    FOR EACH ROW EXECUTE FUNCTION charges_charge_figee();
"""

SUPPRIMER = r"""
DROP TRIGGER IF EXISTS charges_charge_figee ON charges_charge;
DROP FUNCTION IF EXISTS charges_charge_figee();
DROP TRIGGER IF EXISTS charges_regularisation_figee ON charges_regularisation;
DROP FUNCTION IF EXISTS charges_regularisation_figee();
DROP TRIGGER IF EXISTS charges_lignes_ajoutees ON charges_lignereleve;
DROP FUNCTION IF EXISTS charges_lignes_ajoutees();
DROP TRIGGER IF EXISTS charges_ligne_figee ON charges_lignereleve;
DROP FUNCTION IF EXISTS charges_ligne_figee();
DROP TRIGGER IF EXISTS charges_releve_fige ON charges_releve;
DROP FUNCTION IF EXISTS charges_releve_fige();
"""


def creer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREER, params=None)


def supprimer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SUPPRIMER, params=None)


class Migration(migrations.Migration):
    dependencies = [("charges", "0001_initial")]

    operations = [migrations.RunPython(creer, supprimer)]
