"""Adjustments of an issued statement, carried by the landlord's next statement."""

from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from charges import selectors
from charges.models import (
    Charge,
    Regularisation,
    Releve,
)
from ipt.journal import journaliser
from logements.models import Logement


class RegularisationImpossible(Exception):  # noqa: N818
    def __init__(self, message: str):
        super().__init__(message)
        self.message = str(message)


# --- Adjustments --------------------------------------------------------------------------------


def regularisation_creer(
    *, releve: Releve, reference: str, type: str, motif: str, user=None
) -> Regularisation:
    """Record an adjustment of an issued statement, for the landlord's next statement.

    ``annulation``: the charge of the dwelling ``reference`` on this statement was billed wrongly.
    ``rattrapage``: the dwelling ``reference`` was missed for this statement's month: it is charged now.
    """
    reference = (reference or "").strip()
    motif = (motif or "").strip()
    if not motif:
        raise RegularisationImpossible(_("Give the reason for the adjustment: the landlord will read it."))
    if not releve.fige:
        raise RegularisationImpossible(
            _("This statement is not issued yet: run its month again instead of adjusting it.")
        )
    with transaction.atomic():
        logement = Logement.objects.filter(bailleur_id=releve.bailleur_id, reference=reference).first()
        if logement is None:
            raise RegularisationImpossible(
                _("No dwelling of this landlord has the reference “%(ref)s”.") % {"ref": reference[:30]}
            )
        if type == Regularisation.Type.ANNULATION:
            charge = Charge.objects.filter(logement=logement, mois=releve.mois).first()
            if charge is None or charge.montant == 0:
                raise RegularisationImpossible(
                    _("Dwelling “%(ref)s” is not charged for %(mois)s: there is nothing to cancel.")
                    % {"ref": reference, "mois": date_format(releve.mois, "F Y")}
                )
            montant = -charge.montant
        elif type == Regularisation.Type.RATTRAPAGE:
            tarif = selectors.tarif_du_mois(releve.mois)
            if tarif is None or tarif.montant <= 0:
                raise RegularisationImpossible(_("No tariff applies to this month."))
            try:
                with transaction.atomic():
                    charge = Charge.objects.create(
                        logement=logement,
                        bailleur_id=releve.bailleur_id,
                        mois=releve.mois,
                        montant=tarif.montant,
                    )
            except IntegrityError:
                raise RegularisationImpossible(
                    _("Dwelling “%(ref)s” is already charged for %(mois)s.")
                    % {"ref": reference, "mois": date_format(releve.mois, "F Y")}
                ) from None
            montant = tarif.montant
        else:
            raise RegularisationImpossible(_("Choose the kind of adjustment."))
        try:
            with transaction.atomic():
                regularisation = Regularisation.objects.create(
                    type=type,
                    bailleur_id=releve.bailleur_id,
                    logement=logement,
                    charge=charge,
                    mois=releve.mois,
                    montant=montant,
                    releve_origine=releve,
                    motif=motif[:255],
                    cree_par=user if user is not None and user.is_authenticated else None,
                )
        except IntegrityError:
            raise RegularisationImpossible(
                _("This charge has already been cancelled by an earlier adjustment.")
            ) from None
        journaliser(
            par=user if user is not None and user.is_authenticated else None,
            action="charges.regularisation_creer",
            message=_("Adjustment of statement %(numero)s for dwelling %(ref)s: %(montant)s EUR (%(motif)s).")
            % {"numero": releve.numero, "ref": reference, "montant": montant, "motif": motif[:255]},
            objet=releve,
            details={
                "type": type,
                "reference": reference,
                "montant": str(montant),
                "mois": releve.mois.isoformat(),
            },
        )
        return regularisation
