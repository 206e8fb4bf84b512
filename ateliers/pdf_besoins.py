"""The invitation letters of the outreach list: one page per household, its address in the window of
the envelope, the next workshops of its quartier and where to sign up."""

from django.utils import timezone

from ateliers import selectors_besoins as lectures
from ipt.pdf import assemble_pdf, render_document
from ipt.travaux import Suivi

GABARIT_COURRIER = "pdf/ateliers_invitation.html"
PAR_PARTIE = 50  # households rendered at once: the job's progress moves after each part


def destinataire(foyer) -> list[str]:
    """The address block: the household, the building, stairwell, floor and door, the street."""
    logement = foyer.logement
    immeuble = logement.immeuble
    return [
        foyer.nom,
        immeuble.nom,
        str(logement.emplacement),
        immeuble.adresse,
    ]


def courriers_pdf(foyers: list, *, suivi: Suivi) -> bytes:
    """The letters of ``foyers`` (households of the outreach list, their building and quartier loaded)."""
    quartiers = {f.logement.immeuble.quartier_id for f in foyers}
    seances = lectures.seances_par_quartier(quartiers)
    aujourd_hui = timezone.localdate()
    suivi.debuter(total=len(foyers))
    documents = []
    for debut in range(0, len(foyers), PAR_PARTIE):
        partie = foyers[debut : debut + PAR_PARTIE]
        lettres = [
            {
                "foyer": foyer,
                "quartier": foyer.logement.immeuble.quartier,
                "centre": foyer.logement.immeuble.quartier.centre_social,
                "destinataire": destinataire(foyer),
                "seances": seances.get(foyer.logement.immeuble.quartier_id, []),
            }
            for foyer in partie
        ]
        documents.append(render_document(GABARIT_COURRIER, {"lettres": lettres, "date_edition": aujourd_hui}))
        suivi.avancer(len(partie))
    return assemble_pdf(documents)
