"""Demo payments of the PC sales (the sales themselves come from the PC desk's demo): deterministic.

- every instalment due up to today is paid on its day (cash, cheque, card, and now and then the centre
  social's own help paying part), by the demo volunteer when there is one;
- except one sale left overdue (its instalments since the second unpaid) and one sale whose remainder
  city staff waived after the first instalment (a social commission's decision);
- and a day's cash book: today, at the centre of the oldest instalment sale, a few households pay their
  next instalment early, by different methods.

Idempotent: sales that already have a payment recorded by this module are left as they are. The receipts'
PDFs are rendered on their first download (the seed stays fast).
"""

from decimal import ROUND_DOWN, Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone

from equipements import paiements
from equipements.modeles_ordinateurs import Vente
from equipements.modeles_paiements import Abandon, Paiement

MODES = ["especes", "carte", "cheque", "especes", "carte"]
AIDE = "Aide du centre social"
MOTIF_ABANDON = "Commission sociale du centre : situation de la famille (démonstration)"


def _utilisateur(nom: str):
    return get_user_model().objects.filter(username=nom).first()


def charger() -> int:
    """Record the demo payments; returns the number of entries written."""
    aujourdhui = timezone.localdate()
    ventes = list(
        Vente.objects.filter(statut=Vente.Statut.VENDUE)
        .select_related("foyer__logement__immeuble__quartier")
        .prefetch_related("echeances")
        .annotate(n_paiements=Count("paiements"))
        .order_by("date", "pk")
    )
    if (
        not ventes
        or Paiement.objects.filter(tiers=AIDE).exists()
        or Abandon.objects.filter(motif=MOTIF_ABANDON).exists()
    ):
        return 0
    benevole, agent = _utilisateur("accueil"), _utilisateur("ville")
    # The demo volunteer's centres first: the overdue sale and today's cash book show on their desk.
    siens = set(benevole.centres_sociaux.values_list("pk", flat=True)) if benevole else set()
    en_plusieurs = sorted(
        (v for v in ventes if v.nb_echeances > 1 and len(v.echeances.all()) > 1),
        key=lambda v: (v.centre_id not in siens, v.date, v.pk),
    )
    passees = [v for v in en_plusieurs if v.echeances.all()[1].due_le < aujourdhui]
    en_retard = passees[0] if passees else None
    abandonnee = passees[1] if len(passees) > 1 else None

    # The instalments due up to today, paid on their day, in date order (receipt numbers follow the days).
    a_payer = []
    for vente in ventes:
        for echeance in vente.echeances.all():
            if echeance.due_le > aujourdhui:
                break
            if vente is en_retard and echeance.rang >= 2:
                break
            if vente is abandonnee and echeance.rang >= 2:
                break
            a_payer.append((echeance.due_le, vente.pk, echeance.rang, vente, echeance))
    a_payer.sort(key=lambda t: t[:3])
    ecrits = 0
    for i, (jour, _pk, _rang, vente, echeance) in enumerate(a_payer):
        reste = paiements.reste_du(vente)
        du = min(echeance.montant, reste)
        if du <= 0:  # already paid at the sale (the desk records the first instalment with it)
            continue
        mode = MODES[i % len(MODES)]
        if i % 7 == 3 and du > Decimal("10"):  # the centre social's own help pays 10 EUR of it
            paiements.encaisser(
                vente=vente,
                montant=Decimal("10.00"),
                mode="tiers",
                tiers=AIDE,
                par=benevole,
                le=jour,
                rendre_pdf=False,
            )
            du -= Decimal("10.00")
            ecrits += 1
        paiements.encaisser(vente=vente, montant=du, mode=mode, par=benevole, le=jour, rendre_pdf=False)
        ecrits += 1

    if abandonnee is not None and not Abandon.objects.filter(vente=abandonnee).exists():
        if agent is not None:
            paiements.abandonner(vente=abandonnee, motif=MOTIF_ABANDON, par=agent)
        else:  # no demo logins (DEBUG off): the waiver is recorded without its author
            Abandon.objects.create(
                vente=abandonnee,
                montant=paiements.reste_du(abandonnee),
                motif=MOTIF_ABANDON,
                date=aujourdhui,
                par_nom="",
            )

    # Today's cash book: at the centre with the most instalment sales still running (the demo volunteer's
    # first), a few households pay their next instalment early, by different methods.
    restantes = [
        v
        for v in en_plusieurs
        if v not in (en_retard, abandonnee) and max(e.due_le for e in v.echeances.all()) > aujourdhui
    ]
    par_centre: dict = {}
    for vente in restantes:
        par_centre.setdefault(vente.centre_id, []).append(vente)
    candidats = [liste for cle, liste in par_centre.items() if cle in siens] or list(par_centre.values())
    du_jour = max(candidats, key=len, default=[])
    modes_du_jour = ["especes", "carte", "cheque", "especes"]
    for rang, vente in enumerate(du_jour[:4]):
        prochaine = paiements.situation(vente, aujourdhui).prochaine
        if prochaine is None:
            continue
        montant = prochaine.reste
        if rang == 0:  # the centre social's help pays half of the first one, the household the rest
            aide = (montant / 2).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
            paiements.encaisser(
                vente=vente, montant=aide, mode="tiers", tiers=AIDE, par=benevole, rendre_pdf=False
            )
            montant -= aide
            ecrits += 1
        paiements.encaisser(
            vente=vente, montant=montant, mode=modes_du_jour[rang], par=benevole, rendre_pdf=False
        )
        ecrits += 1
    return ecrits
