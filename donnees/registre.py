"""The register of personal data: what the programme holds about people, why, who sees it, how long.

Each app declares its models in its own ``registre.py``, next to its models, with :func:`declarer` (a
model that holds personal data: each such field with its category and what becomes of it) or
:func:`sans_donnees_personnelles` (a model that holds none, with its text fields listed so that a new
one is noticed). ``tests/donnees/test_registre.py`` fails when a model or a text field of a local app is
in neither; ``manage.py registre_donnees`` writes ``docs/donnees-personnelles.md`` from the register.

The register is also what the rest of the personal-data machinery reads:

- :func:`enregistrements` finds every record of a household (and of its people) or of a person, for
  "what we hold about you" and for erasure;
- :func:`valeurs_effacees` gives the values that erase or anonymise a record's personal fields in place,
  so that rows (and the statistics counted on them) stay;
- the retention durations are settings named by each declaration (``duree``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The field types that can hold something typed about a person (names, numbers, free text, files).
TYPES_TEXTE = (
    models.CharField,
    models.TextField,
    models.EmailField,
    models.BinaryField,
    models.FileField,
    models.JSONField,
    models.GenericIPAddressField,
)

# The apps whose models the register must cover: the project's own, and the framework models that
# hold people (accounts, the admin's log, the login-attempt log).
APPS_LOCALES = (
    "ipt",
    "quartiers",
    "logements",
    "votes",
    "equipements",
    "ateliers",
    "pilotage",
    "charges",
    "comptes",
    "donnees",
)
MODELES_TIERS = (
    "auth.User",
    "admin.LogEntry",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
)


class Categorie(models.TextChoices):
    IDENTITE = "identite", _("identity")
    CONTACT = "contact", _("contact details")
    PROFIL = "profil", _("sensitive profile (with consent)")
    SIGNATURE = "signature", _("signature")
    PAIEMENT = "paiement", _("payments")
    PARCOURS = "parcours", _("training record")
    VIE = "vie", _("the household's dealings with the programme")
    TEXTE = "texte", _("free text")
    MESSAGE = "message", _("messages sent")
    DOCUMENT = "document", _("documents produced (receipts, letters, certificates)")
    AGENT = "agent", _("name of the staff member or volunteer who acted")
    TRACE = "trace", _("traces of use (logins, pages read)")


class Sort(models.TextChoices):
    """What becomes of a field when a person's data is erased or its retention ends."""

    EFFACER = "effacer", _("erased")
    ANONYMISER = "anonymiser", _("replaced by a neutral value")
    STATISTIQUE = "statistique", _("kept, tied to no one, for the statistics")
    CONSERVER = "conserver", _("kept under a legal hold")


@dataclass(frozen=True)
class Donnee:
    """One personal field: its category, what becomes of it, and the value that replaces it (by
    default an empty value of the field's type)."""

    categorie: str
    sort: str = Sort.EFFACER
    remplacement: object = None
    # Who sees this field, when fewer people than the record's ``visible_par`` (said in plain words).
    acces: str | None = None


@dataclass(frozen=True)
class Traitement:
    """What one model holds about people (one entry of the processing register)."""

    modele: type[models.Model]
    finalite: str
    base_legale: str
    visible_par: tuple[str, ...]
    conservation: str
    donnees: dict[str, Donnee]
    non_personnels: tuple[str, ...] = ()
    # Lookup paths from the model to the household and to the person it is about ("" = the model
    # itself); a tuple when the record can hang from either of several relations.
    foyer: str | tuple[str, ...] | None = None
    personne: str | tuple[str, ...] | None = None
    # The setting that holds the retention duration in days, if the retention job handles this model.
    duree: str | None = None
    # Why some fields outlive an erasure (the law that requires it), shown in previews and documents.
    obligation: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.modele._meta.label

    @property
    def nom(self) -> str:
        return str(self.modele._meta.verbose_name_plural)

    def duree_jours(self) -> int | None:
        return getattr(settings, self.duree) if self.duree else None

    def champs(self, *sorts: str) -> list[str]:
        return [nom for nom, d in self.donnees.items() if not sorts or d.sort in sorts]

    def filtre(self, *, foyers=(), personnes=()) -> Q | None:
        """The Q that selects this model's records about these households or people (None: none)."""
        conditions = []
        for chemins, valeurs in ((self.foyer, foyers), (self.personne, personnes)):
            if chemins is None or not valeurs:
                continue
            for chemin in (chemins,) if isinstance(chemins, str) else chemins:
                conditions.append(Q(**{f"{chemin}__in" if chemin else "pk__in": list(valeurs)}))
        if not conditions:
            return None
        q = conditions[0]
        for c in conditions[1:]:
            q |= c
        return q


@dataclass(frozen=True)
class SansDonnees:
    modele: type[models.Model]
    champs: tuple[str, ...]
    raison: str


REGISTRE: dict[str, Traitement] = {}
SANS_DONNEES: dict[str, SansDonnees] = {}


def declarer(modele, **kwargs) -> Traitement:
    """Declare what ``modele`` holds about people. Raises if a named field does not exist."""
    traitement = Traitement(modele=modele, **kwargs)
    noms = {f.name for f in modele._meta.get_fields()}
    inconnus = (set(traitement.donnees) | set(traitement.non_personnels)) - noms
    if inconnus:
        raise ValueError(f"{modele._meta.label}: no field {sorted(inconnus)}")
    REGISTRE[modele._meta.label] = traitement
    return traitement


def sans_donnees_personnelles(modele, *, champs: tuple[str, ...] = (), raison: str) -> SansDonnees:
    """Declare that ``modele`` holds nothing about a person; ``champs`` lists its text fields."""
    entree = SansDonnees(modele=modele, champs=tuple(champs), raison=raison)
    SANS_DONNEES[modele._meta.label] = entree
    return entree


def traitements() -> list[Traitement]:
    """The register, in the order of the apps and then of the models."""
    ordre = {label: i for i, label in enumerate(APPS_LOCALES)}
    return sorted(
        REGISTRE.values(),
        key=lambda t: (ordre.get(t.modele._meta.app_label, -1), t.modele._meta.model_name),
    )


def traitement(modele) -> Traitement | None:
    return REGISTRE.get(modele._meta.label)


def modeles_a_couvrir() -> list[type[models.Model]]:
    return [
        m for m in apps.get_models() if m._meta.app_label in APPS_LOCALES or m._meta.label in MODELES_TIERS
    ]


def champs_texte(modele) -> list[str]:
    """The fields of ``modele`` that can hold something typed about a person. Choice fields hold one of
    the programme's own codes, never a person's words: they are left out."""
    return [
        f.name
        for f in modele._meta.concrete_fields
        if isinstance(f, TYPES_TEXTE) and not getattr(f, "choices", None)
    ]


def manques() -> list[str]:
    """What the register does not say: models in neither list, text fields classified nowhere."""
    erreurs = []
    for modele in modeles_a_couvrir():
        label = modele._meta.label
        if label in REGISTRE:
            t = REGISTRE[label]
            connus = set(t.donnees) | set(t.non_personnels)
        elif label in SANS_DONNEES:
            connus = set(SANS_DONNEES[label].champs)
        else:
            erreurs.append(f"{label}: not in the register")
            continue
        erreurs.extend(f"{label}.{nom}: not classified" for nom in champs_texte(modele) if nom not in connus)
    return erreurs


def enregistrements(*, foyers=(), personnes=()):
    """Every declared model's records about these households or people: ``(traitement, queryset)``
    for each model that has some (one query per model to find out, none when nothing links)."""
    for t in traitements():
        q = t.filtre(foyers=foyers, personnes=personnes)
        if q is None:
            continue
        qs = t.modele._default_manager.filter(q).distinct().order_by("pk")
        yield t, qs


def objets_enregistres(*, foyers=(), personnes=(), sauf=()) -> dict:
    """``{content type: [primary keys as text]}`` of every record the register finds about these
    households and people (but the models in ``sauf``): how the audit trail and the admin log name
    their objects. One query per kind of record that links to them."""
    from django.contrib.contenttypes.models import ContentType

    objets = {}
    for t, qs in enregistrements(foyers=foyers, personnes=personnes):
        if t.modele in sauf:
            continue
        pks = [str(pk) for pk in qs.values_list("pk", flat=True)]
        if pks:
            objets[ContentType.objects.get_for_model(t.modele, for_concrete_model=False)] = pks
    return objets


def q_objets(objets: dict, champ_type: str, champ_id: str) -> Q:
    """Entries of a log (``champ_type``, ``champ_id``: its content type and object id fields) about one
    of ``objets`` (:func:`objets_enregistres`); found through the log's index on type and id."""
    q = Q(pk__in=[])
    for type_, pks in objets.items():
        q |= Q(**{champ_type: type_, f"{champ_id}__in": pks})
    return q


def valeur_effacee(modele, nom: str, donnee: Donnee):
    """The value that replaces a personal field: the declared replacement, else an empty value."""
    if donnee.remplacement is not None:
        return donnee.remplacement
    champ = modele._meta.get_field(nom)
    if isinstance(champ, models.JSONField):
        return {} if not champ.null else None
    if champ.null:
        return None
    if isinstance(champ, models.BinaryField):
        return b""
    if isinstance(champ, (models.CharField, models.TextField, models.FileField)):
        return ""
    if isinstance(champ, models.BooleanField):
        return False
    raise ValueError(f"{modele._meta.label}.{nom}: give a replacement value")


def valeurs_effacees(traitement: Traitement, *sorts: str) -> dict:
    """``{field: value}`` erasing (or anonymising) the fields of these fates (default: all but legal
    holds), ready for ``QuerySet.update``."""
    sorts = sorts or (Sort.EFFACER, Sort.ANONYMISER)
    return {
        nom: valeur_effacee(traitement.modele, nom, d)
        for nom, d in traitement.donnees.items()
        if d.sort in sorts
    }
