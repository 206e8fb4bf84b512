"""Handovers and returns: each refusal writes nothing; receipts numbered, final, read back."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from equipements import services
from equipements.models import Decodeur, LigneRemise, Recu, RecuFige, Remise, Restitution
from ipt.models import Evenement
from logements.models import Adhesion
from quartiers.models import Quartier
from tests.equipements.conftest import PNG_1PX, foyer_adherent
from tests.factories import AdhesionFactory, FoyerFactory, LogementFactory
from tests.pdf import pdf_texte

pytestmark = pytest.mark.django_db
JOUR = datetime.date(2026, 2, 26)


def remettre(foyer, numeros, par, **kw):
    kw.setdefault("signature", PNG_1PX)
    return services.remise_enregistrer(foyer=foyer, numeros=numeros, date=JOUR, par=par, **kw)


def rien_ecrit():
    assert Remise.objects.count() == 0
    assert Recu.objects.count() == 0
    assert LigneRemise.objects.count() == 0
    assert not Evenement.objects.filter(action__startswith="equipements.").exists()


def test_a_handover_of_a_scanned_serial_and_another_item_gives_one_numbered_receipt(
    foyer, stock, journee, accueil_user
):
    remise = remettre(foyer, [" sn-00001 "], accueil_user, autres=["Câble HDMI"], journee=journee)
    assert remise.recu.numero == "REM-2026-00001"
    assert remise.lieu == "Centre social de Keredern"
    assert [str(ligne) for ligne in remise.lignes.all()] == ["Box 4K SN00001", "Câble HDMI"]
    assert Decodeur.objects.get(numero_serie="SN00001").statut == Decodeur.Statut.REMIS
    assert Evenement.objects.get(action="equipements.remise").objet_id == str(remise.pk)
    texte = pdf_texte(bytes(remise.recu.pdf.open("rb").read()))
    for attendu in [
        "REM-2026-00001",
        foyer.nom,
        "SN00001",
        "Câble HDMI",
        "Box 4K",
        accueil_user.get_full_name(),
        "26 février 2026",
        "Centre social de Keredern",
        "Ville de Brest",
        "propriété",
    ]:
        assert attendu in texte, attendu
    assert remise.recu.sha256 and len(remise.recu.sha256) == 64
    deuxieme = remettre(
        foyer_adherent(foyer.logement.immeuble, "Famille Le Gall"),
        ["SN00002"],
        accueil_user,
        signature=None,
        signe_sur_papier=True,
    )
    assert deuxieme.recu.numero == "REM-2026-00002"


def test_unknown_serial_is_refused_and_nothing_is_written(foyer, stock, accueil_user):
    with pytest.raises(ValidationError, match="ZZ999 n’est pas dans le stock|ZZ999 is not in the stock"):
        remettre(foyer, ["SN00001", "zz999"], accueil_user)
    rien_ecrit()
    assert Decodeur.objects.get(numero_serie="SN00001").statut == Decodeur.Statut.EN_STOCK


def test_serial_with_another_household_is_refused_naming_the_day_the_place_and_the_volunteer(
    foyer, stock, journee, accueil_user
):
    remettre(foyer, ["SN00001"], accueil_user, journee=journee)
    autre = foyer_adherent(foyer.logement.immeuble, "Famille Le Gall")
    with pytest.raises(ValidationError) as erreur:
        remettre(autre, ["SN00001"], accueil_user)
    message = erreur.value.messages[0]
    assert erreur.value.code == "deja_remis"
    for attendu in [
        "SN00001",
        "26 février 2026",
        "Centre social de Keredern",
        accueil_user.get_full_name(),
        "REM-2026-00001",
    ]:
        assert attendu in message, attendu
    assert Remise.objects.count() == 1 and Recu.objects.count() == 1


def test_household_not_opted_in_is_refused(adopte, immeuble, stock, accueil_user):
    foyer = FoyerFactory(logement=LogementFactory(immeuble=immeuble))
    with pytest.raises(ValidationError) as erreur:
        remettre(foyer, ["SN00001"], accueil_user)
    assert erreur.value.code == "non_adherent"
    AdhesionFactory(foyer=foyer, type=Adhesion.Type.DESISTEMENT, date=datetime.date(2016, 1, 1))
    with pytest.raises(ValidationError):
        remettre(foyer, ["SN00001"], accueil_user)
    rien_ecrit()


@pytest.mark.parametrize("statut", [Quartier.Statut.CAMPAGNE, Quartier.Statut.REJETE, Quartier.Statut.SORTI])
def test_dwelling_outside_an_adopted_quartier_is_refused(quartier, immeuble, stock, accueil_user, statut):
    quartier.statut = statut
    quartier.save()
    with pytest.raises(ValidationError) as erreur:
        remettre(foyer_adherent(immeuble), ["SN00001"], accueil_user)
    assert erreur.value.code == "quartier_non_adopte"
    rien_ecrit()


def test_unsigned_or_a_forged_signature_is_refused(foyer, stock, accueil_user):
    with pytest.raises(ValidationError):
        remettre(foyer, ["SN00001"], accueil_user, signature=None)
    with pytest.raises(ValidationError):
        remettre(foyer, ["SN00001"], accueil_user, signature="data:image/png;base64,PHN2Zz4=")
    rien_ecrit()


def test_a_return_closes_the_items_and_the_decoder_can_be_handed_out_again(foyer, stock, accueil_user):
    remise = remettre(foyer, ["SN00001"], accueil_user, autres=["Télécommande"])
    restitution = services.restitution_enregistrer(
        foyer=foyer,
        lignes=list(remise.lignes.all()),
        motif=Restitution.Motif.DEMENAGEMENT,
        etat=Restitution.Etat.BON,
        date=JOUR,
        signe_sur_papier=True,
        par=accueil_user,
    )
    assert restitution.recu.numero == "RES-2026-00001"
    assert Decodeur.objects.get(numero_serie="SN00001").statut == Decodeur.Statut.RESTITUE
    texte = pdf_texte(restitution.recu.pdf.open("rb").read())
    assert "RES-2026-00001" in texte and "SN00001" in texte and "Déménagement" in texte
    with pytest.raises(ValidationError):  # already returned
        services.restitution_enregistrer(
            foyer=foyer,
            lignes=list(remise.lignes.all()),
            motif="demenagement",
            etat="bon",
            date=JOUR,
            signe_sur_papier=True,
            par=accueil_user,
        )
    autre = foyer_adherent(foyer.logement.immeuble, "Famille Le Gall")
    assert remettre(autre, ["SN00001"], accueil_user).recu.numero == "REM-2026-00002"


def test_a_faulty_decoder_returned_cannot_be_handed_out(foyer, stock, accueil_user):
    remise = remettre(foyer, ["SN00001"], accueil_user)
    services.restitution_enregistrer(
        foyer=foyer,
        lignes=list(remise.lignes.all()),
        motif="echange",
        etat="defectueux",
        date=JOUR,
        signe_sur_papier=True,
        par=accueil_user,
    )
    with pytest.raises(ValidationError) as erreur:
        remettre(foyer, ["SN00001"], accueil_user)
    assert erreur.value.code == "hors_service"
    assert remettre(foyer, ["SN00002"], accueil_user).recu.numero == "REM-2026-00002"


def test_reprinting_serves_the_same_file_and_an_issued_receipt_is_final(foyer, stock, accueil_user):
    remise = remettre(foyer, ["SN00001"], accueil_user, rendre_pdf=False)
    recu = Recu.objects.get(pk=remise.recu_id)
    assert recu.sha256 == ""
    premier = services.recu_pdf(recu=recu)
    assert services.recu_pdf(recu=recu) == premier
    recu = Recu.objects.get(pk=recu.pk)
    recu.conditions = "Autre texte"
    with pytest.raises(RecuFige):
        recu.save()
    with pytest.raises(RecuFige):
        recu.delete()


def test_the_database_refuses_to_change_an_issued_receipt_or_a_handover(foyer, stock, accueil_user):
    remise = remettre(foyer, ["SN00001"], accueil_user)
    for requete in [
        lambda: Recu.objects.filter(pk=remise.recu_id).update(conditions="x"),
        lambda: Recu.objects.filter(pk=remise.recu_id).update(sha256="0" * 64),
        lambda: Recu.objects.filter(pk=remise.recu_id).delete(),
        lambda: Remise.objects.filter(pk=remise.pk).update(lieu="ailleurs"),
        lambda: LigneRemise.objects.filter(remise=remise).update(description="autre"),
        lambda: LigneRemise.objects.filter(remise=remise).delete(),
    ]:
        with pytest.raises(IntegrityError), transaction.atomic():
            requete()


def test_the_database_lets_the_pdf_be_attached_once_only(foyer, stock, accueil_user):
    remise = remettre(foyer, ["SN00001"], accueil_user, rendre_pdf=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Recu.objects.filter(pk=remise.recu_id).update(numero="REM-2026-09999")
    Recu.objects.filter(pk=remise.recu_id).update(pdf="recus/x.pdf", sha256="a" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        Recu.objects.filter(pk=remise.recu_id).update(pdf="recus/y.pdf", sha256="b" * 64)
