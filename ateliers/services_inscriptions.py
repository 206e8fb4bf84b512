"""Writes of the catalogue, the sessions and the sign-ups (issue 13 points 2 to 4).

The seats of a session (or of a cycle, joined as a whole) are counted under a lock on its row
(``select_for_update``): two desks never give the same last seat, and a cancellation racing a sign-up
never overbooks. A full session puts the person on its waiting list (``rang_attente``, in order); a
cancellation gives the seat to the first waiting person at once, who is told (:func:`ateliers.avis.prevenir`).
Cancelling or moving a session tells everyone signed up or waiting.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ipt.journal import journaliser
from logements.models import Adhesion, Personne

from .avis import prevenir
from .models import Atelier, Cycle, Inscription, Seance

GRATUIT = Decimal("0.00")
AGE_MINIMUM_PAYANT = 17


# --- Reads the rules need ------------------------------------------------------------------------


def foyer_adherent(foyer) -> bool:
    """Whether ``foyer`` is an opted-in household today: living there, its last opt-in change an opt-in."""
    if foyer is None or foyer.demenage_le is not None:
        return False
    derniere = (
        Adhesion.objects.filter(foyer=foyer).order_by("-date", "-pk").values_list("type", flat=True)[:1]
    )
    return list(derniere) == [Adhesion.Type.ADHESION]


def prix_pour(atelier: Atelier, personne: Personne, *, adherent: bool | None = None) -> Decimal:
    """What ``personne`` pays for ``atelier``: nothing for a free workshop or an opted-in household."""
    if not atelier.payant:
        return GRATUIT
    if adherent is None:
        adherent = foyer_adherent(personne.foyer)
    return GRATUIT if adherent else atelier.prix


def _quand(seance: Seance) -> str:
    return formats.date_format(timezone.localtime(seance.debut), "DATETIME_FORMAT")


def _inscriptions_de(*, seance: Seance | None = None, cycle: Cycle | None = None):
    return (
        Inscription.objects.filter(cycle=cycle)
        if cycle is not None
        else Inscription.objects.filter(seance=seance)
    )


# --- Catalogue -------------------------------------------------------------------------------------


@transaction.atomic
def atelier_enregistrer(*, atelier: Atelier, themes, par) -> Atelier:
    """Create or change a workshop of the catalogue (``atelier`` unsaved or changed by its form)."""
    nouveau = atelier.pk is None
    if atelier.payant and not atelier.age_minimum:
        atelier.age_minimum = AGE_MINIMUM_PAYANT
    if not atelier.payant:
        atelier.prix = None
    atelier.full_clean()
    atelier.save()
    atelier.themes.set(themes)
    journaliser(
        par=par,
        action="ateliers.atelier_creer" if nouveau else "ateliers.atelier_modifier",
        message=(
            _("Workshop “%(titre)s” added to the catalogue.")
            if nouveau
            else _("Workshop “%(titre)s” changed.")
        )
        % {"titre": atelier.titre},
        objet=atelier,
        details={"payant": atelier.payant, "prix": str(atelier.prix) if atelier.prix is not None else None},
    )
    return atelier


# --- Planning ----------------------------------------------------------------------------------------


def _verifier_debut(debut: datetime.datetime) -> None:
    if debut <= timezone.now():
        raise ValidationError(_("A session is planned in the future."), code="passe")


@transaction.atomic
def seance_creer(*, atelier, quartier, debut, duree, lieu, capacite, animateurs, par, cycle=None) -> Seance:
    """Plan one session (alone, or in ``cycle``)."""
    _verifier_debut(debut)
    seance = Seance.objects.create(
        atelier=atelier,
        cycle=cycle,
        quartier=quartier,
        debut=debut,
        duree=duree,
        lieu=lieu,
        capacite=capacite,
    )
    seance.animateurs.set(animateurs)
    if cycle is None:
        journaliser(
            par=par,
            action="ateliers.seance_creer",
            message=_("Session of “%(titre)s” planned on %(quand)s.")
            % {"titre": atelier.titre, "quand": _quand(seance)},
            objet=seance,
        )
    return seance


@transaction.atomic
def cycle_creer(
    *,
    atelier,
    intitule,
    quartier,
    premier_debut,
    nombre,
    intervalle_jours,
    duree,
    lieu,
    capacite,
    animateurs,
    par,
) -> Cycle:
    """Plan a cycle: ``nombre`` sessions every ``intervalle_jours`` days at the same local hour (whatever
    the daylight saving time), joined as a whole."""
    _verifier_debut(premier_debut)
    cycle = Cycle.objects.create(atelier=atelier, intitule=intitule, capacite=capacite)
    local = timezone.localtime(premier_debut)
    for i in range(nombre):
        jour = local.date() + datetime.timedelta(days=i * intervalle_jours)
        debut = timezone.make_aware(datetime.datetime.combine(jour, local.time().replace(tzinfo=None)))
        seance_creer(
            atelier=atelier,
            quartier=quartier,
            debut=debut,
            duree=duree,
            lieu=lieu,
            capacite=capacite,
            animateurs=animateurs,
            par=par,
            cycle=cycle,
        )
    journaliser(
        par=par,
        action="ateliers.cycle_creer",
        message=_("Cycle “%(cycle)s”: %(n)d sessions planned from %(quand)s.")
        % {"cycle": cycle, "n": nombre, "quand": formats.date_format(local, "DATETIME_FORMAT")},
        objet=cycle,
        details={"seances": nombre, "intervalle_jours": intervalle_jours},
    )
    return cycle


def _tous_les_concernes(seance: Seance):
    qs = (
        _inscriptions_de(seance=seance, cycle=seance.cycle)
        if seance.cycle_id
        else _inscriptions_de(seance=seance)
    )
    return qs.exclude(statut=Inscription.Statut.ANNULEE).select_related("personne").order_by("pk")


@transaction.atomic
def seance_modifier(*, seance: Seance, debut, duree, lieu, capacite, animateurs, par) -> Seance:
    """Move a session or change its seats and facilitators. Moving it tells everyone signed up or waiting;
    more seats give them to the waiting list at once; fewer seats than people signed up is refused."""
    seance = Seance.objects.select_for_update().get(pk=seance.pk)
    if seance.statut == Seance.Statut.ANNULEE:
        raise ValidationError(_("This session is cancelled."), code="annulee")
    avant = {"debut": seance.debut, "duree": seance.duree, "lieu": seance.lieu}
    deplacee = debut != seance.debut or duree != seance.duree or lieu.strip() != seance.lieu
    if debut != seance.debut:
        _verifier_debut(debut)
    # The seats of a session of a cycle are the cycle's: changing them changes every session of the cycle.
    cycle = Cycle.objects.select_for_update().get(pk=seance.cycle_id) if seance.cycle_id else None
    inscrits = _inscriptions_de(seance=seance, cycle=cycle).filter(statut=Inscription.Statut.INSCRITE).count()
    if capacite < inscrits:
        raise ValidationError(
            _("%(n)d people are signed up: the session needs at least as many seats.") % {"n": inscrits},
            code="capacite",
        )
    seance.debut, seance.duree, seance.lieu, seance.capacite = debut, duree, lieu.strip(), capacite
    seance.save()
    if cycle is not None and cycle.capacite != capacite:
        cycle.capacite = capacite
        cycle.save(update_fields=["capacite", "modifie_le"])
        cycle.seances.update(capacite=capacite)
    seance.animateurs.set(animateurs)
    journaliser(
        par=par,
        action="ateliers.seance_modifier",
        message=_("Session of “%(titre)s” on %(quand)s changed.")
        % {"titre": seance.atelier.titre, "quand": _quand(seance)},
        objet=seance,
        details={"avant": {k: str(v) for k, v in avant.items()}, "capacite": capacite},
    )
    if deplacee:
        texte = _("The session of “%(titre)s” is moved to %(quand)s, %(lieu)s.") % {
            "titre": seance.atelier.titre,
            "quand": _quand(seance),
            "lieu": seance.lieu,
        }
        for inscription in _tous_les_concernes(seance):
            prevenir(
                inscription.personne,
                objet=_("Session moved"),
                texte=texte,
                cle=f"seance-{seance.pk}-deplacee-{seance.debut.isoformat()}-{seance.lieu}-{inscription.personne_id}",
                par=par,
            )
    if cycle is not None:
        _promouvoir(seance=None, cycle=cycle, capacite=cycle.capacite, atelier=seance.atelier, par=par)
    else:
        _promouvoir(seance=seance, cycle=None, capacite=seance.capacite, atelier=seance.atelier, par=par)
    return seance


@transaction.atomic
def seance_annuler(*, seance: Seance, motif: str, par) -> Seance:
    """Cancel a session (its sign-ups stay, for the record) and tell everyone signed up or waiting."""
    seance = Seance.objects.select_for_update().get(pk=seance.pk)
    if seance.statut == Seance.Statut.ANNULEE:
        raise ValidationError(_("This session is already cancelled."), code="deja_annulee")
    motif = motif.strip()
    if not motif:
        raise ValidationError(_("Give the reason for cancelling."), code="motif")
    seance.statut, seance.motif_annulation = Seance.Statut.ANNULEE, motif
    seance.save(update_fields=["statut", "motif_annulation", "modifie_le"])
    concernes = list(_tous_les_concernes(seance))
    journaliser(
        par=par,
        action="ateliers.seance_annuler",
        message=_("Session of “%(titre)s” on %(quand)s cancelled: %(motif)s.")
        % {"titre": seance.atelier.titre, "quand": _quand(seance), "motif": motif},
        objet=seance,
        details={"prevenues": len(concernes)},
    )
    texte = _("The session of “%(titre)s” on %(quand)s is cancelled (%(motif)s).") % {
        "titre": seance.atelier.titre,
        "quand": _quand(seance),
        "motif": motif,
    }
    for inscription in concernes:
        prevenir(
            inscription.personne,
            objet=_("Session cancelled"),
            texte=texte,
            cle=f"seance-{seance.pk}-annulee-{inscription.personne_id}",
            par=par,
        )
    return seance


# --- Sign-ups -----------------------------------------------------------------------------------------


def _verrouiller(*, seance: Seance | None, cycle: Cycle | None):
    """Lock the row that holds the seats (the cycle's for a session of a cycle) and return it fresh."""
    if seance is not None and seance.cycle_id:
        seance, cycle = None, Cycle(pk=seance.cycle_id)
    if cycle is not None:
        return None, Cycle.objects.select_for_update(of=("self",)).select_related("atelier").get(pk=cycle.pk)
    return Seance.objects.select_for_update(of=("self",)).select_related("atelier").get(pk=seance.pk), None


def _seances_du_cycle(cycle: Cycle):
    return list(cycle.seances.filter(statut=Seance.Statut.PREVUE).order_by("debut", "pk"))


@transaction.atomic
def inscription_creer(
    *, personne: Personne, seance: Seance | None = None, cycle: Cycle | None = None, par
) -> Inscription:
    """Sign ``personne`` up to ``seance`` (a whole cycle for a session of a cycle) or to ``cycle``: a seat
    if one is left, else the end of the waiting list. Paid modules: 17 and over, at their price unless
    the person's household has opted in."""
    seance, cycle = _verrouiller(seance=seance, cycle=cycle)
    if cycle is not None:
        seances = _seances_du_cycle(cycle)
        if not seances or seances[-1].debut <= timezone.now():
            raise ValidationError(_("This cycle is over: no sign-up any more."), code="passee")
        atelier, capacite, premiere = cycle.atelier, cycle.capacite, seances[0]
    else:
        if seance.statut == Seance.Statut.ANNULEE:
            raise ValidationError(_("This session is cancelled."), code="annulee")
        if seance.debut <= timezone.now():
            raise ValidationError(_("This session has already started: no sign-up any more."), code="passee")
        atelier, capacite, premiere = seance.atelier, seance.capacite, seance
    inscriptions = _inscriptions_de(seance=seance, cycle=cycle)
    if inscriptions.filter(personne=personne).exclude(statut=Inscription.Statut.ANNULEE).exists():
        raise ValidationError(
            _("%(personne)s is already signed up (or waiting).") % {"personne": personne},
            code="deja_inscrite",
        )
    adherent = foyer_adherent(personne.foyer)
    if atelier.payant and not adherent:
        age_minimum = atelier.age_minimum or AGE_MINIMUM_PAYANT
        if personne.annee_naissance is None:
            raise ValidationError(
                _("This paid module is open from %(age)d years old: record the person’s year of birth.")
                % {"age": age_minimum},
                code="age_inconnu",
            )
        if timezone.localtime(premiere.debut).year - personne.annee_naissance < age_minimum:
            raise ValidationError(
                _("This paid module is open from %(age)d years old.") % {"age": age_minimum},
                code="trop_jeune",
            )
    if not atelier.payant and not adherent:
        raise ValidationError(
            _("This free workshop is for opted-in households; other inhabitants join the paid modules."),
            code="hors_programme",
        )
    prix = prix_pour(atelier, personne, adherent=adherent)
    compte = inscriptions.aggregate(
        inscrits=Count("pk", filter=Q(statut=Inscription.Statut.INSCRITE)),
        dernier=Max("rang_attente", filter=Q(statut=Inscription.Statut.ATTENTE)),
    )
    inscription = Inscription(personne=personne, seance=seance, cycle=cycle, par=par, prix=prix)
    if compte["inscrits"] < capacite:
        inscription.statut = Inscription.Statut.INSCRITE
    else:
        inscription.statut, inscription.rang_attente = (
            Inscription.Statut.ATTENTE,
            (compte["dernier"] or 0) + 1,
        )
    inscription.save()
    journaliser(
        par=par,
        action="ateliers.inscription",
        message=(
            _("%(personne)s signed up to “%(quoi)s”.")
            if inscription.statut == Inscription.Statut.INSCRITE
            else _("%(personne)s put on the waiting list of “%(quoi)s”.")
        )
        % {"personne": personne, "quoi": cycle or seance},
        objet=inscription,
        details={"statut": inscription.statut, "rang_attente": inscription.rang_attente, "prix": str(prix)},
    )
    return inscription


@transaction.atomic
def inscription_annuler(*, inscription: Inscription, par) -> Inscription | None:
    """Cancel a sign-up (or leave the waiting list). A seat freed goes at once to the first waiting
    person, who is told; returns that promoted sign-up, if any."""
    seance, cycle = _verrouiller(
        seance=Seance(pk=inscription.seance_id) if inscription.seance_id else None,
        cycle=Cycle(pk=inscription.cycle_id) if inscription.cycle_id else None,
    )
    inscription = Inscription.objects.select_for_update().select_related("personne").get(pk=inscription.pk)
    if inscription.statut == Inscription.Statut.ANNULEE:
        raise ValidationError(_("This sign-up is already cancelled."), code="deja_annulee")
    liberait_une_place = inscription.statut == Inscription.Statut.INSCRITE
    inscription.statut, inscription.rang_attente, inscription.annulee_le = (
        Inscription.Statut.ANNULEE,
        None,
        timezone.now(),
    )
    inscription.save(update_fields=["statut", "rang_attente", "annulee_le", "modifie_le"])
    cible = cycle or seance
    journaliser(
        par=par,
        action="ateliers.inscription_annuler",
        message=_("Sign-up of %(personne)s to “%(quoi)s” cancelled.")
        % {"personne": inscription.personne, "quoi": cible},
        objet=inscription,
    )
    if not liberait_une_place:
        return None
    if cycle is not None:
        promues = _promouvoir(
            seance=None, cycle=cycle, capacite=cycle.capacite, atelier=cycle.atelier, par=par
        )
    else:
        promues = _promouvoir(
            seance=seance, cycle=None, capacite=seance.capacite, atelier=seance.atelier, par=par
        )
    return promues[0] if promues else None


def _promouvoir(*, seance, cycle, capacite: int, atelier, par) -> list[Inscription]:
    """Give the free seats to the waiting list, first come first served, and tell each person.
    The caller holds the lock on the row of the seats."""
    inscriptions = _inscriptions_de(seance=seance, cycle=cycle)
    libres = capacite - inscriptions.filter(statut=Inscription.Statut.INSCRITE).count()
    if libres <= 0:
        return []
    promues = list(
        inscriptions.filter(statut=Inscription.Statut.ATTENTE)
        .select_related("personne")
        .order_by("rang_attente", "pk")[:libres]
    )
    cible = cycle or seance
    premiere = seance if seance is not None else (_seances_du_cycle(cycle) or [None])[0]
    for inscription in promues:
        inscription.statut, inscription.rang_attente, inscription.promue_le = (
            Inscription.Statut.INSCRITE,
            None,
            timezone.now(),
        )
        inscription.save(update_fields=["statut", "rang_attente", "promue_le", "modifie_le"])
        journaliser(
            par=par,
            action="ateliers.inscription_promue",
            message=_("%(personne)s gets a seat in “%(quoi)s” (waiting list).")
            % {"personne": inscription.personne, "quoi": cible},
            objet=inscription,
        )
        texte = _("A seat is free for you in “%(titre)s”: you are signed up.") % {"titre": atelier.titre}
        if premiere is not None:
            texte += " " + _("First session: %(quand)s, %(lieu)s.") % {
                "quand": _quand(premiere),
                "lieu": premiere.lieu,
            }
        prevenir(
            inscription.personne,
            objet=_("You have a seat"),
            texte=texte,
            cle=f"inscription-{inscription.pk}-promue",
            par=par,
        )
    return promues


@transaction.atomic
def personne_exterieure_creer(*, prenom, nom, annee_naissance, telephone, email, par) -> Personne:
    """An inhabitant outside the programme, recorded at a sign-up (name, year of birth, contact)."""
    personne = Personne.objects.create(
        prenom=prenom.strip(),
        nom=nom.strip(),
        annee_naissance=annee_naissance,
        telephone=telephone,
        email=email,
    )
    journaliser(
        par=par,
        action="ateliers.personne_creer",
        message=_("%(personne)s recorded (an inhabitant outside the programme).") % {"personne": personne},
        objet=personne,
    )
    return personne
