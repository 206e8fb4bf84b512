"""The admin masks sensitive fields for staff without ``logements.voir_donnees_sensibles``
(``ipt.admin_base.ModeleAdmin.champs_sensibles``, README "Least privilege")."""

import datetime
import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import RequestFactory

from equipements import services as equipements_services
from equipements.models import Decodeur
from ipt.admin_base import ModeleAdmin
from logements import services as logements_services
from logements.models import Foyer
from tests.equipements.conftest import PNG_1PX
from tests.factories import AdhesionFactory, FoyerFactory, UserFactory
from tests.scenario import objet_admin, scenario_creer, urls_admin

CHAMPS_DU_PROFIL = ("consentement_profil_le", "minima_sociaux", "personne_isolee", "famille_monoparentale")
LIBELLES_DU_PROFIL = ("bénéficiaire de minima sociaux", "personne isolée", "famille monoparentale")


def _droit(user):
    user.user_permissions.add(Permission.objects.get(codename="voir_donnees_sensibles"))
    return user


def _html(reponse) -> str:
    return reponse.content.decode()


@pytest.fixture
def foyer_profile(ville_user):
    foyer = FoyerFactory(nom="Kerjean")
    logements_services.foyer_profil_enregistrer(
        foyer=foyer, minima_sociaux=True, personne_isolee=False, famille_monoparentale=True, par=ville_user
    )
    return Foyer.objects.get(pk=foyer.pk)


def test_staff_without_the_right_see_the_profile_masked_in_the_change_form(client, ville_user, foyer_profile):
    client.force_login(ville_user)
    html = _html(client.get(f"/admin/logements/foyer/{foyer_profile.pk}/change/"))
    assert 'name="nom"' in html
    for champ in CHAMPS_DU_PROFIL:
        assert f'name="{champ}' not in html  # (the date and time of the consent: two inputs)
    assert "Masqué (consentement au profil recueilli le, bénéficiaire de minima sociaux" in html
    assert "vous n’avez pas le droit de voir les données sensibles" in html


def test_staff_with_the_right_see_and_correct_the_profile_in_the_admin(client, ville_user, foyer_profile):
    client.force_login(_droit(ville_user))
    html = _html(client.get(f"/admin/logements/foyer/{foyer_profile.pk}/change/"))
    for champ in CHAMPS_DU_PROFIL:
        assert f'name="{champ}' in html
    assert "Masqué" not in html


def test_a_superuser_holds_the_right(client, foyer_profile):
    client.force_login(UserFactory(username="racine", is_staff=True, is_superuser=True))
    html = _html(client.get(f"/admin/logements/foyer/{foyer_profile.pk}/change/"))
    assert 'name="minima_sociaux"' in html and "Masqué" not in html


def test_saving_a_household_without_the_right_keeps_its_profile(client, ville_user, foyer_profile):
    client.force_login(ville_user)
    donnees = {
        "logement": foyer_profile.logement_id,
        "nom": "Kerjean-Le Gall",
        "telephone": "",
        "email": "",
        "emmenage_le": foyer_profile.emmenage_le.strftime("%d/%m/%Y"),
        "demenage_le": "",
        # what a forged form would send: ignored, the fields are not in the form
        "minima_sociaux": "false",
        "consentement_profil_le_0": "",
        "occupants-TOTAL_FORMS": "0",
        "occupants-INITIAL_FORMS": "0",
        "adhesions-TOTAL_FORMS": "0",
        "adhesions-INITIAL_FORMS": "0",
    }
    reponse = client.post(f"/admin/logements/foyer/{foyer_profile.pk}/change/", donnees)
    assert reponse.status_code == 302, _html(reponse)[:2000]
    foyer = Foyer.objects.get(pk=foyer_profile.pk)
    assert foyer.nom == "Kerjean-Le Gall"
    assert (foyer.minima_sociaux, foyer.personne_isolee, foyer.famille_monoparentale) == (True, False, True)
    assert foyer.consentement_profil_le == foyer_profile.consentement_profil_le


def test_a_sensitive_field_cannot_be_filtered_on_in_the_list_without_the_right(
    client, ville_user, foyer_profile
):
    FoyerFactory(nom="Sans profil")
    client.force_login(ville_user)
    for parametre in (
        "minima_sociaux__exact=1",
        "minima_sociaux=True",
        "famille_monoparentale__isnull=False",
    ):
        reponse = client.get(f"/admin/logements/foyer/?{parametre}")
        assert reponse.status_code == 400, parametre
    client.force_login(_droit(ville_user))
    html = _html(client.get("/admin/logements/foyer/?minima_sociaux__exact=1"))
    assert "Kerjean" in html and "Sans profil" not in html


def test_the_signature_image_shows_only_with_the_right(client, ville_user, accueil_user):
    foyer = FoyerFactory()
    AdhesionFactory(foyer=foyer)
    Decodeur.objects.create(numero_serie="SIG0001", modele="Box")
    remise = equipements_services.remise_enregistrer(
        foyer=foyer, numeros=["SIG0001"], signature=PNG_1PX, par=accueil_user, rendre_pdf=False
    )
    client.force_login(ville_user)
    html = _html(client.get(f"/admin/equipements/remise/{remise.pk}/change/"))
    assert "data:image/png" not in html and "Masqué (signature)" in html
    client.force_login(_droit(ville_user))
    html = _html(client.get(f"/admin/equipements/remise/{remise.pk}/change/"))
    assert 'src="data:image/png;base64,' in html and "Masqué" not in html


class _EssaiAdmin(ModeleAdmin):
    """Every place a field name can take in an admin, the sensitive ones among them."""

    list_display = ("nom", "minima_sociaux", "telephone")
    list_display_links = ("nom", "minima_sociaux")
    list_filter = ("personne_isolee", ("demenage_le", admin.EmptyFieldListFilter), "logement__immeuble")
    search_fields = ("nom", "=minima_sociaux", "^telephone")
    readonly_fields = ("famille_monoparentale", "cree_le")
    fieldsets = ((None, {"fields": (("nom", "minima_sociaux"), "telephone", "famille_monoparentale")}),)
    champs_sensibles = ("minima_sociaux", "personne_isolee", "famille_monoparentale")


@pytest.mark.parametrize("droit", [False, True])
def test_model_admin_masks_every_place_a_sensitive_field_takes(ville_user, droit):
    requete = RequestFactory().get("/")
    requete.user = _droit(ville_user) if droit else ville_user
    essai = _EssaiAdmin(Foyer, admin.site)
    liste = essai.get_list_display(requete)
    if droit:
        assert list(liste) == list(_EssaiAdmin.list_display)
        assert list(essai.get_search_fields(requete)) == list(_EssaiAdmin.search_fields)
        assert essai.get_fieldsets(requete) == _EssaiAdmin.fieldsets
        return
    assert liste == ["nom", "telephone"]
    assert essai.get_list_display_links(requete, liste) == ["nom"]
    assert [f if isinstance(f, str) else f[0] for f in essai.get_list_filter(requete)] == [
        "demenage_le",
        "logement__immeuble",
    ]
    assert essai.get_search_fields(requete) == ["nom", "^telephone"]
    assert essai.get_readonly_fields(requete) == ("cree_le", "donnees_masquees")
    assert essai.get_fieldsets(requete) == [(None, {"fields": [("nom",), "telephone", "donnees_masquees"]})]
    assert "minima_sociaux" in essai.get_exclude(requete)
    assert not essai.lookup_allowed("minima_sociaux__exact", "1", requete)
    assert essai.lookup_allowed("nom__exact", "x", requete)


def test_no_admin_page_shows_a_profile_answer_or_a_signature_to_staff_without_the_right(
    db, client, settings, tmp_path
):
    """Every registered model's list and change page (inlines included), for the scenario's rows."""
    settings.MEDIA_ROOT = tmp_path
    s = scenario_creer(tmp_path)
    Foyer.objects.filter(pk=s.objets["foyer"].pk).update(
        consentement_profil_le=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC), minima_sociaux=True
    )
    client.force_login(s.utilisateurs["ville"])
    vus = 0
    for nom, (modele, suffixe) in urls_admin().items():
        if suffixe not in ("changelist", "change"):
            continue
        objet = objet_admin(modele)
        if suffixe == "change" and objet is None:
            continue
        url = f"/admin/{modele._meta.app_label}/{modele._meta.model_name}/"
        reponse = client.get(url if suffixe == "changelist" else f"{url}{objet.pk}/change/")
        if reponse.status_code != 200:
            continue
        html = re.sub(r"masqué \([^)]*\)", "", _html(reponse).lower())  # the line naming what is masked
        vus += 1
        assert not any(libelle in html for libelle in LIBELLES_DU_PROFIL), nom
        assert not re.search(r'name="[^"]*(minima_sociaux|personne_isolee|famille_monoparentale)', html), nom
        assert "data:image/png" not in html, nom
    assert vus > 40


def test_every_field_the_register_calls_sensitive_is_masked_or_never_shown_in_the_admin():
    """The processing register (donnees/) says which fields are a sensitive profile or a signature: each
    one, on a model the admin shows, is in its admin's ``champs_sensibles`` or excluded from it."""
    from donnees.registre import Categorie, traitements

    oublies = []
    for traitement in traitements():
        modele_admin = admin.site._registry.get(traitement.modele)
        if modele_admin is None:
            continue
        for nom, donnee in traitement.donnees.items():
            if donnee.categorie not in (Categorie.PROFIL, Categorie.SIGNATURE):
                continue
            if nom not in (*modele_admin.champs_sensibles, *(modele_admin.exclude or ())):
                oublies.append(f"{traitement.modele._meta.label}.{nom}")
    assert oublies == []
