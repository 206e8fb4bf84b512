"""Visa Internet reads: whose progress a user may see, a person's progress, the certificates.

Scope of people (``personnes_couvertes``): city staff everyone; a desk volunteer the people of the
households of their centre's quartiers and the people signed up to sessions held there; a facilitator
"their participants", the people with a sign-up (not cancelled) to a session they run or to a cycle
whose sessions they run.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from ateliers.models import Certificat, Competence, Evaluation, Inscription, Referentiel
from ipt.perimetre import couvre_tout, restreindre
from logements.models import Personne


def inscriptions_couvertes(user) -> QuerySet:
    """The sign-ups (not cancelled) to sessions and cycles ``user`` covers."""
    actives = Inscription.objects.exclude(statut=Inscription.Statut.ANNULEE)
    par_seance = restreindre(actives, user, quartier="seance__quartier", seance="seance")
    par_cycle = restreindre(actives, user, quartier="cycle__seances__quartier", seance="cycle__seances")
    return Inscription.objects.filter(Q(pk__in=par_seance.values("pk")) | Q(pk__in=par_cycle.values("pk")))


def personnes_couvertes(user) -> QuerySet:
    personnes = Personne.objects.all()
    if couvre_tout(user):
        return personnes
    du_quartier = restreindre(personnes, user, quartier="foyer__logement__immeuble__quartier")
    return personnes.filter(
        Q(pk__in=du_quartier.values("pk")) | Q(pk__in=inscriptions_couvertes(user).values("personne"))
    )


def personne_de(user, pk: int) -> Personne:
    """The person ``pk`` if ``user`` covers them, else 404."""
    return get_object_or_404(personnes_couvertes(user).select_related("foyer"), pk=pk)


@dataclass
class Ligne:
    competence: Competence
    evaluation: Evaluation | None  # the latest assessment of its code, or None

    @property
    def etat(self) -> str:
        return self.evaluation.etat if self.evaluation else ""

    @property
    def acquise(self) -> bool:
        return self.etat == Evaluation.Etat.ACQUISE


@dataclass
class Progression:
    referentiel: Referentiel | None
    lignes: list[Ligne] = field(default_factory=list)
    historique: list[Evaluation] = field(default_factory=list)

    @property
    def domaines(self) -> list[tuple[str, list[Ligne]]]:
        """The lines grouped by area, areas in the order of their first skill."""
        groupes: dict[str, list[Ligne]] = {}
        for ligne in self.lignes:
            groupes.setdefault(ligne.competence.domaine, []).append(ligne)
        return list(groupes.items())

    @property
    def requises(self) -> int:
        return sum(1 for ligne in self.lignes if ligne.competence.obligatoire)

    @property
    def requises_acquises(self) -> int:
        return sum(1 for ligne in self.lignes if ligne.competence.obligatoire and ligne.acquise)

    @property
    def acquises(self) -> int:
        return sum(1 for ligne in self.lignes if ligne.acquise)

    @property
    def complete(self) -> bool:
        """Every required skill of the list in force acquired: the certificate may be issued."""
        return self.referentiel is not None and self.requises_acquises == self.requises > 0

    @property
    def codes_acquis(self) -> list[str]:
        return [ligne.competence.code for ligne in self.lignes if ligne.acquise]


def competences_courantes(
    referentiel: Referentiel | None = None,
) -> tuple[Referentiel | None, list[Competence]]:
    referentiel = referentiel or Referentiel.objects.courant()
    if referentiel is None:
        return None, []
    return referentiel, list(referentiel.competences.order_by("ordre", "pk"))


def _dernieres(evaluations) -> dict[str, Evaluation]:
    """The latest assessment per skill code (``evaluations`` in chronological order)."""
    dernieres: dict[str, Evaluation] = {}
    for evaluation in evaluations:
        dernieres[evaluation.competence.code] = evaluation
    return dernieres


def progression(personne: Personne, *, avec_historique: bool = False) -> Progression:
    """A person's progress against the list in force (three queries)."""
    referentiel, competences = competences_courantes()
    evaluations = list(
        Evaluation.objects.filter(personne=personne).select_related("competence").order_by("le", "pk")
    )
    dernieres = _dernieres(evaluations)
    return Progression(
        referentiel=referentiel,
        lignes=[Ligne(c, dernieres.get(c.code)) for c in competences],
        historique=list(reversed(evaluations)) if avec_historique else [],
    )


def progressions(personnes: list[Personne]) -> dict[int, Progression]:
    """The progress of several people at once (three queries, whatever their number)."""
    referentiel, competences = competences_courantes()
    par_personne = defaultdict(list)
    for evaluation in (
        Evaluation.objects.filter(personne__in=[p.pk for p in personnes])
        .select_related("competence")
        .order_by("le", "pk")
    ):
        par_personne[evaluation.personne_id].append(evaluation)
    resultat = {}
    for personne in personnes:
        dernieres = _dernieres(par_personne[personne.pk])
        resultat[personne.pk] = Progression(
            referentiel=referentiel, lignes=[Ligne(c, dernieres.get(c.code)) for c in competences]
        )
    return resultat


def certificat_de(user, pk: int) -> Certificat:
    """Certificate ``pk`` if ``user`` covers its holder, else 404."""
    return get_object_or_404(
        Certificat.objects.filter(personne__in=personnes_couvertes(user).values("pk")).select_related(
            "personne", "structure", "referentiel"
        ),
        pk=pk,
    )


def certificats(*, annee: int | None = None, etat: str = "", recherche: str = "") -> QuerySet:
    """The staff list of certificates, newest first, filtered."""
    qs = Certificat.objects.select_related("structure").order_by("-annee", "-rang")
    if annee:
        qs = qs.filter(annee=annee)
    if etat == "valides":
        qs = qs.filter(revoque_le__isnull=True)
    elif etat == "revoques":
        qs = qs.filter(revoque_le__isnull=False)
    for mot in recherche.split()[:5]:
        qs = qs.filter(Q(numero__icontains=mot) | Q(nom__icontains=mot) | Q(prenom__icontains=mot))
    return qs


def certificat_par_code(code: str) -> Certificat | None:
    """The certificate of a (normalised) verification code, or None."""
    if not code:
        return None
    return (
        Certificat.objects.filter(code=code)
        .only("code", "emis_le", "prenom", "nom", "revoque_le", "sha256", "efface_le")
        .first()
    )
