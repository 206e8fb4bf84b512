"""The register of personal data covers every model, and its document is the one in docs/."""

import dataclasses

import pytest
from django.core.management import CommandError, call_command

from donnees import registre
from donnees.document import document
from donnees.registre import REGISTRE, SANS_DONNEES, Sort, manques, modeles_a_couvrir, valeurs_effacees
from logements.models import Foyer
from tests.factories import AdhesionFactory, FoyerFactory, PersonneFactory


def test_every_model_and_every_text_field_is_in_the_register():
    assert manques() == []


def test_a_personal_field_the_register_omits_is_reported(monkeypatch):
    foyer = REGISTRE["logements.Foyer"]
    sans_telephone = {k: v for k, v in foyer.donnees.items() if k != "telephone"}
    monkeypatch.setitem(REGISTRE, "logements.Foyer", dataclasses.replace(foyer, donnees=sans_telephone))
    assert manques() == ["logements.Foyer.telephone: not classified"]


def test_a_model_in_neither_list_is_reported(monkeypatch):
    monkeypatch.delitem(SANS_DONNEES, "quartiers.Quartier")
    assert manques() == ["quartiers.Quartier: not in the register"]


def test_the_register_covers_the_framework_models_that_hold_people():
    couverts = {m._meta.label for m in modeles_a_couvrir()}
    assert {"auth.User", "admin.LogEntry", "axes.AccessAttempt", "logements.Foyer"} <= couverts
    assert set(REGISTRE) | set(SANS_DONNEES) >= couverts


def test_declaring_a_field_that_does_not_exist_fails():
    with pytest.raises(ValueError, match="telefone"):
        registre.declarer(
            Foyer,
            finalite="x",
            base_legale="x",
            visible_par=("ville",),
            conservation="x",
            donnees={"telefone": registre.Donnee(registre.Categorie.CONTACT)},
        )
    # The failed declaration left the real one in place.
    assert "telephone" in REGISTRE["logements.Foyer"].donnees


def test_erasure_values_keep_legal_holds_and_statistics():
    valeurs = valeurs_effacees(REGISTRE["logements.Foyer"])
    assert valeurs["nom"] == "Foyer anonymisé"
    assert valeurs["telephone"] == "" and valeurs["email"] == ""
    assert "minima_sociaux" not in valeurs  # kept, tied to no one, for the statistics
    personne = valeurs_effacees(REGISTRE["logements.Personne"])
    assert personne["annee_naissance"] is None
    certificat = valeurs_effacees(REGISTRE["ateliers.Certificat"])
    assert "numero" not in certificat and certificat["pdf"] == ""
    assert valeurs_effacees(REGISTRE["equipements.Paiement"], Sort.CONSERVER) == {"par_nom": "", "motif": ""}


@pytest.mark.django_db
def test_records_of_a_household_and_of_its_people_are_found():
    foyer, autre = FoyerFactory(), FoyerFactory()
    adhesion = AdhesionFactory(foyer=foyer)
    AdhesionFactory(foyer=autre)
    personnes = [PersonneFactory(foyer=foyer).pk, PersonneFactory(foyer=foyer).pk]
    PersonneFactory(foyer=autre)
    trouves = {t.label: qs for t, qs in registre.enregistrements(foyers=[foyer.pk], personnes=personnes)}
    assert list(trouves["logements.Foyer"]) == [foyer]
    assert set(trouves["logements.Personne"].values_list("pk", flat=True)) == set(personnes)
    assert list(trouves["logements.Adhesion"]) == [adhesion]


def test_the_document_in_docs_is_up_to_date():
    call_command("registre_donnees", "--check")


def test_the_document_names_each_record_its_purpose_and_retention():
    texte = document()
    assert "`logements.Foyer`" in texte and "CONSERVATION_FOYERS_PARTIS_JOURS" in texte
    assert "`charges.LigneReleve`" in texte  # among the records that hold nothing about a person


def test_an_incomplete_register_stops_the_document(monkeypatch):
    monkeypatch.delitem(SANS_DONNEES, "quartiers.Quartier")
    with pytest.raises(CommandError, match="quartiers.Quartier"):
        call_command("registre_donnees", "--check")


def test_the_profile_is_filed_as_seen_by_fewer_people_than_the_household():
    """The desk sees households but never reads a profile back; only the permission shows it: the
    register says so for every field of the sensitive profile, and the document prints it."""
    profil = [
        (t.label, nom)
        for t in registre.traitements()
        for nom, d in t.donnees.items()
        if d.categorie == registre.Categorie.PROFIL
    ]
    assert ("logements.Foyer", "minima_sociaux") in profil
    for label, nom in profil:
        assert REGISTRE[label].donnees[nom].acces, f"{label}.{nom}: who sees it is not said"
    texte = document()
    section = texte.split("(`logements.Foyer`)")[1].split("\n## ")[0]
    assert "`minima_sociaux`" in section and "Voir les données personnelles sensibles" in section
