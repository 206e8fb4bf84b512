"""The life of a vote through its services: open, enter, refuse, cancel, close, publish, start the service."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ipt.models import Evenement
from logements.models import Logement
from quartiers.models import Jalon, Quartier
from tests.factories import BulletinFactory, ImmeubleFactory, JalonFactory, QuartierFactory, UserFactory
from tests.votes.conftest import code_de, creer_scrutin, logements
from votes import codes, selectors, services
from votes.models import Bulletin, Regle, Scrutin
from votes.services import BulletinRefuse


def entrer(scrutin, logement, choix="oui", *, par, canal="ville"):
    return services.bulletin_enregistrer(
        scrutin_id=scrutin.pk, code=code_de(scrutin, logement), choix=choix, canal=canal, par=par
    )


def test_opening_freezes_the_roll_with_a_valid_unique_code_per_dwelling(scrutin):
    assert scrutin.statut == Scrutin.Statut.OUVERT
    assert scrutin.nb_inscrits == 12 == scrutin.inscrits.count()
    tous = list(scrutin.inscrits.values_list("code", flat=True))
    assert len(set(tous)) == 12
    assert all(codes.est_valide(c) for c in tous)


def test_a_dwelling_added_after_opening_is_not_on_the_roll(scrutin, immeuble):
    logements(immeuble, 1)
    assert scrutin.inscrits.count() == 12


def test_a_vote_on_chosen_buildings_concerns_only_their_dwellings(
    quartier, immeuble, logements_immeuble, autre_immeuble
):
    scrutin = creer_scrutin(quartier, immeubles=[autre_immeuble])
    assert set(scrutin.inscrits.values_list("immeuble", flat=True)) == {autre_immeuble.pk}
    assert scrutin.nb_inscrits == 4


def test_dwellings_that_left_the_programme_are_not_on_the_roll(quartier, immeuble, logements_immeuble):
    parti = logements_immeuble[0]
    Logement.objects.filter(pk=parti.pk).update(
        connecte_depuis=datetime.date(2015, 1, 1), sorti_le=datetime.date(2020, 1, 1)
    )
    scrutin = creer_scrutin(quartier)
    assert not scrutin.inscrits.filter(logement=parti).exists()


def test_opening_moves_the_campaign_quartier_to_vote_and_marks_the_milestone(immeuble, logements_immeuble):
    quartier = immeuble.quartier
    Quartier.objects.filter(pk=quartier.pk).update(statut=Quartier.Statut.CAMPAGNE)
    jalon = JalonFactory(campagne__quartier=quartier, type=Jalon.Type.VOTE, date_prevue=timezone.localdate())
    creer_scrutin(quartier)
    quartier.refresh_from_db()
    jalon.refresh_from_db()
    assert quartier.statut == Quartier.Statut.VOTE
    assert jalon.date_reelle == timezone.localdate()


def test_a_vote_without_dwellings_cannot_open(db):
    quartier = QuartierFactory()
    ImmeubleFactory(quartier=quartier)
    with pytest.raises(ValidationError, match="Aucun logement n’est concerné"):
        creer_scrutin(quartier)


def test_direct_agreement_must_close_within_two_months_of_the_notice(quartier, immeuble, logements_immeuble):
    with pytest.raises(ValidationError, match="clôturez le scrutin d’ici là"):
        creer_scrutin(
            quartier,
            notifie_le=timezone.localdate() - datetime.timedelta(days=70),
            ouvrir=False,
        )


def test_a_building_of_another_quartier_cannot_be_chosen(quartier, immeuble, logements_immeuble):
    ailleurs = ImmeubleFactory()
    with pytest.raises(ValidationError, match="doit être dans le quartier du scrutin"):
        creer_scrutin(quartier, immeubles=[ailleurs], ouvrir=False)


def test_a_ballot_is_recorded_with_who_when_and_channel(scrutin, logements_immeuble, gardien_user):
    bulletin = entrer(scrutin, logements_immeuble[0], "non", par=gardien_user, canal="gardien")
    assert (bulletin.choix, bulletin.canal, bulletin.saisi_par) == ("non", "gardien", gardien_user)
    assert timezone.now() - bulletin.saisi_le < datetime.timedelta(seconds=5)


def test_the_code_may_be_typed_in_lower_case_with_spaces_or_as_the_qr_link(
    scrutin, logements_immeuble, ville_user
):
    code = code_de(scrutin, logements_immeuble[0])
    saisi = f"  {code[:3].lower()} - {code[3:].lower()} "
    assert (
        services.bulletin_enregistrer(
            scrutin_id=scrutin.pk, code=saisi, choix="oui", canal="ville", par=ville_user
        ).logement
        == logements_immeuble[0]
    )
    code2 = code_de(scrutin, logements_immeuble[1])
    lien = f"https://ipt.example.org/votes/{scrutin.pk}/b/?code={codes.afficher(code2)}"
    assert (
        services.bulletin_enregistrer(
            scrutin_id=scrutin.pk, code=lien, choix="oui", canal="ville", par=ville_user
        ).logement
        == logements_immeuble[1]
    )


@pytest.mark.parametrize(
    ("saisie", "message"),
    [
        ("ABC-DEF0", "ne contient jamais 0, O, 1 ni I"),
        ("ABCD", "a 7 caractères"),
        ("", "Tapez le code"),
    ],
)
def test_a_malformed_code_is_refused_in_french(scrutin, ville_user, saisie, message):
    with pytest.raises(BulletinRefuse, match=message) as refus:
        services.bulletin_enregistrer(
            scrutin_id=scrutin.pk, code=saisie, choix="oui", canal="ville", par=ville_user
        )
    assert refus.value.motif == "code"


def test_one_mistyped_character_is_caught_by_the_check_character(scrutin, logements_immeuble, ville_user):
    code = code_de(scrutin, logements_immeuble[0])
    faux = ("3" if code[2] != "3" else "4").join([code[:2], code[3:]])
    with pytest.raises(BulletinRefuse, match="mal tapé"):
        services.bulletin_enregistrer(
            scrutin_id=scrutin.pk, code=faux, choix="oui", canal="ville", par=ville_user
        )


def test_a_second_ballot_by_another_channel_says_who_entered_the_first_and_when(
    scrutin, logements_immeuble, gardien_user, accueil_user
):
    gardien_user.first_name, gardien_user.last_name = "Yann", "Kerjean"
    gardien_user.save()
    premier = entrer(scrutin, logements_immeuble[0], par=gardien_user, canal="gardien")
    with pytest.raises(BulletinRefuse) as refus:
        entrer(scrutin, logements_immeuble[0], "non", par=accueil_user, canal="accueil")
    assert refus.value.motif == "doublon"
    heure = timezone.localtime(premier.saisi_le)
    message = refus.value.message.replace("\xa0", " ")
    assert "par Yann Kerjean — canal : gardien." in message
    quand = f"{heure.hour} h {heure.minute:02d}" if heure.minute else f"{heure.hour} h"
    assert f"saisi le {heure.day if heure.day > 1 else '1er'} " in message and f"à {quand} par" in message
    assert Bulletin.objects.count() == 1


def test_a_caretaker_cannot_enter_a_ballot_of_another_building(scrutin, autre_immeuble, gardien_user):
    voisin = autre_immeuble.logements.first()
    with pytest.raises(BulletinRefuse) as refus:
        entrer(scrutin, voisin, par=gardien_user, canal="gardien")
    assert refus.value.motif == "inconnu"


def test_the_desk_covers_only_its_centre_s_quartiers(scrutin, logements_immeuble, db):
    autre_benevole = UserFactory(role="accueil")
    with pytest.raises(BulletinRefuse) as refus:
        entrer(scrutin, logements_immeuble[0], par=autre_benevole, canal="accueil")
    assert refus.value.motif == "inconnu"


def test_no_ballot_before_the_opening_time(quartier, immeuble, logements_immeuble, ville_user):
    demain = timezone.now() + datetime.timedelta(days=1)
    scrutin = creer_scrutin(quartier, ouvre_le=demain, ferme_le=demain + datetime.timedelta(days=3))
    with pytest.raises(BulletinRefuse, match="ouvre le") as refus:
        entrer(scrutin, logements_immeuble[0], par=ville_user)
    assert refus.value.motif == "ferme"


def test_no_ballot_after_the_closing_time_even_before_staff_close_it(scrutin, logements_immeuble, ville_user):
    Scrutin.objects.filter(pk=scrutin.pk).update(ferme_le=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(BulletinRefuse, match="plus aucun bulletin"):
        entrer(scrutin, logements_immeuble[0], par=ville_user)


def test_no_ballot_after_closing(scrutin, logements_immeuble, ville_user):
    services.scrutin_clore(scrutin=scrutin, par=ville_user, proces_verbal=False)
    with pytest.raises(BulletinRefuse, match="a été clos le"):
        entrer(scrutin, logements_immeuble[0], par=ville_user)
    assert not Bulletin.objects.exists()


def test_extending_pushes_the_closing_back_only(scrutin, ville_user):
    plus_tard = scrutin.ferme_le + datetime.timedelta(days=2)
    services.scrutin_prolonger(scrutin=scrutin, ferme_le=plus_tard, par=ville_user)
    scrutin.refresh_from_db()
    assert scrutin.ferme_le == plus_tard
    with pytest.raises(ValidationError, match="postérieure"):
        services.scrutin_prolonger(
            scrutin=scrutin, ferme_le=plus_tard - datetime.timedelta(hours=1), par=ville_user
        )


def test_extending_a_direct_agreement_past_two_months_is_refused(scrutin, ville_user):
    with pytest.raises(ValidationError, match="ne comptent que jusqu’au"):
        services.scrutin_prolonger(
            scrutin=scrutin, ferme_le=timezone.now() + datetime.timedelta(days=70), par=ville_user
        )


def test_staff_correct_a_ballot_by_cancelling_it_and_recording_a_new_one(
    scrutin, logements_immeuble, gardien_user, ville_user
):
    premier = entrer(scrutin, logements_immeuble[0], "oui", par=gardien_user, canal="gardien")
    annule, nouveau = services.bulletin_annuler(
        bulletin=premier, motif="Le foyer a coché non, mal saisi", par=ville_user, nouveau_choix="non"
    )
    assert annule.annule and annule.annule_par == ville_user
    assert (nouveau.choix, nouveau.canal, nouveau.remplace_id) == ("non", "ville", premier.pk)
    assert Bulletin.objects.valides().get(logement=logements_immeuble[0]) == nouveau
    assert Bulletin.objects.filter(logement=logements_immeuble[0]).count() == 2  # the history keeps both


def test_cancelling_needs_a_reason(scrutin, logements_immeuble, ville_user):
    bulletin = entrer(scrutin, logements_immeuble[0], par=ville_user)
    with pytest.raises(ValidationError, match="Indiquez pourquoi"):
        services.bulletin_annuler(bulletin=bulletin, motif="  ", par=ville_user)


def test_closing_counts_per_building_and_channel_and_fingerprints_the_ballots(
    scrutin, logements_immeuble, autre_immeuble, gardien_user, accueil_user, ville_user
):
    voisins = list(autre_immeuble.logements.order_by("pk"))
    entrer(scrutin, logements_immeuble[0], "oui", par=gardien_user, canal="gardien")
    entrer(scrutin, logements_immeuble[1], "oui", par=gardien_user, canal="gardien")
    entrer(scrutin, logements_immeuble[2], "blanc", par=accueil_user, canal="accueil")
    entrer(scrutin, voisins[0], "non", par=accueil_user, canal="accueil")
    annule = entrer(scrutin, voisins[1], "non", par=ville_user)
    services.bulletin_annuler(bulletin=annule, motif="Erreur de logement", par=ville_user)

    scrutin = services.scrutin_clore(scrutin=scrutin, par=ville_user, proces_verbal=False)
    d = scrutin.decompte
    assert (d["inscrits"], d["reponses"], d["oui"], d["non"], d["blancs"], d["annules"]) == (
        12,
        4,
        2,
        1,
        1,
        1,
    )
    assert (d["gardien"], d["accueil"], d["ville"]) == (2, 2, 0)
    assert d["rapprochement"] == {"conforme": True, "ecarts": []}
    par_immeuble = {i["id"]: i for i in d["immeubles"]}
    assert par_immeuble[logements_immeuble[0].immeuble_id]["reponses"] == 3
    assert (par_immeuble[autre_immeuble.pk]["inscrits"], par_immeuble[autre_immeuble.pk]["non"]) == (4, 1)
    # 4 responses of 12 is 33 %, 2 yes of 4 is not more than half: rejected
    assert scrutin.resultat == Scrutin.Resultat.REJETE
    assert [c["atteinte"] for c in d["verdict"]["conditions"]] == [True, True, False]

    # Anyone with the ballots can recompute the fingerprint from the documented serialisation.
    lignes = []
    for b in Bulletin.objects.valides().filter(scrutin=scrutin).select_related("inscrit"):
        quand = b.saisi_le.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        lignes.append(f"{b.inscrit.code};{b.choix};{b.canal};{quand}\n")
    assert hashlib.sha256("".join(sorted(lignes)).encode()).hexdigest() == scrutin.empreinte
    assert selectors.empreinte(selectors.lignes_canoniques(scrutin)) == scrutin.empreinte


def test_publishing_an_adopted_vote_moves_the_quartier_then_staff_set_the_service_start(
    quartier, immeuble, logements_immeuble, ville_user
):
    Quartier.objects.filter(pk=quartier.pk).update(statut=Quartier.Statut.CAMPAGNE, annee_adhesion=None)
    scrutin = creer_scrutin(quartier, par=ville_user)
    for logement in logements_immeuble[:5]:
        entrer(scrutin, logement, "oui", par=ville_user)
    services.scrutin_clore(scrutin=scrutin, par=ville_user, proces_verbal=False)
    with pytest.raises(ValidationError, match="une fois un résultat d’adoption publié"):
        services.scrutin_fixer_debut_service(scrutin=scrutin, debut=timezone.localdate(), par=ville_user)
    scrutin = services.scrutin_publier(scrutin=scrutin, par=ville_user)
    quartier.refresh_from_db()
    assert (scrutin.statut, scrutin.resultat, quartier.statut) == ("publie", "adopte", "adopte")

    debut = timezone.localdate() + datetime.timedelta(days=60)
    assert services.scrutin_fixer_debut_service(scrutin=scrutin, debut=debut, par=ville_user) == 8
    assert set(Logement.objects.filter(immeuble=immeuble).values_list("connecte_depuis", flat=True)) == {
        debut
    }
    quartier.refresh_from_db()
    assert quartier.annee_adhesion == debut.year
    with pytest.raises(ValidationError, match="déjà fixé"):
        services.scrutin_fixer_debut_service(scrutin=scrutin, debut=debut, par=ville_user)


def test_the_service_start_keeps_the_date_of_dwellings_already_connected(
    quartier, immeuble, logements_immeuble, ville_user
):
    deja = logements_immeuble[0]
    Logement.objects.filter(pk=deja.pk).update(connecte_depuis=datetime.date(2014, 1, 1))
    scrutin = creer_scrutin(quartier, regle=Regle.SAUF_OPPOSITION, par=ville_user)
    services.scrutin_clore(scrutin=scrutin, par=ville_user, proces_verbal=False)
    services.scrutin_publier(scrutin=scrutin, par=ville_user)
    assert (
        services.scrutin_fixer_debut_service(scrutin=scrutin, debut=timezone.localdate(), par=ville_user) == 7
    )
    deja.refresh_from_db()
    assert deja.connecte_depuis == datetime.date(2014, 1, 1)


def test_publishing_a_rejected_vote_rejects_the_quartier(quartier, immeuble, logements_immeuble, ville_user):
    Quartier.objects.filter(pk=quartier.pk).update(statut=Quartier.Statut.VOTE)
    scrutin = creer_scrutin(quartier, par=ville_user)
    services.scrutin_clore(scrutin=scrutin, par=ville_user, proces_verbal=False)
    services.scrutin_publier(scrutin=scrutin, par=ville_user)
    quartier.refresh_from_db()
    assert quartier.statut == Quartier.Statut.REJETE


def test_a_later_vote_does_not_move_an_active_quartier(quartier, immeuble, logements_immeuble, ville_user):
    scrutin = creer_scrutin(quartier, par=ville_user)  # the quartier fixture is active
    services.scrutin_clore(scrutin=scrutin, par=ville_user, proces_verbal=False)
    services.scrutin_publier(scrutin=scrutin, par=ville_user)
    quartier.refresh_from_db()
    assert quartier.statut == Quartier.Statut.ACTIF


def test_a_vote_moves_only_forward(scrutin, ville_user):
    with pytest.raises(ValidationError):
        services.scrutin_publier(scrutin=scrutin, par=ville_user)
    with pytest.raises(ValidationError):
        services.scrutin_ouvrir(scrutin=scrutin, par=ville_user)
    with pytest.raises(ValidationError, match="Seul un brouillon"):
        services.scrutin_modifier(scrutin=scrutin, par=ville_user, intitule="Autre")


def test_staff_cancelling_a_ballot_leaves_an_audit_entry(
    scrutin, logements_immeuble, gardien_user, ville_user
):
    premier = entrer(scrutin, logements_immeuble[0], "oui", par=gardien_user, canal="gardien")
    services.bulletin_annuler(bulletin=premier, motif="Coché non sur le papier", par=ville_user)
    evenement = Evenement.objects.get(action="bulletin.annulation")
    assert evenement.par == ville_user and evenement.objet_id == str(scrutin.pk)
    assert evenement.details == {
        "bulletin": premier.pk,
        "code": premier.inscrit.code,
        "motif": "Coché non sur le papier",
    }
    assert Evenement.objects.filter(action="bulletin.saisie", par=gardien_user).count() == 1


def test_the_roll_keeps_a_dwelling_leaving_the_day_after_the_opening_not_one_leaving_that_day(
    quartier, immeuble, logements_immeuble
):
    # 22:30 UTC on 31 March is 00:30 on 1 April in Paris: the roll is frozen on 1 April.
    maintenant = datetime.datetime(2026, 3, 31, 22, 30, tzinfo=datetime.UTC)
    part_ce_jour, part_le_lendemain, part_la_veille = logements_immeuble[:3]
    for logement, sortie in (
        (part_ce_jour, datetime.date(2026, 4, 1)),
        (part_le_lendemain, datetime.date(2026, 4, 2)),
        (part_la_veille, datetime.date(2026, 3, 31)),
    ):
        Logement.objects.filter(pk=logement.pk).update(
            connecte_depuis=datetime.date(2015, 1, 1), sorti_le=sortie
        )
    scrutin = creer_scrutin(
        quartier,
        ouvrir=False,
        regle=Regle.MAJORITE_LOGEMENTS,
        seuil_participation=None,
        ouvre_le=maintenant,
        ferme_le=maintenant + datetime.timedelta(days=7),
    )
    scrutin = services.scrutin_ouvrir(scrutin=scrutin, par=None, maintenant=maintenant)
    sur_la_liste = set(scrutin.inscrits.values_list("logement", flat=True))
    assert part_le_lendemain.pk in sur_la_liste
    assert part_ce_jour.pk not in sur_la_liste and part_la_veille.pk not in sur_la_liste
    assert sur_la_liste == set(
        Logement.objects.presents(datetime.date(2026, 4, 1))
        .filter(immeuble__quartier=quartier)
        .values_list("pk", flat=True)
    )


def test_a_ballot_s_label_in_the_admin_is_in_paris_time(scrutin, logements_immeuble):
    # 23:10 UTC on 31 December 2026 is 00:10 on 1 January 2027 in Paris.
    moment = datetime.datetime(2026, 12, 31, 23, 10, tzinfo=datetime.UTC)
    inscrit = scrutin.inscrits.get(logement=logements_immeuble[0])
    bulletin = BulletinFactory(inscrit=inscrit, saisi_le=moment)
    assert str(bulletin) == f"{inscrit.pk} — 01/01/2027 00:10"
