"""Writes of the votes. Each function is one transaction; refusals are raised before anything is written.

The life of a vote: ``scrutin_creer`` (draft) → ``scrutin_ouvrir`` (the roll is frozen, each dwelling
gets its ballot code) → ``bulletin_enregistrer`` while it is open (``scrutin_prolonger`` to push the
closing back) → ``scrutin_clore`` (counts, verdict, SHA-256, minutes) → ``scrutin_publier`` (the
quartier is adopted or rejected) → on adoption ``scrutin_fixer_debut_service`` (dwellings charged from then).

Every entry holds the vote's lock shared (entries do not wait for each other) and closing takes it
exclusive, then locks the vote's row (``select_for_update``); each reads the status and the time under
the lock: a ballot racing the close either lands before it, and is counted, or is refused.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ipt.journal import journaliser
from ipt.models import Travail
from ipt.templatetags.typo import date_heure
from ipt.travaux import travail_creer
from logements.models import Immeuble, Logement
from quartiers.models import Jalon, Quartier
from votes import codes, regles, selectors
from votes.models import Bulletin, Inscrit, Regle, Scrutin
from votes.templatetags.scrutins import acteur

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


class BulletinRefuse(Exception):  # noqa: N818 — a refusal, with a message for people
    """A ballot that cannot be recorded. ``motif``: ``code`` (malformed, 422), ``inconnu`` (not on the
    roll the user covers, 404), ``doublon`` (already voted, 409), ``ferme`` (vote not open, 409)."""

    def __init__(
        self, message: str, motif: str, *, inscrit: Inscrit | None = None, scrutin: Scrutin | None = None
    ):
        super().__init__(message)
        self.message = message
        self.motif = motif
        self.inscrit = inscrit
        self.scrutin = scrutin

    @staticmethod
    def message_inconnu(code: str) -> str:
        return _("No dwelling you cover in this vote has the code %(code)s: check it on the ballot.") % {
            "code": codes.afficher(code)
        }


def _quand(moment: datetime.datetime) -> str:
    """``1er décembre 2026 à 18 h 30``, in Europe/Paris."""
    return date_heure(moment)


def nom_de(user) -> str:
    """Who did something: a name, or "—" for nobody known (the system, a demo row)."""
    return acteur(user)


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
                % {"ferme": _quand(scrutin.ferme_le)}
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
            % {"avant": _quand(ancienne), "apres": _quand(ferme_le)},
        )
    return scrutin


# --- Ballots ----------------------------------------------------------------------------------------

MESSAGES_CODE = {
    "vide": lambda: _("Type the code printed on the ballot."),
    "ambigu": lambda: _(
        "A ballot code never contains 0, O, 1 or I: check the code on the ballot (it may be 8, Q, 7 or J…)."
    ),
    "longueur": lambda: _("A ballot code has 7 characters, like ABC-DEFG: check the code on the ballot."),
    "controle": lambda: _(
        "This code is not valid (a character was probably mistyped): check it on the ballot."
    ),
}


def message_doublon(existant: Bulletin, inscrit: Inscrit) -> str:
    if existant.saisi_par_id is None:
        return _(
            "This dwelling has already voted: its ballot was entered on %(quand)s — channel: %(canal)s. "
            "A second ballot is not accepted. If it is a mistake, call the city’s team."
        ) % {"canal": existant.get_canal_display(), "quand": _quand(existant.saisi_le)}
    return _(
        "This dwelling has already voted: its ballot was entered on %(quand)s by %(qui)s — channel: "
        "%(canal)s. A second ballot is not accepted. If it is a mistake, call the city’s team."
    ) % {
        "qui": nom_de(existant.saisi_par),
        "canal": existant.get_canal_display(),
        "quand": _quand(existant.saisi_le),
    }


def _message_ferme(scrutin: Scrutin, maintenant: datetime.datetime) -> str:
    if scrutin.statut == Scrutin.Statut.BROUILLON:
        return _("This vote is not open yet.")
    if scrutin.statut in (Scrutin.Statut.CLOS, Scrutin.Statut.PUBLIE) or maintenant >= scrutin.ferme_le:
        ferme = min(scrutin.clos_le, scrutin.ferme_le) if scrutin.clos_le else scrutin.ferme_le
        return _("This vote closed on %(ferme)s: no ballot can be entered any more.") % {
            "ferme": _quand(ferme)
        }
    return _("This vote opens on %(ouvre)s: ballots are entered from then on.") % {
        "ouvre": _quand(scrutin.ouvre_le)
    }


# Namespace of the votes' advisory locks (the 4 bytes of "vote"); the second key is the vote's id.
VERROU_VOTES = 0x766F7465


def verrouiller(scrutin_id: int, *, exclusif: bool) -> None:
    """Lock a vote until the transaction ends: shared by its entries, exclusive for its closing.

    Entries hold the lock shared, so they run side by side. Closing (and extending) takes it exclusive:
    it waits for the entries under way to commit — they are counted — and entries asked for after it
    wait for it, then read the vote closed. PostgreSQL queues lock requests in order, so a steady flow
    of entries never holds a closing back. (SQLite, for ``make run``, writes one transaction at a time.)
    """
    if connection.vendor != "postgresql":
        return
    fonction = "pg_advisory_xact_lock" if exclusif else "pg_advisory_xact_lock_shared"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {fonction}(%s, %s)", [VERROU_VOTES, scrutin_id])  # noqa: S608 — constant


def normaliser_code(saisie: str) -> str:
    try:
        return codes.normaliser(saisie)
    except codes.CodeInvalide as erreur:
        raise BulletinRefuse(MESSAGES_CODE[erreur.motif](), "code") from None


def bulletin_enregistrer(
    *,
    scrutin_id: int,
    code: str,
    choix: str,
    canal: str,
    par,
    remplace: Bulletin | None = None,
) -> Bulletin:
    """Record one dwelling's ballot, found by its code on the roll ``par`` covers on ``canal``.

    Four queries when it is accepted: lock the vote; read the dwelling's building (its doors, whether
    each has voted, the vote's responses so far — what the entry page shows next, see
    ``selectors.portes_immeuble_du_code``); insert the ballot; its audit entry. The ballot comes back
    with ``portes``, that building as it is now.
    Refused with :class:`BulletinRefuse` (nothing written) when the code is malformed, the dwelling is
    not one ``par`` covers, it has already voted, or the vote is not open at this moment.
    """
    code = normaliser_code(code)
    if choix not in Bulletin.Choix.values:
        raise BulletinRefuse(_("Choose yes, no or blank."), "choix")
    portee = selectors.inscrits_du_canal(par, scrutin_id, canal)
    try:
        with transaction.atomic():
            verrouiller(scrutin_id, exclusif=False)
            # Read after the lock: a closing that went first is seen, with the dwelling's ballot if any.
            portes = selectors.portes_immeuble_du_code(portee, scrutin_id, code)
            inscrit = next((porte for porte in portes if porte.code == code), None)
            if inscrit is None:
                raise BulletinRefuse(BulletinRefuse.message_inconnu(code), "inconnu")
            scrutin = inscrit.scrutin
            maintenant = timezone.now()  # under the lock: a closing cannot slip in between
            if not scrutin.accepte_bulletins(maintenant):
                raise BulletinRefuse(
                    _message_ferme(scrutin, maintenant), "ferme", inscrit=inscrit, scrutin=scrutin
                )
            if inscrit.existant is not None:
                existant = Bulletin.objects.select_related("saisi_par").get(pk=inscrit.existant)
                raise BulletinRefuse(
                    message_doublon(existant, inscrit), "doublon", inscrit=inscrit, scrutin=scrutin
                )
            bulletin = Bulletin.objects.create(
                scrutin=scrutin,
                inscrit=inscrit,
                logement_id=inscrit.logement_id,
                choix=choix,
                canal=canal,
                saisi_par=par,
                saisi_le=maintenant,
                remplace=remplace,
            )
            journaliser(
                par=par,
                action="bulletin.saisie",
                objet=scrutin,
                message=_("Ballot entered for %(code)s (%(canal)s).")
                % {"code": codes.afficher(code), "canal": bulletin.get_canal_display()},
                details={"bulletin": bulletin.pk, "code": code, "canal": canal},
            )
    except IntegrityError:
        # Entries share the lock: two entries of the same dwelling at once both found no ballot, and the
        # unique constraint refused the second when the first committed. Say who entered the first;
        # anything else is not ours to hide.
        existant = (
            Bulletin.objects.valides()
            .select_related("saisi_par", "inscrit")
            .filter(scrutin_id=scrutin_id, inscrit__code=code)
            .first()
        )
        if existant is None:
            scrutin = Scrutin.objects.get(pk=scrutin_id)
            if not scrutin.accepte_bulletins():
                raise BulletinRefuse(_message_ferme(scrutin, timezone.now()), "ferme") from None
            raise
        raise BulletinRefuse(
            message_doublon(existant, existant.inscrit), "doublon", inscrit=existant.inscrit
        ) from None
    inscrit.existant = bulletin.pk
    for porte in portes:
        porte.nb_reponses += 1
    bulletin.inscrit = inscrit
    bulletin.portes = portes
    return bulletin


def _annuler(bulletin: Bulletin, *, motif: str, par) -> Bulletin:
    """Cancel a counted ballot (inside the caller's transaction, the vote locked): the row keeps who
    entered it; the cancellation says who, when and why, and leaves its audit entry."""
    bulletin.annule_le, bulletin.annule_par, bulletin.motif_annulation = timezone.now(), par, motif[:255]
    bulletin.save(update_fields=["annule_le", "annule_par", "motif_annulation"])
    journaliser(
        par=par,
        action="bulletin.annulation",
        objet=bulletin.scrutin,
        message=_("Ballot %(code)s cancelled: %(motif)s")
        % {"code": codes.afficher(bulletin.inscrit.code), "motif": bulletin.motif_annulation},
        details={"bulletin": bulletin.pk, "code": bulletin.inscrit.code, "motif": bulletin.motif_annulation},
    )
    return bulletin


def _bulletin_verrouille(bulletin_id: int, scrutin_id: int) -> Bulletin:
    """Lock the vote (its lock before its row, in the same order as closing: never a deadlock with
    it), check it still takes ballots, and read the ballot afresh."""
    verrouiller(scrutin_id, exclusif=False)
    scrutin = Scrutin.objects.select_for_update().get(pk=scrutin_id)
    if not scrutin.accepte_bulletins():
        raise ValidationError(_("The vote is closed: its ballots can no longer be cancelled."))
    bulletin = Bulletin.objects.select_related("inscrit__logement", "inscrit__immeuble").get(pk=bulletin_id)
    if bulletin.annule:
        raise ValidationError(_("This ballot was already cancelled."))
    bulletin.scrutin = scrutin
    return bulletin


def bulletin_annuler(
    *, bulletin: Bulletin, motif: str, par, nouveau_choix: str | None = None
) -> tuple[Bulletin, Bulletin | None]:
    """City staff cancel a ballot with a reason, while the vote is open; with ``nouveau_choix``, record
    the dwelling's new ballot in the same transaction (channel "city staff", linked to the old one)."""
    motif = (motif or "").strip()
    if not motif:
        raise ValidationError({"motif": _("Say why the ballot is cancelled.")})
    with transaction.atomic():
        bulletin = _annuler(_bulletin_verrouille(bulletin.pk, bulletin.scrutin_id), motif=motif, par=par)
        nouveau = None
        if nouveau_choix:
            nouveau = bulletin_enregistrer(
                scrutin_id=bulletin.scrutin_id,
                code=bulletin.inscrit.code,
                choix=nouveau_choix,
                canal=Bulletin.Canal.VILLE,
                par=par,
                remplace=bulletin,
            )
    return bulletin, nouveau


def motif_erreur_de_saisie(canal: str) -> str:
    """The reason written on a ballot undone on the entry page, by channel."""
    if canal == Bulletin.Canal.GARDIEN:
        return _("cancelled by the caretaker (entry mistake)")
    if canal == Bulletin.Canal.ACCUEIL:
        return _("cancelled at the desk (entry mistake)")
    return _("cancelled by city staff (entry mistake)")


def delai_annulation_saisie() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.VOTES_DELAI_ANNULATION_SAISIE)


def peut_defaire(bulletin: Bulletin, user, maintenant: datetime.datetime | None = None) -> bool:
    """Whether ``user`` may still undo ``bulletin`` on the entry page: they entered it, a moment ago."""
    maintenant = maintenant or timezone.now()
    return (
        not bulletin.annule
        and user is not None
        and bulletin.saisi_par_id is not None
        and bulletin.saisi_par_id == user.pk
        and maintenant - bulletin.saisi_le <= delai_annulation_saisie()
    )


def bulletin_defaire(*, bulletin: Bulletin, par) -> Bulletin:
    """Whoever entered a ballot undoes it on the entry page, within ``VOTES_DELAI_ANNULATION_SAISIE``
    seconds (a mis-tap): cancelled exactly as city staff cancel one — it stays in the history, with
    who undid it, when, and the reason "cancelled by the caretaker (entry mistake)". After that time,
    only city staff cancel it."""
    with transaction.atomic():
        bulletin = _bulletin_verrouille(bulletin.pk, bulletin.scrutin_id)
        if bulletin.saisi_par_id is None or par is None or bulletin.saisi_par_id != par.pk:
            raise ValidationError(_("Only whoever entered this ballot can undo it here."))
        if not peut_defaire(bulletin, par):
            raise ValidationError(
                _(
                    "This ballot was entered more than %(minutes)s minutes ago: it can no longer be undone "
                    "here. Call the city’s team to cancel it."
                )
                % {"minutes": round(delai_annulation_saisie().total_seconds() / 60)}
            )
        return _annuler(bulletin, motif=motif_erreur_de_saisie(bulletin.canal), par=par)


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
