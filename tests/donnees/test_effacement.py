"""Erasure on request (donnees/effacement.py): a household with a rich history is erased, then every text
column of every table and every stored file is scanned for its names, phones and emails; the statistics
before and after are equal; the legal holds stay; pending matters refuse it unless overridden."""

import datetime
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from ateliers import services_visa
from ateliers.models import (
    Atelier,
    Besoin,
    Certificat,
    Evaluation,
    Inscription,
    Message,
    Presence,
    Referentiel,
    Seance,
    Structure,
    TentativeContact,
)
from donnees import effacement
from donnees.models import Effacement
from equipements import paiements
from equipements import services as equipements_services
from equipements import services_ordinateurs as pc_services
from equipements.lettres import lettres_pdf
from equipements.models import (
    Decodeur,
    EnvoiLettres,
    Lettre,
    Ordinateur,
    Paiement,
    Recu,
    Remise,
    Restitution,
    Vente,
)
from equipements.selectors_paiements import journal_caisse
from equipements.services_retardataires import NATURE_LETTRES
from ipt.journal import journaliser
from ipt.models import Evenement, Travail
from logements import services as logements_services
from logements.models import Foyer, Personne
from pilotage.entonnoir import Filtre, entonnoir
from quartiers.models import Quartier
from tests.equipements.conftest import PNG_1PX
from tests.factories import (
    AdhesionFactory,
    CampagneFactory,
    FoyerFactory,
    LogementFactory,
    VisiteFactory,
)

NOM = "Zablocki"
PRENOMS = ("Gwenaëlle", "Théodoric")
TELEPHONES = ("06 71 82 93 04", "07 12 34 98 76")
EMAILS = ("gwen.zablocki@example.org", "theo.z@example.org")
VOISIN = "Quintrec"  # another household of the same quartier, which stays as it is


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def histoire(db, media, quartier, immeuble, ville_user, accueil_user, django_capture_on_commit_callbacks):
    """A household with a rich history: opted in, a decoder handed out (signed on the screen) and returned,
    a PC sold and fully paid with its receipts' PDFs, workshops, attendance, a Visa certificate's PDF,
    messages, notes, a letter batch, audit entries and an admin log entry."""
    quartier.statut = Quartier.Statut.ADOPTE
    quartier.save()
    foyer = FoyerFactory(
        logement=LogementFactory(immeuble=immeuble, connecte_depuis=datetime.date(2020, 1, 1)),
        nom=NOM,
        telephone=TELEPHONES[0],
        email=EMAILS[0],
        emmenage_le=datetime.date(2019, 5, 1),
    )
    voisin = FoyerFactory(logement=LogementFactory(immeuble=immeuble), nom=VOISIN, telephone="02 98 00 11 22")
    AdhesionFactory(foyer=voisin)
    logements_services.adhesion_enregistrer(
        foyer=foyer,
        type="adhesion",
        date=datetime.date(2026, 3, 2),
        note=f"Mme {NOM} appellera",
        par=accueil_user,
    )
    logements_services.foyer_profil_enregistrer(
        foyer=foyer, minima_sociaux=True, personne_isolee=False, famille_monoparentale=True, par=accueil_user
    )
    gwen = logements_services.personne_ajouter(
        foyer=foyer, prenom=PRENOMS[0], nom=NOM, telephone=TELEPHONES[1], email=EMAILS[0], par=accueil_user
    )
    theo = logements_services.personne_ajouter(
        foyer=foyer, prenom=PRENOMS[1], nom=NOM, email=EMAILS[1], annee_naissance=1961, par=accueil_user
    )

    # A decoder handed out with an on-screen signature, then returned; the receipts' PDFs rendered.
    Decodeur.objects.create(numero_serie="ZB0001", modele="Box 4K")
    Decodeur.objects.create(numero_serie="ZB0002", modele="Box 4K")
    remise = equipements_services.remise_enregistrer(
        foyer=foyer, numeros=["ZB0001"], signature=PNG_1PX, par=accueil_user, rendre_pdf=False
    )
    restitution = equipements_services.restitution_enregistrer(
        foyer=foyer,
        lignes=list(remise.lignes.all()),
        motif="echange",
        etat="defectueux",
        note=f"Rendu par {PRENOMS[1]} {NOM}",
        signature=PNG_1PX,
        par=accueil_user,
        rendre_pdf=False,
    )
    equipements_services.remise_enregistrer(
        foyer=voisin, numeros=["ZB0002"], signe_sur_papier=True, par=accueil_user, rendre_pdf=False
    )
    for recu in (remise.recu, restitution.recu):
        equipements_services.recu_pdf(recu=recu)

    # A PC sold in two instalments and fully paid, the payments' receipts rendered.
    pc = Ordinateur.objects.create(
        reference="RCY-Z0001",
        type="portable",
        processeur="Intel Core i5",
        memoire="8 Go",
        stockage="256 Go SSD",
        systeme="Linux Mint",
        attestation_effacement="EFF-Z0001",
        recu_le=datetime.date(2026, 1, 10),
    )
    from tests.equipements.outils_paiements import offre

    offre()
    vente = pc_services.vente_enregistrer(foyer=foyer, ordinateur=pc, nb_echeances=2, par=accueil_user)
    for montant in (Decimal("20.00"), vente.prix - Decimal("20.00")):
        paiement = paiements.encaisser(
            vente=vente, montant=montant, mode="especes", par=accueil_user, rendre_pdf=False
        )
        paiements.paiement_recu_pdf(recu=paiement.recu)

    # Workshops: sign-ups, attendance, a need, a contact attempt, messages; a Visa certificate's PDF.
    structure = Structure.objects.create(nom="Association Clic (fictive)")
    atelier = Atelier.objects.create(titre="Premiers pas", structure=structure)
    seance = Seance.objects.create(
        atelier=atelier,
        quartier=quartier,
        debut=timezone.now() - datetime.timedelta(days=2),
        duree=datetime.timedelta(hours=2),
        lieu="Centre social",
        capacite=10,
    )
    for personne in (gwen, theo):
        Inscription.objects.create(personne=personne, seance=seance, par=accueil_user)
        Presence.objects.create(personne=personne, seance=seance, etat="present", saisie_par=accueil_user)
    Besoin.objects.create(personne=gwen, quartier=quartier, note=f"{PRENOMS[0]} veut apprendre les mails")
    TentativeContact.objects.create(
        foyer=foyer, canal="telephone", issue="rappeler", note=f"Appelé au {TELEPHONES[0]}", par=accueil_user
    )
    Message.objects.create(
        personne=gwen,
        seance=seance,
        cle="test:rappel",
        objet="Rappel : Premiers pas",
        texte=f"Bonjour {PRENOMS[0]}, rappel de votre atelier.",
        destination=TELEPHONES[1],
        canal="sms",
        statut=Message.Statut.ENVOYE,
        envoye_le=timezone.now(),
    )
    Evaluation.objects.bulk_create(
        Evaluation(personne=gwen, competence=c, etat="acquise", par=accueil_user, le=timezone.now())
        for c in Referentiel.objects.courant().competences.all()
    )
    certificat = services_visa.certificat_emettre(
        personne=gwen, structure=structure, par=accueil_user, rendre_pdf=False
    )
    services_visa.certificat_pdf(certificat=certificat)

    # A door-to-door visit's note, a letter batch and its file, audit entries that name them.
    VisiteFactory(
        campagne=CampagneFactory(quartier=quartier),
        logement=foyer.logement,
        date=datetime.date(2025, 6, 1),
        note=f"{NOM} intéressés, rappeler {TELEPHONES[0]}",
    )
    envoi = EnvoiLettres.objects.create(quartier=quartier, etape="invitation", date=timezone.localdate())
    Lettre.objects.create(envoi=envoi, foyer=foyer, rang=1)
    Lettre.objects.create(envoi=envoi, foyer=voisin, rang=2)
    travail = Travail(
        nature=NATURE_LETTRES,
        parametres={"envoi": envoi.pk, "quartier": quartier.pk},
        statut=Travail.Statut.TERMINE,
    )
    travail.fichier.save("lettres.pdf", ContentFile(lettres_pdf(envoi)), save=False)
    travail.save()
    journaliser(
        par=ville_user,
        action="test.note",
        message=f"Appel de {PRENOMS[0]} {NOM} ({EMAILS[0]}, {TELEPHONES[1].replace(' ', '')})",
    )
    LogEntry.objects.create(
        user=ville_user,
        content_type=ContentType.objects.get_for_model(Foyer),
        object_id=str(foyer.pk),
        object_repr=str(foyer),
        action_flag=CHANGE,
        change_message=f"Nom changé en {NOM}",
    )
    return {"foyer": foyer, "voisin": voisin, "personnes": [gwen, theo], "vente": vente, "quartier": quartier}


def _termes() -> list[str]:
    termes = [NOM, *PRENOMS, *EMAILS]
    for telephone in TELEPHONES:
        termes += [telephone, telephone.replace(" ", ""), "+33" + telephone.replace(" ", "")[1:]]
    return termes


def _scanner_base() -> list[str]:
    """Every text, varchar, json and bytea column of every table, cast to text, searched for the terms."""
    trouve = []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT table_name, column_name, data_type FROM information_schema.columns
            WHERE table_schema = 'public'
              AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea')
            """
        )
        colonnes = cursor.fetchall()
        for table, colonne, type_ in colonnes:
            expression = (
                f"encode({connection.ops.quote_name(colonne)}, 'escape')"
                if type_ == "bytea"
                else f"{connection.ops.quote_name(colonne)}::text"
            )
            for terme in _termes():
                cursor.execute(
                    f"SELECT count(*) FROM {connection.ops.quote_name(table)} "  # noqa: S608 — schema names
                    f"WHERE {expression} ILIKE %s",
                    [f"%{terme}%"],
                )
                if cursor.fetchone()[0]:
                    trouve.append(f"{table}.{colonne}: {terme}")
    return trouve


def _texte_fichier(chemin: Path) -> str:
    contenu = chemin.read_bytes()
    if contenu.startswith(b"%PDF"):
        sortie = subprocess.run(  # noqa: S603
            [shutil.which("pdftotext") or "pdftotext", "-q", str(chemin), "-"],
            capture_output=True,
            check=True,
        )
        return sortie.stdout.decode()
    return contenu.decode("utf-8", "replace")


def _scanner_fichiers(media) -> list[str]:
    trouve = []
    for chemin in Path(media).rglob("*"):
        if chemin.is_file():
            texte = " ".join(_texte_fichier(chemin).split()).casefold()
            trouve += [f"{chemin.name}: {t}" for t in _termes() if t.casefold() in texte]
    return trouve


def _statistiques(quartier) -> dict:
    lignes, ville = entonnoir(Filtre(fin=timezone.localdate(), quartiers=(quartier.pk,)))
    caisse = journal_caisse(quartier.centre_social, datetime.date(2020, 1, 1), timezone.localdate())
    return {
        "entonnoir": [vars(ligne) for ligne in lignes] + [vars(ville)],
        "caisse": (caisse.total, len(caisse.lignes), caisse.par_mode, caisse.par_benevole),
        "remises": Remise.objects.count(),
        "restitutions": Restitution.objects.count(),
        "ventes": Vente.objects.count(),
        "presences": Presence.objects.count(),
        "inscriptions": Inscription.objects.count(),
        "foyers": Foyer.objects.count(),
        "personnes": Personne.objects.count(),
        "profils": list(Foyer.objects.order_by("pk").values_list("minima_sociaux", "famille_monoparentale")),
    }


def test_avant_effacement_le_scan_trouve_les_noms(histoire, media):
    """The scan is honest: before the erasure it finds the names in the base and in the files."""
    assert any(NOM in t for t in _scanner_base())
    assert any(NOM.casefold() in t.casefold() for t in _scanner_fichiers(media))


def test_effacement_ne_laisse_aucun_nom_et_garde_les_statistiques(
    histoire, media, ville_user, django_capture_on_commit_callbacks
):
    foyer, vente = histoire["foyer"], histoire["vente"]
    avant = _statistiques(histoire["quartier"])
    paiements_avant = list(
        Paiement.objects.filter(vente=vente).order_by("pk").values_list("recu__numero", "date", "montant")
    )
    recus_avant = list(Recu.objects.order_by("pk").values_list("numero", "emis_le", "sha256"))

    with django_capture_on_commit_callbacks(execute=True):
        fait = effacement.effacer(foyer=foyer, par=ville_user, motif="Demande écrite reçue le 28/11/2026")

    assert _scanner_base() == []
    assert _scanner_fichiers(media) == []
    assert _statistiques(histoire["quartier"]) == avant
    assert (
        list(
            Paiement.objects.filter(vente=vente).order_by("pk").values_list("recu__numero", "date", "montant")
        )
        == paiements_avant
    )
    assert list(Recu.objects.order_by("pk").values_list("numero", "emis_le", "sha256")) == recus_avant
    # The neighbour is untouched; the erased household is there, anonymous.
    assert Foyer.objects.get(pk=histoire["voisin"].pk).nom == VOISIN
    foyer.refresh_from_db()
    assert foyer.nom == "Foyer anonymisé" and foyer.minima_sociaux in (True, None)
    assert NOM.casefold() not in foyer.recherche
    # The record of it names no one, the audit trail says who did it.
    assert fait.comptes["logements.Personne"] == 2 and fait.fichiers >= 5
    entree = Evenement.objects.get(action="donnees.effacement")
    assert f"n°{foyer.pk}" in entree.message.replace("no. ", "n°") and ville_user.username in entree.message
    # The receipt and the certificate are still served, anonymised; the public page says so.
    remise = Remise.objects.get(foyer=foyer)
    assert remise.signature_png is None and remise.efface_le is not None
    assert equipements_services.recu_pdf(recu=remise.recu).startswith(b"%PDF")
    certificat = Certificat.objects.get(personne=histoire["personnes"][0])
    assert certificat.numero and certificat.efface_le and not certificat.pdf
    assert services_visa.certificat_pdf(certificat=certificat).startswith(b"%PDF")
    # The letter batch's file went; its rows stay.
    travail = Travail.objects.get(nature=NATURE_LETTRES)
    assert not travail.fichier and Lettre.objects.filter(foyer=foyer).exists()


def test_un_second_effacement_ne_change_rien(histoire, media, ville_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        effacement.effacer(foyer=histoire["foyer"], par=ville_user, motif="Demande du 28/11/2026")
    evenements = list(Evenement.objects.exclude(action="donnees.effacement").order_by("pk").values())
    foyers = list(Foyer.objects.order_by("pk").values())
    personnes = list(Personne.objects.order_by("pk").values())
    with django_capture_on_commit_callbacks(execute=True):
        second = effacement.effacer(foyer=histoire["foyer"], par=ville_user, motif="Doublon de la demande")
    assert second.comptes == {} and second.fichiers == 0
    assert list(Evenement.objects.exclude(action="donnees.effacement").order_by("pk").values()) == evenements
    assert list(Foyer.objects.order_by("pk").values()) == foyers
    assert list(Personne.objects.order_by("pk").values()) == personnes


def test_effacer_une_personne_seule(histoire, media, ville_user, django_capture_on_commit_callbacks):
    theo = histoire["personnes"][1]
    with django_capture_on_commit_callbacks(execute=True):
        effacement.effacer(personne=theo, par=ville_user, motif="Demande orale à l'accueil")
    theo.refresh_from_db()
    assert (theo.prenom, theo.nom, theo.email, theo.annee_naissance) == ("Personne", "anonymisée", "", None)
    foyer = Foyer.objects.get(pk=histoire["foyer"].pk)
    assert foyer.nom == NOM  # the household is not erased
    assert PRENOMS[1].casefold() not in foyer.recherche


def test_refuse_tant_qu_un_pc_n_est_pas_paye_sauf_derogation(
    db, media, immeuble, accueil_user, ville_user, django_capture_on_commit_callbacks
):
    from tests.equipements.outils_paiements import vente_creer

    foyer = FoyerFactory(logement=LogementFactory(immeuble=immeuble), nom="Kerjean")
    vente_creer(foyer, prix="40.00", nb=2, date=datetime.date(2026, 9, 15), par=accueil_user)
    apercu = effacement.apercu(foyer=foyer)
    assert apercu.bloque and "40,00" in apercu.blocages[0]
    with pytest.raises(ValidationError) as erreur:
        effacement.effacer(foyer=foyer, par=ville_user, motif="Demande du 28/11/2026")
    assert "RCY-T" in " ".join(erreur.value.messages)
    assert Foyer.objects.get(pk=foyer.pk).nom == "Kerjean"
    with django_capture_on_commit_callbacks(execute=True):
        fait = effacement.effacer(
            foyer=foyer,
            par=ville_user,
            motif="Demande du 28/11/2026",
            motif_derogation="Dette abandonnée en commission",
        )
    assert fait.blocages and fait.motif_derogation
    assert Foyer.objects.get(pk=foyer.pk).nom == "Foyer anonymisé"


def test_refuse_tant_qu_un_decodeur_n_est_pas_rendu(db, media, immeuble, quartier, accueil_user, ville_user):
    quartier.statut = Quartier.Statut.ADOPTE
    quartier.save()
    foyer = FoyerFactory(logement=LogementFactory(immeuble=immeuble), nom="Kerjean")
    AdhesionFactory(foyer=foyer)
    Decodeur.objects.create(numero_serie="ZB0100", modele="Box 4K")
    equipements_services.remise_enregistrer(
        foyer=foyer, numeros=["ZB0100"], signe_sur_papier=True, par=accueil_user, rendre_pdf=False
    )
    with pytest.raises(ValidationError) as erreur:
        effacement.effacer(foyer=foyer, par=ville_user, motif="Demande du 28/11/2026")
    assert any("ZB0100" in m for m in erreur.value.messages)


def test_le_motif_ne_peut_pas_nommer_la_personne(histoire, ville_user):
    with pytest.raises(ValidationError) as erreur:
        effacement.effacer(foyer=histoire["foyer"], par=ville_user, motif=f"Demande de Mme {NOM}")
    assert f"« {NOM} »" in " ".join(erreur.value.messages)  # the word to take out, said
    assert Foyer.objects.get(pk=histoire["foyer"].pk).nom == NOM


def test_un_lot_de_lettres_d_ateliers_part_s_il_inclut_la_personne_et_seulement_alors(
    histoire, media, ville_user, django_capture_on_commit_callbacks
):
    """A batch of workshop letters is deleted when one of its letters went to the person; another
    batch stays, even when its text holds the household's name as a word (a street, "Saint-…")."""
    gwen = histoire["personnes"][0]
    voisin = Personne.objects.create(foyer=histoire["voisin"], prenom="Anna", nom=VOISIN)

    def lot(personne, texte: str) -> Travail:
        travail = Travail(nature="ateliers.lettres", statut=Travail.Statut.TERMINE, parametres={"jusqu_a": 0})
        travail.fichier.save("lettres-ateliers.txt", ContentFile(texte.encode()), save=False)
        travail.save()
        Message.objects.create(
            personne=personne,
            canal="courrier",
            cle=f"lot-{travail.pk}",
            objet="Invitation",
            texte="Bonjour",
            statut=Message.Statut.ENVOYE,
            envoye_le=timezone.now(),
            lot=travail,
        )
        return travail

    le_sien = lot(gwen, "Madame, …")
    un_autre = lot(voisin, f"Madame {VOISIN}, 3 rue Saint-{NOM}, 29200 Brest")
    with django_capture_on_commit_callbacks(execute=True):
        effacement.effacer(foyer=histoire["foyer"], par=ville_user, motif="Demande du 28/11/2026")
    le_sien.refresh_from_db()
    un_autre.refresh_from_db()
    assert not le_sien.fichier and un_autre.fichier
    assert (media / un_autre.fichier.name).exists()


def test_apercu_dit_ce_qui_part_et_ce_qui_reste(histoire):
    apercu = effacement.apercu(foyer=histoire["foyer"])
    par_modele = {ligne.traitement.label: ligne for ligne in apercu.lignes}
    assert par_modele["logements.Personne"].nombre == 2
    assert par_modele["equipements.Paiement"].traitement.obligation  # the legal hold says why
    assert any(c.sort == "statistique" for c in par_modele["logements.Foyer"].gardes)
    assert not apercu.bloque and apercu.evenements and apercu.travaux == 1 and apercu.visites == 1
    # A preview changes nothing.
    assert Foyer.objects.get(pk=histoire["foyer"].pk).nom == NOM


# --- The immutability triggers: the erasure passes, other edits are still refused -------------------


def _refuse(requete):
    with pytest.raises(IntegrityError), transaction.atomic():
        requete()


def test_les_declencheurs_laissent_passer_l_effacement_seulement(histoire):
    foyer = histoire["foyer"]
    maintenant = timezone.now()
    remise = Remise.objects.filter(foyer=foyer)
    _refuse(lambda: remise.update(signature_png=None))  # not marked
    _refuse(lambda: remise.update(signature_png=None, efface_le=maintenant, lieu="ailleurs"))
    _refuse(lambda: remise.update(efface_le=maintenant))  # the signature must go
    remise.update(signature_png=None, efface_le=maintenant)
    _refuse(lambda: remise.update(efface_le=None))  # once
    _refuse(lambda: Remise.objects.filter(foyer=foyer).delete())

    recus = Recu.objects.filter(remise__foyer=foyer)
    _refuse(lambda: recus.update(pdf=""))
    _refuse(lambda: recus.update(pdf="", sha256="", pdf_efface_le=maintenant))
    recus.update(pdf="", pdf_efface_le=maintenant)
    _refuse(lambda: recus.update(pdf="autre.pdf"))

    certificats = Certificat.objects.filter(personne__foyer=foyer)
    _refuse(lambda: certificats.update(nom="Autre"))
    _refuse(lambda: certificats.update(nom="anonymisée", efface_le=maintenant))  # the PDF must go too
    _refuse(lambda: certificats.update(pdf="", efface_le=maintenant, emis_le=datetime.date(2020, 1, 1)))
    certificats.update(prenom="Personne", nom="anonymisée", pdf="", efface_le=maintenant)
    _refuse(lambda: certificats.update(nom="Autre"))


# --- The pages ------------------------------------------------------------------------------------


def test_la_page_d_apercu_liste_et_l_accueil_ne_peut_pas_confirmer(
    histoire, client, accueil_user, django_assert_max_num_queries
):
    from donnees.models import Lecture

    client.force_login(accueil_user)
    url = reverse("donnees:effacement_foyer", args=[histoire["foyer"].pk])
    # One count per model of the register with records, plus the traces: fixed, whatever the history.
    with django_assert_max_num_queries(95):
        reponse = client.get(url)
    page = reponse.content.decode()
    assert reponse.status_code == 200 and 'id="apercu"' in page and "demande-ville" in page
    assert "form-effacement" not in page
    assert Lecture.objects.filter(foyer=histoire["foyer"], quoi="effacement").count() == 1
    assert client.post(url, {"motif": "Demande", "confirmation": "EFFACER"}).status_code == 403
    assert Foyer.objects.get(pk=histoire["foyer"].pk).nom == NOM


def test_la_ville_confirme_en_tapant_le_mot(histoire, client, ville_user, django_capture_on_commit_callbacks):
    client.force_login(ville_user)
    url = reverse("donnees:effacement_foyer", args=[histoire["foyer"].pk])
    reponse = client.post(url, {"motif": "Demande écrite du 28/11/2026", "confirmation": "oui"})
    assert reponse.status_code == 200 and "EFFACER" in reponse.content.decode()
    assert Foyer.objects.get(pk=histoire["foyer"].pk).nom == NOM
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(url, {"motif": "Demande écrite du 28/11/2026", "confirmation": "effacer"})
    fait = Effacement.objects.get()
    assert reponse.status_code == 302 and reponse.url == reverse("donnees:effacement_fait", args=[fait.pk])
    assert Foyer.objects.get(pk=histoire["foyer"].pk).nom == "Foyer anonymisé"
    page = client.get(reponse.url).content.decode()
    assert "Demande écrite du 28/11/2026" in page and NOM not in page


def test_la_page_demande_une_derogation_si_quelque_chose_est_en_attente(
    db, client, immeuble, accueil_user, ville_user
):
    from tests.equipements.outils_paiements import vente_creer

    foyer = FoyerFactory(logement=LogementFactory(immeuble=immeuble), nom="Kerjean")
    vente_creer(foyer, prix="40.00", nb=2, date=datetime.date(2026, 9, 15), par=accueil_user)
    client.force_login(ville_user)
    url = reverse("donnees:effacement_foyer", args=[foyer.pk])
    page = client.get(url).content.decode()
    assert "blocages" in page and "id_motif_derogation" in page
    reponse = client.post(url, {"motif": "Demande du 28/11", "confirmation": "EFFACER"})
    assert reponse.status_code == 200 and Foyer.objects.get(pk=foyer.pk).nom == "Kerjean"


def test_la_page_publique_du_certificat_dit_que_le_titulaire_est_efface(
    histoire, client, ville_user, django_capture_on_commit_callbacks
):
    from ateliers.modeles_visa import code_afficher

    certificat = Certificat.objects.get(personne=histoire["personnes"][0])
    url = reverse("visa_verifier", args=[code_afficher(certificat.code)])
    assert "G. Z." in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        effacement.effacer(foyer=histoire["foyer"], par=ville_user, motif="Demande du 28/11/2026")
    page = client.get(url).content.decode()
    assert "effacées à sa demande" in page and "G. Z." not in page and "P. A." not in page
