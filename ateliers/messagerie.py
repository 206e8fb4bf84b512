"""Messages to people: which channel may be used, recording each message, sending it once, reminders.

The rules, in one place:

- A person is contacted by a channel only with a consent in force for it (:class:`Consentement`) and the
  detail it needs (a mobile phone for SMS, an email address, a current household's address for a letter).
- The channel is the person's chosen one; if it cannot be used, another electronic channel they consented
  to; else a letter if they consented to letters; else nothing is sent and the message fails with the
  reason ("no consent"), for staff to see.
- A message is identified by its key: it is recorded once and sent once. Sending claims the message
  (status "being sent") in a transaction that skips rows another process holds, so two workers, or the
  beat task run twice, never send it twice. A failure is recorded with its error and may be retried (the
  next reminder run, or ``prevenir`` with the same key); a message claimed by a worker that died stays
  "being sent" and is never sent again automatically (at most once).
- Letters are not sent: they wait, pending, until staff print them in a batch (:mod:`ateliers.lettres`).
- Reminders (:func:`rappels_envoyer`, beat task ``ateliers.rappels``): for every planned session starting
  within ``IPT_RAPPEL_HEURES`` hours and not started yet, every person signed up (to the session or to its
  cycle; not the waiting list), once per session and start time (a session moved gets a new reminder).
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Prefetch, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ipt.journal import journaliser
from ipt.templatetags.typo import date_heure
from logements.models import Personne

from .canaux import EchecEnvoi, backend
from .modeles_messages import Canal, Consentement, Message, PreferenceContact
from .models import Inscription, Seance

logger = logging.getLogger(__name__)

Statut = Message.Statut
TAILLE_LOT = 500


# --- Contact preferences and consent -------------------------------------------------------------


def adresse_postale(personne: Personne) -> list[str]:
    """The window-envelope lines of a person living in a household of the programme, else []."""
    foyer = personne.foyer
    if foyer is None or foyer.demenage_le is not None:
        return []
    logement = foyer.logement
    lieu = []
    if logement.cage:
        lieu.append(_("stairwell %(cage)s") % {"cage": logement.cage})
    if logement.etage == 0:
        lieu.append(_("ground floor"))
    elif logement.etage is not None:
        lieu.append(_("floor %(etage)s") % {"etage": logement.etage})
    if logement.porte:
        lieu.append(_("door %(porte)s") % {"porte": logement.porte})
    lignes = [f"{personne.prenom} {personne.nom}"]
    if lieu:
        lignes.append(", ".join(lieu))
    lignes += [p.strip() for p in logement.immeuble.adresse.split(",") if p.strip()]
    return lignes


def _destination(personne: Personne, canal: str) -> str:
    if canal == Canal.SMS:
        return personne.telephone.strip()
    if canal == Canal.COURRIEL:
        return personne.email.strip()
    return "\n".join(adresse_postale(personne))


def canaux_consentis(personne: Personne) -> set[str]:
    """The channels with a consent in force (prefetched as ``consentements_en_vigueur`` when there)."""
    consentements = getattr(personne, "consentements_en_vigueur", None)
    if consentements is None:
        consentements = personne.consentements.en_vigueur()
    return {c.canal for c in consentements}


def canal_choisi(personne: Personne) -> str:
    try:
        return personne.preference_contact.canal
    except PreferenceContact.DoesNotExist:
        return ""


@dataclass(frozen=True)
class Choix:
    canal: str = ""
    destination: str = ""
    raison: str = ""


def canal_pour(personne: Personne, demande: str = "") -> Choix:
    """The channel and address to use for ``personne`` now, or why none may be used."""
    consentis = canaux_consentis(personne)
    if demande:
        ordre = [demande]
    else:
        choisi = canal_choisi(personne)
        ordre = [choisi] if choisi else []
        ordre += [c for c in (Canal.SMS, Canal.COURRIEL, Canal.COURRIER) if c not in ordre]
    manque = []
    for canal in ordre:
        if canal not in consentis:
            continue
        destination = _destination(personne, canal)
        if destination:
            return Choix(canal=canal, destination=destination)
        manque.append(Canal(canal).label)
    if manque:
        return Choix(
            raison=_("Consent recorded, but no %(details)s to use: complete the person’s details.")
            % {"details": ", ".join(str(m) for m in manque)}
        )
    return Choix(raison=_("No recorded consent to be contacted by this channel: nothing was sent."))


@transaction.atomic
def contact_modifier(*, personne: Personne, canal: str, consentis: Iterable[str], par) -> None:
    """Record the chosen channel and the consents in force (new ones dated now, withdrawn ones closed)."""
    maintenant = timezone.now()
    voulus = set(consentis)
    PreferenceContact.objects.update_or_create(personne=personne, defaults={"canal": canal, "par": par})
    actuels = {
        c.canal: c for c in Consentement.objects.select_for_update().filter(personne=personne).en_vigueur()
    }
    for code in voulus - set(actuels):
        Consentement.objects.create(personne=personne, canal=code, donne_le=maintenant, donne_par=par)
    for code in set(actuels) - voulus:
        consentement = actuels[code]
        consentement.retire_le = maintenant
        consentement.retire_par = par
        consentement.save(update_fields=["retire_le", "retire_par"])
    journaliser(
        par=par,
        action="ateliers.contact",
        message=_("Contact preferences of %(personne)s saved.") % {"personne": personne},
        objet=personne,
        details={
            "canal": canal,
            "consentements_donnes": sorted(voulus - set(actuels)),
            "consentements_retires": sorted(set(actuels) - voulus),
        },
    )


# --- Recording and sending -----------------------------------------------------------------------


def message_creer(
    personne: Personne,
    *,
    objet: str,
    texte: str,
    cle: str,
    par=None,
    seance: Seance | None = None,
    canal: str = "",
    rappel: bool = False,
) -> tuple[Message, bool]:
    """The message of key ``cle`` — recorded now, or the one already recorded (never twice)."""
    return Message.objects.get_or_create(
        cle=cle,
        defaults={
            "personne": personne,
            "objet": objet[:200],
            "texte": texte,
            "seance": seance,
            "canal_demande": canal or "",
            "rappel": rappel,
            "par": par if par is not None and getattr(par, "pk", None) else None,
        },
    )


def _personnes_a_jour():
    return Personne.objects.select_related(
        "preference_contact", "foyer__logement__immeuble"
    ).prefetch_related(
        Prefetch(
            "consentements", queryset=Consentement.objects.en_vigueur(), to_attr="consentements_en_vigueur"
        )
    )


@dataclass
class Bilan:
    envoyes: int = 0
    echecs: int = 0
    lettres: int = 0
    erreurs: list[str] = field(default_factory=list)

    def ajouter(self, autre: "Bilan") -> None:
        self.envoyes += autre.envoyes
        self.echecs += autre.echecs
        self.lettres += autre.lettres


def _reclamer(pks: list[int]) -> list[int]:
    """Claim the messages still to send among ``pks``: those another process holds are skipped, those
    already sent, being sent or waiting to be printed are left alone."""
    with transaction.atomic():
        pris = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(pk__in=pks)
            .filter(
                Q(statut=Statut.ECHEC)
                | Q(statut=Statut.EN_ATTENTE, lot__isnull=True) & ~Q(canal=Canal.COURRIER)
            )
            .values_list("pk", flat=True)
        )
        Message.objects.filter(pk__in=pris).update(statut=Statut.EN_COURS, tentatives=F("tentatives") + 1)
    return pris


def messages_envoyer(pks: Iterable[int], *, maintenant: datetime | None = None) -> Bilan:
    """Send the messages ``pks`` not sent yet, each by the channel its person may be contacted by now."""
    bilan = Bilan()
    pks = list(pks)
    backends = {}
    for debut in range(0, len(pks), TAILLE_LOT):
        pris = _reclamer(pks[debut : debut + TAILLE_LOT])
        if not pris:
            continue
        maintenant_lot = maintenant or timezone.now()
        messages = list(
            Message.objects.filter(pk__in=pris)
            .select_related("seance")
            .prefetch_related(Prefetch("personne", queryset=_personnes_a_jour()))
            .order_by("pk")
        )
        for message in messages:
            _envoyer_un(message, maintenant_lot, backends, bilan)
        _ecrire_resultats(messages)
    return bilan


CHAMPS_RESULTAT = ["statut", "canal", "destination", "erreur", "envoye_le", "reference"]


def _ecrire_resultats(messages: list[Message]) -> None:
    """Write each message's outcome: one ``UPDATE … FROM (VALUES …)`` on PostgreSQL (``bulk_update``'s
    CASE expressions cost ~15 ms a message to build), ``bulk_update`` elsewhere (SQLite, the demo)."""
    if connection.vendor != "postgresql":
        Message.objects.bulk_update(messages, CHAMPS_RESULTAT, batch_size=TAILLE_LOT)
        return
    table = Message._meta.db_table
    lignes, valeurs = [], []
    for m in messages:
        lignes.append("(%s::bigint, %s, %s, %s, %s, %s::timestamptz, %s)")
        valeurs += [m.pk, m.statut, m.canal, m.destination, m.erreur, m.envoye_le, m.reference]
    with connection.cursor() as curseur:
        curseur.execute(
            f"UPDATE {table} AS m SET statut = v.statut, canal = v.canal, destination = v.destination, "  # noqa: S608 — our table name, values as parameters
            "erreur = v.erreur, envoye_le = v.envoye_le, reference = v.reference, modifie_le = now() "
            f"FROM (VALUES {', '.join(lignes)}) "
            "AS v(id, statut, canal, destination, erreur, envoye_le, reference) "
            "WHERE m.id = v.id",
            valeurs,
        )


def _envoyer_un(message: Message, maintenant: datetime, backends: dict, bilan: Bilan) -> None:
    seance = message.seance
    if (
        message.rappel
        and seance is not None
        and (seance.statut != Seance.Statut.PREVUE or seance.debut <= maintenant)
    ):
        message.statut = Statut.ECHEC
        message.erreur = _("Not sent: the session has started or was cancelled.")
        bilan.echecs += 1
        return
    choix = canal_pour(message.personne, message.canal_demande)
    message.canal, message.destination = choix.canal, choix.destination
    if not choix.canal:
        message.statut, message.erreur = Statut.ECHEC, choix.raison
        bilan.echecs += 1
        return
    if choix.canal == Canal.COURRIER:  # waits for the next batch of letters
        message.statut, message.erreur = Statut.EN_ATTENTE, ""
        bilan.lettres += 1
        return
    try:
        if choix.canal not in backends:
            backends[choix.canal] = backend(choix.canal)
        message.reference = (
            backends[choix.canal].envoyer(choix.destination, message.objet, message.texte) or ""
        )
    except EchecEnvoi as erreur:
        message.statut, message.erreur = Statut.ECHEC, erreur.message
        bilan.echecs += 1
    except Exception as erreur:  # a backend's bug must not leave the message "being sent"
        logger.exception("Message %s: the %s backend failed", message.pk, choix.canal)
        message.statut, message.erreur = Statut.ECHEC, str(erreur)[:500] or erreur.__class__.__name__
        bilan.echecs += 1
    else:
        message.statut, message.erreur, message.envoye_le = Statut.ENVOYE, "", timezone.now()
        bilan.envoyes += 1


def message_envoyer(pk: int) -> Bilan:
    """Send one message (the task ``ateliers.message_envoyer``)."""
    return messages_envoyer([pk])


def message_relancer(*, message: Message, par) -> None:
    """Staff ask for a failed message to be tried again."""
    from ipt.taches import envoyer

    from .taches_messages import tache_message_envoyer

    journaliser(
        par=par,
        action="ateliers.message_relance",
        message=_("Message to %(personne)s tried again.") % {"personne": message.personne},
        objet=message.personne,
        details={"cle": message.cle},
    )
    transaction.on_commit(lambda: envoyer(tache_message_envoyer, message.pk))


# --- Reminders -------------------------------------------------------------------------------------


def cle_rappel(seance_id: int, personne_id: int, debut: datetime) -> str:
    """One reminder per person, session and start time: a session moved gets its new reminder."""
    return f"rappel:seance:{seance_id}:personne:{personne_id}:{int(debut.timestamp())}"


def texte_rappel(seance: Seance, personne: Personne) -> tuple[str, str]:
    quand = date_heure(seance.debut)
    objet = _("Reminder: %(atelier)s, %(quand)s") % {"atelier": seance.atelier.titre, "quand": quand}
    texte = _(
        "Hello %(prenom)s, a reminder: the workshop “%(atelier)s” is on %(quand)s, at %(lieu)s. "
        "If you cannot come, please tell the social centre so that someone else can take your seat."
    ) % {"prenom": personne.prenom, "atelier": seance.atelier.titre, "quand": quand, "lieu": seance.lieu}
    return objet, texte


def rappels_dus(maintenant: datetime) -> list[tuple[Seance, int]]:
    """(session, person id) of every reminder due now: planned sessions starting within the window and
    not started, people signed up to the session or to its cycle (never the waiting list)."""
    horizon = maintenant + timedelta(hours=settings.IPT_RAPPEL_HEURES)
    seances = {
        s.pk: s
        for s in Seance.objects.filter(
            statut=Seance.Statut.PREVUE, debut__gt=maintenant, debut__lte=horizon
        ).select_related("atelier")
    }
    if not seances:
        return []
    par_cycle: dict[int, list[Seance]] = {}
    for seance in seances.values():
        if seance.cycle_id:
            par_cycle.setdefault(seance.cycle_id, []).append(seance)
    inscrites = Inscription.objects.filter(statut=Inscription.Statut.INSCRITE).filter(
        Q(seance_id__in=list(seances)) | Q(cycle_id__in=list(par_cycle))
    )
    dus = set()
    for seance_id, cycle_id, personne_id in inscrites.values_list("seance_id", "cycle_id", "personne_id"):
        if seance_id:
            dus.add((seance_id, personne_id))
        else:
            dus.update((s.pk, personne_id) for s in par_cycle[cycle_id])
    return [(seances[s], p) for s, p in sorted(dus)]


def rappels_envoyer(*, maintenant: datetime | None = None) -> Bilan:
    """Record and send the reminders due now; those already recorded are not recorded again, those
    delivered are not sent again (running it twice sends once)."""
    maintenant = maintenant or timezone.now()
    bilan = Bilan()
    with translation.override(settings.LANGUAGE_CODE):
        dus = rappels_dus(maintenant)
        for debut in range(0, len(dus), TAILLE_LOT):
            lot = dus[debut : debut + TAILLE_LOT]
            cles = {cle_rappel(s.pk, p, s.debut): (s, p) for s, p in lot}
            connues = set(Message.objects.filter(cle__in=list(cles)).values_list("cle", flat=True))
            nouvelles = [c for c in cles if c not in connues]
            if nouvelles:
                personnes = Personne.objects.only("pk", "prenom", "nom").in_bulk(
                    [cles[c][1] for c in nouvelles]
                )
                a_creer = []
                for cle in nouvelles:
                    seance, personne_id = cles[cle]
                    objet, texte = texte_rappel(seance, personnes[personne_id])
                    a_creer.append(
                        Message(
                            personne_id=personne_id,
                            cle=cle,
                            objet=objet[:200],
                            texte=texte,
                            seance=seance,
                            rappel=True,
                        )
                    )
                Message.objects.bulk_create(a_creer, ignore_conflicts=True)
            a_envoyer = Message.objects.filter(
                cle__in=list(cles), statut__in=[Statut.EN_ATTENTE, Statut.ECHEC]
            ).values_list("pk", flat=True)
            bilan.ajouter(messages_envoyer(list(a_envoyer), maintenant=maintenant))
    if bilan.envoyes or bilan.echecs or bilan.lettres:
        journaliser(
            par=None,
            action="ateliers.rappels",
            message=_("Reminders: %(envoyes)d sent, %(lettres)d letters to print, %(echecs)d failed.")
            % {"envoyes": bilan.envoyes, "lettres": bilan.lettres, "echecs": bilan.echecs},
            details={"envoyes": bilan.envoyes, "lettres": bilan.lettres, "echecs": bilan.echecs},
        )
    return bilan
