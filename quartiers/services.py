"""Writes of the quartiers app: campaigns, milestones, door-to-door visits, and the campaign's documents."""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ipt.journal import journaliser
from ipt.models import Travail
from ipt.travaux import travail_creer
from logements.models import Immeuble, Logement
from quartiers.models import Campagne, Jalon, Quartier, Visite

# The kinds of background job of a campaign (see quartiers/tasks.py).
NATURE_PLAQUETTES = "quartiers.plaquettes"
NATURE_FEUILLES = "quartiers.feuilles_tournee"
NATURES_CAMPAGNE = [NATURE_PLAQUETTES, NATURE_FEUILLES]


# --- Campaigns and milestones -------------------------------------------------------------------


def _jour_local(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment else None


def _ouverture_du_vote(campagne: Campagne, *, sauf: Jalon | None = None) -> date | None:
    """The day the campaign's vote opens: the vote's own opening, else the "vote" milestone's planned
    date (``sauf`` that milestone, being edited); ``None`` when nothing says yet."""
    scrutin = _scrutin(campagne)
    if scrutin is not None:
        return _jour_local(scrutin.ouvre_le)
    jalons = campagne.jalons.filter(type=Jalon.Type.VOTE)
    if sauf is not None and sauf.pk:
        jalons = jalons.exclude(pk=sauf.pk)
    return jalons.order_by("date_prevue").values_list("date_prevue", flat=True).first()


def _message_reunion_apres_vote(reunion: date, vote: date) -> str:
    return _(
        "The public meeting (%(reunion)s) cannot be after the opening of the vote (%(vote)s): the tenants "
        "are told before they vote. Move the meeting earlier, or the vote later."
    ) % {"reunion": date_format(reunion, "DATE_FORMAT"), "vote": date_format(vote, "DATE_FORMAT")}


@transaction.atomic
def campagne_creer(*, quartier: Quartier, intitule: str, par) -> Campagne:
    campagne = Campagne.objects.create(quartier=quartier, intitule=intitule)
    journaliser(
        par=par,
        action="quartiers.campagne_creation",
        objet=campagne,
        message=_("Campaign created for the %(quartier)s neighbourhood.") % {"quartier": quartier.nom},
        details={"quartier": quartier.pk},
    )
    return campagne


CHAMPS_REUNION = ("reunion_debut", "reunion_lieu", "reunion_participants", "reunion_compte_rendu")


@transaction.atomic
def campagne_reunion_enregistrer(
    *,
    campagne: Campagne,
    reunion_debut: datetime | None,
    reunion_lieu: str,
    reunion_participants: int | None,
    reunion_compte_rendu: str,
    par,
) -> Campagne:
    """The public meeting's record: when, where, how many came, what was said.

    Refused when the meeting would be after the vote opens. A record (minutes) marks the meeting done.
    """
    ouverture = _ouverture_du_vote(campagne)
    jour = _jour_local(reunion_debut)
    if jour and ouverture and jour > ouverture:
        raise ValidationError(_message_reunion_apres_vote(jour, ouverture))
    avant = Campagne.objects.select_for_update().values(*CHAMPS_REUNION).get(pk=campagne.pk)
    campagne.reunion_debut = reunion_debut
    campagne.reunion_lieu = reunion_lieu
    campagne.reunion_participants = reunion_participants
    campagne.reunion_compte_rendu = reunion_compte_rendu
    campagne.save(update_fields=[*CHAMPS_REUNION, "modifie_le"])
    changes = [nom for nom in CHAMPS_REUNION if getattr(campagne, nom) != avant[nom]]
    journaliser(
        par=par,
        action="quartiers.reunion_enregistrement",
        objet=campagne,
        message=_("Public meeting’s record saved."),
        details={
            "champs": changes,
            "reunion_debut": reunion_debut.isoformat() if reunion_debut else None,
            "participants": reunion_participants,
        },
    )
    return campagne


CHAMPS_JALON = ("type", "date_prevue", "date_fin_prevue", "date_reelle", "note")


def _verifier_jalon(campagne: Campagne, jalon: Jalon, reelle_avant: date | None = None) -> None:
    """Refuse, in French, a milestone that contradicts what it stands for (nothing is written).

    An actual date already stored (``reelle_avant``: entered earlier, or written when the vote opened)
    is kept: only a new or changed one is checked."""
    erreurs = []
    if jalon.date_fin_prevue and jalon.date_fin_prevue < jalon.date_prevue:
        erreurs.append(_("The planned end date cannot be before the planned date."))
    if jalon.date_reelle and jalon.date_reelle != reelle_avant:
        if jalon.type == Jalon.Type.VOTE:
            erreurs.append(
                _(
                    "The vote milestone takes its dates and its result from the vote itself: leave its "
                    "actual date empty."
                )
            )
        elif jalon.type == Jalon.Type.REUNION and not campagne.reunion_compte_rendu.strip():
            erreurs.append(
                _("The public meeting is done once its record is entered: enter the meeting’s record.")
            )
        elif jalon.type == Jalon.Type.PORTE_A_PORTE:
            erreurs.append(
                _(
                    "The door-to-door round is done when enough dwellings are told, as the visits entered "
                    "show: leave its actual date empty."
                )
            )
    if jalon.type == Jalon.Type.REUNION:
        ouverture = _ouverture_du_vote(campagne)
        jour = jalon.date_reelle or jalon.date_prevue
        if ouverture and jour > ouverture:
            erreurs.append(_message_reunion_apres_vote(jour, ouverture))
    elif jalon.type == Jalon.Type.VOTE and not _scrutin(campagne):
        reunions = campagne.jalons.filter(type=Jalon.Type.REUNION).exclude(pk=jalon.pk)
        jour = (
            _jour_local(campagne.reunion_debut)
            or reunions.order_by("-date_prevue").values_list("date_prevue", flat=True).first()
        )
        if jour and jour > jalon.date_prevue:
            erreurs.append(_message_reunion_apres_vote(jour, jalon.date_prevue))
    if erreurs:
        raise ValidationError(erreurs)


def _scrutin(campagne: Campagne):
    from quartiers import selectors

    return selectors.scrutin_campagne(campagne)


def _dates(jalon: Jalon) -> dict:
    return {
        nom: (v.isoformat() if isinstance(v, date) else v)
        for nom in CHAMPS_JALON
        if (v := getattr(jalon, nom)) not in (None, "")
    }


@transaction.atomic
def jalon_ajouter(
    *,
    campagne: Campagne,
    type: str,  # noqa: A002 — the model's field name
    date_prevue: date,
    date_fin_prevue: date | None = None,
    date_reelle: date | None = None,
    note: str = "",
    par,
) -> Jalon:
    jalon = Jalon(
        campagne=campagne,
        type=type,
        date_prevue=date_prevue,
        date_fin_prevue=date_fin_prevue,
        date_reelle=date_reelle,
        note=note,
    )
    _verifier_jalon(campagne, jalon)
    jalon.save()
    journaliser(
        par=par,
        action="quartiers.jalon_ajout",
        objet=campagne,
        message=_("Milestone “%(jalon)s” added.") % {"jalon": jalon.get_type_display()},
        details={"jalon": jalon.pk, **_dates(jalon)},
    )
    return jalon


@transaction.atomic
def jalon_modifier(*, jalon: Jalon, par, **champs) -> Jalon:
    inconnus = set(champs) - set(CHAMPS_JALON)
    if inconnus:
        raise TypeError(f"Unknown milestone fields: {', '.join(sorted(inconnus))}")
    avant, reelle_avant = _dates(jalon), jalon.date_reelle
    for nom, valeur in champs.items():
        setattr(jalon, nom, valeur)
    _verifier_jalon(jalon.campagne, jalon, reelle_avant)
    jalon.save(update_fields=[*champs, "modifie_le"])
    journaliser(
        par=par,
        action="quartiers.jalon_modification",
        objet=jalon.campagne,
        message=_("Milestone “%(jalon)s” changed.") % {"jalon": jalon.get_type_display()},
        details={"jalon": jalon.pk, "avant": avant, "apres": _dates(jalon)},
    )
    return jalon


@transaction.atomic
def jalon_supprimer(*, jalon: Jalon, par) -> None:
    campagne, details = jalon.campagne, {"jalon": jalon.pk, **_dates(jalon)}
    libelle = jalon.get_type_display()
    jalon.delete()
    journaliser(
        par=par,
        action="quartiers.jalon_suppression",
        objet=campagne,
        message=_("Milestone “%(jalon)s” deleted.") % {"jalon": libelle},
        details=details,
    )


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
    par,
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
        Logement.objects.presents(timezone.localdate())
        .filter(pk__in=pks, immeuble=immeuble)
        .values_list("pk", flat=True)
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
                        saisie_par=par,
                    )
                )
                continue
            visite, *doublons = du_jour[::-1]  # keep the latest one entered that day
            a_supprimer += [v.pk for v in doublons]
            if (visite.resultat, visite.note) != (saisie.resultat, saisie.note):
                visite.resultat, visite.note, visite.saisie_par = saisie.resultat, saisie.note, par
                a_modifier.append(visite)
        Visite.objects.bulk_create(a_creer)
        Visite.objects.bulk_update(a_modifier, ["resultat", "note", "saisie_par"])
        if a_supprimer:
            Visite.objects.filter(pk__in=a_supprimer).delete()
        bilan = BilanSaisie(creees=len(a_creer), modifiees=len(a_modifier), supprimees=len(a_supprimer))
        journaliser(
            par=par,
            action="quartiers.visites_saisie",
            objet=campagne,
            message=_(
                "Door-to-door visits of %(immeuble)s on %(jour)s: %(creees)s new, %(modifiees)s corrected, "
                "%(supprimees)s removed."
            )
            % {
                "immeuble": immeuble.nom or immeuble.adresse,
                "jour": date_format(jour, "DATE_FORMAT"),
                "creees": bilan.creees,
                "modifiees": bilan.modifiees,
                "supprimees": bilan.supprimees,
            },
            details={
                "immeuble": immeuble.pk,
                "date": jour.isoformat(),
                "creees": bilan.creees,
                "modifiees": bilan.modifiees,
                "supprimees": bilan.supprimees,
            },
        )
    return bilan


# --- The campaign's documents (background jobs) -------------------------------------------------


def plaquettes_manques(
    campagne: Campagne, jalons: list[Jalon] | None = None, *, scrutin=None, avec_scrutin: bool = False
) -> list[str]:
    """What the leaflets still lack, or what stands against them, in French for the user; empty when
    they can be made. ``scrutin`` is the campaign's vote when the caller has it (``avec_scrutin``)."""
    from quartiers import selectors

    jalons = list(campagne.jalons.all()) if jalons is None else jalons
    scrutin = scrutin if avec_scrutin else selectors.scrutin_campagne(campagne)
    manques = []
    reunion = selectors.reunion_publique(campagne, jalons)
    vote = selectors.vote_dates(jalons, scrutin)
    if reunion is None:
        manques.append(
            _("the date of the public meeting (add the “public meeting” milestone, or fill in the meeting)")
        )
    if vote is None:
        manques.append(_("the dates of the vote (add the “tenants’ vote” milestone with its end date)"))
    if selectors.reunion_apres_vote(reunion, vote):
        manques.append(_("a public meeting before the vote (it is planned after the vote opens)"))
    if vote is not None and selectors.tarif_annonce(selectors.debut_service_prevu(vote, scrutin)) is None:
        manques.append(_("the monthly tariff in force when the service starts (add it under Tariffs)"))
    immeubles = Immeuble.objects.filter(quartier_id=campagne.quartier_id)
    if scrutin is not None and scrutin.pk and scrutin.immeubles.exists():
        immeubles = immeubles.filter(pk__in=scrutin.immeubles.values("pk"))
    if not immeubles.exists():
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
