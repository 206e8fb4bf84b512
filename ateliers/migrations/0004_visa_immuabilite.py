"""PostgreSQL triggers: what Visa Internet issued is never changed nor deleted.

- ``ateliers_referentiel``: a published version of the list never changes and is never deleted.
- ``ateliers_competence``: no skill is added to, changed in or removed from a published version.
- ``ateliers_evaluation``: an assessment is never changed (but its assessor's link is cleared when the
  account is deleted) nor deleted: the history is the rows.
- ``ateliers_certificat``: never deleted; its PDF and SHA-256 are attached once; its revocation (date,
  reason, by whom) is recorded once; a deleted account's link is cleared; nothing else ever changes.

Refusals raise SQLSTATE 23000 (integrity constraint violation): Django raises ``IntegrityError``.
SQLite (the local demo) has the model guards only.
"""

from django.db import migrations

CREER = r"""
CREATE OR REPLACE FUNCTION ateliers_referentiel_fige() RETURNS trigger AS $$
BEGIN
    IF OLD.publie_le IS NOT NULL THEN
        RAISE EXCEPTION 'Visa Internet list version % is published: it never changes', OLD.version
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER ateliers_referentiel_fige
    BEFORE UPDATE OR DELETE ON ateliers_referentiel
    FOR EACH ROW EXECUTE FUNCTION ateliers_referentiel_fige();

CREATE OR REPLACE FUNCTION ateliers_competence_figee() RETURNS trigger AS $$
BEGIN
    IF (TG_OP <> 'INSERT' AND EXISTS (
            SELECT 1 FROM ateliers_referentiel WHERE id = OLD.referentiel_id AND publie_le IS NOT NULL))
       OR (TG_OP <> 'DELETE' AND EXISTS (
            SELECT 1 FROM ateliers_referentiel WHERE id = NEW.referentiel_id AND publie_le IS NOT NULL)) THEN
        RAISE EXCEPTION 'the skills of a published Visa Internet list never change'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER ateliers_competence_figee
    BEFORE INSERT OR UPDATE OR DELETE ON ateliers_competence
    FOR EACH ROW EXECUTE FUNCTION ateliers_competence_figee();

CREATE OR REPLACE FUNCTION ateliers_evaluation_figee() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.par_id IS NOT NULL
            OR (to_jsonb(NEW) - 'par_id') IS DISTINCT FROM (to_jsonb(OLD) - 'par_id') THEN
        RAISE EXCEPTION 'a Visa Internet assessment is never changed nor deleted'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER ateliers_evaluation_figee
    BEFORE UPDATE OR DELETE ON ateliers_evaluation
    FOR EACH ROW EXECUTE FUNCTION ateliers_evaluation_figee();

CREATE OR REPLACE FUNCTION ateliers_certificat_fige() RETURNS trigger AS $$
DECLARE
    avant jsonb;
    apres jsonb;
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'certificate % is never deleted', OLD.numero
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    avant := to_jsonb(OLD);
    apres := to_jsonb(NEW);
    -- A deleted account: the link goes, the name printed stays.
    IF NEW.emis_par_id IS NULL THEN
        avant := avant - 'emis_par_id';
        apres := apres - 'emis_par_id';
    END IF;
    IF NEW.revoque_par_id IS NULL THEN
        avant := avant - 'revoque_par_id';
        apres := apres - 'revoque_par_id';
    END IF;
    -- The PDF is attached once.
    IF OLD.sha256 = '' THEN
        avant := avant - ARRAY['pdf', 'sha256'];
        apres := apres - ARRAY['pdf', 'sha256'];
    END IF;
    -- The revocation is recorded once.
    IF OLD.revoque_le IS NULL AND NEW.revoque_le IS NOT NULL THEN
        avant := avant - ARRAY['revoque_le', 'motif_revocation', 'revoque_par_id'];
        apres := apres - ARRAY['revoque_le', 'motif_revocation', 'revoque_par_id'];
    END IF;
    IF avant IS DISTINCT FROM apres THEN
        RAISE EXCEPTION 'certificate % is issued: it may only be revoked', OLD.numero
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER ateliers_certificat_fige
    BEFORE UPDATE OR DELETE ON ateliers_certificat
    FOR EACH ROW EXECUTE FUNCTION ateliers_certificat_fige();
"""

SUPPRIMER = r"""
DROP TRIGGER IF EXISTS ateliers_certificat_fige ON ateliers_certificat;
DROP FUNCTION IF EXISTS ateliers_certificat_fige();
DROP TRIGGER IF EXISTS ateliers_evaluation_figee ON ateliers_evaluation;
DROP FUNCTION IF EXISTS ateliers_evaluation_figee();
DROP TRIGGER IF EXISTS ateliers_competence_figee ON ateliers_competence;
DROP FUNCTION IF EXISTS ateliers_competence_figee();
DROP TRIGGER IF EXISTS ateliers_referentiel_fige ON ateliers_referentiel;
DROP FUNCTION IF EXISTS ateliers_referentiel_fige();
"""


def creer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREER, params=None)


def supprimer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SUPPRIMER, params=None)


class Migration(migrations.Migration):
    dependencies = [("ateliers", "0003_visa_internet")]

    operations = [migrations.RunPython(creer, supprimer)]
