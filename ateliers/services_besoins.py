"""Writes of the needs census and of the outreach list; each in one transaction with its audit entry."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ateliers import selectors_besoins as lectures
from ateliers.avis import prevenir
from ateliers.modeles_besoins import Besoin, Invitation, TentativeContact
from ateliers.models import Atelier, Seance, Structure, Theme
from ipt.journal import journaliser
from ipt.models import Travail
from ipt.travaux import travail_creer
from logements.models import Foyer, Personne
from quartiers.models import Quartier

NATURE_COURRIERS = "ateliers.reticents_courriers"


def besoin_enregistrer(
    *,
    personne: Personne,
    themes: list[Theme],
    lieu: str = Besoin.Lieu.ACCUEIL,
    note: str = "",
    seance: Seance | None = None,
    par,
) -> Besoin:
    """Record a need for ``personne``: its quartier is where they live, else where it was recorded."""
    if not themes:
        raise ValidationError(_("Choose at least one theme."))
    quartier_id = None
    if personne.foyer_id is not None:
        quartier_id = (
            Foyer.objects.filter(pk=personne.foyer_id)
            .values_list("logement__immeuble__quartier", flat=True)
            .get()
        )
    elif seance is not None:
        quartier_id = seance.quartier_id
    with transaction.atomic():
        besoin = Besoin.objects.create(
            personne=personne, quartier_id=quartier_id, lieu=lieu, note=note.strip(), par=par
        )
        besoin.themes.set(themes)
        journaliser(
            par=par,
            action="ateliers.besoin",
            message=_("Need recorded for %(personne)s: %(themes)s")
            % {"personne": personne, "themes": ", ".join(t.libelle for t in themes)},
            objet=personne,
            details={"besoin": besoin.pk, "themes": [t.code for t in themes], "lieu": lieu},
        )
    return besoin


def atelier_brouillon_creer(
    *,
    theme: Theme,
    quartier: Quartier | None,
    titre: str,
    structure: Structure,
    description: str = "",
    par,
) -> Atelier:
    """Draft a workshop (not yet in the catalogue) for the people of ``quartier`` who need ``theme`` and
    have no upcoming workshop in reach; they are listed on it, to be invited once its sessions are out."""
    with transaction.atomic():
        personnes = list(lectures.personnes_sans_offre(par, theme=theme, quartier=quartier))
        if not personnes:
            raise ValidationError(_("Nobody is waiting for a workshop on this theme here any more."))
        atelier = Atelier.objects.create(
            titre=titre.strip(), description=description.strip(), structure=structure, actif=False
        )
        atelier.themes.set([theme])
        Invitation.objects.bulk_create(
            Invitation(atelier=atelier, personne=p, theme=theme, quartier=quartier) for p in personnes
        )
        journaliser(
            par=par,
            action="ateliers.besoins_brouillon",
            message=_("Workshop drafted from the needs census for %(n)d people: %(titre)s")
            % {"n": len(personnes), "titre": atelier.titre},
            objet=atelier,
            details={
                "theme": theme.code,
                "quartier": quartier.pk if quartier else None,
                "personnes": len(personnes),
            },
        )
    return atelier


def invitations_envoyer(*, atelier: Atelier, par, maintenant=None) -> int:
    """Invite the people a workshop was drafted for, once it is in the catalogue with upcoming sessions.

    One notice per person through :func:`ateliers.avis.prevenir`, with a stable key; each invitation is
    marked in the same transaction, rows locked: two clicks at once, or a second click later, invite
    nobody twice. Returns the number invited now.
    """
    maintenant = maintenant or timezone.now()
    with transaction.atomic():
        atelier = Atelier.objects.select_for_update().get(pk=atelier.pk)
        seances = list(
            lectures.seances_a_venir(maintenant)
            .filter(atelier=atelier)
            .select_related("quartier")
            .order_by("debut")
        )
        if not atelier.actif or not seances:
            raise ValidationError(
                _(
                    "Publish the workshop first: put it in the catalogue with at least one upcoming session, "
                    "then invite the people who asked."
                )
            )
        a_inviter = list(
            Invitation.objects.select_for_update(of=("self",))
            .filter(atelier=atelier, invitee_le__isnull=True)
            .select_related("personne")
            .order_by("pk")
        )
        dates = "; ".join(f"{timezone.localtime(s.debut):%d/%m/%Y %H:%M}, {s.lieu}" for s in seances[:3])
        for invitation in a_inviter:
            prevenir(
                invitation.personne,
                objet=_("A workshop for you: %(titre)s") % {"titre": atelier.titre},
                texte=_(
                    "You told us you would like help with “%(theme)s”. The workshop “%(titre)s” is for you: "
                    "%(dates)s. Free for households of the programme; sign up at the social centre's desk."
                )
                % {"theme": invitation.theme.libelle, "titre": atelier.titre, "dates": dates},
                cle=f"ateliers.besoins.invitation:{atelier.pk}:{invitation.personne_id}",
                par=par,
            )
        if a_inviter:
            Invitation.objects.filter(pk__in=[i.pk for i in a_inviter]).update(
                invitee_le=maintenant, invitee_par=par, modifie_le=maintenant
            )
            journaliser(
                par=par,
                action="ateliers.besoins_invitations",
                message=_("%(n)d people invited to the workshop drafted for them: %(titre)s")
                % {"n": len(a_inviter), "titre": atelier.titre},
                objet=atelier,
                details={"personnes": [i.personne_id for i in a_inviter]},
            )
    return len(a_inviter)


def tentative_enregistrer(
    *, foyer: Foyer, canal: str, issue: str, motif: str = "", note: str = "", par, le=None
) -> TentativeContact:
    """Record an attempt to reach a household of the outreach list."""
    tentative = TentativeContact(
        foyer=foyer,
        canal=canal,
        issue=issue,
        motif=motif or "",
        note=note.strip(),
        par=par,
        le=le or timezone.now(),
    )
    if canal == TentativeContact.Canal.COURRIER and issue != TentativeContact.Issue.ENVOYE:
        raise ValidationError(_("A letter can only be recorded as sent."))
    if canal != TentativeContact.Canal.COURRIER and issue == TentativeContact.Issue.ENVOYE:
        raise ValidationError(_("“Letter sent” is only for letters."))
    if issue in (TentativeContact.Issue.INJOIGNABLE, TentativeContact.Issue.ENVOYE) and tentative.motif:
        raise ValidationError(_("Nobody answered: no reason can have been given."))
    with transaction.atomic():
        tentative.save()
        journaliser(
            par=par,
            action="ateliers.tentative_contact",
            message=_("Contact attempt (%(canal)s): %(issue)s")
            % {"canal": tentative.get_canal_display(), "issue": tentative.get_issue_display()},
            objet=foyer,
            details={"tentative": tentative.pk, "motif": tentative.motif},
        )
    return tentative


def courriers_demander(*, demandeur, mois: int, quartier: Quartier | None) -> Travail:
    """Start the job that makes the invitation letters of the outreach list, one page per household."""
    return travail_creer(
        nature=NATURE_COURRIERS,
        parametres={"mois": mois, "quartier": quartier.pk if quartier else None},
        demandeur=demandeur,
    )
