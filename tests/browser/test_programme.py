"""The programme in one browser test (issue 14, point 8), in Debian's Chromium against the live server.

A new quartier, from its campaign to its Visa certificates, each step done through the pages by the person
who does it: city staff create the campaign, its milestones, make the leaflets and enter the round's
visits, then draft and open the vote; the caretaker enters the paper ballots on a phone; city staff close
the vote, publish it, set the service start and run the month's charges; the desk records an opt-in, hands
a decoder over and sells a PC; city staff plan a workshop session, the desk signs the occupant up, the
facilitator takes attendance, assesses the Visa skills and issues the certificate. The dashboard, filtered
to that quartier, then shows every step of the funnel.

Set up through the ORM: what no page creates — the territory (the quartier, its building, dwellings and
households), the users and their scopes — and, to keep the test short, what has its own pages and tests
elsewhere: the tariff (admin), the decoders and PCs in stock (their imports), the workshop module (the
catalogue). The programme takes months, and billing refuses a month not over yet: the
campaign and the vote run on the city's clock set back two months (``timezone.now``, read by the live
server in this process); back to today, the service starts on the 1st of last month, which the run bills.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ateliers.models import Atelier, Structure
from charges.models import Tarif
from charges.mois import mois_a_facturer
from equipements.models import Decodeur, Offre, Ordinateur
from logements import services as logements_services
from logements.models import Personne
from quartiers.models import Quartier
from tests.equipements.ordinateurs import offre, ordinateurs
from tests.factories import (
    BailleurFactory,
    CentreSocialFactory,
    ImmeubleFactory,
    LogementFactory,
    UserFactory,
)
from votes import codes
from votes.models import Bulletin, Scrutin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("roles")]

MOT_DE_PASSE = "mot-de-passe-test"
QUARTIER = "Kerbernard (nouveau)"


@pytest.fixture
def territoire(roles):
    """A new quartier (a prospect: nothing done yet), its building of 4 dwellings, 2 households; the people
    of the programme with their scopes; the programme's tariff, stock and catalogue."""
    centre = CentreSocialFactory(nom="Centre social de Kerbernard")
    quartier = Quartier.objects.create(nom=QUARTIER, statut=Quartier.Statut.PROSPECT, centre_social=centre)
    bailleur = BailleurFactory(code="HOC", nom="Habitat Océan (fictif)")
    immeuble = ImmeubleFactory(
        quartier=quartier, bailleur=bailleur, nom="Les Embruns", adresse="3 rue de Kerbernard, 29200 Brest"
    )
    logements = [
        LogementFactory(immeuble=immeuble, cage="A", etage=k // 2, porte=str(k % 2 + 1), connecte_depuis=None)
        for k in range(4)
    ]
    UserFactory(username="agent-ville", role="ville", is_staff=True)
    accueil = UserFactory(username="benevole", role="accueil")
    centre.membres.add(accueil)
    gardien = UserFactory(username="gardien-embruns", role="gardien")
    immeuble.gardiens.add(gardien)
    animatrice = UserFactory(
        username="animatrice", role="animateur", first_name="Morgane", last_name="Ollivier"
    )
    structure = Structure.objects.create(nom="Association Clic (fictive)")
    structure.membres.add(animatrice)
    foyers = [
        logements_services.foyer_emmenager(
            logement=logements[i],
            nom=nom,
            telephone=telephone,
            emmenage_le=datetime.date(2018, 5, 1),
            occupants=[{"prenom": prenom, "nom": nom}],
            par=accueil,
        )
        for i, nom, prenom, telephone in [
            (0, "Le Goff", "Annaïg", "06 00 00 11 22"),
            (1, "Kerhervé", "Yann", "07 00 00 33 44"),
        ]
    ]
    logements_services.foyers_recherche_recalculer()
    Tarif.objects.create(applicable_du=datetime.date(2020, 1, 1), montant=Decimal("1.18"))
    Decodeur.objects.create(numero_serie="SNKB0001", modele="Box 4K", recu_le=datetime.date(2026, 1, 5))
    Offre.objects.all().delete()
    offre()
    ordinateurs(1, prefixe="FIX-", type="fixe")
    Atelier.objects.create(titre="Premiers pas sur l’ordinateur", structure=structure)
    return {"quartier": quartier, "immeuble": immeuble, "logements": logements, "foyers": foyers}


@pytest.fixture
def horloge(monkeypatch):
    """The city's clock (``timezone.now``, which the code asks for the time) set back, then restored:
    the live server runs in this process, so its requests and jobs read the same clock."""
    from django.utils import timezone as tz

    vraie = tz.now

    class Horloge:
        def reculer(self, duree: datetime.timedelta):
            monkeypatch.setattr(tz, "now", lambda: vraie() - duree)

        def retablir(self):
            monkeypatch.setattr(tz, "now", vraie)

    return Horloge()


def _connecter(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").click()


def _jour(d: datetime.date) -> str:
    return d.isoformat()


def test_the_programme_from_a_new_quartiers_campaign_to_its_visa_certificates(
    live_server, nouvelle_page, phone, territoire, horloge
):
    quartier = territoire["quartier"]
    # The campaign and the vote take place two months ago: billing only bills a month that is over.
    horloge.reculer(datetime.timedelta(days=62))
    aujourd_hui = timezone.localdate()
    url = live_server.url

    # --- City staff: the campaign, its milestones, the leaflets, the round's visits --------------------
    ville = nouvelle_page(viewport={"width": 1280, "height": 900})
    _connecter(ville, live_server, "agent-ville")
    ville.wait_for_url(f"{url}/pilotage/")
    ville.get_by_role("link", name="Campagnes").first.click()
    ville.get_by_role("link", name="Nouvelle campagne").click()
    ville.get_by_label("Quartier").select_option(label=QUARTIER)
    ville.get_by_label("Intitulé").fill("Campagne Kerbernard")
    with ville.expect_navigation():
        ville.get_by_role("button", name="Créer la campagne").click()
    expect(ville.get_by_role("heading", level=1)).to_contain_text("Campagne Kerbernard")
    campagne_url = ville.url

    for type_, debut, fin in [
        ("porte_a_porte", aujourd_hui - datetime.timedelta(days=3), None),
        ("reunion", aujourd_hui - datetime.timedelta(days=2), None),
        ("vote", aujourd_hui - datetime.timedelta(days=1), aujourd_hui + datetime.timedelta(days=13)),
    ]:
        ville.get_by_role("link", name="Ajouter un jalon").click()
        ville.get_by_label("Jalon").select_option(value=type_)
        ville.get_by_label("Date prévue").fill(_jour(debut))
        if fin:
            ville.get_by_label("Date de fin prévue").fill(_jour(fin))
        with ville.expect_navigation():
            ville.get_by_role("button", name="Enregistrer").click()
        expect(ville.get_by_role("alert")).to_contain_text("Le jalon est ajouté")
    assert ville.url.startswith(campagne_url)

    # The leaflets: a background job (run at once in tests); the page offers the download.
    with ville.expect_navigation():
        ville.get_by_role("button", name="Produire les plaquettes").click()
    bloc = ville.locator(".travail").first
    expect(bloc).to_contain_text("Plaquettes")
    expect(bloc.get_by_role("link", name="Télécharger")).to_be_visible()

    # After the round: three doors told (a leaflet delivered), one nobody home.
    ville.get_by_role("link", name="Visites : couverture, portes à revoir, saisie après la tournée").click()
    ville.get_by_role("link", name="Saisir les visites").click()
    ville.get_by_label("Date de la tournée").fill(_jour(aujourd_hui - datetime.timedelta(days=3)))
    with ville.expect_navigation():
        ville.get_by_role("button", name="Afficher").click()
    portes = ville.locator("fieldset")
    expect(portes).to_have_count(4)
    for i, resultat in enumerate(["plaquette déposée", "plaquette déposée", "plaquette déposée", "absent"]):
        portes.nth(i).get_by_text(resultat, exact=True).click()
    with ville.expect_navigation():
        ville.get_by_role("button", name="Enregistrer les visites").click()
    expect(ville.get_by_role("alert")).to_contain_text("Visites enregistrées : 4 nouvelles")

    # --- City staff draft the vote (direct agreement, the whole quartier) and open it -------------------
    ville.goto(f"{url}/votes/nouveau/")
    ville.get_by_label("Quartier").select_option(value=str(quartier.pk))  # its name and status
    with ville.expect_navigation():
        ville.get_by_role("button", name="Suivant").click()
    ville.get_by_label("Intitulé").fill("Vote des locataires de Kerbernard")
    ville.get_by_label("Locataires avisés le").fill(_jour(aujourd_hui - datetime.timedelta(days=3)))
    maintenant = timezone.localtime()
    ville.get_by_label("Ouvre le").fill(f"{maintenant - datetime.timedelta(hours=1):%Y-%m-%dT%H:%M}")
    ville.get_by_label("Ferme le").fill(f"{maintenant + datetime.timedelta(days=13):%Y-%m-%dT%H:%M}")
    with ville.expect_navigation():
        ville.get_by_role("button", name="Enregistrer le brouillon").click()
    with ville.expect_navigation():
        ville.get_by_role("button", name="Ouvrir le scrutin (gèle la liste des logements)").click()
    expect(ville.get_by_role("alert")).to_contain_text("Le scrutin est ouvert")
    scrutin = Scrutin.objects.get(quartier=quartier)
    assert scrutin.nb_inscrits == 4

    # --- The caretaker enters three paper ballots on a phone: yes, yes, yes (the fourth door abstains) ---
    _connecter(phone, live_server, "gardien-embruns")
    phone.wait_for_url(f"{url}/votes/{scrutin.pk}/saisie/gardien/")
    for logement in territoire["logements"][:3]:
        # The code printed on the ballot the household handed in.
        code = codes.afficher(scrutin.inscrits.get(logement=logement).code)
        phone.wait_for_function("() => document.activeElement && document.activeElement.name === 'code'")
        phone.keyboard.type(code)
        phone.locator("#etape-saisie .porte").wait_for()
        phone.get_by_role("button", name="Oui", exact=True).tap()
        phone.get_by_text("Bulletin enregistré").wait_for()
    expect(phone.get_by_text("Les Embruns : encore 1 logement à collecter sur 4")).to_be_visible()
    assert Bulletin.objects.valides().filter(scrutin=scrutin).count() == 3

    # --- City staff close the vote, publish the result ----------------------------------------------
    ville.reload()
    with ville.expect_navigation():
        ville.get_by_role("button", name="Clore le scrutin maintenant").click()
    with ville.expect_navigation():
        ville.get_by_role("button", name="Publier le résultat").click()
    expect(ville.get_by_role("alert")).to_contain_text("Le résultat est publié")
    scrutin.refresh_from_db()
    assert scrutin.resultat == Scrutin.Resultat.ADOPTE

    # Two months later (the city's clock back to today), the service starts on the 1st of last month.
    horloge.retablir()
    _connecter(ville, live_server, "agent-ville")  # the morning's session has long expired
    ville.goto(f"{url}/votes/{scrutin.pk}/")
    mois = mois_a_facturer()  # last month, which the run below bills
    ville.get_by_label("Début du service").fill(_jour(mois))
    with ville.expect_navigation():
        ville.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(ville.get_by_role("alert")).to_contain_text("4 logements")

    ville.goto(f"{url}/charges/")
    ville.get_by_label("Mois à facturer").fill(f"{mois:%Y-%m}")
    with ville.expect_navigation():
        ville.get_by_role("button", name="Facturer et émettre les relevés").click()
    expect(ville.locator("#apercu")).to_contain_text("Habitat Océan (fictif)")
    with ville.expect_navigation():
        ville.get_by_role("button", name=re.compile("^Confirmer et émettre les relevés")).click()
    expect(ville.get_by_role("alert")).to_contain_text("1 relevé émis, 4 charges créées")

    # --- City staff plan a workshop session in the quartier today, with the facilitator -------------
    # Today (attendance is taken on the session's day), a little later: before midnight near the end of a day.
    maintenant = timezone.localtime()
    debut = min(maintenant + datetime.timedelta(minutes=10), maintenant.replace(hour=23, minute=59))
    ville.goto(f"{url}/ateliers/catalogue/")
    ville.get_by_role("link", name="Planifier Premiers pas sur l’ordinateur").click()
    ville.get_by_label("Quartier").select_option(label=QUARTIER)
    ville.locator("#id_date").fill(_jour(debut.date()))
    ville.get_by_label("Heure").fill(f"{debut:%H:%M}")
    ville.get_by_label("Lieu").fill("Centre social de Kerbernard, salle informatique")
    ville.get_by_label("Morgane Ollivier").check()
    with ville.expect_navigation():
        ville.get_by_role("button", name="Planifier").click()
    expect(ville.get_by_role("alert")).to_contain_text("Séance planifiée.")

    # --- The desk: the household opts in, gets its decoder, buys a PC, signs up to the workshop ------
    le_goff = territoire["foyers"][0]
    desk = nouvelle_page(viewport={"width": 1280, "height": 900})
    _connecter(desk, live_server, "benevole")
    desk.wait_for_url(f"{url}/accueil/")
    desk.keyboard.type("le goff")
    desk.locator("#resultats a.resultat").first.wait_for()
    with desk.expect_navigation():
        desk.locator("#resultats a.resultat").first.click()
    assert desk.url == f"{url}/accueil/foyers/{le_goff.pk}/"
    with desk.expect_navigation():
        desk.get_by_role("button", name="Enregistrer l’adhésion").click()
    expect(desk.locator("#statut-adhesion")).to_contain_text("Adhérent")

    desk.get_by_role("link", name="Remettre un décodeur").click()
    desk.wait_for_url(f"{url}/equipements/foyers/{le_goff.pk}/remise/")
    desk.keyboard.type("SNKB0001")  # the scanner types the serial, then Enter
    with desk.expect_navigation():
        desk.keyboard.press("Enter")
    expect(desk.locator("#objets")).to_contain_text("SNKB0001")
    desk.get_by_label("Signé sur papier").check()
    with desk.expect_navigation():
        desk.get_by_role("button", name="Confirmer la remise").click()
    expect(desk.get_by_text("Remise enregistrée : reçu REM-")).to_be_visible()

    desk.goto(f"{url}/accueil/foyers/{le_goff.pk}/")
    desk.get_by_role("link", name="Réserver ou vendre un PC").click()
    desk.locator("#id_ordinateur").select_option(value=str(Ordinateur.objects.get(reference="FIX-0000").pk))
    desk.get_by_label("Espèces").check()
    with desk.expect_navigation():
        desk.get_by_role("button", name="Vendre ce PC").click()
    expect(desk.get_by_text("PC FIX-0000 vendu")).to_be_visible()
    desk.get_by_label("Signé sur papier").check()
    with desk.expect_navigation():
        desk.get_by_role("button", name="Confirmer la remise").click()
    expect(desk.get_by_text("Remise enregistrée : reçu REM-")).to_be_visible()

    desk.goto(f"{url}/accueil/foyers/{le_goff.pk}/")
    desk.get_by_role("link", name="Inscrire un occupant à un atelier").click()
    desk.get_by_label("Annaïg Le Goff").check()
    desk.get_by_label(re.compile("Premiers pas sur l’ordinateur")).check()
    with desk.expect_navigation():
        desk.get_by_role("button", name="Inscrire").click()
    expect(desk.get_by_text("Inscription enregistrée : Annaïg Le Goff.")).to_be_visible()

    # --- The facilitator, on her phone: attendance, the Visa skills, the certificate -----------------
    anim = nouvelle_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    _connecter(anim, live_server, "animatrice")
    anim.wait_for_url(f"{url}/ateliers/animateur/")
    anim.get_by_role("link", name="Saisir les présences").first.tap()
    expect(anim.get_by_role("group", name="Annaïg Le Goff")).to_be_visible()
    anim.get_by_role("group", name="Annaïg Le Goff").get_by_text("Présent", exact=True).tap()
    anim.get_by_role("button", name="Enregistrer les présences").tap()
    expect(anim.get_by_role("alert")).to_contain_text("1 présent(s), 0 excusé(s), 0 absent(s)")

    anim.goto(f"{url}/ateliers/visa/")
    anim.get_by_role("link", name="Annaïg Le Goff").click()
    anim.wait_for_url(re.compile(r"/ateliers/visa/personne/\d+/$"))
    acquises = anim.locator("label.btn-outline-success")
    for i in range(acquises.count()):
        acquises.nth(i).tap()
    with anim.expect_navigation():
        anim.get_by_role("button", name="Enregistrer l’évaluation").click()
    with anim.expect_navigation():
        anim.get_by_role("button", name="Délivrer le certificat").click()
    certificat = Personne.objects.get(foyer=le_goff).certificats_visa.get()
    expect(anim.locator("#certificats")).to_contain_text(certificat.numero)

    # --- The dashboard, filtered to the quartier, cumulated since it joined: every step of the funnel ---
    ville.goto(f"{url}/pilotage/")
    ville.get_by_label("Quartier").select_option(label=QUARTIER)
    ville.get_by_label("Cumul depuis le début").check()
    with ville.expect_navigation():
        ville.get_by_role("button", name="Afficher").click()
    ligne = ville.locator(f'#entonnoir tr[data-quartier="{quartier.pk}"]')
    expect(ligne.locator("th")).to_have_text(QUARTIER)
    attendus = {
        "logements": 4,  # the building's dwellings
        "informes": 3,  # a leaflet delivered at three doors (the fourth: nobody home)
        "votants": 3,  # three ballots entered by the caretaker
        "adoptes": 4,  # the vote adopted: every dwelling on its roll
        "adherents": 1,  # the Le Goff household's opt-in at the desk
        "decodeurs": 1,  # its decoder (and its PC's handover: the same household)
        "ordinateurs": 1,  # its PC
        "formes": 1,  # Annaïg, present at the workshop
        "visa": 1,  # her certificate
    }
    for code, nombre in attendus.items():
        expect(ligne.locator(f'td[data-etape="{code}"]')).to_have_text(re.compile(rf"^\s*{nombre}\b"))
    # The figures lead to the list behind them: Annaïg's certificate.
    ligne.locator('td[data-etape="visa"]').get_by_role("link", name="1").click()
    expect(ville.get_by_role("main")).to_contain_text("Le Goff")
