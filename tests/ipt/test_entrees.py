"""No 500 on odd input: every page of the resolver is opened by a user who may see it, then every query
parameter it offers (its GET forms, its links' query strings, the names its views read) and every field
of every form it shows is fed odd values: a NUL character, 10,000 characters, Arabic-Indic digits, a
number past every column, a negative one. Each request is rolled back.

The pages and who may open them come from the access matrix (tests/ipt/test_acces.py).
"""

import inspect
import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import transaction
from django.urls import Resolver404, resolve, reverse

from tests.ipt.test_acces import ACCES, ADMIN_PAGES, COLONNES, _attendus_admin
from tests.scenario import objet_admin, scenario_creer, urls_admin

VALEURS_BIZARRES = {
    "NUL": "a\x00b",
    "10,000 characters": "x" * 10_000,
    "Arabic-Indic digits": "٣٤",
    "10**30": str(10**30),
    "negative": "-1",
}
# A formset's management fields: Django caps their counts (1,000 forms), so a huge one only costs time.
GESTION_DES_FORMSETS = ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")
# The parameters a view reads from the query string, found in its source.
LU_DANS_GET = re.compile(r"""request\.GET(?:\.get|\.getlist)?[(\[]\s*["'](\w+)["']""")


def _parametres_lus(url: str) -> set[str]:
    vue = inspect.unwrap(resolve(url).func)
    vue = getattr(vue, "view_class", vue)
    try:
        return set(LU_DANS_GET.findall(inspect.getsource(vue)))
    except (OSError, TypeError):
        return set()


class _Formulaires(HTMLParser):
    """The forms of a page (method, action, field names) and the query strings of its links."""

    def __init__(self):
        super().__init__()
        self.formulaires: list[dict] = []
        self.requetes: list[str] = []
        self._courant: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._courant = {
                "methode": (a.get("method") or "get").upper(),
                "action": a.get("action"),
                "champs": set(),
                "fixes": {},
            }
            self.formulaires.append(self._courant)
        elif tag in ("input", "select", "textarea") and self._courant is not None and a.get("name"):
            nom = a["name"]
            if nom.endswith(GESTION_DES_FORMSETS):  # a formset's count: kept as the page gives it
                self._courant["fixes"][nom] = a.get("value", "")
            elif (
                nom != "csrfmiddlewaretoken"
                and "__prefix__" not in nom
                and a.get("type") not in ("submit", "file")
            ):
                self._courant["champs"].add(nom)
        elif tag == "a" and (a.get("href") or "").startswith("?"):
            self.requetes.append(a["href"][1:])

    def handle_endtag(self, tag):
        if tag == "form":
            self._courant = None


def _demander(client, methode, url, donnees=None):
    """The status, or the exception a view raised (what a 500 would be)."""
    try:
        with transaction.atomic():
            reponse = (
                client.generic(methode, url)
                if donnees is None
                else getattr(client, methode.lower())(url, donnees)
            )
            transaction.set_rollback(True)
    except Exception as erreur:  # noqa: BLE001 — every exception is what we look for
        return f"{type(erreur).__name__}: {str(erreur)[:120]}"
    return reponse.status_code if reponse.status_code >= 500 else None


def _pages(scenario):
    """(url, user name) of every page to open: each URL asked by GET, by the first user who gets 200."""
    table = {**ACCES, **ADMIN_PAGES, **_attendus_admin()}
    for nom, (kwargs, methode, statuts) in sorted(table.items()):
        if methode != "GET" or "200" not in statuts.split():
            continue
        if "object_id" in kwargs and isinstance(kwargs["object_id"], str):
            kwargs = {"object_id": objet_admin(urls_admin()[nom][0]).pk}
        qui = COLONNES[statuts.split().index("200")]
        yield nom, reverse(nom, kwargs=scenario.kwargs(kwargs)), qui


@pytest.fixture
def scenario(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.VOTES_DELAI_ANNULATION_SAISIE = 24 * 60 * 60  # the walk takes minutes on a loaded machine
    return scenario_creer(tmp_path)


def test_no_page_answers_500_to_odd_values_in_its_parameters_and_forms(client, scenario):
    erreurs = []
    formulaires_vus = set()
    for _nom, url, qui in _pages(scenario):
        client.logout()
        if scenario.utilisateurs[qui] is not None:
            client.force_login(scenario.utilisateurs[qui])
        reponse = client.get(url)
        if reponse.status_code != 200 or "html" not in reponse.get("Content-Type", ""):
            continue
        page = _Formulaires()
        page.feed(reponse.content.decode())

        # Query parameters: those of its GET forms and links, and those its app's views read.
        noms = {cle for requete in page.requetes for cle, _ in parse_qsl(requete, keep_blank_values=True)}
        for formulaire in page.formulaires:
            if formulaire["methode"] == "GET" and formulaire["action"] in (None, "", url):
                noms |= formulaire["champs"]
        noms |= _parametres_lus(url)
        for parametre in sorted(noms):
            for libelle, valeur in VALEURS_BIZARRES.items():
                echec = _demander(client, "GET", url, {parametre: valeur})
                if echec:
                    erreurs.append(f"GET {url}?{parametre}=<{libelle}> as {qui}: {echec}")

        # Fields of its POST forms, all at once, to the form's action (its own URL if none).
        for formulaire in page.formulaires:
            if formulaire["methode"] != "POST":
                continue
            cible = urlsplit(formulaire["action"] or url).path or url
            try:
                resolve(cible)
            except Resolver404:
                continue
            cle = (cible, tuple(sorted(formulaire["champs"])), qui)
            if cle in formulaires_vus:
                continue
            formulaires_vus.add(cle)
            for libelle, valeur in VALEURS_BIZARRES.items():
                donnees = {**dict.fromkeys(formulaire["champs"], valeur), **formulaire["fixes"]}
                echec = _demander(client, "POST", cible, donnees)
                if echec:
                    erreurs.append(
                        f"POST {cible} <{libelle}> in {sorted(formulaire['champs'])} as {qui}: {echec}"
                    )
    assert not erreurs, "\n".join(erreurs)


# --- The three odd inputs of the audit, one by one ----------------------------------------------------


def test_a_300_character_username_gets_a_french_form_error_not_a_500(client, db):
    reponse = client.post(reverse("login"), {"username": "u" * 300, "password": "faux"})
    assert reponse.status_code == 200
    assert "comporte au plus 150 caractères" in reponse.content.decode()


def test_a_300_character_username_at_the_admin_login_gets_a_form_error(client, db):
    reponse = client.post(reverse("admin:login"), {"username": "u" * 300, "password": "faux"})
    assert reponse.status_code == 200
    assert "comporte au plus 150 caractères" in reponse.content.decode()


def test_a_nul_character_in_the_ballots_history_search_is_refused_in_french(client, scenario):
    client.force_login(scenario.utilisateurs["ville"])
    url = reverse("votes:historique", kwargs={"pk": scenario.objets["scrutin"].pk})
    reponse = client.get(url, {"code": "\x00"})
    assert reponse.status_code == 400
    assert "L’adresse contient un caractère invalide." in reponse.content.decode()


@pytest.mark.parametrize("annee", ["99999", str(10**30)])
def test_an_out_of_range_year_in_an_admin_date_filter_is_a_wrong_parameter_not_a_500(client, scenario, annee):
    client.force_login(scenario.utilisateurs["ville"])
    reponse = client.get(reverse("admin:charges_charge_changelist"), {"mois__year": annee})
    assert reponse.status_code == 302
    assert reponse["Location"].endswith("?e=1")
