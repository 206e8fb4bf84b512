"""The cash book as CSV for the centre social's treasurer: one row per entry (payments, reversals,
refunds) with its receipt number, then one row per method, one per volunteer, and the total. Same format
as the landlords' files (``;``, UTF-8 with a BOM, French decimals, text cells neutralised)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from charges.exports import _csv, neutraliser
from equipements.selectors_paiements import JournalCaisse
from ipt.argent import decimal_fr


def journal_csv(journal: JournalCaisse) -> bytes:
    centre = neutraliser(journal.centre.nom)
    rangees = []
    for p in journal.lignes:
        vente = p.vente
        rangees.append(
            [
                centre,
                p.date.isoformat(),
                p.recu.numero,
                str(p.get_nature_display()),
                decimal_fr(p.montant),
                str(p.get_mode_display()),
                neutraliser(p.tiers),
                neutraliser(p.par_nom),
                neutraliser(vente.foyer.nom),
                neutraliser(vente.foyer.logement.reference),
                neutraliser(vente.ordinateur.reference),
                p.annule.recu.numero if p.annule_id else "",
                neutraliser(p.motif),
            ]
        )

    def synthese(libelle, total, n, mode="", benevole=""):
        compte = ngettext("%(n)d entry", "%(n)d entries", n) % {"n": n}
        return [centre, "", "", libelle, decimal_fr(total), mode, "", benevole, "", "", "", "", compte]

    for libelle, n, total in journal.par_mode:
        rangees.append(synthese(_("TOTAL PER METHOD"), total, n, mode=neutraliser(libelle)))
    for libelle, n, total in journal.par_benevole:
        rangees.append(synthese(_("TOTAL PER VOLUNTEER"), total, n, benevole=neutraliser(libelle)))
    rangees.append(synthese(_("TOTAL"), journal.total, len(journal.lignes)))
    return _csv(
        [
            _("social centre"),
            _("date"),
            _("receipt"),
            _("nature"),
            _("amount"),
            _("method"),
            _("third party"),
            _("volunteer"),
            _("household"),
            _("landlord's reference"),
            _("PC"),
            _("reverses"),
            _("reason"),
        ],
        rangees,
    )
