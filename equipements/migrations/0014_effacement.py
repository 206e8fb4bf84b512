"""Erasure on request (donnees/effacement.py) lets exactly its change through the immutability triggers.

- ``equipements_recu``: an issued receipt's printed copy (it names the household) may be erased once:
  ``pdf`` emptied and ``pdf_efface_le`` set, nothing else changed (number, date, terms, SHA-256 stay).
- ``equipements_remise``, ``equipements_restitution``: still never changed nor deleted, except the
  erasure, once: ``signature_png`` set to NULL, a return's ``note`` emptied, ``efface_le`` set, nothing
  else changed. The "signed" check constraint accepts an erased signature.

Refusals raise SQLSTATE 23000 as before. SQLite (the local demo) has no trigger.
"""

from django.conf import settings
from django.db import migrations, models

CREER = r"""
CREATE OR REPLACE FUNCTION equipements_recu_fige() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'receipt % is never deleted', OLD.numero
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    -- Erasure on request, once: the printed copy goes, the accounting record stays.
    IF OLD.sha256 <> '' AND OLD.pdf_efface_le IS NULL AND NEW.pdf_efface_le IS NOT NULL AND NEW.pdf = ''
            AND (to_jsonb(NEW) - ARRAY['pdf', 'pdf_efface_le'])
                IS NOT DISTINCT FROM (to_jsonb(OLD) - ARRAY['pdf', 'pdf_efface_le']) THEN
        RETURN NEW;
    END IF;
    IF OLD.sha256 <> '' OR (to_jsonb(NEW) - ARRAY['pdf', 'sha256'])
            IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['pdf', 'sha256']) THEN
        RAISE EXCEPTION 'receipt % is issued: it cannot be changed', OLD.numero
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION equipements_acte_fige() RETURNS trigger AS $$
DECLARE
    effaces text[] := ARRAY['signature_png', 'note', 'efface_le'];
BEGIN
    -- Erasure on request, once: the signature image (and a return's note) go, nothing else changes.
    IF TG_OP = 'UPDATE' AND OLD.efface_le IS NULL AND NEW.efface_le IS NOT NULL
            AND NEW.signature_png IS NULL AND COALESCE(to_jsonb(NEW) ->> 'note', '') = ''
            AND (to_jsonb(NEW) - effaces) IS NOT DISTINCT FROM (to_jsonb(OLD) - effaces) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'a handover or a return is never changed nor deleted'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""

# The functions of migration 0003_immuabilite_recus, as they were.
REVENIR = r"""
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

CREATE OR REPLACE FUNCTION equipements_acte_fige() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'a handover or a return is never changed nor deleted'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""


def creer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREER, params=None)


def revenir(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVENIR, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("equipements", "0013_retardataires"),
        ("logements", "0007_bailleur_adresse"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="recu",
            name="recu_pdf_avec_empreinte",
        ),
        migrations.RemoveConstraint(
            model_name="remise",
            name="remise_signee",
        ),
        migrations.RemoveConstraint(
            model_name="restitution",
            name="restitution_signee",
        ),
        migrations.AddField(
            model_name="recu",
            name="pdf_efface_le",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="PDF erased on"),
        ),
        migrations.AddField(
            model_name="remise",
            name="efface_le",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="personal data erased on"
            ),
        ),
        migrations.AddField(
            model_name="restitution",
            name="efface_le",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="personal data erased on"
            ),
        ),
        migrations.AddConstraint(
            model_name="recu",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("pdf", ""), ("sha256", "")),
                    models.Q(models.Q(("pdf", ""), _negated=True), models.Q(("sha256", ""), _negated=True)),
                    models.Q(
                        ("pdf", ""), ("pdf_efface_le__isnull", False), models.Q(("sha256", ""), _negated=True)
                    ),
                    _connector="OR",
                ),
                name="recu_pdf_avec_empreinte",
            ),
        ),
        migrations.AddConstraint(
            model_name="remise",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("signe_sur_papier", True),
                    ("signature_png__isnull", False),
                    ("efface_le__isnull", False),
                    _connector="OR",
                ),
                name="remise_signee",
            ),
        ),
        migrations.AddConstraint(
            model_name="restitution",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("signe_sur_papier", True),
                    ("signature_png__isnull", False),
                    ("efface_le__isnull", False),
                    _connector="OR",
                ),
                name="restitution_signee",
            ),
        ),
        migrations.RunPython(creer, revenir),
    ]
