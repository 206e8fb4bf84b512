"""The vote's PDFs: ballot papers (one per dwelling, bundled building by building) and the minutes.

Ballot papers: each building is rendered as its own part (a cover sheet for the caretaker, then its
ballots, two per A4 page), and the parts are joined; the job reports its progress after each building.
Each ballot carries its dwelling's code in print and as a QR code (an inline SVG), which holds a link
to the entry page with the code filled in: the caretaker's phone camera opens it directly.
"""

import base64
from itertools import groupby
from urllib.parse import quote

import qrcode
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from ipt.pdf import assemble_pdf, render_document, render_pdf
from ipt.travaux import Suivi, TravailImpossible
from logements.models import Immeuble
from votes import codes, regles, selectors
from votes.models import Inscrit, Scrutin

GABARIT_BULLETINS = "pdf/votes_bulletins.html"
GABARIT_PROCES_VERBAL = "pdf/votes_proces_verbal.html"


class _SansSuivi:
    def debuter(self, *, total: int) -> None:
        pass

    def avancer(self, pas: int = 1) -> None:
        pass


def qr_svg(texte: str) -> str:
    """A QR code as a compact SVG ``data:`` URI (dark modules merged into horizontal runs)."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    qr.add_data(texte)
    qr.make(fit=True)
    matrice = qr.get_matrix()
    taille = len(matrice)
    chemins = []
    for y, ligne in enumerate(matrice):
        x = 0
        while x < taille:
            if ligne[x]:
                debut = x
                while x < taille and ligne[x]:
                    x += 1
                chemins.append(f"M{debut} {y}h{x - debut}v1h-{x - debut}z")
            else:
                x += 1
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {taille} {taille}" '
        f'shape-rendering="crispEdges"><rect width="{taille}" height="{taille}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(chemins)}"/></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def lien_de_saisie(base_url: str, scrutin: Scrutin, code: str) -> str:
    return f"{base_url}{reverse('votes:bulletin_lien', args=[scrutin.pk])}?code={quote(codes.afficher(code))}"


def _immeubles(scrutin: Scrutin, immeuble_id: int | None) -> list[Immeuble]:
    immeubles = Immeuble.objects.filter(inscrits_vote__scrutin=scrutin).distinct()
    if immeuble_id:
        immeubles = immeubles.filter(pk=immeuble_id)
    return list(
        immeubles.prefetch_related(
            Prefetch("gardiens", queryset=get_user_model().objects.order_by("last_name", "first_name"))
        ).order_by("adresse", "pk")
    )


def bulletins_pdf(
    scrutin: Scrutin, *, base_url: str, immeuble_id: int | None = None, suivi: Suivi | None = None
) -> bytes:
    """One ballot per dwelling on the roll, building by building, each building after a cover sheet."""
    suivi = suivi or _SansSuivi()
    immeubles = _immeubles(scrutin, immeuble_id)
    if not immeubles:
        raise TravailImpossible(_("No dwelling is on this vote’s roll."))
    inscrits = Inscrit.objects.filter(scrutin=scrutin).select_related("logement")
    if immeuble_id:
        inscrits = inscrits.filter(immeuble_id=immeuble_id)
    par_immeuble = {
        immeuble_id: list(lignes)
        for immeuble_id, lignes in groupby(
            inscrits.order_by("immeuble_id", "logement__cage", "logement__etage", "logement__porte", "pk"),
            key=lambda i: i.immeuble_id,
        )
    }
    quartier = scrutin.quartier
    commun = {
        "scrutin": scrutin,
        "quartier": quartier,
        "centre": quartier.centre_social,
        "regle": regles.expliquer(scrutin.regle_appliquee)[0],
    }
    suivi.debuter(total=len(immeubles))
    documents = []
    for immeuble in immeubles:
        bulletins = [
            {
                "inscrit": inscrit,
                "code": codes.afficher(inscrit.code),
                "qr": qr_svg(lien_de_saisie(base_url, scrutin, inscrit.code)),
            }
            for inscrit in par_immeuble.get(immeuble.pk, [])
        ]
        noms = [g.get_full_name() or g.get_username() for g in immeuble.gardiens.all()]
        contexte = {
            **commun,
            "immeuble": immeuble,
            "gardiens": str(get_text_list(noms, _("and"))) if noms else "",
            "paires": [bulletins[i : i + 2] for i in range(0, len(bulletins), 2)],
            "nb": len(bulletins),
        }
        documents.append(render_document(GABARIT_BULLETINS, contexte))
        suivi.avancer()
    return assemble_pdf(documents)


def proces_verbal_pdf(scrutin: Scrutin) -> bytes:
    """The minutes of a closed vote, from the counts stored at closing."""
    if scrutin.statut not in (Scrutin.Statut.CLOS, Scrutin.Statut.PUBLIE):
        raise TravailImpossible(_("The minutes are made once the vote is closed."))
    return render_pdf(GABARIT_PROCES_VERBAL, selectors.contexte_resultat(scrutin))
