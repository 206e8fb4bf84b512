"""Writes of the reception desk. Each function is one transaction and leaves an audit trail.

Opt-ins carry their own (``Adhesion.saisie_par`` / ``saisie_le``) and, like every other action, write an
audit entry with :func:`ipt.journal.journaliser` in the same transaction.
Refusals are ``ValidationError`` with a French message for the volunteer, raised before anything is
written. Every change to a household's name, phone or occupants refreshes its search text.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ipt.journal import journaliser
from logements.models import Adhesion, Foyer, Logement, Personne
from logements.selectors import texte_de_recherche

TAILLE_LOT = 5000
LIGNES_PAR_UPDATE = 1000


def _date(jour: datetime.date) -> str:
    return formats.date_format(jour, "SHORT_DATE_FORMAT")


def _pas_dans_le_futur(jour: datetime.date) -> None:
    if jour > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="futur")


def _derniere_adhesion(foyer: Foyer) -> Adhesion | None:
    return foyer.adhesions.order_by("-date", "-pk").first()


# --- Search text --------------------------------------------------------------------------------


def foyers_recherche_recalculer(foyer_ids=None) -> int:
    """Refresh ``Foyer.recherche`` of the given households (all of them with ``None``), set-based.

    Reads the households and their occupants by batches of ``TAILLE_LOT`` (memory stays flat), and
    writes only the texts that changed, ``LIGNES_PAR_UPDATE`` rows per statement. Returns how many
    changed. The demo seed calls it once after loading, without arguments.
    """
    modifies = 0
    with transaction.atomic():
        for lot in _lots_de_foyers(foyer_ids):
            premiers, derniers = lot[0][0], lot[-1][0]
            occupants = Personne.objects.filter(foyer__isnull=False)
            if foyer_ids is None:
                occupants = occupants.filter(foyer_id__gte=premiers, foyer_id__lte=derniers)
            else:
                occupants = occupants.filter(foyer_id__in=[pk for pk, *_ in lot])
            par_foyer: dict[int, list[tuple[str, str, str]]] = {}
            for foyer_id, prenom, nom, telephone in occupants.order_by(
                "foyer_id", "nom", "prenom", "pk"
            ).values_list("foyer_id", "prenom", "nom", "telephone"):
                par_foyer.setdefault(foyer_id, []).append((prenom, nom, telephone))
            changes = []
            for pk, nom, telephone, actuel in lot:
                texte = texte_de_recherche(nom, telephone, par_foyer.get(pk, []))
                if texte != actuel:
                    changes.append((pk, texte))
            _ecrire_recherche(changes)
            modifies += len(changes)
    return modifies


def _lots_de_foyers(foyer_ids):
    colonnes = ("pk", "nom", "telephone", "recherche")
    if foyer_ids is None:
        dernier = 0
        while lot := list(
            Foyer.objects.filter(pk__gt=dernier).order_by("pk").values_list(*colonnes)[:TAILLE_LOT]
        ):
            yield lot
            dernier = lot[-1][0]
        return
    ids = sorted(set(foyer_ids))
    for debut in range(0, len(ids), TAILLE_LOT):
        lot = list(
            Foyer.objects.filter(pk__in=ids[debut : debut + TAILLE_LOT]).order_by("pk").values_list(*colonnes)
        )
        if lot:
            yield lot


def _ecrire_recherche(changes: list[tuple[int, str]]) -> None:
    table = connection.ops.quote_name(Foyer._meta.db_table)
    with connection.cursor() as cursor:
        for debut in range(0, len(changes), LIGNES_PAR_UPDATE):
            lignes = changes[debut : debut + LIGNES_PAR_UPDATE]
            valeurs = ", ".join(["(%s, %s)"] * len(lignes))
            cursor.execute(
                f"WITH v(id, recherche) AS (VALUES {valeurs}) "  # noqa: S608 — placeholders only
                f"UPDATE {table} SET recherche = v.recherche FROM v WHERE {table}.id = v.id",
                [valeur for ligne in lignes for valeur in ligne],
            )


# --- Opt-ins ------------------------------------------------------------------------------------


@transaction.atomic
def adhesion_enregistrer(*, foyer: Foyer, type: str, date: datetime.date, note: str = "", par) -> Adhesion:
    """Record an opt-in or an opt-out of a current household. Never twice the same state in a row."""
    foyer = Foyer.objects.select_for_update().get(pk=foyer.pk)
    if foyer.demenage_le is not None:
        raise ValidationError(
            _("This household moved out on %(date)s: its opt-in can no longer change.")
            % {"date": _date(foyer.demenage_le)},
            code="demenage",
        )
    _pas_dans_le_futur(date)
    if date < foyer.emmenage_le:
        raise ValidationError(
            _("The date cannot be before the move-in (%(date)s).") % {"date": _date(foyer.emmenage_le)},
            code="avant_emmenagement",
        )
    derniere = _derniere_adhesion(foyer)
    if type == Adhesion.Type.ADHESION and derniere and derniere.type == Adhesion.Type.ADHESION:
        raise ValidationError(
            _("This household has already opted in, on %(date)s.") % {"date": _date(derniere.date)},
            code="deja_adherent",
        )
    if type == Adhesion.Type.DESISTEMENT and (derniere is None or derniere.type != Adhesion.Type.ADHESION):
        raise ValidationError(
            _("This household has not opted in: there is nothing to opt out of."), code="pas_adherent"
        )
    if derniere and date < derniere.date:
        raise ValidationError(
            _("The date cannot be before the last recorded change (%(type)s on %(date)s).")
            % {"type": derniere.get_type_display(), "date": _date(derniere.date)},
            code="avant_dernier",
        )
    adhesion = Adhesion.objects.create(foyer=foyer, type=type, date=date, note=note, saisie_par=par)
    journaliser(
        par=par,
        action=f"adhesion.{type}",
        objet=foyer,
        message=_("%(type)s on %(date)s.") % {"type": adhesion.get_type_display(), "date": _date(date)},
    )
    return adhesion


# --- Move-in and move-out -----------------------------------------------------------------------


@transaction.atomic
def foyer_emmenager(
    *,
    logement: Logement,
    nom: str,
    emmenage_le: datetime.date,
    telephone: str = "",
    email: str = "",
    occupants: list[dict] = (),
    par,
) -> Foyer:
    """A new household moves into ``logement``, which must have no current household."""
    logement = Logement.objects.select_for_update().get(pk=logement.pk)
    _pas_dans_le_futur(emmenage_le)
    actuel = logement.foyers.filter(demenage_le__isnull=True).first()
    if actuel is not None:
        raise ValidationError(
            _("This dwelling is still the home of “%(foyer)s”: record their move-out first.")
            % {"foyer": actuel.nom},
            code="occupe",
        )
    precedent = logement.foyers.order_by("-demenage_le").first()
    if precedent is not None and emmenage_le < precedent.demenage_le:
        raise ValidationError(
            _("The move-in cannot be before the previous household’s move-out (%(date)s).")
            % {"date": _date(precedent.demenage_le)},
            code="avant_depart_precedent",
        )
    try:
        with transaction.atomic():
            foyer = Foyer.objects.create(
                logement=logement, nom=nom, telephone=telephone, email=email, emmenage_le=emmenage_le
            )
    except IntegrityError as erreur:  # a move-in recorded at the same moment elsewhere
        raise ValidationError(
            _("This dwelling already has a current household: record their move-out first."), code="occupe"
        ) from erreur
    Personne.objects.bulk_create(Personne(foyer=foyer, **occupant) for occupant in occupants)
    foyers_recherche_recalculer([foyer.pk])
    journaliser(
        par=par,
        action="foyer.emmenagement",
        objet=foyer,
        message=_("Move-in on %(date)s.") % {"date": _date(emmenage_le)},
    )
    return foyer


@transaction.atomic
def foyer_demenager(*, foyer: Foyer, demenage_le: datetime.date, par) -> Foyer:
    """The household leaves its dwelling; if it had opted in, its opt-out is recorded the same day.

    It leaves the desk's current households; its history stays.
    """
    foyer = Foyer.objects.select_for_update().get(pk=foyer.pk)
    if foyer.demenage_le is not None:
        raise ValidationError(
            _("This household already moved out, on %(date)s.") % {"date": _date(foyer.demenage_le)},
            code="deja_demenage",
        )
    _pas_dans_le_futur(demenage_le)
    if demenage_le < foyer.emmenage_le:
        raise ValidationError(
            _("The move-out cannot be before the move-in (%(date)s).") % {"date": _date(foyer.emmenage_le)},
            code="avant_emmenagement",
        )
    derniere = _derniere_adhesion(foyer)
    if derniere is not None and demenage_le < derniere.date:
        raise ValidationError(
            _("The move-out cannot be before the last opt-in change (%(type)s on %(date)s).")
            % {"type": derniere.get_type_display(), "date": _date(derniere.date)},
            code="avant_dernier",
        )
    foyer.demenage_le = demenage_le
    foyer.save(update_fields=["demenage_le", "modifie_le"])
    if derniere is not None and derniere.type == Adhesion.Type.ADHESION:
        Adhesion.objects.create(
            foyer=foyer,
            type=Adhesion.Type.DESISTEMENT,
            date=demenage_le,
            note=_("Moved out"),
            saisie_par=par,
        )
    journaliser(
        par=par,
        action="foyer.demenagement",
        objet=foyer,
        message=_("Move-out on %(date)s.") % {"date": _date(demenage_le)},
    )
    return foyer


# --- The household's contact details and profile ------------------------------------------------


@transaction.atomic
def foyer_modifier(*, foyer: Foyer, nom: str, telephone: str = "", email: str = "", par) -> Foyer:
    foyer = Foyer.objects.select_for_update().get(pk=foyer.pk)
    anciens = {"nom": foyer.nom, "telephone": foyer.telephone, "email": foyer.email}
    foyer.nom, foyer.telephone, foyer.email = nom, telephone, email
    changes = [k for k, v in anciens.items() if getattr(foyer, k) != v]
    if not changes:
        return foyer
    foyer.save(update_fields=[*changes, "modifie_le"])
    foyers_recherche_recalculer([foyer.pk])
    journaliser(
        par=par,
        action="foyer.coordonnees",
        objet=foyer,
        message=_("Changed: %(fields)s.")
        % {"fields": ", ".join(str(Foyer._meta.get_field(k).verbose_name) for k in changes)},
        details={"champs": sorted(changes)},
    )
    return foyer


@transaction.atomic
def foyer_profil_enregistrer(
    *,
    foyer: Foyer,
    minima_sociaux: bool | None,
    personne_isolee: bool | None,
    famille_monoparentale: bool | None,
    par,
) -> Foyer:
    """Record the profile for the yearly report, with the household's consent given now."""
    foyer = Foyer.objects.select_for_update().get(pk=foyer.pk)
    foyer.consentement_profil_le = timezone.now()
    foyer.minima_sociaux = minima_sociaux
    foyer.personne_isolee = personne_isolee
    foyer.famille_monoparentale = famille_monoparentale
    foyer.save(
        update_fields=[
            "consentement_profil_le",
            "minima_sociaux",
            "personne_isolee",
            "famille_monoparentale",
            "modifie_le",
        ]
    )
    # The answers themselves stay out of the history.
    journaliser(
        par=par,
        action="foyer.profil",
        objet=foyer,
        message=_("Profile recorded with the household’s consent."),
    )
    return foyer


@transaction.atomic
def foyer_profil_effacer(*, foyer: Foyer, par) -> Foyer:
    """The household withdraws its consent: the profile is erased."""
    foyer = Foyer.objects.select_for_update().get(pk=foyer.pk)
    foyer.consentement_profil_le = None
    foyer.minima_sociaux = foyer.personne_isolee = foyer.famille_monoparentale = None
    foyer.save(
        update_fields=[
            "consentement_profil_le",
            "minima_sociaux",
            "personne_isolee",
            "famille_monoparentale",
            "modifie_le",
        ]
    )
    journaliser(
        par=par, action="foyer.profil_efface", objet=foyer, message=_("Consent withdrawn: profile erased.")
    )
    return foyer


# --- Occupants ----------------------------------------------------------------------------------


@transaction.atomic
def personne_ajouter(
    *,
    foyer: Foyer,
    prenom: str,
    nom: str,
    annee_naissance: int | None = None,
    telephone: str = "",
    email: str = "",
    par,
) -> Personne:
    foyer = Foyer.objects.select_for_update().get(pk=foyer.pk)
    personne = Personne.objects.create(
        foyer=foyer,
        prenom=prenom,
        nom=nom,
        annee_naissance=annee_naissance,
        telephone=telephone,
        email=email,
    )
    foyers_recherche_recalculer([foyer.pk])
    journaliser(
        par=par,
        action="personne.ajout",
        objet=personne,
        message=_("Added to the household “%(foyer)s”.") % {"foyer": foyer.nom},
    )
    return personne


@transaction.atomic
def personne_modifier(
    *,
    personne: Personne,
    prenom: str,
    nom: str,
    annee_naissance: int | None = None,
    telephone: str = "",
    email: str = "",
    par,
) -> Personne:
    personne = Personne.objects.select_for_update().get(pk=personne.pk)
    nouveaux = {
        "prenom": prenom,
        "nom": nom,
        "annee_naissance": annee_naissance,
        "telephone": telephone,
        "email": email,
    }
    changes = [k for k, v in nouveaux.items() if getattr(personne, k) != v]
    if not changes:
        return personne
    for k in changes:
        setattr(personne, k, nouveaux[k])
    personne.save(update_fields=[*changes, "modifie_le"])
    if personne.foyer_id:
        foyers_recherche_recalculer([personne.foyer_id])
    journaliser(
        par=par,
        action="personne.modification",
        objet=personne,
        message=_("Changed: %(fields)s.")
        % {"fields": ", ".join(str(Personne._meta.get_field(k).verbose_name) for k in changes)},
        details={"champs": sorted(changes)},
    )
    return personne


@transaction.atomic
def personne_retirer(*, personne: Personne, par) -> Personne:
    """The person no longer lives in the household; they stay known (workshops, certificates)."""
    personne = Personne.objects.select_for_update(of=("self",)).select_related("foyer").get(pk=personne.pk)
    foyer = personne.foyer
    if foyer is None:
        return personne
    personne.foyer = None
    personne.save(update_fields=["foyer", "modifie_le"])
    foyers_recherche_recalculer([foyer.pk])
    journaliser(
        par=par,
        action="personne.depart",
        objet=personne,
        message=_("Left the household “%(foyer)s”.") % {"foyer": foyer.nom},
    )
    return personne
