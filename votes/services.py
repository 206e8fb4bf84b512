"""Writes of the votes. Each function is one transaction; refusals are raised before anything is written.

The life of a vote: ``scrutin_creer`` (draft) → ``scrutin_ouvrir`` (the roll is frozen, each dwelling
gets its ballot code) → ``bulletin_enregistrer`` while it is open (``scrutin_prolonger`` to push the
closing back) → ``scrutin_clore`` (counts, verdict, SHA-256, minutes) → ``scrutin_publier`` (the
quartier is adopted or rejected) → on adoption ``scrutin_fixer_debut_service`` (dwellings charged from then).

The ballots' own writes are in ``votes.bulletins`` (reachable from here too). Closing takes the vote's
lock exclusive (entries hold it shared), then locks the vote's row (``select_for_update``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ipt.journal import journaliser
from ipt.models import Travail
from ipt.templatetags.typo import date_heure
from ipt.travaux import travail_creer
from logements.models import Immeuble, Logement
from quartiers.models import Jalon, Quartier
from votes import codes, regles, selectors
from votes.bulletins import (  # noqa: F401 — the ballots' writes, reachable from the votes' services
    BulletinRefuse,
    bulletin_annuler,
    bulletin_defaire,
    bulletin_enregistrer,
    delai_annulation_saisie,
    message_doublon,
    motif_erreur_de_saisie,
    nom_de,
    normaliser_code,
    peut_defaire,
    verrouiller,
)
from votes.models import Inscrit, Regle, Scrutin

# Quartier statuses a vote moves on: a quartier already deploying or active keeps its status.
STATUTS_AVANT_VOTE = [
    Quartier.Statut.PROSPECT,
    Quartier.Statut.SENSIBILISATION,
    Quartier.Statut.CAMPAGNE,
]
STATUTS_PUBLICATION = [
    *STATUTS_AVANT_VOTE,
    Quartier.Statut.VOTE,
    Quartier.Statut.ADOPTE,
    Quartier.Statut.REJETE,
]

# --- Drafts -----------------------------------------------------------------------------------------


def _message_delai(scrutin: Scrutin, limite: datetime.date) -> str:
    return _(
        "Responses count only until %(limite)s (%(mois)s months after the notice): close the vote by then."
    ) % {"limite": formats.date_format(limite), "mois": scrutin.delai_mois}


def _verifier_brouillon(scrutin: Scrutin, immeubles: list[Immeuble]) -> None:
    erreurs = {}
    if scrutin.ferme_le <= scrutin.ouvre_le:
        erreurs["ferme_le"] = _("The vote must close after it opens.")
    if any(i.quartier_id != scrutin.quartier_id for i in immeubles):
        erreurs["immeubles"] = _("Every building concerned must be in the vote’s neighbourhood.")
    if scrutin.regle == Regle.ACCORD_DIRECT:
        if scrutin.seuil_participation is None:
            erreurs["seuil_participation"] = _(
                "Direct agreement needs a participation threshold (25 % by law)."
            )
        if scrutin.notifie_le is None:
            erreurs["notifie_le"] = _("Direct agreement counts responses from the notice: give its date.")
        if not scrutin.delai_mois:
            erreurs["delai_mois"] = _("Direct agreement needs the months allowed to respond (2 by law).")
        limite = scrutin.regle_appliquee.date_limite
        if limite and timezone.localtime(scrutin.ferme_le).date() > limite:
            erreurs["ferme_le"] = _message_delai(scrutin, limite)
    if erreurs:
        raise ValidationError(erreurs)


CHAMPS_BROUILLON = [
    "intitule",
    "question",
    "regle",
    "seuil_participation",
    "seuil_majorite",
    "quorum",
    "notifie_le",
    "delai_mois",
    "ouvre_le",
    "ferme_le",
]


def scrutin_creer(*, quartier: Quartier, immeubles: list[Immeuble] | None = None, par, **champs) -> Scrutin:
    """A new vote, in draft. ``immeubles`` empty: the whole quartier."""
    immeubles = list(immeubles or [])
    scrutin = Scrutin(quartier=quartier, **{k: v for k, v in champs.items() if k in CHAMPS_BROUILLON})
    _verifier_brouillon(scrutin, immeubles)
    with transaction.atomic():
        scrutin.save()
        scrutin.immeubles.set(immeubles)
        journaliser(par=par, action="scrutin.creation", objet=scrutin, message=_("Vote created (draft)."))
    return scrutin


def scrutin_modifier(*, scrutin: Scrutin, immeubles: list[Immeuble] | None = None, par, **champs) -> Scrutin:
    """Change a draft; once open, the rule, the roll and the question are fixed."""
    immeubles = list(immeubles or [])
    with transaction.atomic():
        scrutin = Scrutin.objects.select_for_update().get(pk=scrutin.pk)
        if scrutin.statut != Scrutin.Statut.BROUILLON:
            raise ValidationError(_("Only a draft can be changed: this vote is already open."))
        for nom, valeur in champs.items():
            if nom in CHAMPS_BROUILLON:
                setattr(scrutin, nom, valeur)
        _verifier_brouillon(scrutin, immeubles)
        scrutin.save()
        scrutin.immeubles.set(immeubles)
        journaliser(par=par, action="scrutin.modification", objet=scrutin, message=_("Draft changed."))
    return scrutin


# --- Opening ----------------------------------------------------------------------------------------


def logements_concernes(scrutin: Scrutin, jour: datetime.date):
    """The dwellings of the quartier (or of the chosen buildings) still in the programme on ``jour``."""
    logements = Logement.objects.presents(jour).filter(immeuble__quartier_id=scrutin.quartier_id)
    immeubles = list(scrutin.immeubles.values_list("pk", flat=True))
    if immeubles:
        logements = logements.filter(immeuble_id__in=immeubles)
    return logements


def _geler_liste(scrutin: Scrutin, jour: datetime.date) -> int:
    existants: set[str] = set()
    inscrits = [
        Inscrit(
            scrutin=scrutin, logement_id=logement_id, immeuble_id=immeuble_id, code=codes.generer(existants)
        )
        for logement_id, immeuble_id in logements_concernes(scrutin, jour)
        .order_by("immeuble_id", "cage", "etage", "porte", "pk")
        .values_list("pk", "immeuble_id")
    ]
    Inscrit.objects.bulk_create(inscrits, batch_size=5000)
    return len(inscrits)


def scrutin_ouvrir(*, scrutin: Scrutin, par, maintenant: datetime.datetime | None = None) -> Scrutin:
    """Open a draft: freeze the roll (a ballot code per dwelling), move the quartier to "vote".

    Ballots are accepted from ``ouvre_le`` to ``ferme_le``; the ballot papers can be printed at once.
    """
    maintenant = maintenant or timezone.now()
    with transaction.atomic():
        scrutin = Scrutin.objects.select_for_update().get(pk=scrutin.pk)
        if scrutin.statut != Scrutin.Statut.BROUILLON:
            raise ValidationError(_("This vote is already open."))
        if scrutin.ferme_le <= maintenant:
            raise ValidationError(_("The closing date has passed: push it back before opening the vote."))
        _verifier_brouillon(scrutin, list(scrutin.immeubles.all()))
        nb = _geler_liste(scrutin, timezone.localtime(maintenant).date())
        if nb == 0:
            raise ValidationError(_("No dwelling is concerned: import the neighbourhood’s dwellings first."))
        scrutin.nb_inscrits = nb
        scrutin.statut = Scrutin.Statut.OUVERT
        scrutin.ouvert_le, scrutin.ouvert_par = maintenant, par
        scrutin.save(update_fields=["nb_inscrits", "statut", "ouvert_le", "ouvert_par", "modifie_le"])
        Quartier.objects.filter(pk=scrutin.quartier_id, statut__in=STATUTS_AVANT_VOTE).update(
            statut=Quartier.Statut.VOTE
        )
        Jalon.objects.filter(
            campagne__quartier_id=scrutin.quartier_id, type=Jalon.Type.VOTE, date_reelle__isnull=True
        ).update(date_reelle=timezone.localtime(scrutin.ouvre_le).date())
        journaliser(
            par=par,
            action="scrutin.ouverture",
            objet=scrutin,
            message=_("Vote opened: %(nb)s dwellings on the roll.") % {"nb": nb},
            details={"inscrits": nb},
        )
    return scrutin


def scrutin_prolonger(*, scrutin: Scrutin, ferme_le: datetime.datetime, par) -> Scrutin:
    """Push the closing of an open vote back (never forward: ballots may already count on it)."""
    with transaction.atomic():
        verrouiller(scrutin.pk, exclusif=True)
        scrutin = Scrutin.objects.select_for_update().get(pk=scrutin.pk)
        if scrutin.statut != Scrutin.Statut.OUVERT:
            raise ValidationError(_("Only an open vote can be extended."))
        if ferme_le <= scrutin.ferme_le:
            raise ValidationError(
                _("The new closing must be later than the current one (%(ferme)s).")
                % {"ferme": date_heure(scrutin.ferme_le)}
            )
        limite = scrutin.regle_appliquee.date_limite
        if scrutin.regle == Regle.ACCORD_DIRECT and limite and timezone.localtime(ferme_le).date() > limite:
            raise ValidationError(_message_delai(scrutin, limite))
        ancienne = scrutin.ferme_le
        scrutin.ferme_le = ferme_le
        scrutin.save(update_fields=["ferme_le", "modifie_le"])
        journaliser(
            par=par,
            action="scrutin.prolongation",
            objet=scrutin,
            message=_("Closing moved from %(avant)s to %(apres)s.")
            % {"avant": date_heure(ancienne), "apres": date_heure(ferme_le)},
        )
    return scrutin


# --- Closing and publishing -------------------------------------------------------------------------


def _verdict(scrutin: Scrutin, donnees: dict, ferme_le: datetime.date) -> regles.Verdict:
    return regles.evaluer(scrutin.regle_appliquee, selectors.decompte_regle(donnees), ferme_le=ferme_le)


def scrutin_clore(
    *, scrutin: Scrutin, par, maintenant: datetime.datetime | None = None, proces_verbal=True
) -> Scrutin:
    """Close an open vote: count and reconcile, apply the rule, fingerprint the ballots, make the minutes.

    Takes the vote's lock: entries waiting on it find the vote closed and are refused.
    """
    with transaction.atomic():
        verrouiller(scrutin.pk, exclusif=True)
        scrutin = Scrutin.objects.select_for_update().get(pk=scrutin.pk)
        maintenant = maintenant or timezone.now()
        if scrutin.statut != Scrutin.Statut.OUVERT:
            raise ValidationError(_("Only an open vote can be closed."))
        donnees = selectors.decompte(scrutin)
        clos_le = min(maintenant, scrutin.ferme_le)
        verdict = _verdict(scrutin, donnees, timezone.localtime(clos_le).date())
        donnees["verdict"] = {
            "adopte": verdict.adopte,
            "conditions": [
                {"libelle": c.libelle, "constat": c.constat, "atteinte": c.atteinte}
                for c in verdict.conditions
            ],
        }
        lignes = selectors.lignes_canoniques(scrutin)
        scrutin.empreinte = selectors.empreinte(lignes)
        scrutin.decompte = donnees
        scrutin.resultat = Scrutin.Resultat.ADOPTE if verdict.adopte else Scrutin.Resultat.REJETE
        scrutin.statut = Scrutin.Statut.CLOS
        scrutin.clos_le, scrutin.clos_par = maintenant, par
        scrutin.save(
            update_fields=["empreinte", "decompte", "resultat", "statut", "clos_le", "clos_par", "modifie_le"]
        )
        journaliser(
            par=par,
            action="scrutin.cloture",
            objet=scrutin,
            message=_("Vote closed: %(resultat)s, fingerprint %(empreinte)s.")
            % {"resultat": scrutin.get_resultat_display(), "empreinte": scrutin.empreinte},
            details={"empreinte": scrutin.empreinte, "resultat": scrutin.resultat},
        )
        if proces_verbal:
            proces_verbal_demander(scrutin=scrutin, demandeur=par)
    return scrutin


def scrutins_clore_echus(*, maintenant: datetime.datetime | None = None) -> list[int]:
    """Close every open vote whose closing time has passed (the beat task, ``votes.clore_echus``).

    The system closes them (``par=None``), each as staff would: under the vote's lock, with its count,
    fingerprint, audit entry and minutes. Idempotent: a vote closed meanwhile (by staff, or by another
    run) is left alone. Returns the ids of the votes it closed.
    """
    maintenant = maintenant or timezone.now()
    clos = []
    echus = Scrutin.objects.filter(statut=Scrutin.Statut.OUVERT, ferme_le__lte=maintenant).order_by("pk")
    for scrutin in echus:
        try:
            scrutin_clore(scrutin=scrutin, par=None, maintenant=maintenant)
        except ValidationError:
            continue  # closed since the list was read: under the lock, its status said so
        clos.append(scrutin.pk)
    return clos


def scrutin_publier(*, scrutin: Scrutin, par) -> Scrutin:
    """Publish a closed vote's result: the quartier becomes adopted or rejected (if it was voting)."""
    with transaction.atomic():
        scrutin = Scrutin.objects.select_for_update().get(pk=scrutin.pk)
        if scrutin.statut != Scrutin.Statut.CLOS:
            raise ValidationError(_("Only a closed vote can be published."))
        scrutin.statut = Scrutin.Statut.PUBLIE
        scrutin.publie_le, scrutin.publie_par = timezone.now(), par
        scrutin.save(update_fields=["statut", "publie_le", "publie_par", "modifie_le"])
        adopte = scrutin.resultat == Scrutin.Resultat.ADOPTE
        Quartier.objects.filter(pk=scrutin.quartier_id, statut__in=STATUTS_PUBLICATION).update(
            statut=Quartier.Statut.ADOPTE if adopte else Quartier.Statut.REJETE
        )
        journaliser(
            par=par,
            action="scrutin.publication",
            objet=scrutin,
            message=_("Result published: %(resultat)s.") % {"resultat": scrutin.get_resultat_display()},
        )
    return scrutin


def scrutin_fixer_debut_service(*, scrutin: Scrutin, debut: datetime.date, par) -> int:
    """On adoption, the day the service starts: the dwellings on the roll not yet connected are from then.

    Returns how many dwellings got the date. Set once: dwellings may be charged from it.
    """
    with transaction.atomic():
        scrutin = Scrutin.objects.select_for_update().get(pk=scrutin.pk)
        if scrutin.statut != Scrutin.Statut.PUBLIE or scrutin.resultat != Scrutin.Resultat.ADOPTE:
            raise ValidationError(_("The service start is set once an adopted result is published."))
        if scrutin.date_debut_service is not None:
            raise ValidationError(
                _("The service start was already set (%(date)s): dwellings may already be charged from it.")
                % {"date": formats.date_format(scrutin.date_debut_service)}
            )
        if debut < timezone.localtime(scrutin.clos_le).date():
            raise ValidationError(_("The service cannot start before the vote closed."))
        scrutin.date_debut_service = debut
        scrutin.save(update_fields=["date_debut_service", "modifie_le"])
        nb = Logement.objects.filter(
            pk__in=scrutin.inscrits.values("logement"), connecte_depuis__isnull=True
        ).update(connecte_depuis=debut)
        Quartier.objects.filter(pk=scrutin.quartier_id, annee_adhesion__isnull=True).update(
            annee_adhesion=debut.year
        )
        journaliser(
            par=par,
            action="scrutin.debut_service",
            objet=scrutin,
            message=_("Service start set to %(debut)s: %(nb)s dwellings connected.")
            % {"debut": formats.date_format(debut, "SHORT_DATE_FORMAT"), "nb": nb},
            details={"debut": debut.isoformat(), "raccordes": nb},
        )
    return nb


# --- Documents --------------------------------------------------------------------------------------


def bulletins_papier_demander(
    *, scrutin: Scrutin, demandeur, base_url: str, immeuble: Immeuble | None = None
) -> Travail:
    """Start the job that prints the ballot papers (one per dwelling on the roll, building by building)."""
    if scrutin.statut != Scrutin.Statut.OUVERT:
        raise ValidationError(_("Ballot papers are printed once the vote is open (its roll frozen)."))
    if immeuble is not None and not scrutin.inscrits.filter(immeuble=immeuble).exists():
        raise ValidationError(_("This building is not concerned by the vote."))
    return travail_creer(
        nature=selectors.NATURE_BULLETINS,
        parametres={
            "scrutin": scrutin.pk,
            "quartier": scrutin.quartier_id,
            "immeuble": immeuble.pk if immeuble else None,
            "base_url": base_url.rstrip("/"),
        },
        demandeur=demandeur,
    )


def proces_verbal_demander(*, scrutin: Scrutin, demandeur) -> Travail:
    """Start the job that makes the minutes of a closed vote."""
    if scrutin.statut not in (Scrutin.Statut.CLOS, Scrutin.Statut.PUBLIE):
        raise ValidationError(_("The minutes are made once the vote is closed."))
    return travail_creer(
        nature=selectors.NATURE_PROCES_VERBAL,
        parametres={"scrutin": scrutin.pk, "quartier": scrutin.quartier_id},
        demandeur=demandeur,
    )
