"""Two sections of the yearly report, computed in the database and published with statistical secrecy:

- **Workshops and Visa**: per theme (``ateliers.Theme``), the workshop sessions held, the people who
  attended (a person counted once per theme), the individual help sessions; per neighbourhood, the sessions
  held there, the people at them, the help sessions held there and the Visa Internet certificates issued
  (not revoked) to people living there.
- **Equipment**: per neighbourhood, the decoders handed out and returned, the PCs sold, the payments
  received, the amounts waived and what remains owed; and the PCs sold per price tier (kind and price).

Workshops and help sessions are counted where they were held (the session's or the help slot's
neighbourhood); certificates, decoders and PCs where the household lives. Every count of people or
households (everything but sessions held) goes through :mod:`ipt.secret_statistique`: each column
across its rows with its total (``masquer_liste``). An amount in euros is secret as the number of
households behind it would be (``colonnes_euros``): 40 € received in a quartier says one PC was paid.
A total that counts people *distinct* across rows (a person at two themes counted once) is published only
when the sum it stands beside is, and never under the threshold: when nobody came to two rows it *is*
that sum.

A fixed number of queries whatever the year's volume (ten and six, pinned in the tests through
:func:`pilotage.bilan.donnees_bilan`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ipt.argent import CENTIME, euros
from ipt.secret_statistique import Case, cases_cachees, masquer_liste, seuil_par_defaut, sous_le_seuil
from pilotage.entonnoir import Filtre

ZERO = Decimal("0.00")
ARGENT = DecimalField(max_digits=12, decimal_places=2)


@dataclass
class Colonne:
    """A published column: its cells per row key and its total (a :class:`Case`, or a number)."""

    cases: dict[Hashable, object]
    total: object


def colonne_personnes(comptes: dict[Hashable, int], cles: list[Hashable]) -> Colonne:
    """A column counting people or households over ``cles``, suppressed with its total."""
    cases, total = masquer_liste({cle: comptes.get(cle, 0) for cle in cles})
    return Colonne(cases, total)


def colonnes_euros(
    montants: dict[str, dict[Hashable, Decimal]], foyers: dict[str, dict[Hashable, int]], cles: list[Hashable]
) -> dict[str, Colonne]:
    """Columns of euros over ``cles`` (``montants[column][row]``): an amount behind which fewer
    households than the threshold stand (``foyers[column][row]``: how many paid, were waived or owe)
    would tell what a few of them paid or owe, so it is secret like a count of them. Then enough others
    are hidden that no column's total gives one away, nor a row: a quartier's PCs sold times their price
    is what was received, waived and still owed, so a row hides none of its amounts or at least two.
    The suppression is decided on the households behind each amount."""
    codes = list(montants)
    valeurs = {("case", k, c): foyers[c].get(k, 0) for c in codes for k in cles}
    valeurs |= {("total", c): sum(valeurs[("case", k, c)] for k in cles) for c in codes}
    relations = [[("total", c), *(("case", k, c) for k in cles)] for c in codes]
    relations += [[("case", k, c) for c in codes] for k in cles]
    caches = cases_cachees(valeurs, relations)
    colonnes = {}
    for c in codes:
        cases = {k: Case(montants[c].get(k, ZERO), ("case", k, c) in caches) for k in cles}
        total = sum((case.valeur for case in cases.values()), start=ZERO)
        colonnes[c] = Colonne(cases, Case(total, ("total", c) in caches))
    return colonnes


def total_distinct(nombre: int, *sommes: Case) -> Case:
    """A total counting people once across rows: secret under the threshold, or where a sum beside it is."""
    return Case(nombre, sous_le_seuil(nombre, seuil_par_defaut()) or any(s.secret for s in sommes))


@dataclass
class Section:
    """The figures of a section, as published: its rows' labels, its columns, the total row's label."""

    lignes: list[tuple[Hashable, str]] = field(default_factory=list)
    colonnes: dict[str, Colonne] = field(default_factory=dict)
    libelle_total: str | None = None

    def __bool__(self) -> bool:
        return bool(self.lignes)


def _argent(valeur) -> Decimal:
    return Decimal(str(valeur or 0)).quantize(CENTIME)


def _noms_quartiers(ids) -> dict:
    from quartiers.models import Quartier

    return dict(Quartier.objects.filter(pk__in=[i for i in ids if i is not None]).values_list("pk", "nom"))


def _rangee(section: Section, cle: Hashable) -> Section:
    """A quartier's report: its row of the city's table, cell for cell as the city's report publishes it
    (suppressed among every quartier, so that no report gives away what another hides), without a total
    row; each column's total is that row's cell (a key figure)."""
    colonnes = {code: Colonne({cle: c.cases[cle]}, c.cases[cle]) for code, c in section.colonnes.items()}
    lignes = [(k, libelle) for k, libelle in section.lignes if k == cle]
    return Section(lignes=lignes, colonnes=colonnes, libelle_total=None)


def _cacher_si(colonne: Colonne, ici: Case) -> None:
    """In a quartier's report, a breakdown of a figure the city's table hides for it (its people per
    theme, its PCs per price tier) adds up to that figure: hidden whole with it."""
    if ici.secret:
        colonne.cases = {k: Case(c.valeur, True) for k, c in colonne.cases.items()}
        colonne.total = Case(colonne.total.valeur, True)


def _lignes_quartiers(ids: set, noms: dict) -> list[tuple[Hashable, str]]:
    return sorted(((pk, noms[pk]) for pk in ids if pk is not None), key=lambda ligne: ligne[1])


def ateliers_visa(annee: int, *, quartier=None) -> dict:
    """``{"themes": Section, "quartiers": Section}``: the workshops and Visa section. Ten queries."""
    from ateliers.models import Accompagnement, Certificat, Presence, Seance, Theme

    f = Filtre.annee(annee)
    seances = Seance.objects.filter(f.periode("debut__date"), debut__lte=timezone.now()).exclude(
        statut=Seance.Statut.ANNULEE
    )
    presences = Presence.objects.filter(etat=Presence.Etat.PRESENT, seance__in=seances)
    aides = Accompagnement.objects.filter(f.periode("permanence__debut__date"))
    # Certificates of people living in the programme's dwellings, as the funnel's Visa step counts them:
    # a row of outsiders here would be the city total less the funnel's, a small count given away.
    visas = Certificat.objects.valides().filter(f.periode("emis_le"), personne__foyer__isnull=False)
    # The table per quartier is always the city's (a quartier's report prints its row as the city's
    # report does); the table per theme is the quartier's own.
    seances_v, presences_v, aides_v = seances, presences, aides
    if quartier is not None:
        seances = seances.filter(quartier=quartier)
        presences = presences.filter(seance__quartier=quartier)
        aides = aides.filter(permanence__quartier=quartier)

    def compter(qs, cle: str, compte: str = "pk") -> dict:
        return {
            ligne[cle]: ligne["n"]
            for ligne in qs.values(cle).annotate(n=Count(compte, distinct=True)).order_by()
        }

    seances_theme = compter(seances, "atelier__themes")
    personnes_theme = compter(presences, "seance__atelier__themes", "personne")
    aides_theme = compter(aides, "themes")
    seances_quartier = compter(seances_v, "quartier")
    personnes_quartier = compter(presences_v, "seance__quartier", "personne")
    aides_quartier = compter(aides_v, "permanence__quartier")
    visas_quartier = compter(visas, "personne__foyer__logement__immeuble__quartier")
    personnes_distinctes = presences.aggregate(n=Count("personne", distinct=True))["n"]

    libelles = dict(Theme.objects.values_list("pk", "libelle"))
    themes = [
        (pk, libelle)
        for pk, libelle in libelles.items()
        if pk in seances_theme or pk in personnes_theme or pk in aides_theme
    ]
    if None in seances_theme or None in personnes_theme or None in aides_theme:
        themes.append((None, _("No theme")))
    cles_themes = [cle for cle, _libelle in themes]

    ids = {*seances_quartier, *personnes_quartier, *aides_quartier, *visas_quartier}
    if quartier is not None:
        ids.add(quartier.pk)
    noms = _noms_quartiers(ids)
    lignes_q = _lignes_quartiers(ids, noms)
    cles_q = [cle for cle, _libelle in lignes_q]

    personnes_t = colonne_personnes(personnes_theme, cles_themes)
    aides_t = colonne_personnes(aides_theme, cles_themes)
    personnes_q = colonne_personnes(personnes_quartier, cles_q)
    aides_q = colonne_personnes(aides_quartier, cles_q)
    visas_q = colonne_personnes(visas_quartier, cles_q)
    # The distinct totals: a session, a person, a help session counted once across the rows (for a
    # quartier's report, its row of the city's table).
    if quartier is None:
        personnes_ici, aides_ici = personnes_q.total, aides_q.total
        total_aides, total_seances = sum(aides_quartier.values()), sum(seances_quartier.values())
    else:
        personnes_ici, aides_ici = personnes_q.cases[quartier.pk], aides_q.cases[quartier.pk]
        total_aides, total_seances = aides_quartier.get(quartier.pk, 0), seances_quartier.get(quartier.pk, 0)
    personnes = total_distinct(personnes_distinctes, personnes_t.total, personnes_ici)
    aides = total_distinct(total_aides, aides_t.total, aides_ici)

    par_theme = Section(
        lignes=themes,
        colonnes={
            "seances": Colonne({k: seances_theme.get(k, 0) for k in cles_themes}, total_seances),
            "personnes": Colonne(personnes_t.cases, personnes),
            "aides": Colonne(aides_t.cases, aides),
        },
        libelle_total=_("All themes"),
    )
    par_quartier = Section(
        lignes=lignes_q,
        colonnes={
            "seances": Colonne({k: seances_quartier.get(k, 0) for k in cles_q}, total_seances),
            "personnes": Colonne(personnes_q.cases, personnes),
            "aides": Colonne(aides_q.cases, aides_q.total),
            "visas": Colonne(visas_q.cases, visas_q.total),
        },
        libelle_total=_("City"),
    )
    if quartier is not None:
        par_quartier = _rangee(par_quartier, quartier.pk)
        _cacher_si(par_theme.colonnes["personnes"], personnes_ici)
        _cacher_si(par_theme.colonnes["aides"], aides_ici)
    return {"themes": par_theme, "quartiers": par_quartier, "seances": total_seances, "personnes": personnes}


def equipements(annee: int, *, quartier=None) -> dict:
    """``{"quartiers": Section, "paliers": Section}``: the equipment section. Six queries.

    Payments received are the cash books' entries of the year (net of reversals and refunds); waived,
    the amounts waived in the year; outstanding, what the PCs sold up to 31 December and still standing
    owed that day (their price, less the payments and waivers dated up to then)."""
    from equipements.models import Abandon, LigneRemise, Paiement, TypeOrdinateur, Vente

    f = Filtre.annee(annee)
    fin = f.fin
    chemin = "logement__immeuble__quartier"
    lignes_remise = LigneRemise.objects.filter(decodeur__isnull=False).filter(
        f.periode("remise__date") | f.periode("restitution__date")
    )
    ventes = Vente.objects.filter(date__lte=fin)
    paiements = Paiement.objects.filter(f.periode("date") | Q(date__lte=fin, vente__date__lte=fin))
    abandons = Abandon.objects.filter(f.periode("date") | Q(date__lte=fin, vente__date__lte=fin))
    # The table per quartier is always the city's (a quartier's report prints its row); the price tiers
    # are the quartier's own.

    remis, rendus = {}, {}
    for ligne in (
        lignes_remise.values(q := f"remise__{chemin}")
        .annotate(
            remis=Count("pk", filter=f.periode("remise__date")),
            rendus=Count("pk", filter=f.periode("restitution__date")),
        )
        .order_by()
    ):
        remis[ligne[q]], rendus[ligne[q]] = ligne["remis"], ligne["rendus"]

    vendus_q: dict = defaultdict(int)
    vendus_palier: dict = defaultdict(int)
    du: dict = defaultdict(lambda: ZERO)
    # Standing on 31 December: sold then, and not cancelled nor returned by that day (a report of a
    # past year does not change when a PC comes back later).
    debout = Q(statut=Vente.Statut.VENDUE) | Q(annulee_le__gt=fin)
    for ligne in (
        ventes.values(q := f"foyer__{chemin}", "ordinateur__type", "prix")
        .annotate(
            n=Count("pk", filter=f.periode("date") & ~Q(statut=Vente.Statut.ANNULEE)),
            du=Sum("prix", filter=debout),
        )
        .order_by()
    ):
        vendus_q[ligne[q]] += ligne["n"]
        if ligne["n"] and (quartier is None or ligne[q] == quartier.pk):
            vendus_palier[(ligne["ordinateur__type"], ligne["prix"])] += ligne["n"]
        du[ligne[q]] += _argent(ligne["du"])

    jusqu_a_fin = Q(date__lte=fin, vente__date__lte=fin) & (
        Q(vente__statut=Vente.Statut.VENDUE) | Q(vente__annulee_le__gt=fin)
    )
    q = f"vente__foyer__{chemin}"
    recus, payes, n_recus = {}, {}, {}
    for ligne in (
        paiements.values(q)
        .annotate(
            recu=Sum("montant", filter=f.periode("date")),
            paye=Sum("montant", filter=jusqu_a_fin),
            n=Count("vente__foyer", distinct=True, filter=f.periode("date")),
        )
        .order_by()
    ):
        recus[ligne[q]], payes[ligne[q]] = _argent(ligne["recu"]), _argent(ligne["paye"])
        n_recus[ligne[q]] = ligne["n"]
    abandonnes, abandonnes_fin, n_abandonnes = {}, {}, {}
    for ligne in (
        abandons.values(q)
        .annotate(
            annee=Sum("montant", filter=f.periode("date")),
            fin=Sum("montant", filter=jusqu_a_fin),
            n=Count("vente__foyer", distinct=True, filter=f.periode("date")),
        )
        .order_by()
    ):
        abandonnes[ligne[q]], abandonnes_fin[ligne[q]] = _argent(ligne["annee"]), _argent(ligne["fin"])
        n_abandonnes[ligne[q]] = ligne["n"]

    # The households that still owed something on 31 December: a sale standing then, its price above
    # what was paid and waived by that day.
    def _somme_fin(modele) -> Coalesce:
        lignes = modele.objects.filter(vente=OuterRef("pk"), date__lte=fin).order_by().values("vente")
        return Coalesce(
            Subquery(lignes.annotate(s=Sum("montant")).values("s")[:1], output_field=ARGENT),
            Value(ZERO),
            output_field=ARGENT,
        )

    n_restes = dict(
        ventes.filter(debout)
        .annotate(paye_fin=_somme_fin(Paiement), abandon_fin=_somme_fin(Abandon))
        .filter(prix__gt=F("paye_fin") + F("abandon_fin"))
        .values_list(q := f"foyer__{chemin}")
        .annotate(n=Count("foyer", distinct=True))
        .order_by()
    )

    ids = {*remis, *rendus, *recus, *abandonnes, *(k for k, n in vendus_q.items() if n)}
    ids |= {k for k, v in du.items() if v - payes.get(k, ZERO) - abandonnes_fin.get(k, ZERO)}
    if quartier is not None:
        ids.add(quartier.pk)
    noms = _noms_quartiers(ids)
    lignes_q = _lignes_quartiers(ids, noms)
    cles_q = [cle for cle, _libelle in lignes_q]

    restes = {k: du.get(k, ZERO) - payes.get(k, ZERO) - abandonnes_fin.get(k, ZERO) for k in cles_q}
    par_quartier = Section(
        lignes=lignes_q,
        colonnes={
            "remis": colonne_personnes(remis, cles_q),
            "rendus": colonne_personnes(rendus, cles_q),
            "ordinateurs": colonne_personnes(vendus_q, cles_q),
            **colonnes_euros(
                {"recus": recus, "abandonnes": abandonnes, "restes": restes},
                {"recus": n_recus, "abandonnes": n_abandonnes, "restes": n_restes},
                cles_q,
            ),
        },
        libelle_total=_("City"),
    )
    if quartier is not None:
        par_quartier = _rangee(par_quartier, quartier.pk)
    types = dict(TypeOrdinateur.choices)
    paliers = sorted(vendus_palier, key=lambda p: (p[1], str(types.get(p[0], p[0]))))
    par_palier = Section(
        lignes=[
            (
                p,
                _("%(kind)s at %(price)s")
                % {"kind": str(types.get(p[0], p[0])).capitalize(), "price": euros(p[1])},
            )
            for p in paliers
        ],
        colonnes={"ordinateurs": colonne_personnes(vendus_palier, paliers)},
        libelle_total=_("All PCs"),
    )
    if quartier is not None:
        _cacher_si(par_palier.colonnes["ordinateurs"], par_quartier.colonnes["ordinateurs"].total)
    return {"quartiers": par_quartier, "paliers": par_palier, "fin": fin}
