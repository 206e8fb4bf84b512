"""“What we hold about you” (issue 15, point 2): every record about a household or a person, with its
purpose and retention, as a PDF in plain French and as a zip (``donnees.json``, the PDF, a README and a
copy of the stored files and signature images).

The records come from the register (:func:`donnees.registre.enregistrements`): one query per kind of
record that links to the household or person, whatever the number of records. Each value is given as
the programme shows it: statuses in words, dates, amounts in euros, related objects by their label,
a signature as “signature enregistrée (image)”; a household or person outside the export is never named.

What a role may read on screen bounds what it exports (least privilege): a kind of record the
requester's role does not see is listed (purpose, retention, number of records) without its details,
and the sensitive profile's answers are given only to those with the right to sensitive data
(``logements.voir_donnees_sensibles``, as on the household page; the read log then records a read of
the profile too). City staff see every kind of record.

Built synchronously (one household is small) and streamed: nothing is stored in MEDIA.
"""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.formats import date_format as date_localisee
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ipt.argent import euros
from ipt.journal import journaliser
from ipt.models import Evenement
from ipt.pdf import render_pdf
from ipt.roles import Role, roles_de, voit_donnees_sensibles

from .lectures import noter_lectures
from .models import Lecture
from .registre import REGISTRE, Categorie, Traitement, enregistrements, q_objets

# Fields that say nothing to the person (integrity hashes, idempotency keys): left out everywhere.
TECHNIQUES = frozenset({"sha256", "cle", "password"})
# Left out of the PDF only: a copy of other fields kept for searching, and the row's number.
HORS_PDF = frozenset({"id", "recherche"})
# Kinds of record whose PDF shows only these fields (the zip's JSON has them all): the audit trail
# reads as a list of dated lines.
PDF_CHAMPS = {"ipt.Evenement": ("quand", "par_nom", "objet_libelle", "message")}
# A kind of record with at most this many fields is laid out as one table with a column per field;
# beyond, each record is a small table of its own (field, value).
COLONNES_MAX = 5


# --- How a related object is named: what to join so that naming it costs no query -----------------


def _vente(v):
    return _("PC %(reference)s sold on %(date)s") % {
        "reference": v.ordinateur.reference,
        "date": date_localisee(v.date, "SHORT_DATE_FORMAT"),
    }


def _remise(r):
    return _("handover of %(date)s, receipt %(numero)s") % {
        "date": date_localisee(r.date, "SHORT_DATE_FORMAT"),
        "numero": r.recu.numero if r.recu_id else "—",
    }


def _signalement(s):
    return f"{s.get_categorie_display()} ({date_localisee(s.signale_le, 'SHORT_DATE_FORMAT')})"


def _type_objet(t):
    modele = t.model_class()
    return capfirst(str(modele._meta.verbose_name)) if modele is not None else t.model


def _paiement(p):
    return f"{p.recu.numero if p.recu_id else '—'} · {euros(p.montant)}"


# label of the related model: (relations to join from it, how to name it). Default: str() alone.
LIBELLES = {
    "auth.User": ((), lambda u: u.get_username()),
    "logements.Logement": (("immeuble",), str),
    "equipements.Vente": (("ordinateur",), _vente),
    "equipements.Remise": (("recu",), _remise),
    "equipements.Paiement": (("recu",), _paiement),
    "equipements.Derogation": ((), lambda d: d.motif),
    "equipements.Signalement": ((), _signalement),
    "equipements.JourneeRemise": (("quartier",), str),
    "equipements.EnvoiLettres": (("quartier",), str),
    "ateliers.Seance": (("atelier",), str),
    "ateliers.Cycle": (("atelier",), str),
    "contenttypes.ContentType": ((), lambda t: _type_objet(t)),
}
# The people and households: named only when the export is about them.
SUJETS = ("logements.Foyer", "logements.Personne")


# --- What the export holds ---------------------------------------------------------------------------


@dataclass
class Valeur:
    json: object
    texte: str


@dataclass
class Fiche:
    """One record: its values, field by field (in the order of the section's fields)."""

    pk: int
    valeurs: dict[str, Valeur]

    def cellules(self, champs) -> list[str]:
        return [self.valeurs[nom].texte for nom, _libelle in champs]


@dataclass
class Section:
    """One kind of record: what the register says of it, and the records."""

    traitement: Traitement
    champs: list[tuple[str, str]]  # (field, its label), every field given
    fiches: list[Fiche]
    nombre: int
    retenue: bool  # details withheld from this requester's role
    profil_montre: bool = False  # some answers of the sensitive profile are given

    @property
    def label(self) -> str:
        return self.traitement.label

    @property
    def nom(self) -> str:
        return capfirst(str(self.traitement.modele._meta.verbose_name_plural))

    @property
    def champs_pdf(self) -> list[tuple[str, str]]:
        seuls = PDF_CHAMPS.get(self.label)
        if seuls:
            return [(nom, libelle) for nom, libelle in self.champs if nom in seuls]
        return [(nom, libelle) for nom, libelle in self.champs if nom not in HORS_PDF]

    @property
    def en_colonnes(self) -> bool:
        return len(self.champs_pdf) <= COLONNES_MAX

    @property
    def lignes_pdf(self) -> list[list[str]]:
        return [f.cellules(self.champs_pdf) for f in self.fiches]

    @property
    def fiches_pdf(self) -> list[list[tuple[str, str]]]:
        """Each record as (label, value) pairs, the fields it holds nothing in left out."""
        return [
            [
                (libelle, f.valeurs[nom].texte)
                for nom, libelle in self.champs_pdf
                if f.valeurs[nom].json is not None
            ]
            for f in self.fiches
        ]

    @property
    def conservation(self) -> str:
        texte = str(self.traitement.conservation)
        jours = self.traitement.duree_jours()
        if jours:
            texte += " " + _("(%(jours)s days)") % {"jours": jours}
        return texte

    @property
    def visible_par(self) -> list[str]:
        return [str(Role(r).label) for r in self.traitement.visible_par]


@dataclass
class Export:
    foyer: object | None
    personne: object | None
    personnes: list
    genere_le: datetime.datetime
    par: object
    sections: list[Section]
    fichiers: dict[str, bytes] = field(default_factory=dict)  # path in the zip → content
    profil_montre: bool = False  # a read of the sensitive profile, logged as such

    @property
    def sujet(self) -> str:
        if self.foyer is not None:
            return _("the household %(nom)s") % {"nom": self.foyer.nom}
        return str(self.personne)

    @property
    def nombre(self) -> int:
        return sum(s.nombre for s in self.sections)

    @property
    def nom_fichier(self) -> str:
        if self.foyer is not None:
            return f"donnees-foyer-{self.foyer.pk}"
        return f"donnees-personne-{self.personne.pk}"


def collecter(*, par, foyer=None, personne=None) -> Export:
    """Everything held about ``foyer`` (the household and all its people) or ``personne`` (that person
    alone), as ``par`` may read it. One query per kind of record that can link to them (found or not),
    plus one per many-to-many field of the kinds that have records: never one per record."""
    if (foyer is None) == (personne is None):
        raise ValueError("an export is about a household or a person")
    with translation.override(settings.LANGUAGE_CODE):
        if foyer is not None:
            personnes = sorted(foyer.occupants.all(), key=lambda p: (p.nom, p.prenom, p.pk))
            foyers_pks, personnes_pks = [foyer.pk], [p.pk for p in personnes]
            connus = {"logements.Foyer": {foyer.pk}, "logements.Personne": set(personnes_pks)}
        else:
            personnes = [personne]
            foyers_pks, personnes_pks = [], [personne.pk]
            # The person's own household is named (their record says where they live); no other.
            connus = {
                "logements.Foyer": {personne.foyer_id} - {None},
                "logements.Personne": {personne.pk},
            }
        roles = {str(r.value) for r in roles_de(par)}
        profil = voit_donnees_sensibles(par)
        export = Export(
            foyer=foyer,
            personne=personne,
            personnes=personnes,
            genere_le=timezone.now(),
            par=par,
            sections=[],
        )
        for traitement, qs in enregistrements(foyers=foyers_pks, personnes=personnes_pks):
            section = _section(
                traitement, qs, roles=roles, profil=profil, connus=connus, fichiers=export.fichiers
            )
            if section is not None:
                export.sections.append(section)
                export.profil_montre |= section.profil_montre
        journal = _journal(
            export.sections, roles=roles, profil=profil, connus=connus, fichiers=export.fichiers
        )
        if journal is not None:
            export.sections.append(journal)
        # The household and its people first, then the register's order.
        export.sections.sort(key=lambda s: SUJETS.index(s.label) if s.label in SUJETS else len(SUJETS))
        return export


def _journal(sections, *, roles, profil, connus, fichiers) -> Section | None:
    """The audit trail's entries about the records listed (what was done to each, when, by whom): one
    query for the content types at most, one for the entries. Records the requester does not see in
    detail are not looked up."""
    listes = {s.traitement.modele: [str(f.pk) for f in s.fiches] for s in sections if s.fiches}
    if not listes:
        return None
    types = ContentType.objects.get_for_models(*listes, for_concrete_models=False)
    objets = {types[modele]: pks for modele, pks in listes.items()}
    qs = Evenement.objects.filter(q_objets(objets, "type_objet", "objet_id")).order_by("quand", "pk")
    return _section(
        REGISTRE[Evenement._meta.label], qs, roles=roles, profil=profil, connus=connus, fichiers=fichiers
    )


def _champs(modele) -> list[models.Field]:
    champs = [f for f in modele._meta.concrete_fields if f.name not in TECHNIQUES]
    champs += [f for f in modele._meta.many_to_many if f.name not in TECHNIQUES]
    return champs


def _section(traitement, qs, *, roles, profil: bool, connus, fichiers) -> Section | None:
    modele = traitement.modele
    champs = _champs(modele)
    libelles = [(f.name, capfirst(str(f.verbose_name))) for f in champs]
    retenue = "ville" not in roles and not (set(traitement.visible_par) & roles)
    if retenue:
        nombre = qs.count()
        if not nombre:
            return None
        return Section(traitement=traitement, champs=libelles, fiches=[], nombre=nombre, retenue=True)
    relations = []
    for f in champs:
        if f.many_to_one or f.one_to_one:
            relations.append(f.name)
            relations += [f"{f.name}__{r}" for r in LIBELLES.get(f.related_model._meta.label, ((), str))[0]]
    qs = qs.select_related(*relations).prefetch_related(*[f.name for f in champs if f.many_to_many])
    # The sensitive profile's answers: only with the right to sensitive data, as on the household page.
    champs_profil = {nom for nom, d in traitement.donnees.items() if d.categorie == Categorie.PROFIL}
    fiches, montre = [], False
    for objet in qs:
        valeurs = {}
        for f in champs:
            rempli = getattr(objet, f.attname) not in (None, "")
            if f.name in champs_profil and rempli and not profil:
                texte = _("(shown only to those with the right to see sensitive data)")
                valeurs[f.name] = Valeur(texte, texte)
            else:
                montre |= f.name in champs_profil and rempli
                valeurs[f.name] = _valeur(objet, f, connus=connus, fichiers=fichiers)
        fiches.append(Fiche(pk=objet.pk, valeurs=valeurs))
    if not fiches:
        return None
    return Section(
        traitement=traitement,
        champs=libelles,
        fiches=fiches,
        nombre=len(fiches),
        retenue=False,
        profil_montre=montre,
    )


def _libelle(objet) -> str:
    label = objet._meta.label
    return str(LIBELLES.get(label, ((), str))[1](objet))


def _valeur(objet, f, *, connus, fichiers) -> Valeur:
    """One field's value for the JSON (JSON-safe) and for the PDF (in words)."""
    if f.many_to_many:
        noms = [_libelle(o) for o in getattr(objet, f.name).all()]
        return Valeur(noms, ", ".join(noms) or "—")
    if f.is_relation:
        pk = getattr(objet, f.attname)
        if pk is None:
            return Valeur(None, "—")
        label = f.related_model._meta.label
        if label in SUJETS and pk not in connus.get(label, ()):
            texte = _("(another household)") if label == "logements.Foyer" else _("(another person)")
            return Valeur(texte, texte)
        texte = _libelle(getattr(objet, f.name))
        return Valeur(texte, texte)
    brut = getattr(objet, f.attname)
    if f.choices:
        if brut in (None, ""):
            return Valeur(None, "—")
        texte = capfirst(str(getattr(objet, f"get_{f.name}_display")()))
        return Valeur(texte, texte)
    if brut is None or brut == "":
        return Valeur(None, "—")
    if isinstance(f, models.BinaryField):
        if not brut:
            return Valeur(None, "—")
        chemin = f"fichiers/{objet._meta.label}/{objet.pk}-{f.name}.png"
        fichiers[chemin] = bytes(brut)
        texte = _("signature recorded (image)")
        return Valeur({"description": texte, "fichier": chemin}, texte)
    if isinstance(f, models.FileField):
        nom = PurePosixPath(brut.name).name
        chemin = f"fichiers/{objet._meta.label}/{nom}"
        try:
            with brut.open("rb") as fichier:
                fichiers[chemin] = fichier.read()
        except (FileNotFoundError, OSError):
            texte = _("%(nom)s (the file could not be read)") % {"nom": nom}
            return Valeur({"description": texte, "fichier": None}, texte)
        texte = _("%(nom)s (a copy is in the digital export)") % {"nom": nom}
        return Valeur({"description": nom, "fichier": chemin}, texte)
    if isinstance(brut, bool):
        return Valeur(brut, _("yes") if brut else _("no"))
    if isinstance(brut, datetime.datetime):
        local = timezone.localtime(brut) if timezone.is_aware(brut) else brut
        return Valeur(local.isoformat(), date_localisee(local, "DATETIME_FORMAT"))
    if isinstance(brut, datetime.date):
        return Valeur(brut.isoformat(), date_localisee(brut, "DATE_FORMAT"))
    if isinstance(brut, datetime.time):
        return Valeur(brut.isoformat(), date_format(brut, "H:i"))
    if isinstance(brut, datetime.timedelta):
        minutes = int(brut.total_seconds() // 60)
        heures, reste = divmod(minutes, 60)
        texte = f"{heures} h {reste:02d}" if heures else f"{reste} min"
        return Valeur(int(brut.total_seconds()), texte)
    if isinstance(brut, Decimal):
        texte = euros(brut) if getattr(f, "decimal_places", None) == 2 else str(brut)
        return Valeur(str(brut), texte)
    if isinstance(f, models.JSONField):
        if isinstance(brut, list):
            texte = ", ".join(str(v) for v in brut)
        elif isinstance(brut, dict):
            texte = "; ".join(f"{k} : {v}" for k, v in brut.items())
        else:
            texte = str(brut)
        return Valeur(brut, texte or "—")
    return Valeur(brut, str(brut))


# --- The documents ---------------------------------------------------------------------------------


def _contexte(export: Export) -> dict:
    return {"export": export, "sections": export.sections}


def pdf(export: Export) -> bytes:
    """The PDF in plain French: who it is about, the controller and the person's rights, then one
    section per kind of record."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf("pdf/donnees_export.html", _contexte(export))


def donnees_json(export: Export) -> dict:
    """The machine-readable export (JSON-safe: dates ISO 8601, amounts as strings)."""
    emetteur = settings.EMETTEUR
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "about": {
                "type": "foyer" if export.foyer is not None else "personne",
                "foyer": {"id": export.foyer.pk, "nom": export.foyer.nom} if export.foyer else None,
                "personnes": [{"id": p.pk, "prenom": p.prenom, "nom": p.nom} for p in export.personnes],
                "responsable_du_traitement": {
                    "nom": emetteur["nom"],
                    "service": emetteur["service"],
                    "adresse": f"{emetteur['adresse']}, {emetteur['code_postal_ville']}",
                    "telephone": emetteur["telephone"],
                    "courriel": emetteur["courriel"],
                },
            },
            "generated_at": timezone.localtime(export.genere_le).isoformat(),
            "generated_by": export.par.get_username(),
            "records": {
                s.label: {
                    "name": s.nom,
                    "purpose": str(s.traitement.finalite),
                    "legal_basis": str(s.traitement.base_legale),
                    "retention": str(s.traitement.conservation),
                    "retention_days": s.traitement.duree_jours(),
                    "legal_hold": str(s.traitement.obligation) or None,
                    "visible_to": s.visible_par,
                    "count": s.nombre,
                    "withheld": s.retenue,
                    "fields": dict(s.champs),
                    "items": [{nom: v.json for nom, v in f.valeurs.items()} for f in s.fiches],
                }
                for s in export.sections
            },
        }


def lisez_moi(export: Export) -> str:
    emetteur = settings.EMETTEUR
    with translation.override(settings.LANGUAGE_CODE):
        date = date_localisee(timezone.localtime(export.genere_le), "DATETIME_FORMAT")
        return "\n".join(
            [
                _("What we hold about you — %(sujet)s") % {"sujet": export.sujet},
                _("Produced on %(date)s by %(service)s, %(ville)s.")
                % {"date": date, "service": emetteur["service"], "ville": emetteur["nom"]},
                "",
                _("This archive holds:"),
                _("- ce-que-nous-detenons.pdf: the same records, to read and print;"),
                _(
                    "- donnees.json: every record, grouped by kind (“records”), with its purpose "
                    "(“purpose”), legal basis (“legal_basis”), retention (“retention”) and the value of "
                    "each field (“items”); dates in ISO 8601 (2026-11-30), amounts in euros as text "
                    "(“40.00”);"
                ),
                _("- fichiers/: a copy of the documents and signature images named in it."),
                "",
                _(
                    "To have something corrected or erased, ask at the desk of your centre social or "
                    "write to %(service)s, %(adresse)s, %(cp)s (%(courriel)s)."
                )
                % {
                    "service": emetteur["service"],
                    "adresse": emetteur["adresse"],
                    "cp": emetteur["code_postal_ville"],
                    "courriel": emetteur["courriel"],
                },
                "",
            ]
        )


def archive(export: Export, contenu_pdf: bytes | None = None) -> bytes:
    """The zip: donnees.json, the PDF, README.txt and the copies of files and signatures."""
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("donnees.json", json.dumps(donnees_json(export), ensure_ascii=False, indent=2))
        z.writestr("ce-que-nous-detenons.pdf", contenu_pdf if contenu_pdf is not None else pdf(export))
        z.writestr("README.txt", lisez_moi(export))
        for chemin, contenu in sorted(export.fichiers.items()):
            z.writestr(chemin, contenu)
    return tampon.getvalue()


# --- The log ---------------------------------------------------------------------------------------


def export_journaliser(*, export: Export, par, format: str) -> None:
    """Record the export in the audit trail and in the read log, together."""
    objet = export.foyer if export.foyer is not None else export.personne
    with transaction.atomic():
        journaliser(
            par=par,
            action="donnees.export",
            message=_("Export of what we hold (%(format)s): %(n)s records.")
            % {"format": format.upper(), "n": export.nombre},
            objet=objet,
            details={
                "format": format,
                "foyer": export.foyer.pk if export.foyer is not None else None,
                "personne": export.personne.pk if export.personne is not None else None,
                "enregistrements": {s.label: s.nombre for s in export.sections},
            },
        )
        lues = [Lecture.Quoi.EXPORT, *([Lecture.Quoi.PROFIL] if export.profil_montre else [])]
        noter_lectures(par=par, quois=lues, foyer=export.foyer, personne=export.personne)
