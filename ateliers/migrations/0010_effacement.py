"""Erasure on request (donnees/effacement.py) lets exactly its change through the certificate's trigger.

``ateliers_certificat``: once, ``efface_le`` set, the holder's ``prenom`` and ``nom`` replaced and the
``pdf`` emptied; the number, the code, the dates and the SHA-256 stay. Everything else as migration
0004_visa_immuabilite: never deleted, the PDF attached once, the revocation recorded once.
"""

from django.conf import settings
from django.db import migrations, models

FONCTION = r"""
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
    -- Erasure on request, once: the holder's name and the PDF go.
    IF OLD.efface_le IS NULL AND NEW.efface_le IS NOT NULL AND NEW.pdf = '' THEN
        avant := avant - ARRAY['prenom', 'nom', 'pdf', 'efface_le'];
        apres := apres - ARRAY['prenom', 'nom', 'pdf', 'efface_le'];
    END IF;
    IF avant IS DISTINCT FROM apres THEN
        RAISE EXCEPTION 'certificate % is issued: it may only be revoked', OLD.numero
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""

# Without the erasure branch: the function of migration 0004_visa_immuabilite.
SANS_EFFACEMENT = FONCTION.replace(
    """    -- Erasure on request, once: the holder's name and the PDF go.
    IF OLD.efface_le IS NULL AND NEW.efface_le IS NOT NULL AND NEW.pdf = '' THEN
        avant := avant - ARRAY['prenom', 'nom', 'pdf', 'efface_le'];
        apres := apres - ARRAY['prenom', 'nom', 'pdf', 'efface_le'];
    END IF;
""",
    "",
)


def creer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FONCTION, params=None)


def revenir(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SANS_EFFACEMENT, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("ateliers", "0009_messages"),
        ("logements", "0007_bailleur_adresse"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="certificat",
            name="certificat_pdf_avec_empreinte",
        ),
        migrations.AddField(
            model_name="certificat",
            name="efface_le",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="holder's data erased on"
            ),
        ),
        migrations.AddConstraint(
            model_name="certificat",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("pdf", ""), ("sha256", "")),
                    models.Q(models.Q(("pdf", ""), _negated=True), models.Q(("sha256", ""), _negated=True)),
                    models.Q(
                        ("efface_le__isnull", False), ("pdf", ""), models.Q(("sha256", ""), _negated=True)
                    ),
                    _connector="OR",
                ),
                name="certificat_pdf_avec_empreinte",
            ),
        ),
        migrations.RunPython(creer, revenir),
    ]
