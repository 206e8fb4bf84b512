"""PostgreSQL trigger: a tariff that charges used is never changed or deleted (its note may change).

A tariff "used" is one under which a charged month falls: a charge whose month is on or after the
tariff's date and before the next tariff's. A new tariff (or a tariff moved to a new date) may not
fall on a month already charged either: that month's tariff would change after the fact.

Refusals raise SQLSTATE 23000, like the triggers of ``0002``. SQLite has the model guard only.
"""

from django.db import migrations

CREER = r"""
CREATE OR REPLACE FUNCTION charges_tarif_mois_factures(jour date, sauf bigint) RETURNS boolean AS $$
    SELECT EXISTS (
        SELECT 1 FROM charges_charge c
        WHERE c.mois >= jour
          AND c.mois < COALESCE(
              (SELECT min(t.applicable_du) FROM charges_tarif t
               WHERE t.applicable_du > jour AND t.id IS DISTINCT FROM sauf),
              'infinity'::date)
    );
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION charges_tarif_fige() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.montant = OLD.montant AND NEW.applicable_du = OLD.applicable_du THEN
        RETURN NEW;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND charges_tarif_mois_factures(OLD.applicable_du, OLD.id) THEN
        RAISE EXCEPTION 'the tariff from % was used by charges: add a new tariff instead', OLD.applicable_du
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF charges_tarif_mois_factures(NEW.applicable_du, NEW.id) THEN
        RAISE EXCEPTION 'months from % are already charged: a new tariff applies from a month not charged yet',
            NEW.applicable_du USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER charges_tarif_fige
    BEFORE INSERT OR UPDATE OR DELETE ON charges_tarif
    FOR EACH ROW EXECUTE FUNCTION charges_tarif_fige();
"""

SUPPRIMER = r"""
DROP TRIGGER IF EXISTS charges_tarif_fige ON charges_tarif;
DROP FUNCTION IF EXISTS charges_tarif_fige();
DROP FUNCTION IF EXISTS charges_tarif_mois_factures(date, bigint);
"""


def creer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREER, params=None)


def supprimer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SUPPRIMER, params=None)


class Migration(migrations.Migration):
    dependencies = [("charges", "0003_roles")]

    operations = [migrations.RunPython(creer, supprimer)]
