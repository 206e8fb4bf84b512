"""Visa Internet writes: assessing skills, issuing, rendering and revoking certificates, versioning the list.

Numbering follows the receipts of ``equipements``: the year's counter row is locked while a number is
taken, in the transaction that stores the certificate, so numbers have no gaps (a failed issue rolls the
counter back with it). The PDF is rendered after the commit and attached once; if that fails, it is
rendered on the first download (:func:`certificat_pdf`).
"""

import datetime
import hashlib
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ateliers import selectors_visa
from ateliers.modeles_visa import PREFIXE_NUMERO, code_verification_nouveau
from ateliers.models import (
    Certificat,
    Competence,
    CompteurCertificat,
    Evaluation,
    Referentiel,
    Structure,
)
from ipt.journal import journaliser
from ipt.pdf import render_pdf
from ipt.perimetre import couvre_tout
from logements.models import Personne
from votes.pdf import qr_svg

logger = logging.getLogger(__name__)


def _nom(user) -> str:
    if user is None:
        return ""
    return (user.get_full_name() or user.get_username())[:150]


# --- Assessments ---------------------------------------------------------------------------------------


def evaluations_enregistrer(*, personne: Personne, etats: dict[str, str], par) -> list[Evaluation]:
    """Record the skills whose assessment changed (``etats``: skill code → "acquise" | "en_cours" | "").

    An empty value or the current state records nothing; the history keeps every change, with who and
    when. Codes must be of the list in force."""
    with transaction.atomic():
        # One assessor at a time per person: two phones saving at once record both changes, in order.
        Personne.objects.select_for_update().filter(pk=personne.pk).first()
        suivi = selectors_visa.progression(personne)
        if suivi.referentiel is None:
            raise ValidationError(
                _("No list of Visa Internet skills is published yet."), code="sans_referentiel"
            )
        par_code = {ligne.competence.code: ligne for ligne in suivi.lignes}
        inconnus = sorted(set(etats) - set(par_code))
        if inconnus:
            raise ValidationError(
                _("Unknown skill: %(codes)s.") % {"codes": ", ".join(inconnus)}, code="competence_inconnue"
            )
        maintenant = timezone.now()
        nouvelles = [
            Evaluation(
                personne=personne,
                competence=par_code[code].competence,
                etat=etat,
                par=par,
                par_nom=_nom(par),
                le=maintenant,
            )
            for code, etat in etats.items()
            if etat in Evaluation.Etat.values and etat != par_code[code].etat
        ]
        if not nouvelles:
            return []
        Evaluation.objects.bulk_create(nouvelles)
        journaliser(
            par=par,
            action="visa.evaluation",
            objet=personne,
            message=_("Visa Internet: %(n)s skill(s) assessed.") % {"n": len(nouvelles)},
            details={e.competence.code: e.etat for e in nouvelles},
        )
    return nouvelles


# --- Certificates ----------------------------------------------------------------------------------


def numero_prendre(*, annee: int) -> int:
    """The next certificate rank of ``annee``; the counter row stays locked until the transaction ends."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("numero_prendre must run inside the transaction that stores the number")
    CompteurCertificat.objects.bulk_create([CompteurCertificat(annee=annee)], ignore_conflicts=True)
    compteur = CompteurCertificat.objects.select_for_update().get(annee=annee)
    compteur.dernier += 1
    compteur.save(update_fields=["dernier"])
    return compteur.dernier


def structures_emettrices(user):
    """The structures a user may issue on behalf of: all for city staff, else the ones they belong to."""
    if couvre_tout(user):
        return Structure.objects.order_by("nom")
    return Structure.objects.filter(membres=user).order_by("nom")


def certificat_emettre(
    *,
    personne: Personne,
    structure: Structure,
    par,
    jour: datetime.date | None = None,
    rendre_pdf: bool = True,
) -> Certificat:
    """Issue the certificate of ``personne``: every required skill of the list in force acquired, no
    valid certificate already. Numbered in the year of ``jour`` (today by default)."""
    jour = jour or timezone.localdate()
    try:
        with transaction.atomic():
            personne = Personne.objects.select_for_update().get(pk=personne.pk)
            if Certificat.objects.valides().filter(personne=personne).exists():
                raise ValidationError(
                    _("%(personne)s already holds a valid Visa Internet certificate.")
                    % {"personne": personne},
                    code="deja_certifie",
                )
            suivi = selectors_visa.progression(personne)
            if not suivi.complete:
                raise ValidationError(
                    _(
                        "Not every required skill is acquired yet (%(acquises)s of %(requises)s): "
                        "the certificate cannot be issued."
                    )
                    % {"acquises": suivi.requises_acquises, "requises": suivi.requises},
                    code="incomplet",
                )
            rang = numero_prendre(annee=jour.year)
            certificat = Certificat.objects.create(
                annee=jour.year,
                rang=rang,
                numero=f"{PREFIXE_NUMERO}-{jour.year}-{rang:05d}",
                code=code_verification_nouveau(),
                personne=personne,
                prenom=personne.prenom,
                nom=personne.nom,
                referentiel=suivi.referentiel,
                acquises=suivi.codes_acquis,
                structure=structure,
                emis_le=jour,
                emis_par=par,
                emis_par_nom=_nom(par),
            )
            journaliser(
                par=par,
                action="visa.certificat",
                objet=personne,
                message=_("Visa Internet certificate %(numero)s issued.") % {"numero": certificat.numero},
                details={
                    "numero": certificat.numero,
                    "structure": structure.pk,
                    "version": suivi.referentiel.version,
                },
            )
    except IntegrityError as erreur:  # another issue for the same person won the race
        if "certificat_un_valide_par_personne" in str(erreur):
            raise ValidationError(
                _("%(personne)s already holds a valid Visa Internet certificate.") % {"personne": personne},
                code="deja_certifie",
            ) from erreur
        raise
    if rendre_pdf:
        try:
            certificat_pdf(certificat=certificat)
        except Exception:  # rendered again on the first download
            logger.exception("Visa Internet: the PDF of %s could not be rendered at issue", certificat.numero)
    return certificat


def lien_verification(certificat: Certificat) -> str:
    """The public verification page of a certificate, as an absolute URL (``settings.SITE_URL``)."""
    return settings.SITE_URL.rstrip("/") + reverse("visa_verifier", args=[certificat.code])


def contexte_pdf(certificat: Certificat) -> dict:
    referentiel = certificat.referentiel
    acquises = set(certificat.acquises)
    competences = list(referentiel.competences.order_by("ordre", "pk"))
    domaines: dict[str, list[Competence]] = {}
    for competence in competences:
        if competence.obligatoire or competence.code in acquises:
            domaines.setdefault(competence.domaine, []).append(competence)
    lien = lien_verification(certificat)
    return {
        "certificat": certificat,
        "domaines": list(domaines.items()),
        "lien": lien,
        "qr": qr_svg(lien),
    }


def certificat_pdf(*, certificat: Certificat) -> bytes:
    """The certificate's PDF: the stored file, or rendered now and attached once (then final)."""
    certificat = Certificat.objects.select_related("structure", "referentiel").get(pk=certificat.pk)
    if certificat.efface_le is not None and not certificat.pdf:
        # The holder's data were erased on request: a copy made now, without the name, not stored.
        return render_pdf("pdf/ateliers_visa_certificat.html", contexte_pdf(certificat))
    if certificat.sha256:
        with certificat.pdf.open("rb") as fichier:
            return fichier.read()
    contenu = render_pdf("pdf/ateliers_visa_certificat.html", contexte_pdf(certificat))
    with transaction.atomic():
        verrouille = Certificat.objects.select_for_update().get(pk=certificat.pk)
        if verrouille.sha256:  # another request attached it meanwhile: serve that one
            with verrouille.pdf.open("rb") as fichier:
                return fichier.read()
        verrouille.sha256 = hashlib.sha256(contenu).hexdigest()
        verrouille.pdf.save(f"{verrouille.numero}.pdf", ContentFile(contenu), save=False)
        verrouille.save(update_fields=["pdf", "sha256"])
    return contenu


def certificat_revoquer(*, certificat: Certificat, motif: str, par) -> Certificat:
    """Revoke a certificate, once, with a reason: its public page then says it is revoked."""
    motif = (motif or "").strip()
    if not motif:
        raise ValidationError(_("Give the reason for revoking this certificate."), code="motif")
    with transaction.atomic():
        certificat = Certificat.objects.select_for_update().get(pk=certificat.pk)
        if certificat.revoque_le is not None:
            raise ValidationError(
                _("Certificate %(numero)s is already revoked.") % {"numero": certificat.numero},
                code="deja_revoque",
            )
        certificat.revoque_le = timezone.now()
        certificat.motif_revocation = motif[:255]
        certificat.revoque_par = par
        certificat.save(update_fields=["revoque_le", "motif_revocation", "revoque_par"])
        journaliser(
            par=par,
            action="visa.revocation",
            objet=certificat.personne,
            message=_("Visa Internet certificate %(numero)s revoked: %(motif)s")
            % {"numero": certificat.numero, "motif": certificat.motif_revocation},
            details={"numero": certificat.numero},
        )
    return certificat


# --- Versions of the list ----------------------------------------------------------------------------


def referentiel_nouvelle_version(*, depuis: Referentiel, par) -> Referentiel:
    """A draft copy of ``depuis`` with the next version number, for staff to edit then publish."""
    with transaction.atomic():
        derniere = Referentiel.objects.select_for_update().order_by("-version").first()
        brouillon = Referentiel.objects.create(
            version=(derniere.version if derniere else 0) + 1, intitule=depuis.intitule
        )
        Competence.objects.bulk_create(
            Competence(
                referentiel=brouillon,
                code=c.code,
                domaine=c.domaine,
                libelle=c.libelle,
                obligatoire=c.obligatoire,
                ordre=c.ordre,
            )
            for c in depuis.competences.order_by("ordre", "pk")
        )
        journaliser(
            par=par,
            action="visa.referentiel",
            objet=brouillon,
            message=_("Draft version %(v)s of the Visa Internet list made from version %(depuis)s.")
            % {"v": brouillon.version, "depuis": depuis.version},
        )
    return brouillon


def referentiel_publier(*, referentiel: Referentiel, par, jour: datetime.date | None = None) -> Referentiel:
    """Publish a draft: it becomes the list in force, and never changes again."""
    with transaction.atomic():
        referentiel = Referentiel.objects.select_for_update().get(pk=referentiel.pk)
        if referentiel.publie:
            raise ValidationError(_("This version is already published."), code="deja_publie")
        if not referentiel.competences.filter(obligatoire=True).exists():
            raise ValidationError(_("A list of skills needs at least one required skill."), code="vide")
        plus_recente = Referentiel.objects.publies().order_by("-version").first()
        if plus_recente and plus_recente.version > referentiel.version:
            raise ValidationError(
                _("Version %(v)s is already published: make a new draft from it.")
                % {"v": plus_recente.version},
                code="perime",
            )
        referentiel.publie_le = jour or timezone.localdate()
        referentiel.save(update_fields=["publie_le"])
        journaliser(
            par=par,
            action="visa.referentiel",
            objet=referentiel,
            message=_("Version %(v)s of the Visa Internet list published.") % {"v": referentiel.version},
        )
    return referentiel
