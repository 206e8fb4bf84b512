"""Writes of the quartiers app: campaigns, milestones, door-to-door visits, and the campaign's documents."""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipt.models import Travail
from ipt.travaux import travail_creer
from logements.models import Immeuble, Logement
from quartiers.models import Campagne, Jalon, Quartier, Visite

# The kinds of background job of a campaign (see quartiers/tasks.py).
NATURE_PLAQUETTES = "quartiers.plaquettes"
NATURE_FEUILLES = "quartiers.feuilles_tournee"
NATURES_CAMPAGNE = [NATURE_PLAQUETTES, NATURE_FEUILLES]


# --- Campaigns and milestones -------------------------------------------------------------------


@transaction.atomic
def campagne_creer(*, quartier: Quartier, intitule: str) -> Campagne:
    return Campagne.objects.create(quartier=quartier, intitule=intitule)


@transaction.atomic
def campagne_reunion_enregistrer(
    *,
    campagne: Campagne,
    reunion_debut: datetime | None,
    reunion_lieu: str,
    reunion_participants: int | None,
    reunion_compte_rendu: str,
) -> Campagne:
    """The public meeting's record: when, where, how many came, what was said."""
    campagne.reunion_debut = reunion_debut
    campagne.reunion_lieu = reunion_lieu
    campagne.reunion_participants = reunion_participants
    campagne.reunion_compte_rendu = reunion_compte_rendu
    campagne.save(
        update_fields=[
            "reunion_debut",
            "reunion_lieu",
            "reunion_participants",
            "reunion_compte_rendu",
            "modifie_le",
        ]
    )
    return campagne


CHAMPS_JALON = ("type", "date_prevue", "date_fin_prevue", "date_reelle", "note")


@transaction.atomic
def jalon_ajouter(
    *,
    campagne: Campagne,
    type: str,  # noqa: A002 — the model's field name
    date_prevue: date,
    date_fin_prevue: date | None = None,
    date_reelle: date | None = None,
    note: str = "",
) -> Jalon:
    return Jalon.objects.create(
        campagne=campagne,
        type=type,
        date_prevue=date_prevue,
        date_fin_prevue=date_fin_prevue,
        date_reelle=date_reelle,
        note=note,
    )


@transaction.atomic
def jalon_modifier(*, jalon: Jalon, **champs) -> Jalon:
    inconnus = set(champs) - set(CHAMPS_JALON)
    if inconnus:
        raise TypeError(f"Unknown milestone fields: {', '.join(sorted(inconnus))}")
    for nom, valeur in champs.items():
        setattr(jalon, nom, valeur)
    jalon.save(update_fields=[*champs, "modifie_le"])
    return jalon


@transaction.atomic
def jalon_supprimer(*, jalon: Jalon) -> None:
    jalon.delete()


# --- Door-to-door visits ------------------------------------------------------------------------


@dataclass(frozen=True)
class Saisie:
    """One door of the entry form: its result that day ("" = not visited that day) and a note."""

    logement_id: int
    resultat: str
    note: str = ""


@dataclass(frozen=True)
class BilanSaisie:
    creees: int
    modifiees: int
    supprimees: int


def visites_enregistrer(
    *,
    campagne: Campagne,
    immeuble: Immeuble,
    jour: date,
    saisies: list[Saisie],
    saisie_par,
) -> BilanSaisie:
    """Record a round's visits of one building in one transaction: all of them, or none.

    The form edits the round of ``jour``: a door with a result gets that day's visit (created or
    corrected); a door left at "not visited" loses that day's visit if it had one. Other days'
    visits are never touched.
    """
    erreurs = []
    if jour > timezone.localdate():
        erreurs.append(_("The date of the round cannot be in the future."))
    if immeuble.quartier_id != campagne.quartier_id:
        erreurs.append(_("This building is not in the campaign’s neighbourhood."))
    valides = set(Visite.Resultat.values)
    pks = [s.logement_id for s in saisies]
    if len(set(pks)) != len(pks):
        erreurs.append(_("A door appears twice in the form."))
    connus = set(
        Logement.objects.filter(pk__in=pks, immeuble=immeuble, sorti_le__isnull=True).values_list(
            "pk", flat=True
        )
    )
    if set(pks) - connus:
        erreurs.append(_("Some doors of the form are not dwellings of this building."))
    for saisie in saisies:
        if saisie.resultat and saisie.resultat not in valides:
            erreurs.append(_("Unknown result “%(resultat)s”.") % {"resultat": saisie.resultat})
        if saisie.note and not saisie.resultat:
            erreurs.append(_("A note needs a result: choose what happened at that door, or clear the note."))
        if len(saisie.note) > Visite._meta.get_field("note").max_length:
            erreurs.append(_("A note is too long (500 characters at most)."))
    if erreurs:
        raise ValidationError(list(dict.fromkeys(erreurs)))

    with transaction.atomic():
        existantes: dict[int, list[Visite]] = {}
        for visite in (
            Visite.objects.select_for_update()
            .filter(campagne=campagne, date=jour, logement_id__in=pks)
            .order_by("logement_id", "pk")
        ):
            existantes.setdefault(visite.logement_id, []).append(visite)
        a_creer, a_modifier, a_supprimer = [], [], []
        for saisie in saisies:
            du_jour = existantes.get(saisie.logement_id, [])
            if not saisie.resultat:
                a_supprimer += [v.pk for v in du_jour]
                continue
            if not du_jour:
                a_creer.append(
                    Visite(
                        campagne=campagne,
                        logement_id=saisie.logement_id,
                        date=jour,
                        resultat=saisie.resultat,
                        note=saisie.note,
                        saisie_par=saisie_par,
                    )
                )
                continue
            visite, *doublons = du_jour[::-1]  # keep the latest one entered that day
            a_supprimer += [v.pk for v in doublons]
            if (visite.resultat, visite.note) != (saisie.resultat, saisie.note):
                visite.resultat, visite.note, visite.saisie_par = saisie.resultat, saisie.note, saisie_par
                a_modifier.append(visite)
        Visite.objects.bulk_create(a_creer)
        Visite.objects.bulk_update(a_modifier, ["resultat", "note", "saisie_par"])
        if a_supprimer:
            Visite.objects.filter(pk__in=a_supprimer).delete()
    return BilanSaisie(creees=len(a_creer), modifiees=len(a_modifier), supprimees=len(a_supprimer))


# --- The campaign's documents (background jobs) -------------------------------------------------


def plaquettes_manques(campagne: Campagne, jalons: list[Jalon] | None = None) -> list[str]:
    """What the leaflets still lack, in French for the user; empty when they can be made."""
    from quartiers import selectors

    jalons = list(campagne.jalons.all()) if jalons is None else jalons
    manques = []
    if selectors.reunion_publique(campagne, jalons) is None:
        manques.append(
            _("the date of the public meeting (add the “public meeting” milestone, or fill in the meeting)")
        )
    if selectors.vote_dates(jalons) is None:
        manques.append(_("the dates of the vote (add the “tenants’ vote” milestone with its end date)"))
    if not Immeuble.objects.filter(quartier_id=campagne.quartier_id).exists():
        manques.append(_("the neighbourhood’s buildings (none is recorded yet)"))
    return manques


def message_manques(manques: list[str]) -> str:
    return _("The leaflets cannot be made yet. Missing: %(manques)s.") % {"manques": "; ".join(manques)}


def plaquettes_demander(*, campagne: Campagne, demandeur) -> Travail:
    """Start the job that makes the campaign's leaflets, one per building."""
    manques = plaquettes_manques(campagne)
    if manques:
        raise ValidationError(message_manques(manques))
    return travail_creer(
        nature=NATURE_PLAQUETTES,
        parametres={"campagne": campagne.pk, "quartier": campagne.quartier_id},
        demandeur=demandeur,
    )


def feuilles_tournee_demander(
    *, campagne: Campagne, demandeur, immeuble: Immeuble | None = None, a_revoir: bool = False
) -> Travail:
    """Start the walk sheets job: the whole quartier or one building, maybe only the doors to retry."""
    if immeuble is not None and immeuble.quartier_id != campagne.quartier_id:
        raise ValidationError(_("This building is not in the campaign’s neighbourhood."))
    return travail_creer(
        nature=NATURE_FEUILLES,
        parametres={
            "campagne": campagne.pk,
            "quartier": campagne.quartier_id,
            "immeuble": immeuble.pk if immeuble else None,
            "a_revoir": a_revoir,
        },
        demandeur=demandeur,
    )
