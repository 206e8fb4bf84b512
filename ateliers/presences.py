"""Attendance (issue 13, point 5): who is expected at a session, the attendance sheet to sign, the entry
of attendance in one POST, and a household's training history.

- The people expected at a session are those signed up to it, or to its whole cycle (a cycle's sign-up
  counts for each of its sessions), plus anyone whose attendance is already recorded (a person who came
  and cancelled afterwards stays on the list). :func:`attendus` answers in one query.
- :func:`presences_enregistrer` writes the attendance of a whole session at once (an upsert on the unique
  session + person), refusing a cancelled session, a session of a later day, or a person not expected.
- :func:`histoire_formation` gives each occupant of a household the sessions they attended, the cycles
  they joined and their help sessions, in four queries whatever their number.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ipt.journal import journaliser
from ipt.pdf import render_pdf
from logements.models import Personne

from .models import Accompagnement, Inscription, Presence, Seance

# Empty lines at the bottom of the sheet, for people who come without a sign-up.
LIGNES_VIERGES = 4


def attendus(seance: Seance):
    """The people expected at ``seance``, by name (one query)."""
    pour_la_seance = Q(seance_id=seance.pk)
    if seance.cycle_id:
        pour_la_seance |= Q(cycle_id=seance.cycle_id)
    inscrite = Inscription.objects.filter(
        pour_la_seance, personne=OuterRef("pk"), statut=Inscription.Statut.INSCRITE
    )
    notee = Presence.objects.filter(seance_id=seance.pk, personne=OuterRef("pk"))
    return Personne.objects.filter(Exists(inscrite) | Exists(notee)).order_by("nom", "prenom", "pk")


def etats_de(seance: Seance) -> dict[int, str]:
    """The attendance already recorded at ``seance``: person pk → state (one query)."""
    return dict(Presence.objects.filter(seance=seance).values_list("personne_id", "etat"))


def saisie_ouverte(seance: Seance) -> str | None:
    """Why attendance cannot be entered for ``seance`` yet, or ``None`` if it can."""
    if seance.statut == Seance.Statut.ANNULEE:
        return _("This session was cancelled: there is no attendance to take.")
    if timezone.localdate(seance.debut) > timezone.localdate():
        return _("Attendance is taken on the day of the session, not before.")
    return None


def presences_enregistrer(*, seance: Seance, etats: dict[int, str], par) -> dict[str, int]:
    """Record the attendance of ``seance``: ``etats`` maps a person's pk to a ``Presence.Etat``. People
    left out keep what they had. Returns how many of each state were written."""
    refus = saisie_ouverte(seance)
    if refus:
        raise ValidationError(refus)
    valeurs = set(Presence.Etat.values)
    if any(etat not in valeurs for etat in etats.values()):
        raise ValidationError(_("Unknown attendance state."))
    with transaction.atomic():
        attendues = set(attendus(seance).values_list("pk", flat=True))
        inconnues = set(etats) - attendues
        if inconnues:
            raise ValidationError(_("Someone on this form is not expected at this session: reload the page."))
        maintenant = timezone.now()
        Presence.objects.bulk_create(
            [
                Presence(seance=seance, personne_id=pk, etat=etat, saisie_par=par, saisie_le=maintenant)
                for pk, etat in sorted(etats.items())
            ],
            update_conflicts=True,
            unique_fields=["seance", "personne"],
            update_fields=["etat", "saisie_par", "saisie_le"],
        )
        comptes = {etat: sum(1 for e in etats.values() if e == etat) for etat in Presence.Etat.values}
        journaliser(
            par=par,
            action="ateliers.presences",
            message=ngettext(
                "Attendance entered for %(n)d person.", "Attendance entered for %(n)d people.", len(etats)
            )
            % {"n": len(etats)},
            objet=seance,
            details=comptes,
        )
    return comptes


def emargement_pdf(seance: Seance) -> bytes:
    """The attendance sheet of ``seance`` to sign: the people expected, a signature column, empty lines."""
    personnes = list(attendus(seance))
    return render_pdf(
        "pdf/ateliers_emargement.html",
        {
            "seance": seance,
            "personnes": personnes,
            "animateurs": list(seance.animateurs.order_by("last_name", "first_name", "pk")),
            "vierges": range(len(personnes) + 1, len(personnes) + 1 + LIGNES_VIERGES),
        },
    )


# --- A household's training history -------------------------------------------------------------


@dataclass
class Formation:
    personne: Personne
    seances: list = field(default_factory=list)  # Presence rows, present, newest first
    absences: int = 0
    cycles: list = field(default_factory=list)  # Inscription rows to a cycle, with .vues and .total
    accompagnements: list = field(default_factory=list)

    @property
    def vide(self) -> bool:
        return not (self.seances or self.absences or self.cycles or self.accompagnements)


def histoire_formation(personnes: list[Personne]) -> list[Formation]:
    """Each person's sessions attended, cycles joined and help sessions (four queries at most)."""
    histoires = {p.pk: Formation(personne=p) for p in personnes}
    if not histoires:
        return []
    presences = (
        Presence.objects.filter(personne_id__in=histoires)
        .select_related("seance__atelier")
        .order_by("-seance__debut", "-pk")
    )
    vues_par_cycle = defaultdict(int)
    for presence in presences:
        histoire = histoires[presence.personne_id]
        if presence.etat == Presence.Etat.PRESENT:
            histoire.seances.append(presence)
            if presence.seance.cycle_id:
                vues_par_cycle[(presence.personne_id, presence.seance.cycle_id)] += 1
        elif presence.etat == Presence.Etat.ABSENT:
            histoire.absences += 1
    cycles = (
        Inscription.objects.filter(personne_id__in=histoires, cycle__isnull=False)
        .exclude(statut=Inscription.Statut.ANNULEE)
        .select_related("cycle__atelier")
        .annotate(total=Count("cycle__seances", filter=~Q(cycle__seances__statut=Seance.Statut.ANNULEE)))
        .order_by("-pk")
    )
    for inscription in cycles:
        inscription.vues = vues_par_cycle[(inscription.personne_id, inscription.cycle_id)]
        histoires[inscription.personne_id].cycles.append(inscription)
    accompagnements = (
        Accompagnement.objects.filter(personne_id__in=histoires)
        .select_related("permanence")
        .prefetch_related(Prefetch("themes"))
        .order_by("-permanence__debut", "-pk")
    )
    for accompagnement in accompagnements:
        histoires[accompagnement.personne_id].accompagnements.append(accompagnement)
    return list(histoires.values())
