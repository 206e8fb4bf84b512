"""Writes on accounts: create, change, deactivate and reactivate an account, issue a one-time link to
set its password, record a password set through that link. Each records an audit entry in its own
transaction with :func:`ipt.journal.journaliser` — the role, the scope, active or not; never a
password, a link or a token.
"""

import logging
import smtplib
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from comptes.roles import ROLES_DES_COMPTES, noms_des_roles, perimetre_du_compte, role_du_compte
from ipt.journal import journaliser
from ipt.roles import Role

logger = logging.getLogger(__name__)
User = get_user_model()


class CompteImpossible(Exception):
    """A change refused, with the French message to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Identite:
    username: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""


def _etat(compte) -> dict:
    """What the audit trail records of an account: role, scope (names), active, admin access."""
    role = role_du_compte(compte)
    return {
        "role": role.value if role else "",
        "perimetre": [str(objet) for objet in perimetre_du_compte(compte, role)],
        "actif": compte.is_active,
        "admin": compte.is_staff,
    }


def _recharger(compte):
    """The account with fresh relations (the prefetch cache would show the state before the change)."""
    return User.objects.prefetch_related(
        "groups", *(p.relation for p in ROLES_DES_COMPTES.values() if p is not None)
    ).get(pk=compte.pk)


def _verifier(*, par, compte, role: Role, perimetre: list) -> None:
    if role not in ROLES_DES_COMPTES:
        raise CompteImpossible(_("Unknown role."))
    regle = ROLES_DES_COMPTES[role]
    if regle is not None and not perimetre:
        raise CompteImpossible(str(regle.requis))
    if regle is not None and not regle.multiple and len(perimetre) > 1:
        raise CompteImpossible(str(regle.requis))
    if compte.pk is not None and par is not None and compte.pk == par.pk and role != Role.VILLE:
        raise CompteImpossible(_("You cannot remove your own city staff role."))
    if compte.is_superuser and not (par is not None and par.is_superuser):
        raise CompteImpossible(_("Only a superuser can change a superuser's account."))
    autre = User.objects.filter(username__iexact=compte.username).exclude(pk=compte.pk)
    if autre.exists():
        raise CompteImpossible(_("This username is already taken."))


def _appliquer_role(compte, role: Role, perimetre: list) -> None:
    compte.groups.remove(*Group.objects.filter(name__in=noms_des_roles()).exclude(name=role.value))
    compte.groups.add(Group.objects.get(name=role.value))
    for autre_role, regle in ROLES_DES_COMPTES.items():
        if regle is not None:
            getattr(compte, regle.relation).set(perimetre if autre_role == role else [])


@contextmanager
def _identifiant_unique():
    """Two staff members racing for one username: the database's case-insensitive unique index
    refuses the second, said in French."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as erreur:
        raise CompteImpossible(_("This username is already taken.")) from erreur


def _differences(avant: dict, apres: dict) -> dict:
    return {
        cle: {"avant": avant.get(cle), "apres": valeur}
        for cle, valeur in apres.items()
        if avant.get(cle) != valeur
    }


def compte_creer(*, par, identite: Identite, role: Role, perimetre: list):
    """A new active account without a usable password: its owner sets one through a one-time link."""
    compte = User(
        username=identite.username,
        first_name=identite.first_name,
        last_name=identite.last_name,
        email=identite.email,
        is_active=True,
        is_staff=role == Role.VILLE,
    )
    _verifier(par=par, compte=compte, role=role, perimetre=perimetre)
    compte.set_unusable_password()
    with transaction.atomic(), _identifiant_unique():
        compte.save()
        _appliquer_role(compte, role, perimetre)
        etat = _etat(_recharger(compte))
        journaliser(
            par=par,
            action="comptes.creer",
            message=_("Account %(compte)s created (%(role)s).")
            % {"compte": compte.username, "role": role.label},
            objet=compte,
            details={"identifiant": compte.username, **etat},
        )
    return compte


def compte_modifier(*, par, compte, identite: Identite, role: Role, perimetre: list):
    """Change an account's names, email, role and scope."""
    with transaction.atomic():
        compte = User.objects.select_for_update().get(pk=compte.pk)
        avant = _etat(_recharger(compte))
        ancien_identifiant = compte.username
        champs = [
            champ
            for champ in ("username", "first_name", "last_name", "email")
            if getattr(compte, champ) != getattr(identite, champ)
        ]
        for champ in champs:
            setattr(compte, champ, getattr(identite, champ))
        _verifier(par=par, compte=compte, role=role, perimetre=perimetre)
        if not compte.is_superuser:
            compte.is_staff = role == Role.VILLE
        with _identifiant_unique():
            compte.save()
        _appliquer_role(compte, role, perimetre)
        apres = _etat(_recharger(compte))
        modifications = _differences(avant, apres)
        if "username" in champs:
            modifications["identifiant"] = {"avant": ancien_identifiant, "apres": compte.username}
        # Names and email are personal data: the trail says they changed, not what to.
        autres = [champ for champ in champs if champ != "username"]
        if not modifications and not autres:
            return compte
        journaliser(
            par=par,
            action="comptes.modifier",
            message=_("Account %(compte)s changed.") % {"compte": compte.username},
            objet=compte,
            details={"modifications": modifications, "champs_modifies": autres, **apres},
        )
    return compte


def _activation(*, par, compte, actif: bool):
    with transaction.atomic():
        compte = User.objects.select_for_update().get(pk=compte.pk)
        if not actif and par is not None and compte.pk == par.pk:
            raise CompteImpossible(_("You cannot deactivate your own account."))
        if compte.is_superuser and not (par is not None and par.is_superuser):
            raise CompteImpossible(_("Only a superuser can change a superuser's account."))
        if compte.is_active == actif:
            return compte
        compte.is_active = actif
        compte.save(update_fields=["is_active"])
        if actif:
            message = _("Account %(compte)s reactivated.")
        else:
            message = _("Account %(compte)s deactivated: it can no longer log in.")
        journaliser(
            par=par,
            action="comptes.reactiver" if actif else "comptes.desactiver",
            message=message % {"compte": compte.username},
            objet=compte,
            details={
                "modifications": {"actif": {"avant": not actif, "apres": actif}},
                **_etat(_recharger(compte)),
            },
        )
    return compte


def compte_desactiver(*, par, compte):
    """The account can no longer log in (its sessions end, its links stop working); nothing is deleted,
    so the audit trail keeps who did what."""
    return _activation(par=par, compte=compte, actif=False)


def compte_reactiver(*, par, compte):
    return _activation(par=par, compte=compte, actif=True)


# --- One-time links to set a password ---------------------------------------------------------------


def envoi_par_courriel_possible() -> bool:
    """Invitations go by email only when an SMTP server is configured (``EMAIL_HOST``)."""
    return bool(settings.EMAIL_HOST)


def reinitialisation_possible() -> bool:
    """ "Forgotten password" works with a configured SMTP server, or the console in development."""
    return bool(settings.EMAIL_HOST) or settings.DEBUG


def lien_expire_le() -> datetime:
    return timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)


@dataclass(frozen=True)
class Lien:
    url: str
    expire_le: datetime
    envoye_a: str = ""  # the address it was sent to; empty: to hand over in person
    echec_envoi: bool = False


def lien_emettre(*, par, compte, adresse_absolue, nouveau: bool = False) -> Lien:
    """A one-time link for ``compte`` to set its password, valid ``PASSWORD_RESET_TIMEOUT`` seconds and
    spent once the password is set. Sent by email when an SMTP server is configured and the account has
    an address; otherwise returned to be handed over in person. ``adresse_absolue`` turns a path into a
    full URL (``request.build_absolute_uri``)."""
    compte = User.objects.get(pk=compte.pk)
    if not compte.is_active:
        raise CompteImpossible(_("This account is deactivated: reactivate it first."))
    chemin = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(compte.pk)),
            "token": default_token_generator.make_token(compte),
        },
    )
    lien = Lien(url=adresse_absolue(chemin), expire_le=lien_expire_le())
    echec = False
    if envoi_par_courriel_possible() and compte.email:
        contexte = {"compte": compte, "lien": lien, "nouveau": nouveau}
        try:
            send_mail(
                subject=render_to_string("comptes/courriel_lien_sujet.txt", contexte).strip(),
                message=render_to_string("comptes/courriel_lien.txt", contexte),
                from_email=None,
                recipient_list=[compte.email],
            )
            lien = Lien(url=lien.url, expire_le=lien.expire_le, envoye_a=compte.email)
        except (smtplib.SMTPException, OSError):
            logger.exception("The link for account %s could not be sent by email", compte.pk)
            echec = True
    with transaction.atomic():
        journaliser(
            par=par,
            action="comptes.lien",
            message=(
                _("Link to set the password of %(compte)s sent by email.")
                if lien.envoye_a
                else _("Link to set the password of %(compte)s printed to hand over in person.")
            )
            % {"compte": compte.username},
            objet=compte,
            details={
                "canal": "courriel" if lien.envoye_a else "main_propre",
                "expire_le": lien.expire_le.isoformat(),
                "echec_envoi": echec,
            },
        )
    return Lien(url=lien.url, expire_le=lien.expire_le, envoye_a=lien.envoye_a, echec_envoi=echec)


def mot_de_passe_definir(*, form):
    """Save a password chosen through a one-time link (Django's SetPasswordForm) and record it."""
    with transaction.atomic():
        compte = form.save()
        journaliser(
            par=compte,
            action="comptes.mot_de_passe",
            message=_("%(compte)s set their password through a one-time link.") % {"compte": compte.username},
            objet=compte,
        )
    return compte
