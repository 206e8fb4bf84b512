"""A faulty decoder swapped: the return carries the provider incident of the household's dwelling."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from equipements import services
from equipements.models import Recu, Restitution
from equipements.signalements import signalement_creer
from ipt.models import Evenement
from tests.equipements.conftest import PNG_1PX
from tests.factories import LogementFactory

pytestmark = pytest.mark.django_db

JOUR = datetime.date(2026, 2, 26)


def _remise(foyer, par):
    return services.remise_enregistrer(
        foyer=foyer, numeros=["SN00001"], date=JOUR, signature=PNG_1PX, par=par, rendre_pdf=False
    )


def _incident(logement, par):
    return signalement_creer(
        par=par, immeuble=logement.immeuble, logement=logement, categorie="decodeur", signale_le=JOUR
    )


def _echanger(foyer, remise, par, signalement, motif=Restitution.Motif.ECHANGE):
    return services.restitution_enregistrer(
        foyer=foyer,
        lignes=list(remise.lignes.all()),
        motif=motif,
        etat=Restitution.Etat.DEFECTUEUX,
        date=datetime.date(2026, 3, 2),
        signe_sur_papier=True,
        par=par,
        rendre_pdf=False,
        signalement=signalement,
    )


def test_a_swap_is_linked_to_the_incident_of_the_dwelling(foyer, stock, accueil_user, ville_user):
    remise = _remise(foyer, accueil_user)
    incident = _incident(foyer.logement, ville_user)
    restitution = _echanger(foyer, remise, accueil_user, incident)
    restitution.refresh_from_db()
    assert restitution.signalement == incident
    assert list(incident.restitutions.all()) == [restitution]
    journal = Evenement.objects.get(action="equipements.restitution")
    assert journal.details["signalement"] == incident.pk


@pytest.mark.parametrize("autre_logement", [True, False])
def test_another_dwellings_incident_or_another_reason_is_refused_and_nothing_written(
    foyer, stock, accueil_user, ville_user, autre_logement
):
    remise = _remise(foyer, accueil_user)
    if autre_logement:
        incident = _incident(LogementFactory(immeuble=foyer.logement.immeuble), ville_user)
        motif = Restitution.Motif.ECHANGE
    else:
        incident = _incident(foyer.logement, ville_user)
        motif = Restitution.Motif.DEMENAGEMENT
    recus, evenements = Recu.objects.count(), Evenement.objects.count()
    with pytest.raises(ValidationError) as erreur:
        _echanger(foyer, remise, accueil_user, incident, motif=motif)
    assert erreur.value.code == ("signalement_logement" if autre_logement else "signalement_motif")
    assert Restitution.objects.count() == 0
    assert Recu.objects.count() == recus and Evenement.objects.count() == evenements
    assert not remise.lignes.filter(restitution__isnull=False).exists()


def test_the_return_form_offers_the_incident_and_both_pages_show_the_swap(
    client, foyer, stock, accueil_user, ville_user
):
    remise = _remise(foyer, accueil_user)
    incident = _incident(foyer.logement, ville_user)
    ailleurs = _incident(LogementFactory(immeuble=foyer.logement.immeuble), ville_user)
    client.force_login(accueil_user)
    formulaire = client.get(f"/equipements/foyers/{foyer.pk}/restitution/").content.decode()
    assert f'<option value="{incident.pk}"' in formulaire
    assert f'<option value="{ailleurs.pk}"' not in formulaire
    donnees = {
        "lignes": [remise.lignes.get().pk],
        "date": "2026-03-02",
        "motif": "echange",
        "etat": "defectueux",
        "signe_sur_papier": "on",
    }
    refus = client.post(
        f"/equipements/foyers/{foyer.pk}/restitution/", {**donnees, "signalement": ailleurs.pk}
    )
    assert refus.status_code == 400 and Restitution.objects.count() == 0
    reponse = client.post(
        f"/equipements/foyers/{foyer.pk}/restitution/", {**donnees, "signalement": incident.pk}
    )
    assert reponse.status_code == 302, reponse.content.decode()[-3000:]
    restitution = Restitution.objects.get()
    assert restitution.signalement == incident
    foyer_page = client.get(f"/accueil/foyers/{foyer.pk}/").content.decode()
    assert f'href="/equipements/signalements/{incident.pk}/"' in foyer_page
    client.force_login(ville_user)
    page = client.get(f"/equipements/signalements/{incident.pk}/").content.decode()
    assert "Matériel défectueux échangé" in page and restitution.recu.numero in page and foyer.nom in page
