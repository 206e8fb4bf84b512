"""The PDFs read back with pdftotext: the minutes (figures per building, rule, fingerprint) and the
ballot papers (one per dwelling with its code, building by building)."""

import base64
import datetime
import re

import qrcode
from django.utils import timezone
from django.utils.text import slugify

from ipt import travaux
from ipt.models import Travail
from ipt.templatetags.typo import date_longue
from tests.factories import ImmeubleFactory
from tests.pdf import pdf_pages, pdf_texte
from tests.votes.conftest import code_de, creer_scrutin, logements
from votes import codes, services
from votes.models import Regle
from votes.pdf import bulletins_pdf, lien_de_saisie, proces_verbal_pdf, qr_svg


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
    assert "code;choix;canal;saisi_le" in lu


def test_the_minutes_job_stores_the_pdf(scrutin, ville_user):
    scrutin = services.scrutin_clore(scrutin=scrutin, par=ville_user, proces_verbal=False)
    travail = services.proces_verbal_demander(scrutin=scrutin, demandeur=ville_user)
    travaux.travail_executer(travail.pk)
    travail.refresh_from_db()
    assert travail.statut == Travail.Statut.TERMINE, travail.message
    assert travail.nature == "votes.proces_verbal"
    nom = rf"proces-verbal-{slugify(scrutin.quartier.nom)}-{scrutin.pk}(_\w+)?\.pdf"  # storage may suffix
    assert re.search(nom + "$", travail.fichier.name), travail.fichier.name
    lu = pdf_texte(travail.fichier.read())
    assert "Procès-verbal du vote des locataires" in lu and scrutin.intitule in lu


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
    svg = base64.b64decode(qr_svg(lien).split(",", 1)[1]).decode()
    assert sum(int(n) for n in re.findall(r"h(\d+)v1", svg)) == attendu


def test_a_ballot_paper_shows_the_dates_in_paris_time_and_where_to_drop_it(
    quartier, immeuble, logements_immeuble
):
    immeuble.depot_bulletins = "Loge du gardien, cage A"
    immeuble.save()
    # 08:00 and 17:30 UTC are 9 h and 18 h 30 in Paris in December.
    scrutin = creer_scrutin(
        quartier,
        regle=Regle.MAJORITE_LOGEMENTS,
        seuil_participation=None,
        ouvre_le=datetime.datetime(2030, 12, 1, 8, 0, tzinfo=datetime.UTC),
        ferme_le=datetime.datetime(2030, 12, 8, 17, 30, tzinfo=datetime.UTC),
    )
    lu = pdf_texte(bulletins_pdf(scrutin, base_url="", immeuble_id=immeuble.pk))
    assert "Le vote est ouvert du 1er décembre 2030 à 9 h au 8 décembre 2030 à 18 h 30." in lu
    assert lu.count("Vote ouvert du 1er décembre 2030 à 9 h au 8 décembre 2030 à 18 h 30.") == 8
    assert lu.count("À déposer : Loge du gardien, cage A.") == 8


def test_the_ballot_papers_carry_the_issuer(scrutin, immeuble, settings):
    settings.EMETTEUR = {
        **settings.EMETTEUR,
        "nom": "Ville de Penn-ar-Bed",
        "adresse": "1 place de la Mairie",
    }
    lu = pdf_texte(bulletins_pdf(scrutin, base_url="", immeuble_id=immeuble.pk))
    couverture = lu.split("Cochez une seule case.")[0]
    assert "Ville de Penn-ar-Bed" in couverture and "1 place de la Mairie" in couverture
    assert lu.count("Émis par Ville de Penn-ar-Bed") == 8  # on each ballot of the building


def _clore(scrutin, par):
    return services.scrutin_clore(scrutin=scrutin, par=par, proces_verbal=False)


def test_the_minutes_carry_the_issuer_and_end_with_place_date_and_signatures(scrutin, ville_user, settings):
    settings.EMETTEUR = {**settings.EMETTEUR, "nom": "Ville de Penn-ar-Bed", "lieu": "Penn-ar-Bed"}
    scrutin = _clore(scrutin, ville_user)
    pages = pdf_pages(proces_verbal_pdf(scrutin))
    assert pages[0].startswith("Ville de Penn-ar-Bed")
    fin = pages[-1].split("Fait à", 1)[1]
    assert fin.startswith(f" Penn-ar-Bed, le {date_longue(timezone.localdate())}.".replace("\xa0", " "))
    assert fin.count("Nom et signature") == 3
    assert "Pour la ville" in fin and f"Pour le {scrutin.quartier.centre_social.nom}" in fin
    assert "Un représentant des locataires" in fin


def test_the_minutes_speak_french_only(scrutin, ville_user):
    lu = pdf_texte(proces_verbal_pdf(_clore(scrutin, ville_user)))
    assert "sous la forme code;choix;canal;saisi_le : le code du bulletin" in lu
    for anglais in (
        "choice",
        "channel",
        "entered",
        "Minutes",
        "Closed on",
        "by ",
        "Done at",
        "Document made",
    ):
        assert anglais not in lu, anglais


def test_the_minutes_say_when_the_system_closed_the_vote_in_paris_time(scrutin):
    # 23:15 UTC on 7 December is 00:15 on 8 December in Paris.
    scrutin = services.scrutin_clore(
        scrutin=scrutin,
        par=None,
        maintenant=datetime.datetime(2026, 12, 7, 23, 15, tzinfo=datetime.UTC),
        proces_verbal=False,
    )
    lu = pdf_texte(proces_verbal_pdf(scrutin))
    assert "Clos le 8 décembre 2026 à 0 h 15 (clos automatiquement à l’heure de clôture)." in lu


def test_the_minutes_list_the_buildings_in_address_order(quartier, ville_user):
    adresses = ["12 rue de Brest", "9 rue de Brest", "2 allée des Pins", "10 rue de Brest"]
    immeubles = [ImmeubleFactory(quartier=quartier, adresse=a, nom="") for a in adresses]
    for i in immeubles:
        logements(i, 1)
    scrutin = _clore(creer_scrutin(quartier, par=ville_user), ville_user)
    lu = pdf_texte(proces_verbal_pdf(scrutin)).split("Chiffres par immeuble")[1]
    positions = [lu.index(f"{i.reference} — {i.adresse}") for i in immeubles]
    attendu = ["2 allée des Pins", "9 rue de Brest", "10 rue de Brest", "12 rue de Brest"]
    assert [a for __, a in sorted(zip(positions, adresses, strict=True))] == attendu
