"""PostgreSQL triggers: what the models refuse, the database refuses too.

- a ballot (``votes_bulletin``) is never deleted, and never changed except once, to cancel it (who,
  when, why); it is inserted or cancelled only while its vote is open, for a dwelling on its roll;
- the roll (``votes_inscrit``) is written only while its vote is a draft (it is frozen on opening);
- a vote (``votes_scrutin``) moves only forward (draft → open → closed → published); once closed its
  counts, result and fingerprint never change — only its publication and the service start are added.

SQLite (``make run``) relies on the model guards alone. Errors use SQLSTATE 23000 (integrity constraint
violation), so Django raises ``IntegrityError``.
"""

from django.db import migrations

FONCTIONS = r"""
CREATE OR REPLACE FUNCTION votes_bulletin_immuable() RETURNS trigger AS $$
DECLARE
    statut_scrutin text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'Un bulletin n''est jamais supprimé : il est annulé avec un motif.'
            USING ERRCODE = '23000';
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF OLD.annule_le IS NOT NULL THEN
            RAISE EXCEPTION 'Un bulletin annulé ne change plus.' USING ERRCODE = '23000';
        END IF;
        IF NEW.id <> OLD.id OR NEW.scrutin_id <> OLD.scrutin_id OR NEW.inscrit_id <> OLD.inscrit_id
           OR NEW.logement_id <> OLD.logement_id OR NEW.choix <> OLD.choix OR NEW.canal <> OLD.canal
           OR NEW.saisi_par_id IS DISTINCT FROM OLD.saisi_par_id OR NEW.saisi_le <> OLD.saisi_le
           OR NEW.remplace_id IS DISTINCT FROM OLD.remplace_id THEN
            RAISE EXCEPTION 'Un bulletin ne se modifie pas : il est annulé avec un motif et un nouveau est saisi.'
                USING ERRCODE = '23000';
        END IF;
    END IF;
    SELECT statut INTO statut_scrutin FROM votes_scrutin WHERE id = NEW.scrutin_id;
    IF statut_scrutin IS DISTINCT FROM 'ouvert' THEN
        RAISE EXCEPTION 'Le scrutin n''est pas ouvert : aucun bulletin ne peut être saisi ni annulé.'
            USING ERRCODE = '23000';
    END IF;
    IF TG_OP = 'INSERT' AND NOT EXISTS (
        SELECT 1 FROM votes_inscrit
        WHERE id = NEW.inscrit_id AND scrutin_id = NEW.scrutin_id AND logement_id = NEW.logement_id
    ) THEN
        RAISE EXCEPTION 'Ce logement n''est pas inscrit sur la liste de ce scrutin.' USING ERRCODE = '23000';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION votes_inscrit_gele() RETURNS trigger AS $$
DECLARE
    statut_scrutin text;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'La liste des logements d''un scrutin ne se modifie pas.' USING ERRCODE = '23000';
    END IF;
    SELECT statut INTO statut_scrutin FROM votes_scrutin
        WHERE id = (CASE WHEN TG_OP = 'DELETE' THEN OLD.scrutin_id ELSE NEW.scrutin_id END);
    IF statut_scrutin IS NOT NULL AND statut_scrutin <> 'brouillon' THEN
        RAISE EXCEPTION 'La liste des logements est gelée depuis l''ouverture du scrutin.' USING ERRCODE = '23000';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION votes_scrutin_en_avant() RETURNS trigger AS $$
BEGIN
    IF NEW.statut <> OLD.statut AND NOT (
        (OLD.statut = 'brouillon' AND NEW.statut = 'ouvert')
        OR (OLD.statut = 'ouvert' AND NEW.statut = 'clos')
        OR (OLD.statut = 'clos' AND NEW.statut = 'publie')
    ) THEN
        RAISE EXCEPTION 'Un scrutin ne revient pas en arrière (% → %).', OLD.statut, NEW.statut
            USING ERRCODE = '23000';
    END IF;
    IF OLD.statut IN ('ouvert', 'clos', 'publie') AND (
        NEW.quartier_id <> OLD.quartier_id OR NEW.regle <> OLD.regle
        OR NEW.seuil_participation IS DISTINCT FROM OLD.seuil_participation
        OR NEW.seuil_majorite <> OLD.seuil_majorite OR NEW.quorum IS DISTINCT FROM OLD.quorum
        OR NEW.notifie_le IS DISTINCT FROM OLD.notifie_le OR NEW.delai_mois IS DISTINCT FROM OLD.delai_mois
        OR NEW.question <> OLD.question OR NEW.ouvre_le <> OLD.ouvre_le OR NEW.nb_inscrits <> OLD.nb_inscrits
    ) THEN
        RAISE EXCEPTION 'La règle, la question et la liste d''un scrutin ouvert ne changent plus.'
            USING ERRCODE = '23000';
    END IF;
    IF OLD.statut IN ('clos', 'publie') AND (
        NEW.ferme_le <> OLD.ferme_le OR NEW.resultat <> OLD.resultat OR NEW.decompte <> OLD.decompte
        OR NEW.empreinte <> OLD.empreinte OR NEW.clos_le IS DISTINCT FROM OLD.clos_le
        OR NEW.clos_par_id IS DISTINCT FROM OLD.clos_par_id
        OR (OLD.date_debut_service IS NOT NULL AND NEW.date_debut_service IS DISTINCT FROM OLD.date_debut_service)
    ) THEN
        RAISE EXCEPTION 'Le décompte et le résultat d''un scrutin clos ne changent plus.' USING ERRCODE = '23000';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER votes_bulletin_immuable BEFORE INSERT OR UPDATE OR DELETE ON votes_bulletin
    FOR EACH ROW EXECUTE FUNCTION votes_bulletin_immuable();
CREATE TRIGGER votes_inscrit_gele BEFORE INSERT OR UPDATE OR DELETE ON votes_inscrit
    FOR EACH ROW EXECUTE FUNCTION votes_inscrit_gele();
CREATE TRIGGER votes_scrutin_en_avant BEFORE UPDATE ON votes_scrutin
    FOR EACH ROW EXECUTE FUNCTION votes_scrutin_en_avant();
"""

SUPPRESSION = """
DROP TRIGGER IF EXISTS votes_scrutin_en_avant ON votes_scrutin;
DROP TRIGGER IF EXISTS votes_inscrit_gele ON votes_inscrit;
DROP TRIGGER IF EXISTS votes_bulletin_immuable ON votes_bulletin;
DROP FUNCTION IF EXISTS votes_scrutin_en_avant();
DROP FUNCTION IF EXISTS votes_inscrit_gele();
DROP FUNCTION IF EXISTS votes_bulletin_immuable();
"""


def creer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FONCTIONS, params=None)


def supprimer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SUPPRESSION, params=None)


class Migration(migrations.Migration):
    dependencies = [("votes", "0001_initial")]

    operations = [migrations.RunPython(creer, supprimer)]
