"""The campaign's PDFs: leaflets (one per building) and walk sheets (per building and stairwell).

Each building is rendered once, as its own part, and the parts are joined into one PDF: the job reports
its progress after each building. Nothing is rendered per dwelling.
"""

from decimal import Decimal
from itertools import groupby

from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from ipt.pdf import assemble_pdf, render_document
from ipt.travaux import Suivi, TravailImpossible
from logements.models import Immeuble
from quartiers import selectors
from quartiers.models import Campagne
from quartiers.services import message_manques, plaquettes_manques

# The offer as the programme states it. The monthly charge is the tariff (charges.Tarif) of the first
# month charged once the service starts (``selectors.tarif_annonce``).
PRIX_ORDINATEURS = (Decimal("40"), Decimal("70"))

GABARIT_PLAQUETTE = "pdf/plaquette.html"
GABARIT_FEUILLE = "pdf/feuille_tournee.html"


class _SansSuivi:
    def debuter(self, *, total: int) -> None:
        pass

    def avancer(self, pas: int = 1) -> None:
        pass


def _noms_gardiens(immeuble: Immeuble) -> str:
    noms = [g.get_full_name() or g.get_username() for g in immeuble.gardiens.all()]
    return str(get_text_list(noms, _("and"))) if noms else ""


def plaquettes_pdf(campagne: Campagne, *, suivi: Suivi | None = None) -> bytes:
    """The leaflets of a campaign: one page per building, each naming its caretakers and ballot drop."""
    suivi = suivi or _SansSuivi()
    jalons = list(campagne.jalons.all())
    scrutin = selectors.scrutin_campagne(campagne)
    manques = plaquettes_manques(campagne, jalons, scrutin=scrutin, avec_scrutin=True)
    if manques:
        raise TravailImpossible(message_manques(manques))
    vote = selectors.vote_dates(jalons, scrutin)
    debut_service = selectors.debut_service_prevu(vote, scrutin)
    commun = {
        "campagne": campagne,
        "quartier": campagne.quartier,
        "centre": campagne.quartier.centre_social,
        "reunion": selectors.reunion_publique(campagne, jalons),
        "vote": vote,
        "tarif": selectors.tarif_annonce(debut_service).montant,
        "debut_service": debut_service if scrutin is not None and scrutin.date_debut_service else None,
        "prix_bas": PRIX_ORDINATEURS[0],
        "prix_haut": PRIX_ORDINATEURS[1],
    }
    # When the vote covers some buildings only, the others are not asked: they get no leaflet.
    seulement = {i.pk for i in scrutin.immeubles.all()} if scrutin is not None else set()
    immeubles = selectors.immeubles_campagne(campagne, seulement or None)
    suivi.debuter(total=len(immeubles))
    documents = []
    for immeuble in immeubles:
        contexte = {**commun, "immeuble": immeuble, "gardiens": _noms_gardiens(immeuble)}
        documents.append(render_document(GABARIT_PLAQUETTE, contexte))
        suivi.avancer()
    return assemble_pdf(documents)


def feuilles_tournee_pdf(
    campagne: Campagne,
    *,
    immeuble: Immeuble | None = None,
    a_revoir: bool = False,
    suivi: Suivi | None = None,
) -> bytes:
    """Walk sheets: for each building, a table per stairwell listing every door in walking order.

    With ``a_revoir``, only the doors to retry (nobody told yet, nobody home or never visited).
    """
    suivi = suivi or _SansSuivi()
    logements = selectors.logements_campagne(campagne, immeuble=immeuble)
    if a_revoir:
        logements = [lg for lg in logements if selectors.a_revoir(lg)]
    if not logements:
        if a_revoir:
            raise TravailImpossible(_("There is no door to retry: every dwelling was told or checked."))
        raise TravailImpossible(_("There is no dwelling to visit: no dwelling is recorded here yet."))
    par_immeuble = [(imm, list(lgs)) for imm, lgs in groupby(logements, key=lambda lg: lg.immeuble)]
    jalons = list(campagne.jalons.all())
    scrutin = selectors.scrutin_campagne(campagne)
    reunion, vote = selectors.reunion_publique(campagne, jalons), selectors.vote_dates(jalons, scrutin)
    # The vote's dates are told only at the doors of the buildings it covers.
    du_vote = {i.pk for i in scrutin.immeubles.all()} if scrutin is not None else set()
    suivi.debuter(total=len(par_immeuble))
    documents = []
    for bat, portes in par_immeuble:
        cages = [(cage, list(lgs)) for cage, lgs in groupby(portes, key=lambda lg: lg.cage)]
        contexte = {
            "campagne": campagne,
            "quartier": campagne.quartier,
            "immeuble": bat,
            "cages": cages,
            "a_revoir": a_revoir,
            "reunion": reunion,
            "vote": vote if not du_vote or bat.pk in du_vote else None,
        }
        documents.append(render_document(GABARIT_FEUILLE, contexte))
        suivi.avancer()
    return assemble_pdf(documents)
