"""Least privilege, checked (README "Least privilege").

Every household and person of the scenario (tests/scenario.py) is given a distinctive name, phone and
email; then each role asks every page the access matrix (tests/ipt/test_acces.py) lets it open, plus
what it downloads (statements PDF and CSV read back, yearly summary, yearly notices, ballot entry steps,
incident reports), and none of those strings may appear:

- caretakers and landlords never see a person's or a household's name, phone or email;
- volunteers of another centre, facilitators of other sessions see no one of the scenario's quartier.

Then the desk (``accueil``): it finds the households of its quartiers, never another centre's, and never
reads the sensitive profile back.
"""

import datetime
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from ateliers.models import Seance
from charges import services as charges_services
from charges.models import CompteurReleve
from ipt.models import Travail
from logements import services as logements_services
from logements.models import Foyer, Personne
from tests.ipt.test_acces import ACCES, COLONNES
from tests.pdf import pdf_texte
from tests.scenario import scenario_creer
from votes.models import Inscrit

# What must never show: every household's and person's name, phone and email (two spellings of a phone).
NOM_FOYER = "Zorglubova"
PRENOM = "Zéphyrine"
NOM_PERSONNE = "Zorglubescu"
DOMAINE = "zorglub-exemple.test"
INTERDITS = (NOM_FOYER, PRENOM, NOM_PERSONNE, DOMAINE, "99 88 77", "99887766", "Dupont", "Le Bris", "Morvan")


def _marquer(scenario) -> None:
    """Distinctive names, phones and emails on every household and person (and in their search text)."""
    for i, foyer in enumerate(Foyer.objects.order_by("pk")):
        Foyer.objects.filter(pk=foyer.pk).update(
            nom=f"{NOM_FOYER} {i}", telephone=f"06 99 88 77 {i:02d}", email=f"foyer{i}@{DOMAINE}"
        )
    for i, personne in enumerate(Personne.objects.order_by("pk")):
        Personne.objects.filter(pk=personne.pk).update(
            prenom=f"{PRENOM}{i}",
            nom=f"{NOM_PERSONNE} {i}",
            telephone=f"07 99 88 77 {i:02d}",
            email=f"personne{i}@{DOMAINE}",
        )
    logements_services.foyers_recherche_recalculer(list(Foyer.objects.values_list("pk", flat=True)))
    for nom in ("foyer", "personne", "participant"):
        scenario.objets[nom].refresh_from_db()


def _texte(reponse) -> str:
    """What a response shows: HTML or CSV as text, a PDF read back, each file of a ZIP."""
    contenu = b"".join(reponse.streaming_content) if reponse.streaming else reponse.content
    return _texte_de(contenu, reponse.get("Content-Type", ""))


def _texte_de(contenu: bytes, type_contenu: str = "") -> str:
    if contenu.startswith(b"%PDF"):
        return pdf_texte(contenu) if b"stand-in" not in contenu else ""
    if contenu.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
            return "\n".join(_texte_de(archive.read(nom)) for nom in archive.namelist())
    return contenu.decode("utf-8-sig", errors="replace")


def _fuites(texte: str) -> list[str]:
    return [interdit for interdit in INTERDITS if interdit.casefold() in texte.casefold()]


def _pages_ouvertes(scenario, qui: str) -> list[str]:
    """Every URL of the matrix that ``qui`` may GET (200, or a redirect followed)."""
    colonne = COLONNES.index(qui)
    urls = []
    for nom, (kwargs, methode, statuts) in sorted(ACCES.items()):
        if methode == "GET" and statuts.split()[colonne] in ("200", "302"):
            urls.append(reverse(nom, kwargs=scenario.kwargs(kwargs)))
    return urls


@pytest.fixture
def scenario(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.VOTES_DELAI_ANNULATION_SAISIE = 24 * 60 * 60
    s = scenario_creer(tmp_path)
    _marquer(s)
    return s


def _visiter(client, user, urls, **extra) -> dict[str, list[str]]:
    client.force_login(user)
    vues = {}
    for url in urls:
        reponse = client.get(url, follow=True, **extra)
        assert reponse.status_code < 500, url
        vues[url] = _fuites(_texte(reponse))
    return {url: fuites for url, fuites in vues.items() if fuites}


# --- Caretakers and landlords never see a name ---------------------------------------------------


def test_the_scenario_holds_the_strings_the_walk_looks_for(client, scenario):
    """The walk is honest: city staff, who may, see the names on the same pages."""
    client.force_login(scenario.utilisateurs["ville"])
    html = _texte(client.get(reverse("logements:foyer", args=[scenario.objets["foyer"].pk])))
    assert {NOM_FOYER, PRENOM, NOM_PERSONNE, DOMAINE, "99 88 77"} <= set(_fuites(html))


@pytest.mark.parametrize("qui", ["gardien", "gardien_hors", "bailleur", "bailleur_hors"])
def test_caretakers_and_landlords_see_no_name_phone_or_email_on_any_page(client, scenario, qui):
    fuites = _visiter(client, scenario.utilisateurs[qui], _pages_ouvertes(scenario, qui))
    assert fuites == {}


def test_the_caretaker_enters_ballots_and_reports_incidents_without_a_name(client, scenario):
    o, gardien = scenario.objets, scenario.utilisateurs["gardien"]
    client.force_login(gardien)
    scrutin = o["scrutin"]
    saisie = reverse("votes:saisie", args=[scrutin.pk, "gardien"])
    deja = Inscrit.objects.get(scrutin=scrutin, logement=o["logement"])
    autre = Inscrit.objects.filter(scrutin=scrutin).exclude(pk=deja.pk).order_by("pk").first()
    lus = []
    for code in (deja.code, autre.code):  # a dwelling that voted (who entered it), one to enter (its door)
        for extra in ({}, {"HTTP_HX_REQUEST": "true"}):
            reponse = client.get(saisie, {"code": code}, **extra)
            assert reponse.status_code in (200, 409)
            lus.append(_texte(reponse))
    # A ballot entered, then undone: the answers name the door, not the household.
    reponse = client.post(saisie, {"code": autre.code, "choix": "non"}, HTTP_HX_REQUEST="true")
    assert reponse.status_code == 200
    lus.append(_texte(reponse))
    bulletin = scrutin.bulletins.get(inscrit=autre)
    reponse = client.post(reverse("votes:saisie_defaire", args=[scrutin.pk, "gardien", bulletin.pk]))
    lus.append(_texte(reponse))
    lus.append(
        _texte(client.get(reverse("votes:bulletin_lien", args=[scrutin.pk]), {"c": autre.code}, follow=True))
    )
    # An incident report on the household's dwelling, from the form prefilled with it.
    nouveau = reverse("equipements:signalement_nouveau")
    lus.append(_texte(client.get(nouveau, {"logement": o["logement"].pk})))
    logement = o["logement"]
    reponse = client.post(
        nouveau,
        {
            "immeuble": logement.immeuble_id,
            "cage": logement.cage,
            "etage": logement.etage if logement.etage is not None else "",
            "porte": logement.porte,
            "categorie": "signal",
            "description": "Plus de signal depuis hier",
        },
        follow=True,
    )
    assert reponse.status_code == 200
    assert o["logement"].signalements.count() == 2, _texte(reponse)  # the scenario's, and this one
    lus.append(_texte(reponse))
    assert [_fuites(t) for t in lus] == [[]] * len(lus)


@pytest.fixture
def releve_emis(scenario):
    """A real statement of the scenario's landlord (the scenario's files are stand-ins), with its PDF
    and CSV produced as the monthly run makes them."""
    septembre = datetime.date(2026, 9, 1)
    # the scenario's stand-in statement took the landlord's first number of the year
    CompteurReleve.objects.create(bailleur=scenario.objets["bailleur"], annee=2026, dernier=1)
    charges_services.charges_generer(mois=septembre, montant=Decimal("1.18"))
    releve, _ = charges_services.releve_etablir(
        bailleur=scenario.objets["bailleur"], mois=septembre, tarif=Decimal("1.18")
    )
    charges_services.releve_documents_produire(releve_pk=releve.pk)
    releve.refresh_from_db()
    assert releve.emis and releve.pdf and releve.csv
    return releve


def test_the_landlord_downloads_statements_summaries_and_notices_without_a_name(
    client, scenario, releve_emis, django_capture_on_commit_callbacks
):
    o, bailleur = scenario.objets, scenario.utilisateurs["bailleur"]
    client.force_login(bailleur)
    lus = {}
    for nom, args in (
        ("charges:releve", [releve_emis.pk]),
        ("charges:releve_pdf", [releve_emis.pk]),
        ("charges:releve_csv", [releve_emis.pk]),
        ("charges:resume_csv", [o["bailleur"].pk, 2026]),
    ):
        reponse = client.get(reverse(nom, args=args))
        assert reponse.status_code == 200, nom
        lus[nom] = _texte(reponse)
    assert releve_emis.numero in lus["charges:releve_pdf"]  # the PDF was read back
    assert o["logement"].reference in lus["charges:releve_csv"]
    assert o["logement"].reference in lus["charges:resume_csv"]
    # The yearly notices: asked for by the landlord, made by the job, downloaded (a ZIP of PDFs).
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(reverse("charges:avis_lancer", args=[o["bailleur"].pk, 2026]))
    assert reponse.status_code == 302
    travail = Travail.objects.filter(demandeur=bailleur, nature="charges.avis_annuels").latest("pk")
    assert travail.statut == Travail.Statut.TERMINE, travail.message
    reponse = client.get(reverse("travail_telecharger", args=[travail.pk]))
    assert reponse.status_code == 200
    lus["avis"] = _texte(reponse)
    assert o["logement"].reference in lus["avis"]
    assert "Le locataire" in lus["avis"] or "The tenant" in lus["avis"]  # the job's language
    assert {nom: _fuites(texte) for nom, texte in lus.items()} == dict.fromkeys(lus, [])


# --- Volunteers of another centre, facilitators of other sessions: no one of the quartier ------


@pytest.mark.parametrize("qui", ["accueil_hors", "animateur_hors"])
def test_out_of_scope_users_see_no_one_of_the_quartier_on_any_page(client, scenario, qui):
    fuites = _visiter(client, scenario.utilisateurs[qui], _pages_ouvertes(scenario, qui))
    assert fuites == {}


def test_facilitators_see_their_participants_names_but_no_household_nor_contact_details(client, scenario):
    """The facilitator's sessions list the people signed up (their names: attendance, Visa skills), never
    their household, phone or email."""
    client.force_login(scenario.utilisateurs["animateur"])
    vus = {}
    for url in _pages_ouvertes(scenario, "animateur"):
        texte = _texte(client.get(url, follow=True))
        vus[url] = [f for f in _fuites(texte) if f in (NOM_FOYER, DOMAINE, "99 88 77", "99887766")]
        vus[url] += ["adresse"] if scenario.objets["immeuble"].adresse in texte else []
    seance = reverse("ateliers:seance", args=[scenario.objets["seance"].pk])
    assert PRENOM in _texte(client.get(seance))  # the walk reads the names the facilitator needs
    assert {url: fuites for url, fuites in vus.items() if fuites} == {}


@pytest.mark.parametrize("qui", ["accueil_hors", "animateur_hors"])
def test_signing_someone_up_on_another_quartiers_session_finds_no_one_of_this_one(client, scenario, qui):
    autre_seance = Seance.objects.exclude(pk=scenario.objets["seance"].pk).get()
    client.force_login(scenario.utilisateurs[qui])
    url = reverse("ateliers:seance", args=[autre_seance.pk])
    for q in (NOM_PERSONNE, PRENOM):
        reponse = client.get(url, {"q": q})
        assert reponse.status_code == 200
        texte = _texte(reponse)
        assert "Aucune personne trouvée à ce nom." in texte
        assert not re.search(rf"({PRENOM}\d|{NOM_PERSONNE} \d)", texte), q


def test_the_desk_search_finds_its_quartiers_households_and_never_another_centres(client, scenario):
    recherche = reverse("logements:accueil_recherche")
    client.force_login(scenario.utilisateurs["accueil"])
    assert NOM_FOYER in _texte(client.get(recherche, {"q": NOM_FOYER}))
    assert NOM_FOYER in _texte(client.get(recherche, {"q": NOM_PERSONNE}))
    client.force_login(scenario.utilisateurs["accueil_hors"])
    for q in (NOM_FOYER, NOM_PERSONNE, "0699887700", "06 99 88 77 00"):  # the query itself is echoed
        for url in (recherche, reverse("logements:accueil")):
            texte = _texte(client.get(url, {"q": q}))
            assert not re.search(rf"({NOM_FOYER}|{NOM_PERSONNE}) \d|{DOMAINE}|/accueil/foyers/", texte), q


# --- The desk never reads the sensitive profile back ---------------------------------------------

REPONSES_DU_PROFIL = ("Bénéficie des minima sociaux", "Personne isolée", "Famille monoparentale")


@pytest.fixture
def profil(scenario):
    foyer = scenario.objets["foyer"]
    logements_services.foyer_profil_enregistrer(
        foyer=foyer,
        minima_sociaux=True,
        personne_isolee=True,
        famille_monoparentale=False,
        par=scenario.utilisateurs["accueil"],
    )
    return foyer


@pytest.mark.parametrize(
    ("qui", "droit", "voit"),
    [("accueil", False, False), ("ville", False, False), ("ville", True, True), ("accueil", True, True)],
)
def test_the_profile_answers_show_only_with_the_right_to_sensitive_data(
    client, scenario, profil, qui, droit, voit
):
    user = scenario.utilisateurs[qui]
    if droit:
        user.user_permissions.add(Permission.objects.get(codename="voir_donnees_sensibles"))
    client.force_login(user)
    fiche = _texte(client.get(reverse("logements:foyer", args=[profil.pk])))
    formulaire = _texte(client.get(reverse("logements:foyer_profil", args=[profil.pk])))
    assert "Enregistré avec l’accord du foyer le" in fiche  # that a profile exists, and when, is shown
    assert all((r in fiche) is voit for r in REPONSES_DU_PROFIL), fiche
    assert ('value="oui" selected' in formulaire) is voit


def test_no_role_holds_the_right_to_sensitive_data(scenario):
    for qui, user in scenario.utilisateurs.items():
        if user is not None:
            assert not user.has_perm("logements.voir_donnees_sensibles"), qui
