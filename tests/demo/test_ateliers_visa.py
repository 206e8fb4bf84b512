"""The demo's Visa Internet: about forty people certified over the years, numbered without gaps per year,
two versions of the list, one certificate revoked, and the demo facilitator's cycle in progress."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from ateliers import selectors_visa, services_visa
from ateliers.models import Certificat, Referentiel
from tests.pdf import pdf_texte


@pytest.mark.django_db
def test_the_demo_has_forty_certified_people_and_a_cycle_in_progress(settings, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", "--dwellings", "600", "--mois-releves", "0", verbosity=0)
    certificats = list(Certificat.objects.order_by("annee", "rang"))
    assert len(certificats) == 40
    annees = {c.annee for c in certificats}
    assert min(annees) == 2015 and max(annees) >= timezone.localdate().year - 1
    for annee in annees:
        rangs = [c.rang for c in certificats if c.annee == annee]
        assert rangs == list(range(1, len(rangs) + 1))  # no gap
    assert sum(1 for c in certificats if not c.valide) == 1
    # Certificates before the second version print the first; the later ones the second.
    assert {c.referentiel.version for c in certificats if c.emis_le.year <= 2021} == {1}
    assert {c.referentiel.version for c in certificats if c.emis_le.year >= 2023} == {2}
    assert Referentiel.objects.courant().version == 2
    lu = pdf_texte(services_visa.certificat_pdf(certificat=certificats[0]))
    assert certificats[0].numero in lu and "version 1" in lu

    # The demo facilitator's participants (she also runs other workshops of the demo): the eight of the Visa
    # preparation cycle among them, the first ready for her certificate.
    animatrice = get_user_model().objects.get(username="animateur")
    participants = [
        p
        for p in selectors_visa.personnes_couvertes(animatrice)
        if p.inscriptions.filter(cycle__atelier__titre__startswith="Préparer le Visa").exists()
    ]
    assert len(participants) == 8
    suivis = selectors_visa.progressions(participants)
    assert sum(1 for s in suivis.values() if s.complete) == 1
    assert all(s.acquises < len(s.lignes) for s in suivis.values() if not s.complete)
