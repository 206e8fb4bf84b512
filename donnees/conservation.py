"""Retention that runs by itself (issue 15, point 4): what is due, and the nightly purge.

Each rule (:data:`REGLES`) reads one duration setting (``CONSERVATION_*``, in days), selects what is due
on a given day, and says what happens to it — the values written come from the register
(:func:`donnees.registre.valeurs_effacees`), never from a list kept here:

``foyers``
    Households that moved out (``Foyer.demenage_le``) at least ``CONSERVATION_FOYERS_PARTIS_JOURS`` ago
    and have not been in contact since (see :func:`dernier_contact_foyer` for the dates that count): the
    household and its people are anonymised in place (name → "Foyer anonymisé", contact details, notes),
    so opt-ins, handovers and sign-ups stay, tied to no one, and statistics stay right; the audit trail's
    entries about them and their records lose their label and message. Never while the
    household owes part of a PC's price or still holds an equipment (:func:`foyers_retenus`).
``personnes``
    People with no household any more (none, or one anonymised: the people of a household that moved
    out go with it, by the rule above) and no sign-up, attendance,
    help session, Visa evaluation, certificate, wish or consent for ``CONSERVATION_INSCRIPTIONS_JOURS``
    (:func:`dernier_contact_personne`): anonymised in place; their sign-ups and attendance stay.
``messages``
    Messages to people older than ``CONSERVATION_MESSAGES_JOURS`` (sent, else written): subject, text and
    where they went are erased; status and dates stay.
``lectures``
    The read log older than ``CONSERVATION_LECTURES_JOURS``: deleted, through the trigger's one exception
    (``ipt.purge_lectures`` and ``ipt.purge_lectures_avant``, set for the transaction only).
``fichiers``
    Files of background jobs (letters, exports) finished more than ``CONSERVATION_FICHIERS_TRAVAUX_JOURS``
    ago: the file is deleted from storage once the transaction commits, the job's field emptied. Charge
    statements are files of ``charges.Releve``, not of jobs: kept.
``visites``
    Notes taken at the door more than ``CONSERVATION_NOTES_VISITES_JOURS`` ago: erased; the visit stays.

A row becomes due on the day its reference date plus the duration is reached: a household that moved
out on 1 March 2024 with nothing since is due on 1 March 2026 with 730 days. Instants count by their date
in the programme's time zone.

The purge (:func:`purger`) is idempotent — what is already erased or anonymised is not selected again
(the register's replacement values mark it) — and works in chunks of ``CONSERVATION_LOT`` rows, each in
its own transaction, reading primary keys only (memory stays flat whatever the size). Accounting records
(sales, instalments, payments, waivers, reminders, receipts: the register's entries with an
``obligation``) are never touched by it, nor are the rows PostgreSQL keeps immutable (certificates,
evaluations, handovers' lines) but for the handovers' and returns' signatures and notes, which go with the
household's record as the register says (their triggers let that change through once, ``efface_le`` set);
certificates' printed names go with an erasure on request.
"""

from __future__ import annotations

import datetime
import math
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import DateField, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from ateliers.modeles_besoins import Besoin, TentativeContact
from ateliers.modeles_messages import Consentement, Message
from ateliers.modeles_permanences import Permanence
from ateliers.modeles_visa import Certificat, Evaluation
from ateliers.models import Inscription, Presence
from equipements.modeles_ordinateurs import Reservation, Vente
from equipements.modeles_paiements import Paiement
from equipements.modeles_retardataires import Declin, RendezVous
from equipements.models import LigneRemise, Remise, Restitution
from equipements.selectors_paiements import avec_comptes
from ipt.journal import journaliser
from ipt.models import Evenement, Travail
from logements.models import Adhesion, Foyer, Personne
from logements.services import foyers_recherche_recalculer
from quartiers.models import Visite

from . import registre
from .effacement import MARQUES
from .models import Lecture
from .registre import Sort

ACTION_PURGE = "donnees.purge"
HORIZON_JOURS = 30

# Rows PostgreSQL keeps immutable (triggers): the purge leaves them; an erasure on request
# (donnees.effacement) is the one path that gets past their triggers.
FIGES = frozenset(
    {
        "equipements.Remise",
        "equipements.Restitution",
        "equipements.LigneRemise",
        "equipements.Recu",
        "equipements.Paiement",
        "equipements.Abandon",
        "ateliers.Certificat",
        "ateliers.Evaluation",
        "donnees.Lecture",
    }
)

# Immutable rows whose personal data go with the household's record, as the register says ("as long as
# the household's record"): a handover's or a return's signature image and note. Receipts keep theirs
# (legal hold), certificates are the holder's proof (erased on request only).
AVEC_LE_FOYER = frozenset({"equipements.Remise", "equipements.Restitution"})

# Attempts to reach a household that did reach it (a call unanswered or a letter is no contact).
TENTATIVES_ABOUTIES = (
    TentativeContact.Issue.RAPPELER,
    TentativeContact.Issue.INTERESSE,
    TentativeContact.Issue.REFUS,
)


# --- Queries ---


@contextmanager
def sans_jit():
    """A transaction without PostgreSQL's JIT: the last-contact expression has a couple of dozen
    correlated subqueries, whose estimated cost sets JIT compiling for seconds (25 s measured) what
    runs in milliseconds."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as c:
                c.execute("SET LOCAL jit = off")
        yield


# --- Days -----------------------------------------------------------------------------------------


def limite(jour: datetime.date, jours: int) -> datetime.date:
    """The last reference date that is due on ``jour`` for a duration of ``jours`` days."""
    return jour - datetime.timedelta(days=jours)


def debut_du_jour(jour: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``jour`` in the programme's time zone."""
    return timezone.make_aware(datetime.datetime.combine(jour, datetime.time.min))


def _avant_le_lendemain(jour: datetime.date) -> datetime.datetime:
    """Instants whose local date is ``jour`` or earlier are before this one."""
    return debut_du_jour(jour + datetime.timedelta(days=1))


# --- Last contact ---------------------------------------------------------------------------------


def _dernier(qs: QuerySet, champ: str, *, instant: bool = False) -> Subquery:
    """The latest ``champ`` of ``qs`` (filtered on the outer row), as a local date; NULL when none."""
    valeur = TruncDate(champ) if instant else F(champ)
    return Subquery(
        qs.order_by(F(champ).desc(nulls_last=True)).values(_d=valeur)[:1], output_field=DateField()
    )


def _activites(chemin: str, ref) -> list[Subquery]:
    """A person's dealings with the workshops, each the latest date of one kind of record, for the
    people reached by ``chemin`` (``"personne"`` or ``"personne__foyer"``) from the outer row."""
    p = {chemin: ref}
    return [
        _dernier(Inscription.objects.filter(**p), "cree_le", instant=True),  # signed up
        _dernier(Presence.objects.filter(**p), "seance__debut", instant=True),  # came (or was expected)
        _dernier(Permanence.objects.filter(**p), "debut", instant=True),  # a help session
        _dernier(Evaluation.objects.filter(**p), "le", instant=True),  # a Visa skill assessed
        _dernier(Certificat.objects.filter(**p), "emis_le"),  # a Visa certificate
        _dernier(Besoin.objects.filter(**p), "cree_le", instant=True),  # a wish recorded with them
        _dernier(Consentement.objects.filter(**p), "donne_le", instant=True),  # agreed to be told
    ]


def _plus_tard(base, sources: Iterable) -> Greatest:
    # Each source coalesced to the base: SQLite's MAX() of several values is NULL when one is.
    return Greatest(base, *[Coalesce(s, base, output_field=DateField()) for s in sources])


def dernier_contact_foyer():
    """The last day a household was in contact with the programme, as an expression on ``Foyer``:
    the latest of its move-out, its opt-ins and opt-outs, handovers and returns of equipment, PC
    reservations, sales and payments, late-comers' appointments (the appointment's day), a decoder
    declined, attempts that reached it (call back, interested, declined), and its people's dealings with
    the workshops (:func:`dernier_contact_personne` without the day each was recorded). Letters
    and messages sent to it are not contact: nothing says they were read."""
    f = OuterRef("pk")
    return _plus_tard(
        F("demenage_le"),
        [
            _dernier(Adhesion.objects.filter(foyer=f), "date"),
            _dernier(Remise.objects.filter(foyer=f), "date"),
            _dernier(Restitution.objects.filter(foyer=f), "date"),
            _dernier(Reservation.objects.filter(foyer=f), "cree_le", instant=True),
            _dernier(Vente.objects.filter(foyer=f), "date"),
            _dernier(Paiement.objects.filter(vente__foyer=f), "date"),
            _dernier(RendezVous.objects.filter(foyer=f), "creneau__date"),
            _dernier(Declin.objects.filter(foyer=f), "date"),
            _dernier(
                TentativeContact.objects.filter(foyer=f, issue__in=TENTATIVES_ABOUTIES), "le", instant=True
            ),
            *_activites("personne__foyer", f),
        ],
    )


def dernier_contact_personne():
    """The last day a person dealt with the programme, as an expression on ``Personne``: the day they
    were recorded, and the latest sign-up, attendance, help session, Visa evaluation or certificate,
    wish and consent. Reminders sent to them are not contact."""
    return _plus_tard(TruncDate("cree_le"), _activites("personne", OuterRef("pk")))


# --- Holds ----------------------------------------------------------------------------------------


def _pc_a_payer(jour: datetime.date) -> Exists:
    """The household owes part of a PC's price (the rule of ``equipements.selectors_paiements``)."""
    ventes = Vente.objects.filter(foyer=OuterRef("pk"), statut=Vente.Statut.VENDUE)
    return Exists(avec_comptes(ventes, jour).filter(reste__gt=0))


def _equipement_detenu() -> Exists:
    """The household still holds an item handed over (decoder or other), never returned."""
    return Exists(LigneRemise.objects.filter(remise__foyer=OuterRef("pk"), restitution__isnull=True))


# --- What is already done -------------------------------------------------------------------------


def _fait(modele) -> Q:
    """The rows already anonymised (every ANONYMISER field holds its replacement) — or, for a model
    without one, already erased (every EFFACER field empty): as the register says."""
    t = registre.traitement(modele)
    valeurs = registre.valeurs_effacees(t, Sort.ANONYMISER) or registre.valeurs_effacees(t, Sort.EFFACER)
    return Q(**valeurs)


def foyer_anonyme() -> Q:
    """On ``Foyer``: the households already anonymised."""
    return _fait(Foyer)


def foyer_anonyme_q_personne() -> Q:
    """On ``Personne``: those whose household is anonymised."""
    valeurs = registre.valeurs_effacees(registre.traitement(Foyer), Sort.ANONYMISER)
    return Q(**{f"foyer__{nom}": valeur for nom, valeur in valeurs.items()})


# --- Actions --------------------------------------------------------------------------------------


def _effacer_enregistrements(*, foyers: list[int] = (), personnes: list[int] = ()) -> int:
    """Erase or anonymise in place, as the register says, every record about these households and
    people — except accounting records (legal hold) and rows PostgreSQL keeps immutable (:data:`FIGES`),
    but for the handovers' and returns' signatures and notes, which go with the household's record
    (:data:`AVEC_LE_FOYER`). Returns the number of rows written."""
    ecrits = 0
    maintenant = timezone.now()
    for t, qs in registre.enregistrements(foyers=foyers, personnes=personnes):
        if t.obligation or (t.label in FIGES and t.label not in AVEC_LE_FOYER):
            continue
        valeurs = registre.valeurs_effacees(t)
        if not valeurs:
            continue
        lignes = t.modele._default_manager.filter(pk__in=qs.values("pk"))
        if t.label in AVEC_LE_FOYER:
            # Their trigger lets this change through once: the field that says when is set with it.
            champ, condition = MARQUES[t.label]
            lignes = lignes.filter(condition, **{f"{champ}__isnull": True})
            valeurs = {**valeurs, champ: maintenant}
        ecrits += lignes.update(**valeurs)
    return ecrits


def _anonymiser_journaux(*, foyers: list[int] = (), personnes: list[int] = ()) -> int:
    """The audit trail's and the admin log's entries about these households, people and their records:
    their object's label and message replaced as the register says (who acted, when, the action and the
    object's type and number stay). Found by the index on (type, id): a query per kind of record, then
    one UPDATE per log. Entries that merely mention a name elsewhere are left to an erasure on
    request, which reads every entry's text."""
    from django.contrib.admin.models import LogEntry

    objets = registre.objets_enregistres(foyers=foyers, personnes=personnes)
    if not objets:
        return 0
    ecrits = 0
    for modele, champ_type, champ_id in (
        (Evenement, "type_objet", "objet_id"),
        (LogEntry, "content_type", "object_id"),
    ):
        valeurs = registre.valeurs_effacees(registre.traitement(modele))
        entrees = modele.objects.filter(registre.q_objets(objets, champ_type, champ_id))
        ecrits += entrees.exclude(**valeurs).update(**valeurs)
    return ecrits


def _anonymiser_foyers(pks: list[int], jour: datetime.date) -> int:
    """Anonymise these households and their people in place: every field the register erases or
    anonymises, on the household, its people and their records (opt-in notes, contact attempts' notes,
    declines, derogations, help sessions, wishes, messages…), and the handovers' and returns'
    signatures and notes. Rows with an accounting obligation and the other immutable rows (certificates'
    printed names, receipts' printed copies) are left to the erasure on request
    (``donnees.effacement.anonymiser``), which also searches the audit trail's free text and reads
    stored files for the names: too slow for thousands of households a night. The job files that name
    them go after ``CONSERVATION_FICHIERS_TRAVAUX_JOURS`` by their own rule. The audit trail's entries
    about these records lose their label and message (:func:`_anonymiser_journaux`)."""
    personnes = list(Personne.objects.filter(foyer_id__in=pks).values_list("pk", flat=True))
    _anonymiser_journaux(foyers=pks, personnes=personnes)
    _effacer_enregistrements(foyers=pks, personnes=personnes)
    return len(pks)


def _anonymiser_personnes(pks: list[int], jour: datetime.date) -> int:
    """Anonymise these people and their records in place (as :func:`_anonymiser_foyers` for people),
    then rewrite the search text of the households they belonged to that are still named (it holds
    the occupants' names)."""
    foyers = set(
        Personne.objects.filter(pk__in=pks, foyer__isnull=False)
        .exclude(foyer_anonyme_q_personne())
        .values_list("foyer_id", flat=True)
    )
    _anonymiser_journaux(personnes=pks)
    _effacer_enregistrements(personnes=pks)
    if foyers:
        foyers_recherche_recalculer(sorted(foyers))
    return len(pks)


def _effacer_champs(modele) -> Callable[[list[int], datetime.date], int]:
    def effacer(pks: list[int], jour: datetime.date) -> int:
        valeurs = registre.valeurs_effacees(registre.traitement(modele))
        return modele._default_manager.filter(pk__in=pks).update(**valeurs)

    return effacer


def _supprimer_lectures(pks: list[int], jour: datetime.date) -> int:
    avant = _avant_le_lendemain(limite(jour, settings.CONSERVATION_LECTURES_JOURS))
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            # The trigger's one exception, for this transaction only (SET LOCAL, with a parameter).
            c.execute("SELECT set_config('ipt.purge_lectures', 'on', true)")
            c.execute("SELECT set_config('ipt.purge_lectures_avant', %s, true)", [avant.isoformat()])
    supprimees, _par_modele = Lecture.objects.filter(pk__in=pks, quand__lt=avant).delete()
    return supprimees


def _vider_fichiers(pks: list[int], jour: datetime.date) -> int:
    qs = Travail.objects.filter(pk__in=pks)
    noms = [n for n in qs.values_list("fichier", flat=True) if n]
    message = _("Its file was deleted after %(n)s days, as personal data are kept no longer.") % {
        "n": settings.CONSERVATION_FICHIERS_TRAVAUX_JOURS
    }
    vides = qs.update(fichier="", message=message)
    stockage = Travail._meta.get_field("fichier").storage

    def supprimer():
        for nom in noms:
            stockage.delete(nom)

    transaction.on_commit(supprimer)
    return vides


# --- Rules ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Regle:
    """One retention rule: a duration setting, what is due on a day, what happens to it."""

    code: str
    court: str  # a column heading
    libelle: str
    duree: str
    action: str
    # ``dus(jour)``: the rows due on ``jour`` and not done yet, annotated with ``depuis`` (the date
    # the duration counts from). ``appliquer(pks, jour)``: do it to these rows; the number done.
    dus: Callable[[datetime.date], QuerySet]
    appliquer: Callable[[list[int], datetime.date], int]
    # Listed by name on the staff page (households and people).
    nominative: bool = False
    # ``candidats(jour)``: a cheap superset of ``dus`` (no last-contact subqueries), walked by chunks
    # of primary keys so that the costly test runs once per row; ``dus`` itself when cheap.
    candidats: Callable[[datetime.date], QuerySet] | None = None

    @property
    def jours(self) -> int:
        return getattr(settings, self.duree)

    def echeance(self, reference: datetime.date) -> datetime.date:
        return reference + datetime.timedelta(days=self.jours)


def foyers_candidats(jour: datetime.date) -> QuerySet:
    """Households moved out long enough ago and not anonymised (cheap: no last contact yet)."""
    borne = limite(jour, settings.CONSERVATION_FOYERS_PARTIS_JOURS)
    return Foyer.objects.filter(demenage_le__lte=borne).exclude(foyer_anonyme())


def _foyers_sans_contact(jour: datetime.date) -> QuerySet:
    """The candidates with no contact since, annotated with their last contact."""
    borne = limite(jour, settings.CONSERVATION_FOYERS_PARTIS_JOURS)
    return foyers_candidats(jour).annotate(depuis=dernier_contact_foyer()).filter(depuis__lte=borne)


def foyers_dus(jour: datetime.date) -> QuerySet:
    return _foyers_sans_contact(jour).exclude(_pc_a_payer(jour)).exclude(_equipement_detenu())


def foyers_retenus(jour: datetime.date) -> QuerySet:
    """Households that would be due on ``jour`` but are kept: they owe part of a PC's price, or still
    hold an equipment (the same holds as an erasure on request)."""
    return _foyers_sans_contact(jour).filter(_pc_a_payer(jour) | _equipement_detenu())


def retenus(jour: datetime.date) -> int:
    """How many households :func:`foyers_retenus` keeps."""
    with sans_jit():
        return foyers_retenus(jour).count()


def personnes_candidates(jour: datetime.date) -> QuerySet:
    """People with no household (none, or one anonymised), not anonymised (cheap). The people of a
    household that moved out go with it, by the households' rule (its holds included), not before."""
    # A semi-join on the households: PostgreSQL checks it before any last-contact subquery.
    anonymes = Foyer.objects.filter(foyer_anonyme())
    return Personne.objects.filter(Q(foyer__isnull=True) | Q(foyer__in=anonymes)).exclude(_fait(Personne))


def personnes_dues(jour: datetime.date) -> QuerySet:
    borne = limite(jour, settings.CONSERVATION_INSCRIPTIONS_JOURS)
    return personnes_candidates(jour).annotate(depuis=dernier_contact_personne()).filter(depuis__lte=borne)


def messages_dus(jour: datetime.date) -> QuerySet:
    avant = _avant_le_lendemain(limite(jour, settings.CONSERVATION_MESSAGES_JOURS))
    return (
        Message.objects.exclude(_fait(Message))
        .annotate(instant=Coalesce("envoye_le", "cree_le"))
        .filter(instant__lt=avant)
        .annotate(depuis=TruncDate("instant"))
    )


def lectures_dues(jour: datetime.date) -> QuerySet:
    avant = _avant_le_lendemain(limite(jour, settings.CONSERVATION_LECTURES_JOURS))
    return Lecture.objects.filter(quand__lt=avant).annotate(depuis=TruncDate("quand"))


def fichiers_dus(jour: datetime.date) -> QuerySet:
    avant = _avant_le_lendemain(limite(jour, settings.CONSERVATION_FICHIERS_TRAVAUX_JOURS))
    return (
        Travail.objects.exclude(fichier="")
        .exclude(statut__in=[Travail.Statut.EN_ATTENTE, Travail.Statut.EN_COURS])
        .annotate(instant=Coalesce("termine_le", "cree_le"))
        .filter(instant__lt=avant)
        .annotate(depuis=TruncDate("instant"))
    )


def visites_dues(jour: datetime.date) -> QuerySet:
    borne = limite(jour, settings.CONSERVATION_NOTES_VISITES_JOURS)
    return Visite.objects.exclude(_fait(Visite)).filter(date__lte=borne).annotate(depuis=F("date"))


# What happens, as the staff page and the command say it ("12 anonymised").
ANONYMISER = pgettext_lazy("retention purge", "anonymised")
EFFACER = pgettext_lazy("retention purge", "erased")
SUPPRIMER = pgettext_lazy("retention purge", "deleted")

# In the order the purge applies them. People come before households: the people of a household due
# are often due themselves, and counted under their own rule first, a dry run's counts are the run's.
REGLES: tuple[Regle, ...] = (
    Regle(
        "personnes",
        gettext_lazy("People"),
        gettext_lazy("People with no household and no workshop or help session since"),
        "CONSERVATION_INSCRIPTIONS_JOURS",
        ANONYMISER,
        personnes_dues,
        _anonymiser_personnes,
        nominative=True,
        candidats=personnes_candidates,
    ),
    Regle(
        "foyers",
        gettext_lazy("Households"),
        gettext_lazy("Households gone, with no contact since"),
        "CONSERVATION_FOYERS_PARTIS_JOURS",
        ANONYMISER,
        foyers_dus,
        _anonymiser_foyers,
        nominative=True,
        candidats=foyers_candidats,
    ),
    Regle(
        "messages",
        gettext_lazy("Messages"),
        gettext_lazy("Messages sent to people (subject, text, address)"),
        "CONSERVATION_MESSAGES_JOURS",
        EFFACER,
        messages_dus,
        _effacer_champs(Message),
    ),
    Regle(
        "lectures",
        gettext_lazy("Reads"),
        gettext_lazy("The log of who read what"),
        "CONSERVATION_LECTURES_JOURS",
        SUPPRIMER,
        lectures_dues,
        _supprimer_lectures,
    ),
    Regle(
        "fichiers",
        gettext_lazy("Job files"),
        gettext_lazy("Files of background jobs (letters, exports)"),
        "CONSERVATION_FICHIERS_TRAVAUX_JOURS",
        SUPPRIMER,
        fichiers_dus,
        _vider_fichiers,
    ),
    Regle(
        "visites",
        gettext_lazy("Door notes"),
        gettext_lazy("Notes taken at the door"),
        "CONSERVATION_NOTES_VISITES_JOURS",
        EFFACER,
        visites_dues,
        _effacer_champs(Visite),
    ),
)


def regle(code: str) -> Regle:
    return next(r for r in REGLES if r.code == code)


# --- The purge ------------------------------------------------------------------------------------


@dataclass
class Bilan:
    """What a run did (or, dry, would do): per rule, the rows and the chunks."""

    jour: datetime.date
    essai: bool
    nombres: dict[str, int] = field(default_factory=dict)
    lots: dict[str, int] = field(default_factory=dict)
    durees: dict[str, float] = field(default_factory=dict)
    secondes: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.nombres.values())

    def details(self) -> dict:
        return {
            "jour": self.jour.isoformat(),
            "regles": dict(self.nombres),
            "lots": dict(self.lots),
            "durees": {code: round(s, 2) for code, s in self.durees.items()},
            "secondes": round(self.secondes, 2),
        }


def _fenetres(regle: Regle, jour: datetime.date, taille: int):
    """The candidates' primary keys, ``taille`` at a time (keyset: one index range scan each)."""
    candidats = (regle.candidats or regle.dus)(jour)
    apres = 0
    while fenetre := list(
        candidats.filter(pk__gt=apres).order_by("pk").values_list("pk", flat=True)[:taille]
    ):
        yield fenetre
        apres = fenetre[-1]


def _dus_parmi(regle: Regle, jour: datetime.date, fenetre: list[int]) -> list[int]:
    """Those of ``fenetre`` due on ``jour``, locked until the transaction ends (checked again under the
    lock: a contact recorded meanwhile keeps the row)."""
    qs = regle.dus(jour).filter(pk__in=fenetre).order_by("pk")
    if connection.features.has_select_for_update_of:
        qs = qs.select_for_update(of=("self",))
    return list(qs.values_list("pk", flat=True))


def purger(
    *, jour: datetime.date | None = None, essai: bool = False, par=None, taille_lot: int | None = None
) -> Bilan:
    """Apply every retention rule due on ``jour`` (today by default), by chunks of ``taille_lot``
    (``CONSERVATION_LOT``) rows each in its own transaction, and record the counts in the audit trail.

    ``essai`` (dry run): count what is due, change nothing, record nothing. Running it again the same
    day finds nothing left to do.
    """
    jour = jour or timezone.localdate()
    taille = taille_lot or settings.CONSERVATION_LOT
    bilan = Bilan(jour=jour, essai=essai)
    debut = time.perf_counter()
    try:
        for r in REGLES:
            debut_regle = time.perf_counter()
            if essai:
                with sans_jit():
                    n = r.dus(jour).count()
                bilan.nombres[r.code], bilan.lots[r.code] = n, math.ceil(n / taille)
                bilan.durees[r.code] = time.perf_counter() - debut_regle
                continue
            bilan.nombres[r.code], bilan.lots[r.code] = 0, 0
            for fenetre in _fenetres(r, jour, taille):
                with sans_jit():
                    pks = _dus_parmi(r, jour, fenetre)
                    if pks:
                        bilan.nombres[r.code] += r.appliquer(pks, jour)
                        bilan.lots[r.code] += 1
            bilan.durees[r.code] = time.perf_counter() - debut_regle
    finally:
        bilan.secondes = time.perf_counter() - debut
        if not essai:
            _journaliser(bilan, par)
    return bilan


def _journaliser(bilan: Bilan, par) -> None:
    parties = [f"{r.libelle} : {bilan.nombres.get(r.code, 0)}" for r in REGLES if r.code in bilan.nombres]
    journaliser(
        par=par,
        action=ACTION_PURGE,
        message=_("Retention purge of %(jour)s: %(parties)s.")
        % {"jour": bilan.jour.strftime("%d/%m/%Y"), "parties": " ; ".join(parties)},
        details=bilan.details(),
    )


# --- What goes in the next days (the staff page) --------------------------------------------------


@dataclass
class Prevision:
    regle: Regle
    dus: int  # due now (tonight's run)
    a_venir: int  # due within the horizon, including now
    liste: list[dict] = field(default_factory=list)  # first rows by due date (named rules)


def apercu(*, jour: datetime.date | None = None, horizon: int = HORIZON_JOURS, taille_liste: int = 100):
    """Per rule, what is due now and within ``horizon`` days; for households and people, the first
    ``taille_liste`` by due date with their names. A fixed number of queries."""
    jour = jour or timezone.localdate()
    fin = jour + datetime.timedelta(days=horizon)
    previsions = []
    with sans_jit():
        for r in REGLES:
            prevision = Prevision(regle=r, dus=r.dus(jour).count(), a_venir=r.dus(fin).count())
            if r.nominative and prevision.a_venir:
                prevision.liste = _liste(r, fin, taille_liste)
            previsions.append(prevision)
    return previsions


def _liste(r: Regle, fin: datetime.date, taille: int) -> list[dict]:
    qs = r.dus(fin).order_by("depuis", "pk")
    if r.code == "foyers":
        lignes = qs.values(
            "pk", "nom", "depuis", "demenage_le", "logement__immeuble__adresse", "logement__porte"
        )[:taille]
    else:
        lignes = qs.values("pk", "prenom", "nom", "depuis", "foyer__nom")[:taille]
    return [dict(ligne, echeance=r.echeance(ligne["depuis"])) for ligne in lignes]


def derniers_passages(n: int = 10) -> list[Evenement]:
    """The last runs of the purge, from the audit trail."""
    return list(Evenement.objects.filter(action=ACTION_PURGE).order_by("-quand", "-pk")[:n])
