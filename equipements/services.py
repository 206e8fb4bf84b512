"""The writes of equipment: handovers, returns, receipts. Keyword-only, ``par=`` the actor, atomic, audited.

Every refusal is a ``ValidationError`` in French, raised before anything is written.

Races: the decoders of a handover are locked (``select_for_update``, in primary-key order so that two
desks never wait on each other crosswise) before they are checked; the partial unique constraint
``decodeur_une_remise_ouverte`` is the last word. Receipt numbers come from a counter row locked until
the transaction ends: a rolled-back handover gives its number back, so numbers have no gaps.

The receipt's PDF is rendered after the commit (the counter is not held during WeasyPrint's work) and
attached once; if that fails, it is rendered on the first download (:func:`recu_pdf`).
"""

import base64
import binascii
import datetime
import hashlib
import re

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import date as _date
from django.utils import timezone
from django.utils.translation import gettext as _

from equipements.models import (
    CompteurRecu,
    Decodeur,
    JourneeRemise,
    LigneRemise,
    Recu,
    Remise,
    Restitution,
    Signalement,
    normaliser_numero,
)
from ipt.journal import journaliser
from ipt.pdf import render_pdf
from logements.models import Adhesion, Foyer
from quartiers.models import Quartier

# A quartier that adopted the collective offer: adopted, being deployed, or running.
STATUTS_ADOPTES = (Quartier.Statut.ADOPTE, Quartier.Statut.DEPLOIEMENT, Quartier.Statut.ACTIF)
PREFIXE_REMISE = "REM"
PREFIXE_RESTITUTION = "RES"
SIGNATURE_MAX = 300_000  # bytes of PNG: a signature on a 600 × 200 pad weighs 5 to 30 kB
PNG = b"\x89PNG\r\n\x1a\n"


def conditions_du_jour() -> str:
    """The terms printed on a handover receipt; stored on each receipt as they were that day."""
    return _(
        "The equipment stays the property of the internet provider. It is lent to the household for as long "
        "as the household takes part in the collective offer. It must be given back at the centre social on "
        "moving out or opting out, or when a faulty item is swapped. A lost item must be reported at once."
    )


def conditions_ordinateurs() -> str:
    """Added to the terms of a handover receipt that holds a refurbished PC."""
    return _(
        "The refurbished PC is not lent: it is sold to the household, at the price and on the instalments "
        "of its sale; each payment has its own receipt. The recyclerie wiped its data before it was "
        "handed over (attestation on file)."
    )


def signature_lue(donnee: str | bytes | None) -> bytes | None:
    """The PNG of a signature posted by the pad (``data:image/png;base64,…``), or ``None`` if empty.

    Anything that is not a PNG of reasonable size is refused in French.
    """
    if not donnee:
        return None
    if isinstance(donnee, bytes):
        brut = donnee
    else:
        entete, _virgule, corps = donnee.partition(",")
        if entete != "data:image/png;base64":
            raise ValidationError(_("The signature is not a PNG image."), code="signature")
        try:
            brut = base64.b64decode(corps, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError(_("The signature is not a PNG image."), code="signature") from None
    if not brut.startswith(PNG):
        raise ValidationError(_("The signature is not a PNG image."), code="signature")
    if len(brut) > SIGNATURE_MAX:
        raise ValidationError(_("The signature image is too large."), code="signature")
    return brut


def numero_prendre(*, prefixe: str, annee: int) -> int:
    """The next receipt rank for ``prefixe`` and ``annee``, the counter row locked until the transaction
    ends (same pattern as the statements' numbering)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("numero_prendre must run inside the transaction that stores the number")
    CompteurRecu.objects.bulk_create([CompteurRecu(prefixe=prefixe, annee=annee)], ignore_conflicts=True)
    compteur = CompteurRecu.objects.select_for_update().get(prefixe=prefixe, annee=annee)
    compteur.dernier += 1
    compteur.save(update_fields=["dernier"])
    return compteur.dernier


def recu_creer(*, prefixe: str, jour: datetime.date, conditions: str) -> Recu:
    rang = numero_prendre(prefixe=prefixe, annee=jour.year)
    return Recu.objects.create(
        prefixe=prefixe,
        annee=jour.year,
        rang=rang,
        numero=f"{prefixe}-{jour.year}-{rang:05d}",
        emis_le=jour,
        conditions=conditions,
    )


def _nom(user) -> str:
    if user is None:
        return ""
    return (user.get_full_name() or user.get_username())[:150]


def _verifier_foyer(foyer: Foyer, *, adhesion_requise: bool = True) -> None:
    if foyer.demenage_le is not None:
        raise ValidationError(
            _("This household moved out on %(date)s: nothing can be handed to it.")
            % {"date": _date(foyer.demenage_le)},
            code="demenage",
        )
    quartier = foyer.logement.immeuble.quartier
    if quartier.statut not in STATUTS_ADOPTES:
        raise ValidationError(
            _(
                "The dwelling is in %(quartier)s, which has not adopted the collective offer: "
                "no equipment is handed out there."
            )
            % {"quartier": quartier.nom},
            code="quartier_non_adopte",
        )
    if adhesion_requise:
        derniere = foyer.adhesions.order_by("-date", "-pk").first()
        if derniere is None or derniere.type != Adhesion.Type.ADHESION:
            raise ValidationError(
                _("This household has not opted in to the collective offer: record its opt-in first."),
                code="non_adherent",
            )


def _refus(numero: str, decodeur: Decodeur | None, ligne: LigneRemise | None, foyer: Foyer | None):
    """The French refusal for serial ``numero``, or ``None`` if it can be handed out."""
    if decodeur is None:
        return ValidationError(
            _("Serial %(numero)s is not in the stock of decoders.") % {"numero": numero},
            code="numero_inconnu",
        )
    if ligne is not None:
        remise = ligne.remise
        if foyer is not None and remise.foyer_id == foyer.pk:
            return ValidationError(
                _("Decoder %(numero)s is already with this household (handed out on %(date)s).")
                % {"numero": numero, "date": _date(remise.date)},
                code="deja_au_foyer",
            )
        return ValidationError(
            _(
                "Decoder %(numero)s is already with another household: handed out on %(date)s at %(lieu)s "
                "by %(par)s (receipt %(recu)s)."
            )
            % {
                "numero": numero,
                "date": _date(remise.date),
                "lieu": remise.lieu,
                "par": remise.par_nom or "—",
                "recu": remise.recu.numero,
            },
            code="deja_remis",
        )
    if decodeur.statut in (Decodeur.Statut.DEFECTUEUX, Decodeur.Statut.PERDU):
        return ValidationError(
            _("Decoder %(numero)s is recorded as %(statut)s: it cannot be handed out.")
            % {"numero": numero, "statut": decodeur.get_statut_display()},
            code="hors_service",
        )
    return None


def decodeurs_disponibles(*, numeros: list[str], foyer: Foyer | None = None) -> list[Decodeur]:
    """The decoders of these (normalised) serials, in order, if all can be handed out; else the French
    refusal of the first that cannot. Two queries whatever the number of serials."""
    trouves = {d.numero_serie: d for d in Decodeur.objects.filter(numero_serie__in=numeros)}
    ouvertes = {
        ligne.decodeur_id: ligne
        for ligne in LigneRemise.objects.filter(
            decodeur__in=[d.pk for d in trouves.values()], restitution__isnull=True
        ).select_related("remise__recu")
    }
    for numero in numeros:
        decodeur = trouves.get(numero)
        refus = _refus(numero, decodeur, ouvertes.get(decodeur.pk) if decodeur else None, foyer)
        if refus is not None:
            raise refus
    return [trouves[n] for n in numeros]


def decodeur_disponible(*, numero: str, foyer: Foyer | None = None) -> Decodeur:
    """The decoder of serial ``numero`` if it can be handed out, else a French refusal naming why."""
    numero = normaliser_numero(numero)
    if not numero:
        raise ValidationError(_("Type or scan a serial number."), code="numero_vide")
    return decodeurs_disponibles(numeros=[numero], foyer=foyer)[0]


def remise_enregistrer(
    *,
    foyer: Foyer,
    numeros: list[str],
    autres: list[str] | None = None,
    date: datetime.date | None = None,
    journee: JourneeRemise | None = None,
    lieu: str = "",
    signature: str | bytes | None = None,
    signe_sur_papier: bool = False,
    par,
    rendre_pdf: bool = True,
    ventes: list | None = None,
) -> Remise:
    """Hand one or several items to a household, with one numbered receipt. All or nothing.

    ``ventes``: refurbished PCs the household bought (``Vente``, not handed over yet), handed over on the
    same receipt as the decoder of the same visit."""
    from equipements.models import Vente

    ventes_pks = sorted({v.pk for v in ventes or []})
    autres = [re.sub(r"[\x00-\x1f\x7f]", "", a).strip()[:200] for a in (autres or []) if a]
    autres = [a for a in autres if a]
    numeros = list(dict.fromkeys(normaliser_numero(n) for n in numeros if normaliser_numero(n)))
    if not numeros and not autres and not ventes_pks:
        raise ValidationError(_("Add at least one item to hand out."), code="vide")
    png = signature_lue(signature)
    if png is None and not signe_sur_papier:
        raise ValidationError(
            _(
                "The household signs on the screen, or tick “signed on paper” "
                "once the printed receipt is signed."
            ),
            code="non_signe",
        )
    date = date or timezone.localdate()
    if date > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="futur")
    with transaction.atomic():
        foyer = (
            Foyer.objects.select_for_update().select_related("logement__immeuble__quartier").get(pk=foyer.pk)
        )
        _verifier_foyer(foyer)
        if journee is not None and journee.quartier_id != foyer.logement.immeuble.quartier_id:
            raise ValidationError(_("This handout day is in another quartier."), code="journee")
        lieu = (lieu or (journee.lieu if journee else "") or foyer.logement.immeuble.quartier.nom)[:200]
        # Lock the decoders in primary-key order (ORDER BY: rows are locked as sorted), then check them all
        # under their locks.
        list(Decodeur.objects.select_for_update().filter(numero_serie__in=numeros).order_by("pk"))
        decodeurs = decodeurs_disponibles(numeros=numeros, foyer=foyer)
        pcs = list(
            Vente.objects.select_for_update()
            .filter(pk__in=ventes_pks, foyer=foyer, statut=Vente.Statut.VENDUE, remise__isnull=True)
            .select_related("ordinateur")
            .order_by("pk")
        )
        if len(pcs) != len(ventes_pks):
            raise ValidationError(
                _("Some of these PCs are not to be handed to this household any more: reload the page."),
                code="perime",
            )
        if any(v.date > date for v in pcs):
            raise ValidationError(
                _("A PC is handed over on or after the day it is sold."), code="avant_vente"
            )
        conditions = conditions_du_jour()
        if pcs:
            conditions = f"{conditions} {conditions_ordinateurs()}"
        recu = recu_creer(prefixe=PREFIXE_REMISE, jour=date, conditions=conditions)
        remise = Remise.objects.create(
            foyer=foyer,
            logement=foyer.logement,
            date=date,
            journee=journee,
            lieu=lieu,
            par=par if getattr(par, "pk", None) else None,
            par_nom=_nom(par),
            signature_png=png,
            signe_sur_papier=signe_sur_papier,
            recu=recu,
        )
        LigneRemise.objects.bulk_create(
            [LigneRemise(remise=remise, decodeur=d) for d in decodeurs]
            + [LigneRemise(remise=remise, description=a) for a in autres]
            + [LigneRemise(remise=remise, description=v.ordinateur.description[:200]) for v in pcs]
        )
        if pcs:
            Vente.objects.filter(pk__in=ventes_pks).update(remise=remise, modifie_le=timezone.now())
        references_pc = [v.ordinateur.reference for v in pcs]
        Decodeur.objects.filter(pk__in=[d.pk for d in decodeurs]).update(
            statut=Decodeur.Statut.REMIS, modifie_le=timezone.now()
        )
        journaliser(
            par=par,
            action="equipements.remise",
            message=_("Receipt %(recu)s: %(objets)s handed to “%(foyer)s”.")
            % {
                "recu": recu.numero,
                "objets": ", ".join(numeros + autres + references_pc),
                "foyer": foyer.nom,
            },
            objet=remise,
            details={
                "recu": recu.numero,
                "numeros": numeros,
                "autres": autres,
                "ordinateurs": references_pc,
                "foyer": foyer.pk,
            },
        )
    if rendre_pdf:
        recu_pdf(recu=recu)
        remise.recu = Recu.objects.get(pk=recu.pk)
    return remise


def restitution_enregistrer(
    *,
    foyer: Foyer,
    lignes: list[LigneRemise],
    motif: str,
    etat: str,
    date: datetime.date | None = None,
    note: str = "",
    signature: str | bytes | None = None,
    signe_sur_papier: bool = False,
    par,
    rendre_pdf: bool = True,
    signalement: Signalement | None = None,
) -> Restitution:
    """Record items given back (or lost) by a household, with one numbered receipt. All or nothing.

    ``signalement``: for a swap (reason "échange"), the provider incident of the household's dwelling
    that the faulty item answers."""
    if not lignes:
        raise ValidationError(_("Choose the items given back."), code="vide")
    if motif not in Restitution.Motif.values or etat not in Restitution.Etat.values:
        raise ValidationError(_("Choose the reason and the state of the items."), code="motif")
    png = signature_lue(signature)
    if png is None and not signe_sur_papier:
        raise ValidationError(
            _(
                "The household signs on the screen, or tick “signed on paper” "
                "once the printed receipt is signed."
            ),
            code="non_signe",
        )
    if signalement is not None:
        if motif != Restitution.Motif.ECHANGE:
            raise ValidationError(
                _("Only a swap of a faulty item is linked to a provider incident."), code="signalement_motif"
            )
        if signalement.logement_id is None or signalement.logement_id != foyer.logement_id:
            raise ValidationError(
                _("This provider incident is not about this household's dwelling."),
                code="signalement_logement",
            )
    date = date or timezone.localdate()
    if date > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="futur")
    with transaction.atomic():
        foyer = Foyer.objects.select_for_update().get(pk=foyer.pk)
        pks = sorted(ligne.pk for ligne in lignes)
        verrouillees = list(
            LigneRemise.objects.select_for_update()
            .filter(pk__in=pks, remise__foyer=foyer, restitution__isnull=True)
            .order_by("pk")
        )
        if len(verrouillees) != len(set(pks)):
            raise ValidationError(
                _("Some of these items are not with this household any more: reload the page."), code="perime"
            )
        if any(
            ligne.remise.date > date
            for ligne in LigneRemise.objects.filter(pk__in=pks).select_related("remise")
        ):
            raise ValidationError(_("The return cannot be before the handover."), code="avant_remise")
        recu = recu_creer(prefixe=PREFIXE_RESTITUTION, jour=date, conditions=conditions_du_jour())
        restitution = Restitution.objects.create(
            foyer=foyer,
            date=date,
            motif=motif,
            etat=etat,
            note=note[:255],
            par=par if getattr(par, "pk", None) else None,
            par_nom=_nom(par),
            signature_png=png,
            signe_sur_papier=signe_sur_papier,
            recu=recu,
            signalement=signalement,
        )
        LigneRemise.objects.filter(pk__in=pks).update(restitution=restitution)
        statut = {
            Restitution.Etat.BON: Decodeur.Statut.RESTITUE,
            Restitution.Etat.ABIME: Decodeur.Statut.DEFECTUEUX,
            Restitution.Etat.DEFECTUEUX: Decodeur.Statut.DEFECTUEUX,
            Restitution.Etat.PERDU: Decodeur.Statut.PERDU,
        }[etat]
        decodeurs = [ligne.decodeur_id for ligne in verrouillees if ligne.decodeur_id]
        Decodeur.objects.filter(pk__in=decodeurs).update(statut=statut, modifie_le=timezone.now())
        journaliser(
            par=par,
            action="equipements.restitution",
            message=_("Receipt %(recu)s: %(n)s item(s) given back by “%(foyer)s” (%(motif)s, %(etat)s).")
            % {
                "recu": recu.numero,
                "n": len(pks),
                "foyer": foyer.nom,
                "motif": restitution.get_motif_display(),
                "etat": restitution.get_etat_display(),
            },
            objet=restitution,
            details={
                "recu": recu.numero,
                "lignes": pks,
                "motif": motif,
                "etat": etat,
                "signalement": signalement.pk if signalement else None,
            },
        )
    if rendre_pdf:
        recu_pdf(recu=recu)
        restitution.recu = Recu.objects.get(pk=recu.pk)
    return restitution


def _contexte_recu(recu: Recu) -> dict:
    from equipements.selectors import acte_du_recu

    acte = acte_du_recu(recu)
    signature = None
    if acte.signature_png:
        signature = "data:image/png;base64," + base64.b64encode(bytes(acte.signature_png)).decode()
    return {
        "recu": recu,
        "acte": acte,
        "est_remise": isinstance(acte, Remise),
        "foyer": acte.foyer,
        "logement": acte.foyer.logement,
        "lignes": list(acte.lignes.select_related("decodeur").order_by("pk")),
        "signature": signature,
    }


def recu_pdf(*, recu: Recu) -> bytes:
    """The receipt's PDF: the stored file, or rendered now and attached once (then final)."""
    recu = Recu.objects.get(pk=recu.pk)
    if recu.pdf_efface_le is not None:
        # Its printed copy was erased on request: a copy made now, without the erased data, not stored.
        return render_pdf("pdf/equipements_recu.html", _contexte_recu(recu))
    if recu.sha256:
        with recu.pdf.open("rb") as fichier:
            return fichier.read()
    contenu = render_pdf("pdf/equipements_recu.html", _contexte_recu(recu))
    with transaction.atomic():
        verrouille = Recu.objects.select_for_update().get(pk=recu.pk)
        if verrouille.sha256:  # another request attached it meanwhile: serve that one
            with verrouille.pdf.open("rb") as fichier:
                return fichier.read()
        verrouille.sha256 = hashlib.sha256(contenu).hexdigest()
        verrouille.pdf.save(f"{verrouille.numero}.pdf", ContentFile(contenu), save=False)
        verrouille.save(update_fields=["pdf", "sha256"])
    return contenu


__all__ = [
    "decodeur_disponible",
    "decodeurs_disponibles",
    "numero_prendre",
    "recu_pdf",
    "remise_enregistrer",
    "restitution_enregistrer",
]
