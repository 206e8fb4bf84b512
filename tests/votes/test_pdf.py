"""The PDFs read back with pdftotext: the minutes (figures per building, rule, fingerprint) and the
ballot papers (one per dwelling with its code, building by building)."""

import re

import qrcode
from django.utils import timezone

from ipt import travaux
from ipt.models import Travail
from tests.pdf import pdf_texte
from tests.votes.conftest import code_de
from votes import codes, services
from votes.pdf import bulletins_pdf, lien_de_saisie, proces_verbal_pdf, qr_svg
from votes.tasks import proces_verbal


def texte(pdf: bytes, *options: str) -> str:
    return pdf_texte(pdf, layout="-layout" in options, plier=False)


def _entrer(scrutin, logement, choix, par, canal="ville"):
    services.bulletin_enregistrer(
        scrutin_id=scrutin.pk, code=code_de(scrutin, logement), choix=choix, canal=canal, par=par
    )


def test_the_minutes_give_the_figures_per_building_the_rule_and_the_fingerprint(
    scrutin, immeuble, autre_immeuble, logements_immeuble, gardien_user, accueil_user, ville_user
):
    for logement, choix in zip(logements_immeuble[:3], ["oui", "oui", "non"], strict=True):
        _entrer(scrutin, logement, choix, gardien_user, "gardien")
    _entrer(scrutin, autre_immeuble.logements.first(), "blanc", accueil_user, "accueil")
    scrutin = services.scrutin_clore(scrutin=scrutin, par=ville_user, proces_verbal=False)

    lu = texte(proces_verbal_pdf(scrutin), "-layout")
    assert "Procès-verbal du vote des locataires" in lu
    assert "Règle de décision : accord direct des locataires" in lu
    assert "à condition qu’au moins 25 % des logements concernés aient répondu" in " ".join(lu.split())
    # 4 responses of 12 (33,3 %), 2 yes of 4: not more than half
    assert "4 réponses sur 12 logements (33,3 %)" in lu
    assert "2 oui sur 4 réponses (50,0 %) ; blancs : 1" in lu
    assert "Le projet est REJETÉ." in lu
    lignes = {
        ligne.split()[0]: ligne.split()[-8:] for ligne in lu.splitlines() if re.match(r"\s*IMM\d+ —", ligne)
    }
    # building: roll, responses, yes, no, blank, caretaker, desk, city
    assert lignes[immeuble.reference] == ["8", "3", "2", "1", "0", "3", "0", "0"]
    assert lignes[autre_immeuble.reference] == ["4", "1", "0", "0", "1", "0", "1", "0"]
    assert "Les comptes concordent" in lu
    empreinte = "".join(lu.split("SHA-256 des bulletins comptés, à la clôture :")[1].split()[:2])
    assert scrutin.empreinte.startswith(empreinte[:40])
    assert "code;choice;channel;entered_at" in lu


def test_the_minutes_job_stores_the_pdf(scrutin, ville_user):
    scrutin = services.scrutin_clore(scrutin=scrutin, par=ville_user, proces_verbal=False)
    travail = services.proces_verbal_demander(scrutin=scrutin, demandeur=ville_user)
    travaux.travail_executer(travail.pk)
    travail.refresh_from_db()
    assert travail.statut == Travail.Statut.TERMINE, travail.message
    assert "Procès-verbal du vote des locataires" in texte(travail.fichier.read())
    assert proces_verbal.__name__ == "proces_verbal"


def test_ballot_papers_one_per_dwelling_with_its_code_building_by_building(scrutin, immeuble, autre_immeuble):
    lu = texte(bulletins_pdf(scrutin, base_url="https://ipt.example.org"))
    for inscrit in scrutin.inscrits.select_related("logement"):
        assert codes.afficher(inscrit.code) in lu
    assert lu.count("Cochez une seule case.") == 12
    assert lu.count("Liasse") == 0
    couvertures = [bloc for bloc in lu.split("\f") if "Un bulletin par logement, dans l’ordre" in bloc]
    assert len(couvertures) == 2  # one cover sheet per building
    assert "8 bulletins" in lu and "4 bulletins" in lu
    assert scrutin.question.split()[0] in lu
    assert immeuble.adresse in lu
    assert "Vote ouvert du" in lu


def test_ballot_papers_of_one_building(scrutin, autre_immeuble):
    lu = texte(bulletins_pdf(scrutin, base_url="https://ipt.example.org", immeuble_id=autre_immeuble.pk))
    assert lu.count("Cochez une seule case.") == 4


def test_the_qr_code_holds_the_entry_link_with_the_code(scrutin, logements_immeuble):
    code = code_de(scrutin, logements_immeuble[0])
    lien = lien_de_saisie("https://ipt.example.org", scrutin, code)
    assert lien == f"https://ipt.example.org/votes/{scrutin.pk}/b/?code={codes.afficher(code)}"
    # the SVG draws exactly the dark modules of the QR code of that link
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    qr.add_data(lien)
    qr.make(fit=True)
    attendu = sum(sum(ligne) for ligne in qr.get_matrix())
    import base64

    svg = base64.b64decode(qr_svg(lien).split(",", 1)[1]).decode()
    assert sum(int(n) for n in re.findall(r"h(\d+)v1", svg)) == attendu


def test_a_ballot_paper_shows_the_dates_and_where_to_drop_it(scrutin, immeuble):
    immeuble.depot_bulletins = "Loge du gardien, cage A"
    immeuble.save()
    lu = texte(bulletins_pdf(scrutin, base_url="", immeuble_id=immeuble.pk))
    assert "À déposer : Loge du gardien, cage A." in " ".join(lu.split())
    assert f"{timezone.localtime(scrutin.ferme_le):%Y}" in lu
