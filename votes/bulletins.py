"""Writes of the ballots: entering one (``bulletin_enregistrer``), staff cancelling one with a reason
(``bulletin_annuler``), and whoever entered one undoing it a moment later (``bulletin_defaire``).

Every entry holds the vote's lock shared (entries do not wait for each other) and closing
(``votes.services.scrutin_clore``) takes it exclusive; each reads the status and the time under the
lock: a ballot racing the close either lands before it, and is counted, or is refused. Each write leaves
its audit entry (``bulletin.saisie``, ``bulletin.annulation``) in the same transaction.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipt.journal import journaliser
from ipt.templatetags.typo import date_heure
from votes import codes, selectors
from votes.models import Bulletin, Inscrit, Scrutin
from votes.templatetags.scrutins import acteur


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
