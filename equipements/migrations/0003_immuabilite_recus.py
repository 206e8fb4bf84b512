"""PostgreSQL triggers: receipts, handovers, returns and their items are never changed nor deleted.

- ``equipements_recu``: never deleted; before its PDF is attached, only the PDF and its SHA-256 may be
  set (once); after, nothing.
- ``equipements_remise``, ``equipements_restitution``: never changed, never deleted.
- ``equipements_ligneremise``: never deleted; the only change is its return being recorded, once.

Refusals raise SQLSTATE 23000 (integrity constraint violation): Django raises ``IntegrityError``.
SQLite (the local demo) has the model guards only.
"""

from django.db import migrations

CREER = r"""
CREATE OR REPLACE FUNCTION equipements_recu_fige() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'receipt % is never deleted', OLD.numero
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD.sha256 <> '' OR (to_jsonb(NEW) - ARRAY['pdf', 'sha256'])
            IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['pdf', 'sha256']) THEN
        RAISE EXCEPTION 'receipt % is issued: it cannot be changed', OLD.numero
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER equipements_recu_fige
    BEFORE UPDATE OR DELETE ON equipements_recu
    FOR EACH ROW EXECUTE FUNCTION equipements_recu_fige();

CREATE OR REPLACE FUNCTION equipements_acte_fige() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'a handover or a return is never changed nor deleted'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER equipements_remise_figee
    BEFORE UPDATE OR DELETE ON equipements_remise
    FOR EACH ROW EXECUTE FUNCTION equipements_acte_fige();

CREATE TRIGGER equipements_restitution_figee
    BEFORE UPDATE OR DELETE ON equipements_restitution
    FOR EACH ROW EXECUTE FUNCTION equipements_acte_fige();

CREATE OR REPLACE FUNCTION equipements_ligne_figee() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.restitution_id IS NOT NULL OR NEW.restitution_id IS NULL
            OR (to_jsonb(NEW) - 'restitution_id') IS DISTINCT FROM (to_jsonb(OLD) - 'restitution_id') THEN
        RAISE EXCEPTION 'a handover item only gets its return recorded, once'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER equipements_ligne_figee
    BEFORE UPDATE OR DELETE ON equipements_ligneremise
    FOR EACH ROW EXECUTE FUNCTION equipements_ligne_figee();
"""

SUPPRIMER = r"""
DROP TRIGGER IF EXISTS equipements_ligne_figee ON equipements_ligneremise;
DROP FUNCTION IF EXISTS equipements_ligne_figee();
DROP TRIGGER IF EXISTS equipements_restitution_figee ON equipements_restitution;
DROP TRIGGER IF EXISTS equipements_remise_figee ON equipements_remise;
DROP FUNCTION IF EXISTS equipements_acte_fige();
DROP TRIGGER IF EXISTS equipements_recu_fige ON equipements_recu;
DROP FUNCTION IF EXISTS equipements_recu_fige();
"""


def creer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREER, params=None)


def supprimer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SUPPRIMER, params=None)


class Migration(migrations.Migration):
    dependencies = [("equipements", "0002_roles_remises")]

    operations = [migrations.RunPython(creer, supprimer)]
