"""The reception desk's search: what it finds, for whom, in how many queries."""

import datetime

import pytest
from django.db import connection

from equipements.models import Signalement
from logements import services
from logements.models import Foyer
from logements.selectors import (
    LIMITE_RESULTATS,
    chiffres_telephone,
    normaliser,
    similarite,
    termes_de_recherche,
    texte_de_recherche,
)
from tests.factories import (
    AdhesionFactory,
    CentreSocialFactory,
    FoyerFactory,
    ImmeubleFactory,
    LogementFactory,
    PersonneFactory,
    QuartierFactory,
    UserFactory,
)

RECHERCHE = "/accueil/recherche/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def dupont(immeuble, accueil_user):
    """The Dupont household: Hélène and Marc, 12 rue de l’Élorn, building “Les Embruns”."""
    immeuble.adresse = "12 rue de l’Élorn, 29200 Brest"
    immeuble.nom = "Les Embruns"
    immeuble.save()
    logement = LogementFactory(immeuble=immeuble, reference="HOC-0042", cage="B", etage=3, porte="31")
    return services.foyer_emmenager(
        logement=logement,
        nom="Dupont",
        telephone="06 00 00 01 02",
        emmenage_le=datetime.date(2015, 3, 1),
        occupants=[{"prenom": "Hélène", "nom": "Dupont"}, {"prenom": "Marc", "nom": "Le Gall"}],
        par=accueil_user,
    )


@pytest.fixture
def martin(quartier, bailleur, accueil_user):
    """Another household of the same quartier, in another building: found by nothing that finds Dupont."""
    immeuble = ImmeubleFactory(
        quartier=quartier, bailleur=bailleur, adresse="5 place Vauban, 29200 Brest", nom="Le Phare"
    )
    logement = LogementFactory(immeuble=immeuble, reference="HOC-0777")
    return services.foyer_emmenager(
        logement=logement,
        nom="Martin",
        telephone="07 11 22 33 44",
        emmenage_le=datetime.date(2016, 1, 1),
        par=accueil_user,
    )


def _trouves(client, q) -> list[str]:
    response = client.get(RECHERCHE, {"q": q}, **HTMX)
    assert response.status_code == 200
    return [f.nom for f in response.context["resultats"].foyers]


@pytest.mark.parametrize(
    "q",
    [
        "Dupont",  # the household's name
        "dupont",
        "DUPONT",
        "Hélène",  # an occupant
        "helene",  # without the accent
        "HELENE",
        "marc le gall",  # an occupant, several words
        "gall marc",  # in any order
        "élorn",  # the address
        "elorn",
        "12 rue de l'elorn",  # the address with a plain apostrophe
        "Embruns",  # the building's name
        "les embruns",
        "HOC-0042",  # the landlord's reference
        "hoc-0042",
        "0042",
        "06 00 00 01 02",  # the phone as written
        "0600000102",  # without spaces
        "06.00.00.01.02",  # with dots
        "+33 6 00 00 01 02",  # international
        "00 01 02",  # part of it
        "helene embruns",  # an occupant and the building
    ],
)
def test_the_desk_finds_a_household_by_each_criterion(client, accueil_user, dupont, martin, q):
    client.force_login(accueil_user)
    assert _trouves(client, q) == ["Dupont"]


def test_every_word_must_match(client, accueil_user, dupont, martin):
    client.force_login(accueil_user)
    assert _trouves(client, "helene vauban") == []
    assert _trouves(client, "martin vauban") == ["Martin"]


@pytest.mark.parametrize("q", ["d", "du", "rue", "12 rue de l"])
def test_a_query_of_short_or_common_words_only_searches_nothing(
    client, accueil_user, dupont, django_assert_num_queries, q
):
    client.force_login(accueil_user)
    with django_assert_num_queries(4):  # session, user, permissions: the whole city is not listed
        response = client.get(RECHERCHE, {"q": q}, **HTMX)
    assert response.context["resultats"].foyers == []
    assert "Tapez au moins trois lettres d’un nom, d’une rue ou d’un immeuble" in response.content.decode()


def test_a_query_without_match_says_so(client, accueil_user, dupont):
    client.force_login(accueil_user)
    response = client.get(RECHERCHE, {"q": "Kerjean"}, **HTMX)
    assert "Aucun foyer trouvé pour « Kerjean »" in response.content.decode()


def test_results_show_the_opt_in_status_the_dwelling_and_the_occupants(client, accueil_user, dupont):
    AdhesionFactory(foyer=dupont, date=datetime.date(2015, 4, 1))
    client.force_login(accueil_user)
    html = client.get(RECHERCHE, {"q": "dupont"}, **HTMX).content.decode()
    assert "adhérent" in html
    assert "12 rue de l’Élorn" in html
    assert "Les Embruns" in html
    assert "cage B, étage 3, porte 31" in html
    assert "HOC-0042" in html
    assert "Hélène Dupont" in html and "Marc Le Gall" in html
    assert f'href="/accueil/foyers/{dupont.pk}/"' in html


def test_current_households_come_first_and_former_ones_stay_findable(client, accueil_user, immeuble):
    ancien = FoyerFactory(
        logement__immeuble=immeuble,
        nom="Aaron Fictif",
        emmenage_le=datetime.date(2010, 1, 1),
        demenage_le=datetime.date(2014, 1, 1),
    )
    actuel = FoyerFactory(logement__immeuble=immeuble, nom="Zola Fictif")
    services.foyers_recherche_recalculer()
    client.force_login(accueil_user)
    response = client.get(RECHERCHE, {"q": "fictif"}, **HTMX)
    assert [f.pk for f in response.context["resultats"].foyers] == [actuel.pk, ancien.pk]
    assert "a déménagé le 1 janvier 2014" in response.content.decode()


# --- Relevance ----------------------------------------------------------------------------------


@pytest.fixture
def residence_salaun(quartier, bailleur, accueil_user):
    """A building named after a surname, full of residents of other names, and the SALAÜN households of
    another building: two current, one moved out."""
    residence = ImmeubleFactory(
        quartier=quartier, bailleur=bailleur, nom="Résidence Salaün 3", adresse="3 rue Jean Jaurès"
    )
    for i in range(LIMITE_RESULTATS + 5):
        FoyerFactory(logement__immeuble=residence, nom=f"ABALAIN {i:02}")
    ailleurs = ImmeubleFactory(
        quartier=quartier, bailleur=bailleur, nom="Les Mouettes", adresse="8 rue Vauban"
    )
    salaun = [
        FoyerFactory(logement__immeuble=ailleurs, nom="SALAÜN"),
        FoyerFactory(logement__immeuble=ailleurs, nom="SALAÜN"),
        FoyerFactory(
            logement__immeuble=ailleurs,
            nom="SALAÜN",
            emmenage_le=datetime.date(2010, 1, 1),
            demenage_le=datetime.date(2014, 1, 1),
        ),
    ]
    # A household of another name where a SALAÜN lives: found by its occupant, a name too.
    occupant = FoyerFactory(logement__immeuble=ailleurs, nom="KERMARREC")
    PersonneFactory(foyer=occupant, prenom="Anne", nom="Salaün")
    services.foyers_recherche_recalculer()
    return salaun, occupant


def test_households_named_like_a_building_come_before_its_residents(client, accueil_user, residence_salaun):
    (actuel_1, actuel_2, ancien), occupant = residence_salaun
    client.force_login(accueil_user)
    response = client.get(RECHERCHE, {"q": "salaun"}, **HTMX)
    foyers = response.context["resultats"].foyers
    # The households named SALAÜN (current ones first), the household where a Salaün lives, then the
    # building's residents, up to the limit.
    assert {f.pk for f in foyers[:2]} == {actuel_1.pk, actuel_2.pk}
    assert [f.pk for f in foyers[2:4]] == [occupant.pk, ancien.pk] or [f.pk for f in foyers[2:4]] == [
        ancien.pk,
        occupant.pk,
    ]
    assert all(f.nom.startswith("ABALAIN") for f in foyers[4:])
    assert len(foyers) == LIMITE_RESULTATS
    # The building's residents are still found by the building's name with another word.
    assert len(_trouves(client, "residence salaun 3")) == LIMITE_RESULTATS


def test_a_name_found_in_the_household_name_comes_before_an_occupant_of_that_name(
    client, accueil_user, residence_salaun
):
    (actuel_1, actuel_2, ancien), occupant = residence_salaun
    client.force_login(accueil_user)
    foyers = client.get(RECHERCHE, {"q": "salaun"}, **HTMX).context["resultats"].foyers
    rangs = {f.pk: rang for rang, f in enumerate(foyers)}
    # Among current households, the ones named SALAÜN come before the one where Anne Salaün lives.
    assert rangs[actuel_1.pk] < rangs[occupant.pk] and rangs[actuel_2.pk] < rangs[occupant.pk]


def test_the_closest_names_come_first(client, accueil_user, immeuble):
    for nom in ["ROBERTSON", "ROBERT", "LE ROBERTIC"]:
        FoyerFactory(logement__immeuble=immeuble, nom=nom)
    services.foyers_recherche_recalculer()
    client.force_login(accueil_user)
    assert _trouves(client, "robert")[0] == "ROBERT"


@pytest.mark.parametrize(
    ("nom", "q"),
    [
        ("FLOC’H", "floch"),
        ("FLOC’H", "floc'h"),
        ("FLOC’H", "Floc’h"),
        ("FLOC’H", "floc h"),
        ("Floch", "floc'h"),
        ("LE GOFF", "legoff"),
        ("LE GOFF", "le goff"),
        ("LE GOFF", "le-goff"),
        ("LE GOFF", "Le Goff"),
        ("Le-Goff", "legoff"),
        ("Legoff", "le goff"),
        ("L’HOSTIS", "lhostis"),
        ("MADEC-LE BIHAN", "lebihan"),
        ("MADEC-LE BIHAN", "madec"),
    ],
)
def test_names_are_found_with_or_without_apostrophes_hyphens_and_spaces(
    client, accueil_user, immeuble, martin, nom, q
):
    foyer = FoyerFactory(logement__immeuble=immeuble, nom="KERMARREC")
    PersonneFactory(foyer=foyer, prenom="Yann", nom=nom)
    FoyerFactory(logement__immeuble=immeuble, nom=nom)
    services.foyers_recherche_recalculer()
    client.force_login(accueil_user)
    # The household of that name first, then the one where someone of that name lives.
    assert _trouves(client, q) == [nom, "KERMARREC"]


def test_the_search_text_holds_names_of_several_words_also_joined():
    assert texte_de_recherche("FLOC’H", "", [("Jean-Pierre", "Le Goff", "06 00 00 01 02")]) == (
        "floc h jean pierre le goff floch jeanpierre legoff 0600000102"
    )
    # Once each, and nothing added for a name of one word.
    assert texte_de_recherche("Dupont", "", [("Anne", "Dupont", ""), ("Marc", "Dupont", "")]) == (
        "dupont anne dupont marc dupont"
    )


def test_the_data_migration_recomputes_the_search_texts(dupont):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("logements.migrations.0006_recherche_noms_joints")
    Foyer.objects.update(recherche="dupont helene dupont marc le gall 0600000102")  # the former format
    migration.recalculer(apps, None)
    dupont.refresh_from_db()
    assert dupont.recherche == "dupont helene dupont marc le gall legall 0600000102"


def test_closeness_ranks_names_as_postgresql_trigrams_do(db):
    """:func:`similarite` is pg_trgm's ``strict_word_similarity`` in Python: the same order on names."""
    textes = ["robert", "robertson marie", "anne robert", "le robertic", "roberte", "bertrand", "kerrobert"]
    with connection.cursor() as cursor:
        postgresql = []
        for texte in textes:
            cursor.execute("SELECT strict_word_similarity('robert', %s)", [texte])
            postgresql.append(cursor.fetchone()[0])
    python = [similarite("robert", texte) for texte in textes]
    assert sorted(textes, key=lambda t: -postgresql[textes.index(t)]) == sorted(
        textes, key=lambda t: -python[textes.index(t)]
    )
    assert python[0] == pytest.approx(postgresql[0]) == 1.0
    assert python[textes.index("bertrand")] < 0.5


def test_a_bounded_number_of_results_and_a_hint_to_refine(client, accueil_user, immeuble):
    foyers = FoyerFactory.create_batch(LIMITE_RESULTATS + 1, logement__immeuble=immeuble)
    services.foyers_recherche_recalculer()
    client.force_login(accueil_user)
    response = client.get(RECHERCHE, {"q": "fictive"}, **HTMX)
    assert len(response.context["resultats"].foyers) == LIMITE_RESULTATS
    assert "affinez votre recherche" in response.content.decode()
    # One household's own name ("Fictive123", whatever the factory's counter has reached): no hint.
    response = client.get(RECHERCHE, {"q": foyers[-1].nom.split()[-1]}, **HTMX)
    assert len(response.context["resultats"].foyers) == 1
    assert "affinez" not in response.content.decode()


def test_an_empty_dwelling_is_found_for_a_move_in(client, accueil_user, dupont, immeuble):
    vide = LogementFactory(immeuble=immeuble, reference="HOC-0099")
    client.force_login(accueil_user)
    response = client.get(RECHERCHE, {"q": "embruns"}, **HTMX)
    assert response.context["resultats"].logements_vides == [vide]
    assert f'href="/accueil/logements/{vide.pk}/"' in response.content.decode()


# --- Scope and roles ----------------------------------------------------------------------------


def test_a_volunteer_of_another_centre_finds_nothing_of_this_quartier(client, dupont):
    ailleurs = UserFactory(username="benevole-ailleurs", role="accueil")
    CentreSocialFactory().membres.add(ailleurs)
    client.force_login(ailleurs)
    for q in ("dupont", "helene", "embruns", "HOC-0042", "0600000102"):
        response = client.get(RECHERCHE, {"q": q}, **HTMX)
        assert response.context["resultats"].foyers == [], q
        assert response.context["resultats"].logements_vides == [], q
    assert client.get(f"/accueil/foyers/{dupont.pk}/").status_code == 404
    assert client.get(f"/accueil/logements/{dupont.logement_id}/").status_code == 404


def test_a_volunteer_finds_the_households_of_every_quartier_of_their_centre(
    client, accueil_user, centre, dupont
):
    autre = FoyerFactory(logement__immeuble__quartier=QuartierFactory(centre_social=centre), nom="Dupont bis")
    services.foyers_recherche_recalculer([autre.pk])
    client.force_login(accueil_user)
    assert _trouves(client, "dupont") == ["Dupont", "Dupont bis"]


def test_city_staff_search_every_quartier(client, ville_user, dupont):
    ailleurs = FoyerFactory(nom="Dupont d’ailleurs")
    services.foyers_recherche_recalculer([ailleurs.pk])
    client.force_login(ville_user)
    assert _trouves(client, "dupont") == ["Dupont", "Dupont d’ailleurs"]
    assert client.get(f"/accueil/foyers/{ailleurs.pk}/").status_code == 200


@pytest.mark.parametrize("user_of_role", ["gardien", "bailleur"], indirect=True)
def test_caretakers_and_landlords_are_refused_the_desk(client, user_of_role, dupont):
    client.force_login(user_of_role)
    for url in ("/accueil/", f"{RECHERCHE}?q=dupont", f"/accueil/foyers/{dupont.pk}/"):
        assert client.get(url).status_code == 403, url
    response = client.post(
        f"/accueil/foyers/{dupont.pk}/adhesion/", {"type": "adhesion", "date": "2020-01-01"}
    )
    assert response.status_code == 403
    assert not dupont.adhesions.exists()


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, dupont):
    response = client.get(RECHERCHE, {"q": "dupont"}, **HTMX)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


# --- htmx partial, full page --------------------------------------------------------------------


def test_htmx_gets_the_results_alone(client, accueil_user, dupont):
    client.force_login(accueil_user)
    response = client.get(RECHERCHE, {"q": "dupont"}, **HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="resultats-contenu" data-q="dupont"' in html
    assert "HX-Request" in response["Vary"]


def test_without_javascript_the_search_is_a_plain_get_form(client, accueil_user, dupont):
    client.force_login(accueil_user)
    html = client.get("/accueil/").content.decode()
    assert '<form method="get" action="/accueil/" role="search"' in html
    assert 'hx-trigger="input changed delay:200ms, search"' in html
    assert " autofocus" in html
    response = client.get("/accueil/", {"q": "dupont"})
    html = response.content.decode()
    assert "<html" in html and "Dupont" in html and 'value="dupont"' in html
    # the results address, asked without htmx (a bookmark, a reload), answers the whole page
    assert "<html" in client.get(RECHERCHE, {"q": "dupont"}).content.decode()


def test_the_desk_page_is_in_french_with_its_keyboard_help(client, accueil_user):
    client.force_login(accueil_user)
    html = client.get("/accueil/").content.decode()
    assert "<h1" in html and "Accueil" in html
    assert "pour la personne suivante" in html
    assert "js/accueil.js" in html


# --- Queries ------------------------------------------------------------------------------------


def _foyers(immeuble, n):
    for foyer in FoyerFactory.create_batch(n, logement__immeuble=immeuble):
        PersonneFactory.create_batch(2, foyer=foyer)
        AdhesionFactory(foyer=foyer)
    services.foyers_recherche_recalculer()


@pytest.mark.parametrize("n", [3, 30])
def test_the_search_takes_the_same_queries_whatever_the_number_of_households(
    client, accueil_user, immeuble, django_assert_num_queries, n
):
    _foyers(immeuble, n)
    LogementFactory.create_batch(3, immeuble=immeuble)
    client.force_login(accueil_user)
    # session, user, the user's two permission sets; then households, their occupants, empty dwellings
    with django_assert_num_queries(7):
        response = client.get(RECHERCHE, {"q": "fictive"}, **HTMX)
    assert len(response.context["resultats"].foyers) == min(n, LIMITE_RESULTATS)


@pytest.mark.parametrize("n", [3, 30])
def test_the_desk_page_with_results_takes_the_same_queries(
    client, accueil_user, immeuble, django_assert_num_queries, n
):
    _foyers(immeuble, n)
    client.force_login(accueil_user)
    with django_assert_num_queries(7):
        client.get("/accueil/", {"q": "fictive"})
    with django_assert_num_queries(5):  # no search: the quartiers covered
        client.get("/accueil/")


@pytest.mark.parametrize("n", [3, 30])
def test_the_household_page_takes_the_same_queries_whatever_its_history(
    client, accueil_user, immeuble, django_assert_num_queries, n
):
    foyer = FoyerFactory(logement__immeuble=immeuble)
    PersonneFactory.create_batch(n, foyer=foyer)
    for i in range(n):
        AdhesionFactory(
            foyer=foyer,
            type="adhesion" if i % 2 == 0 else "desistement",
            date=datetime.date(2016, 1, 1 + i % 28),
        )
        Signalement.objects.create(
            immeuble=immeuble,
            logement=foyer.logement,
            categorie="prise",
            signale_le=datetime.date(2026, 3, 2),
        )
    client.force_login(accueil_user)
    # session, user, permissions (2); the household and its dwelling, occupants, opt-ins and who entered them;
    # its equipment story and the provider incidents of its dwelling (equipements/); the occupants' Visa
    # Internet progress: the list in force, its skills, their assessments and certificates (ateliers/); its
    # late-comer letters, appointments and decline (equipements/selectors_retardataires.parcours); its PCs
    # bought and its PC reservations (equipements/, refurbished PCs); its needs and the quick form's
    # occupants and themes (ateliers/, the needs census); the occupants' training history and coming
    # sign-ups (ateliers/); the occupants' contact preferences, their consents and their last messages
    # (ateliers/, 3); the read log's entry (donnees/, one INSERT)
    with django_assert_num_queries(30):
        response = client.get(f"/accueil/foyers/{foyer.pk}/")
    assert response.status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_the_dwelling_page_takes_the_same_queries_whatever_its_households(
    client, accueil_user, immeuble, django_assert_num_queries, n
):
    logement = LogementFactory(immeuble=immeuble)
    for i in range(n):
        FoyerFactory(
            logement=logement,
            emmenage_le=datetime.date(1980 + i, 1, 1),
            demenage_le=datetime.date(1980 + i, 12, 31),
        )
    client.force_login(accueil_user)
    with django_assert_num_queries(6):
        response = client.get(f"/accueil/logements/{logement.pk}/")
    assert response.status_code == 200
    assert "Enregistrer un emménagement" in response.content.decode()


# --- The search text ----------------------------------------------------------------------------


def test_normalising_drops_case_accents_and_punctuation():
    assert normaliser("Hélène  d’Arc-Le Goff") == "helene d arc le goff"
    assert normaliser("Œuvre Ærø STRAßE") == "oeuvre aero strasse"
    assert normaliser("") == ""


def test_python_and_database_normalise_letters_alike(db):
    """The database keeps punctuation (the words searched hold none): the letters and digits agree."""
    textes = [
        "Hélène d’Arc",
        "ÉLORN",
        "Kerbernard / Pen ar Creac'h",
        "Œdipe",
        "Straße 12",
        "  çà  et là  ",
        "Ærø",
    ]
    with connection.cursor() as cursor:
        for texte in textes:
            cursor.execute("SELECT ipt_normaliser(%s)", [texte])
            assert normaliser(cursor.fetchone()[0]) == normaliser(texte), texte


def test_the_desk_search_uses_the_trigram_indexes(db):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for table, colonne, index in [
            ("logements_foyer", "recherche", "foyer_recherche_trgm"),
            ("logements_immeuble", "ipt_normaliser(adresse)", "immeuble_adresse_trgm"),
            ("logements_immeuble", "ipt_normaliser(nom)", "immeuble_nom_trgm"),
            ("logements_logement", "ipt_normaliser(reference)", "logement_reference_trgm"),
        ]:
            cursor.execute(f"EXPLAIN SELECT id FROM {table} WHERE {colonne} LIKE '%elorn%'")  # noqa: S608
            assert index in "\n".join(ligne for (ligne,) in cursor.fetchall()), index


def test_phone_numbers_are_searched_as_digits():
    assert chiffres_telephone("06 00 00 01 02") == "0600000102"
    assert chiffres_telephone("+33 6 00 00 01 02") == "0600000102"
    assert chiffres_telephone("0033 6 00 00 01 02") == "0600000102"
    assert termes_de_recherche("06.00.00.01.02") == ["0600000102"]
    assert sorted(termes_de_recherche("Le Gall 0102")) == ["0102", "gall", "le"]


def test_the_search_text_holds_names_and_phone_digits_not_the_address(dupont):
    dupont.refresh_from_db()
    assert dupont.recherche == "dupont helene dupont marc le gall legall 0600000102"


def test_recomputing_every_search_text_is_set_based(immeuble, django_assert_max_num_queries):
    _foyers(immeuble, 30)
    Foyer.objects.update(recherche="")
    with django_assert_max_num_queries(6):
        assert services.foyers_recherche_recalculer() == 30
    assert not Foyer.objects.filter(recherche="").exists()
    assert services.foyers_recherche_recalculer() == 0  # nothing changed, nothing written
