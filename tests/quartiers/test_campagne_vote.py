"""A campaign agrees with its vote: the vote milestone reads the vote; a milestone is done only when what
it stands for is; the public meeting comes before the vote; leaflets only for the vote's buildings, at the
tariff of the service's start."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from charges.models import Tarif
from ipt.models import Evenement
from quartiers import pdf, selectors, services
from quartiers.models import Jalon, Visite
from tests.factories import JalonFactory, VisiteFactory
from tests.pdf import pdf_pages, pdf_texte
from votes.models import Regle, Scrutin

from .conftest import PARIS


def creer_scrutin(quartier, *, ouvre_le, ferme_le, immeubles=(), statut=Scrutin.Statut.OUVERT, **champs):
    scrutin = Scrutin.objects.create(
        quartier=quartier,
        intitule=f"Vote {quartier.nom}",
        question="Acceptez-vous ?",
        regle=Regle.MAJORITE_LOGEMENTS,
        ouvre_le=ouvre_le,
        ferme_le=ferme_le,
        statut=statut,
        **champs,
    )
    scrutin.immeubles.set(immeubles)
    return scrutin


def _jalon(campagne, type_):
    aujourd_hui = timezone.localdate()
    return next(j for j in selectors.jalons_frise(campagne, aujourd_hui) if j.type == type_)


def _moment(jour, heure=18):
    return datetime.datetime.combine(jour, datetime.time(heure), tzinfo=PARIS)


# --- The vote milestone reads the vote ------------------------------------------------------------


def test_the_vote_milestone_takes_its_dates_and_state_from_the_open_vote(campagne):
    """The demo's case: the milestone planned 14–18 December and marked done, while the vote is open
    from today for four weeks."""
    aujourd_hui = timezone.localdate()
    campagne.jalons.filter(type=Jalon.Type.VOTE).update(date_reelle=aujourd_hui)
    creer_scrutin(
        campagne.quartier,
        ouvre_le=timezone.now() - datetime.timedelta(minutes=5),
        ferme_le=_moment(aujourd_hui + datetime.timedelta(days=26)),
    )
    jalon = _jalon(campagne, Jalon.Type.VOTE)
    assert (jalon.debut, jalon.fin) == (aujourd_hui, aujourd_hui + datetime.timedelta(days=26))
    assert jalon.reel is None
    assert jalon.etat == selectors.EtatJalon.EN_COURS


def test_the_vote_milestone_is_done_when_the_vote_is_closed(campagne):
    ouvre = _moment(datetime.date(2026, 11, 2), 9)
    scrutin = creer_scrutin(campagne.quartier, ouvre_le=ouvre, ferme_le=_moment(datetime.date(2026, 11, 9)))
    assert _jalon(campagne, Jalon.Type.VOTE).etat != selectors.EtatJalon.FAIT
    Scrutin.objects.filter(pk=scrutin.pk).update(
        statut=Scrutin.Statut.CLOS,
        resultat=Scrutin.Resultat.ADOPTE,
        clos_le=_moment(datetime.date(2026, 11, 9)),
    )
    assert _jalon(campagne, Jalon.Type.VOTE).etat == selectors.EtatJalon.FAIT
    Scrutin.objects.filter(pk=scrutin.pk).update(statut=Scrutin.Statut.PUBLIE)
    jalon = _jalon(campagne, Jalon.Type.VOTE)
    assert jalon.etat == selectors.EtatJalon.FAIT
    assert jalon.reel == datetime.date(2026, 11, 9)
    assert "adopté" in jalon.explication


def test_a_vote_milestone_without_a_vote_is_never_done(campagne):
    campagne.jalons.filter(type=Jalon.Type.VOTE).update(date_reelle=datetime.date(2026, 12, 18))
    jalon = _jalon(campagne, Jalon.Type.VOTE)
    assert jalon.reel is None
    assert jalon.etat not in (selectors.EtatJalon.FAIT, selectors.EtatJalon.FAIT_EN_RETARD)


def test_an_earlier_campaigns_closed_vote_is_not_this_ones(campagne):
    creer_scrutin(
        campagne.quartier,
        ouvre_le=_moment(datetime.date(2015, 3, 2)),
        ferme_le=_moment(datetime.date(2015, 3, 9)),
        statut=Scrutin.Statut.PUBLIE,
        resultat=Scrutin.Resultat.REJETE,
        clos_le=_moment(datetime.date(2015, 3, 9)),
    )
    assert selectors.scrutin_campagne(campagne) is None


def test_entering_an_actual_date_on_the_vote_milestone_is_refused_in_french(client, ville_user, campagne):
    jalon = campagne.jalons.get(type=Jalon.Type.VOTE)
    client.force_login(ville_user)
    reponse = client.post(
        reverse("quartiers:jalon_modifier", args=[jalon.pk]),
        {
            "type": "vote",
            "date_prevue": "2026-12-14",
            "date_fin_prevue": "2026-12-18",
            "date_reelle": "2026-12-18",
        },
    )
    assert reponse.status_code == 200
    assert "prend ses dates et son résultat du vote lui-même" in reponse.content.decode()
    jalon.refresh_from_db()
    assert jalon.date_reelle is None
    assert not Evenement.objects.exists()


# --- Door-to-door and public meeting: done when what they stand for is -----------------------------


def test_door_to_door_is_not_done_while_no_dwelling_is_told(client, ville_user, campagne, immeubles):
    aujourd_hui = timezone.localdate()
    JalonFactory(
        campagne=campagne,
        type=Jalon.Type.PORTE_A_PORTE,
        date_prevue=aujourd_hui - datetime.timedelta(days=10),
        date_fin_prevue=aujourd_hui + datetime.timedelta(days=5),
        date_reelle=aujourd_hui - datetime.timedelta(days=9),
    )
    jalon = _jalon(campagne, Jalon.Type.PORTE_A_PORTE)
    assert jalon.etat == selectors.EtatJalon.EN_COURS
    client.force_login(ville_user)
    html = client.get(reverse("quartiers:campagne", args=[campagne.pk])).content.decode()
    assert "0 logements informés sur 12" in html


def test_door_to_door_is_done_once_enough_of_the_votes_dwellings_are_told(campagne, immeubles):
    aujourd_hui = timezone.localdate()
    JalonFactory(
        campagne=campagne,
        type=Jalon.Type.PORTE_A_PORTE,
        date_prevue=aujourd_hui - datetime.timedelta(days=10),
        date_fin_prevue=aujourd_hui + datetime.timedelta(days=5),
    )
    # the vote covers the first building only: its four dwellings are the ones to tell
    creer_scrutin(
        campagne.quartier,
        ouvre_le=_moment(aujourd_hui + datetime.timedelta(days=20)),
        ferme_le=_moment(aujourd_hui + datetime.timedelta(days=27)),
        immeubles=[immeubles[0]],
        statut=Scrutin.Statut.BROUILLON,
    )
    portes = list(immeubles[0].logements.order_by("pk"))
    veille = aujourd_hui - datetime.timedelta(days=1)
    for logement in portes[:3]:
        VisiteFactory(campagne=campagne, logement=logement, date=veille - datetime.timedelta(days=2))
    VisiteFactory(campagne=campagne, logement=portes[3], date=veille, resultat=Visite.Resultat.ABSENT)
    assert _jalon(campagne, Jalon.Type.PORTE_A_PORTE).reel is None  # 3 of 4: 75 %
    VisiteFactory(campagne=campagne, logement=portes[3], date=veille, resultat=Visite.Resultat.QUESTION)
    jalon = _jalon(campagne, Jalon.Type.PORTE_A_PORTE)
    assert jalon.etat == selectors.EtatJalon.FAIT
    assert jalon.reel == veille
    assert "4 logements informés sur 4" in jalon.explication


def test_the_public_meeting_is_done_only_once_its_record_exists(campagne):
    campagne.jalons.filter(type=Jalon.Type.REUNION).update(date_prevue=datetime.date(2026, 11, 24))
    assert _jalon(campagne, Jalon.Type.REUNION).reel is None
    campagne.reunion_compte_rendu = "Soixante habitants, questions sur le décodeur."
    campagne.save()
    jalon = _jalon(campagne, Jalon.Type.REUNION)
    assert jalon.reel == datetime.date(2026, 11, 24)
    assert jalon.etat == selectors.EtatJalon.FAIT


# --- The public meeting comes before the vote -----------------------------------------------------


def test_a_public_meeting_after_the_vote_is_refused_in_french(client, ville_user, campagne):
    creer_scrutin(
        campagne.quartier,
        ouvre_le=_moment(datetime.date(2026, 12, 1), 9),
        ferme_le=_moment(datetime.date(2026, 12, 8)),
        statut=Scrutin.Statut.BROUILLON,
    )
    reunion = campagne.jalons.get(type=Jalon.Type.REUNION)
    client.force_login(ville_user)
    reponse = client.post(
        reverse("quartiers:jalon_modifier", args=[reunion.pk]),
        {"type": "reunion", "date_prevue": "2026-12-12"},
    )
    assert "ne peut pas être après l’ouverture du vote" in reponse.content.decode()
    reunion.refresh_from_db()
    assert reunion.date_prevue == datetime.date(2026, 11, 24)
    reponse = client.post(
        reverse("quartiers:campagne_reunion", args=[campagne.pk]),
        {"reunion_debut": "2026-12-12T18:30", "reunion_lieu": "Salle", "reunion_compte_rendu": ""},
    )
    assert "ne peut pas être après l’ouverture du vote" in reponse.content.decode()
    campagne.refresh_from_db()
    assert timezone.localtime(campagne.reunion_debut).date() == datetime.date(2026, 11, 24)


def test_a_vote_milestone_before_the_planned_meeting_is_refused(campagne, ville_user):
    with pytest.raises(ValidationError, match="ne peut pas être après l’ouverture du vote"):
        services.jalon_ajouter(
            campagne=campagne, type=Jalon.Type.VOTE, date_prevue=datetime.date(2026, 11, 20), par=ville_user
        )


def test_the_campaign_page_flags_a_meeting_planned_after_the_vote_opened(
    client, ville_user, campagne, immeubles
):
    """The vote was opened from the votes pages before the planned meeting (the demo's case)."""
    creer_scrutin(
        campagne.quartier,
        ouvre_le=_moment(datetime.date(2026, 11, 16), 9),
        ferme_le=_moment(datetime.date(2026, 11, 30)),
    )
    client.force_login(ville_user)
    html = client.get(reverse("quartiers:campagne", args=[campagne.pk])).content.decode()
    assert 'id="reunion-apres-vote"' in html
    assert "une réunion publique avant le vote" in html  # and the leaflets wait for it


# --- Leaflets: the vote's buildings, its dates, the tariff of the service's start -------------------


def test_leaflets_are_made_only_for_the_buildings_on_the_votes_roll(campagne, immeubles):
    creer_scrutin(
        campagne.quartier,
        ouvre_le=_moment(datetime.date(2026, 12, 1), 9),  # a week after the meeting
        ferme_le=_moment(datetime.date(2026, 12, 18), 18),
        immeubles=[immeubles[0], immeubles[2]],
        statut=Scrutin.Statut.BROUILLON,
    )
    pages = pdf_pages(pdf.plaquettes_pdf(campagne), layout=False)
    assert len(pages) == 2
    texte = " ".join(pages)
    assert "1 rue Anatole-France" in texte and "3 rue Anatole-France" in texte
    assert "2 rue Anatole-France" not in texte  # outside the vote: no leaflet, no ballot instructions
    assert "Yann Le Gall2" not in texte
    # the vote's own dates, in French typography
    assert "Du mardi 1er décembre 2026 au vendredi 18 décembre 2026" in texte
    assert "Derniers bulletins à 18 h le dernier jour." in texte


def test_the_leaflet_states_the_tariff_of_the_first_month_charged(campagne, immeubles):
    # the vote ends on 18 December 2026: the service starts after, the first month charged is January
    Tarif.objects.create(montant=Decimal("1.25"), applicable_du=datetime.date(2027, 1, 1))
    texte = pdf_texte(pdf.plaquettes_pdf(campagne), layout=False)
    assert "1,25 € par mois et par logement" in texte
    assert "1,18" not in texte


def test_the_leaflet_states_the_tariff_in_force_at_the_service_start_set_on_the_vote(campagne, immeubles):
    Tarif.objects.create(montant=Decimal("1.30"), applicable_du=datetime.date(2027, 6, 1))
    creer_scrutin(
        campagne.quartier,
        ouvre_le=_moment(datetime.date(2026, 12, 1), 9),
        ferme_le=_moment(datetime.date(2026, 12, 18)),
        statut=Scrutin.Statut.CLOS,
        resultat=Scrutin.Resultat.ADOPTE,
        clos_le=_moment(datetime.date(2026, 12, 18)),
        date_debut_service=datetime.date(2027, 3, 1),
    )
    texte = pdf_texte(pdf.plaquettes_pdf(campagne), layout=False)
    assert "1,18 € par mois et par logement" in texte
    assert "À partir du 1er mars 2027." in texte


def test_leaflets_without_a_tariff_are_refused_in_french(client, ville_user, campagne, immeubles):
    Tarif.objects.all().delete()
    client.force_login(ville_user)
    reponse = client.post(reverse("quartiers:plaquettes", args=[campagne.pk]), follow=True)
    assert "le tarif mensuel en vigueur au début du service" in reponse.content.decode()


def test_leaflets_and_walk_sheets_carry_the_issuer_and_french_dates(campagne, immeubles, settings):
    emetteur = settings.EMETTEUR
    plaquette = pdf_pages(pdf.plaquettes_pdf(campagne), layout=False)[0]
    feuille = pdf_pages(pdf.feuilles_tournee_pdf(campagne, immeuble=immeubles[0]))[0]
    for page in (plaquette, feuille):
        assert emetteur["nom"] in page
        assert emetteur["adresse"] in page
    assert "mardi 24 novembre 2026 à 18 h 30" in plaquette
    assert "Réunion publique : 24 novembre 2026 à 18 h 30" in feuille
    assert "Vote : du 14 décembre 2026 au 18 décembre 2026." in feuille


def test_the_campaign_list_reads_the_milestones_as_the_campaign_page_does(client, ville_user, campagne):
    campagne.reunion_compte_rendu = "Soixante habitants."
    campagne.save()
    campagne.jalons.filter(type=Jalon.Type.VOTE).update(date_reelle=datetime.date(2026, 12, 18))
    creer_scrutin(
        campagne.quartier,
        ouvre_le=_moment(datetime.date(2026, 12, 2), 9),
        ferme_le=_moment(datetime.date(2026, 12, 20)),
    )
    client.force_login(ville_user)
    html = client.get(reverse("quartiers:campagnes")).content.decode()
    # the meeting is done (its record exists); the vote is not (it is open), on the vote's own dates
    assert "02/12/2026 · vote des locataires" in html


def test_the_coverage_page_marks_the_buildings_the_vote_covers(client, ville_user, campagne, immeubles):
    client.force_login(ville_user)
    url = reverse("quartiers:couverture", args=[campagne.pk])
    assert "hors du vote" not in client.get(url).content.decode()  # no vote yet: every building counts
    creer_scrutin(
        campagne.quartier,
        ouvre_le=_moment(datetime.date(2026, 12, 1), 9),
        ferme_le=_moment(datetime.date(2026, 12, 18)),
        immeubles=[immeubles[1]],
        statut=Scrutin.Statut.BROUILLON,
    )
    html = client.get(url).content.decode()
    assert html.count(">soumis au vote</span>") == 1
    assert html.count(">hors du vote</span>") == 2
