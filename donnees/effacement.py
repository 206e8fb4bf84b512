"""Erasure on request (issue 15, point 3): previewed, then done in place, in one transaction.

Driven by the register (``donnees/registre.py``): for each declared model with records about the
household (and its people) or the person, the fields whose fate is EFFACER are emptied and those whose
fate is ANONYMISER replaced by their neutral value; STATISTIQUE fields stay on the now anonymous rows and
CONSERVER fields stay under the legal hold the register names. Rows are never deleted: every count the
dashboards and the cash book make stays the same.

What the register cannot reach by its lookup paths is handled here too:

- the audit trail (``ipt.Evenement``): the entries about the records erased lose their object's label and
  the names, phones and emails in their message and details; any other entry that names the person in
  full (or the household as the services quote it, “Dupont”), their phone or email loses those words;
- the admin's log (``admin.LogEntry``) likewise;
- background jobs (``ipt.Travail``): a file that may name households (letters, walk sheets, notices)
  is deleted when it names this one, or when it is the file of a mailing (late-comers' letters, a batch
  of workshop letters) that included them (a batch holds every letter: the whole file goes, the
  mailing's rows stay, and its page says the file was deleted; other batches are not read); names in a
  job's parameters are masked;
- the notes of the door-to-door visits to the household's dwelling while it lived there;
- files (receipts' and certificates' PDFs) are deleted from storage once the transaction commits.

The immutable rows let exactly this change through (equipements 0014, ateliers 0010): a handover's or
return's signature image and note go (``efface_le`` set), a receipt's printed copy goes
(``pdf_efface_le`` set; its number, date and SHA-256 stay), a certificate's holder name and PDF go
(``efface_le`` set; the public verification page then says the holder's data were erased).

Entry points: :func:`apercu` (what goes, what stays and why, what stands in the way),
:func:`effacer` (the checks, then :func:`anonymiser`, then the :class:`~donnees.models.Effacement`
record and the audit entry, which name no one) and :func:`anonymiser` (the in-place work alone,
without the pending checks: the retention purge calls it too).
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess  # noqa: S404 — pdftotext, a fixed command on our own files
import zipfile
from dataclasses import dataclass, field

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ipt.argent import euros
from ipt.journal import journaliser
from ipt.models import Evenement, Travail

from .registre import (
    Sort,
    Traitement,
    enregistrements,
    objets_enregistres,
    q_objets,
    traitement,
    valeurs_effacees,
)

MASQUE = "(anonymisé)"
TAILLE_LOT = 500
# The background jobs whose files may name households or people (the others hold figures only).
NATURES_NOMINATIVES = (
    "ateliers.lettres",
    "ateliers.reticents_courriers",
    "charges.avis_annuels",
    "equipements.lettres_retardataires",
    "equipements.rappels_versement",
    "quartiers.feuilles_tournee",
)
# Fields computed from others, written again once the others are erased (not emptied first).
DERIVES = {"logements.Foyer": ("recherche",)}
# Rows marked when their personal data were erased (the immutability triggers let this change through
# once): the field that records when, and what must hold for a row to need it.
MARQUES = {
    "equipements.Recu": ("pdf_efface_le", ~Q(pdf="")),
    "equipements.Remise": ("efface_le", Q()),
    "equipements.Restitution": ("efface_le", Q()),
    "ateliers.Certificat": ("efface_le", Q()),
}


# --- Who is erased, and the words that name them ----------------------------------------------------


@dataclass
class Cibles:
    foyers: list[int]
    personnes: list[int]
    termes_forts: list[re.Pattern] = field(default_factory=list)  # masked wherever they appear
    termes_tous: list[re.Pattern] = field(default_factory=list)  # masked in what is about the records
    termes_fichiers: list[re.Pattern] = field(default_factory=list)  # a file naming them is deleted
    textes: list[str] = field(default_factory=list)  # the strong words themselves (a coarse SQL filter)
    telephones: list[str] = field(default_factory=list)  # the phones' digits

    def nomme(self, texte: str, *, tous: bool = False) -> bool:
        return self.mot_trouve(texte, tous=tous) is not None

    def mot_trouve(self, texte: str, *, tous: bool = False) -> str | None:
        """The first name, phone or email of theirs found in ``texte``, as written there."""
        for rx in self.termes_tous if tous else self.termes_forts:
            trouve = rx.search(texte)
            if trouve:
                return trouve.group(0)
        return None


def _mot(texte: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + re.escape(texte.strip()) + r"(?!\w)", re.IGNORECASE)


def _telephone(telephone: str) -> re.Pattern | None:
    from logements.selectors import chiffres_telephone

    chiffres = chiffres_telephone(telephone or "")
    if len(chiffres) < 6:
        return None
    separateur = r"[\s.\-]?"
    if chiffres.startswith("0"):
        debut = r"(?:\+33|0033|0)" + separateur + r"(?:\(0\)\s?)?"
        chiffres = chiffres[1:]
    else:
        debut = ""
    return re.compile(r"(?<!\d)" + debut + separateur.join(chiffres) + r"(?!\d)")


def _neutres() -> set[str]:
    """The neutral values the register puts in place of names ("Foyer anonymisé", "Personne"…): an
    erased record brings no word to look for."""
    from .registre import traitements

    valeurs = {MASQUE}
    for t in traitements():
        valeurs |= {str(d.remplacement) for d in t.donnees.values() if isinstance(d.remplacement, str)}
    return {v.casefold() for v in valeurs if v}


def cibles(*, foyers=(), personnes=()) -> Cibles:
    """The households and people to erase (a household brings its occupants), and the words naming them:
    names, phones, emails, as they are before the erasure."""
    from ateliers.models import Certificat
    from logements.models import Foyer, Personne
    from logements.selectors import chiffres_telephone

    foyer_ids = sorted({getattr(f, "pk", f) for f in foyers})
    personne_ids = {getattr(p, "pk", p) for p in personnes}
    personne_ids |= set(Personne.objects.filter(foyer__in=foyer_ids).values_list("pk", flat=True))
    c = Cibles(foyers=foyer_ids, personnes=sorted(personne_ids))
    neutres = _neutres()
    forts, faibles, fichiers, telephones = set(), set(), set(), set()

    def nom(*parties):
        parties = [p.strip() for p in parties]
        return "" if all(p.casefold() in neutres or not p for p in parties) else " ".join(parties)

    for nom_foyer, telephone, email in Foyer.objects.filter(pk__in=foyer_ids).values_list(
        "nom", "telephone", "email"
    ):
        if nom(nom_foyer):
            faibles.add(nom_foyer)
            fichiers.add(nom_foyer)
            forts.update({f"“{nom_foyer.strip()}”", f'"{nom_foyer.strip()}"'})
        telephones.add(telephone)
        forts.add(email)
    personnes_qs = Personne.objects.filter(pk__in=c.personnes)
    noms = list(personnes_qs.values_list("prenom", "nom", "telephone", "email"))
    certificats = Certificat.objects.filter(personne__in=c.personnes).values_list("prenom", "nom")
    noms += [(p, n, "", "") for p, n in certificats]
    for prenom, nom_personne, telephone, email in noms:
        if nom(prenom, nom_personne):
            forts.update({nom(prenom, nom_personne), nom(nom_personne, prenom)})
            faibles.update({p for p in (prenom, nom_personne) if nom(p)})
        telephones.add(telephone)
        forts.add(email)
    forts = {t.strip() for t in forts if len(t.strip()) >= 3}
    faibles = {t.strip() for t in faibles if len(t.strip()) >= 2} | forts
    fichiers = {t.strip() for t in fichiers if len(t.strip()) >= 2} | forts
    motifs_tel = [rx for rx in map(_telephone, telephones) if rx is not None]

    def motifs(termes):
        # Longest first: "Hélène Dupont" is masked whole before "Dupont" alone.
        return [_mot(t) for t in sorted(termes, key=len, reverse=True)] + motifs_tel

    c.termes_forts, c.termes_tous, c.termes_fichiers = motifs(forts), motifs(faibles), motifs(fichiers)
    c.textes = sorted({t.strip('“”"') for t in forts})
    c.telephones = sorted({chiffres_telephone(t) for t in telephones if len(chiffres_telephone(t)) >= 6})
    return c


def _masquer(texte: str, motifs: list[re.Pattern]) -> str:
    for rx in motifs:
        texte = rx.sub(MASQUE, texte)
    return texte


def _masquer_json(valeur, motifs):
    if isinstance(valeur, str):
        return _masquer(valeur, motifs)
    if isinstance(valeur, list):
        return [_masquer_json(v, motifs) for v in valeur]
    if isinstance(valeur, dict):
        return {k: _masquer_json(v, motifs) for k, v in valeur.items()}
    return valeur


# --- What stands in the way ------------------------------------------------------------------------


def blocages(foyer_ids) -> list[str]:
    """Why the erasure should wait, in French: a PC not paid off, a decoder not returned."""
    from equipements.models import LigneRemise, Vente
    from equipements.selectors_paiements import avec_comptes

    jour = timezone.localdate()
    raisons = []
    ventes = avec_comptes(
        Vente.objects.filter(foyer__in=foyer_ids, statut=Vente.Statut.VENDUE).select_related("ordinateur"),
        jour,
    ).order_by("date", "pk")
    for vente in ventes:
        if vente.reste > 0:
            raisons.append(
                _("The PC %(pc)s sold on %(date)s is not paid off: %(reste)s remain to pay.")
                % {
                    "pc": vente.ordinateur.reference,
                    "date": formats.date_format(vente.date, "SHORT_DATE_FORMAT"),
                    "reste": euros(vente.reste),
                }
            )
    lignes = (
        LigneRemise.objects.filter(
            remise__foyer__in=foyer_ids, restitution__isnull=True, decodeur__isnull=False
        )
        .select_related("decodeur", "remise")
        .order_by("remise__date", "pk")
    )
    for ligne in lignes:
        raisons.append(
            _("The decoder %(numero)s handed out on %(date)s has not been returned.")
            % {
                "numero": ligne.decodeur.numero_serie,
                "date": formats.date_format(ligne.remise.date, "SHORT_DATE_FORMAT"),
            }
        )
    return raisons


# --- The preview ------------------------------------------------------------------------------------


@dataclass
class Champ:
    libelle: str
    sort: str
    sort_libelle: str


@dataclass
class LigneApercu:
    traitement: Traitement
    nombre: int
    effaces: list[Champ]
    gardes: list[Champ]

    @property
    def nom(self) -> str:
        return self.traitement.nom


@dataclass
class Apercu:
    cibles: Cibles
    lignes: list[LigneApercu]
    blocages: list[str]
    evenements: int
    entrees_admin: int
    travaux: int
    visites: int
    fichiers: int
    deja: list = field(default_factory=list)  # when it was erased already

    @property
    def bloque(self) -> bool:
        return bool(self.blocages)


def _champs(t: Traitement) -> tuple[list[Champ], list[Champ]]:
    effaces, gardes = [], []
    for nom, donnee in t.donnees.items():
        champ = Champ(
            libelle=str(t.modele._meta.get_field(nom).verbose_name),
            sort=donnee.sort,
            sort_libelle=str(Sort(donnee.sort).label),
        )
        (effaces if donnee.sort in (Sort.EFFACER, Sort.ANONYMISER) else gardes).append(champ)
    return effaces, gardes


def _concernes(c: Cibles) -> dict:
    """What a job's parameters name that may concern these households and people: their quartiers,
    landlords, PC sales, late-comers' mailings and batches of workshop letters."""
    from ateliers.modeles_messages import Message
    from equipements.models import Lettre, Vente
    from logements.models import Foyer, Personne

    foyers = set(c.foyers) | set(
        Personne.objects.filter(pk__in=c.personnes, foyer__isnull=False).values_list("foyer_id", flat=True)
    )
    lignes = Foyer.objects.filter(pk__in=foyers).values_list(
        "logement__immeuble__quartier_id", "logement__bailleur_id"
    )
    return {
        "quartiers": {q for q, _b in lignes},
        "bailleurs": {b for _q, b in lignes},
        "ventes": set(Vente.objects.filter(foyer__in=c.foyers).values_list("pk", flat=True)),
        "envois": set(Lettre.objects.filter(foyer__in=c.foyers).values_list("envoi_id", flat=True)),
        "lots": set(
            Message.objects.filter(personne__in=c.personnes, lot__isnull=False).values_list(
                "lot_id", flat=True
            )
        ),
    }


def _peut_nommer(travail: Travail, concernes: dict) -> bool:
    """Whether a job's file may name them, from its parameters (else its file is not read)."""
    p = travail.parametres or {}
    if travail.nature == "quartiers.feuilles_tournee":
        return p.get("quartier") in concernes["quartiers"]
    if travail.nature == "charges.avis_annuels":
        return p.get("bailleur") in concernes["bailleurs"]
    if travail.nature == "equipements.rappels_versement":
        return bool(set(p.get("ventes") or []) & concernes["ventes"])
    if travail.nature == "ateliers.reticents_courriers":
        return p.get("quartier") is None or p.get("quartier") in concernes["quartiers"]
    return True


def _travaux(c: Cibles) -> tuple[list[Travail], list[Travail]]:
    """The jobs whose file names the household or its people (to delete), and those whose parameters
    name them (to mask). A mailing that included the household loses its file whatever it says; the
    other files that may name them are read."""
    concernes = _concernes(c)
    fichiers = []
    candidats = Travail.objects.exclude(fichier="").filter(nature__in=NATURES_NOMINATIVES).order_by("pk")
    for travail in candidats:
        if travail.nature == "equipements.lettres_retardataires":
            if (travail.parametres or {}).get("envoi") in concernes["envois"]:
                fichiers.append(travail)
            continue
        if travail.nature == "ateliers.lettres":  # a batch of workshop letters: its letters say whose
            if travail.pk in concernes["lots"]:
                fichiers.append(travail)
            continue
        if _peut_nommer(travail, concernes) and _fichier_nomme(travail.fichier, c):
            fichiers.append(travail)
    parametres = [
        t
        for t in Travail.objects.annotate(p=Cast("parametres", models.TextField()))
        .filter(_q_textes("p", c))
        .order_by("pk")
        if c.nomme(json.dumps(t.parametres, ensure_ascii=False))
    ]
    return fichiers, parametres


def _q_textes(champ: str, c: Cibles) -> Q:
    """A coarse SQL filter (any of the words, any of the phones whatever their spacing), refined in
    Python with the exact patterns."""
    q = Q(pk__in=[])
    for texte in c.textes:
        q |= Q(**{f"{champ}__icontains": texte})
    for chiffres in c.telephones:
        q |= Q(**{f"{champ}__regex": "[ .-]?".join(chiffres[-8:])})
    return q


def _texte_de(contenu: bytes) -> str | None:
    """The text of a stored file: a PDF through pdftotext, a zip member by member, else the bytes.
    ``None`` when it cannot be read (then it is deleted rather than kept unread)."""
    if contenu.startswith(b"%PDF"):
        commande = shutil.which("pdftotext")
        if commande is None:
            return None
        sortie = subprocess.run(  # noqa: S603 — our own file, a fixed command
            [commande, "-q", "-", "-"], input=contenu, capture_output=True, check=False, timeout=120
        )
        return sortie.stdout.decode("utf-8", "replace") if sortie.returncode == 0 else None
    if contenu.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
                textes = [_texte_de(archive.read(n)) for n in archive.namelist()]
        except zipfile.BadZipFile:
            return contenu.decode("utf-8", "replace")
        return None if any(t is None for t in textes) else "\n".join(textes)
    return contenu.decode("utf-8", "replace")


def _fichier_nomme(fichier, c: Cibles) -> bool:
    try:
        with fichier.open("rb") as f:
            contenu = f.read()
    except (FileNotFoundError, OSError, ValueError):
        return False
    texte = _texte_de(contenu)
    if texte is None:
        return True
    texte = " ".join(texte.split())
    return any(rx.search(texte) for rx in c.termes_fichiers)


def _objets(c: Cibles) -> dict[ContentType, list[str]]:
    """The records found by the register, per content type (an erasure's own record names no one)."""
    from .models import Effacement

    return objets_enregistres(foyers=c.foyers, personnes=c.personnes, sauf=(Evenement, LogEntry, Effacement))


def _visites(c: Cibles):
    """The door-to-door visits to the households' dwellings while they lived there, with a note."""
    from logements.models import Foyer
    from quartiers.models import Visite

    q = Q(pk__in=[])
    for logement_id, debut, fin in Foyer.objects.filter(pk__in=c.foyers).values_list(
        "logement_id", "emmenage_le", "demenage_le"
    ):
        periode = Q(logement_id=logement_id, date__gte=debut)
        q |= periode & Q(date__lte=fin) if fin else periode
    return Visite.objects.filter(q).exclude(note="")


def apercu(foyer=None, personne=None) -> Apercu:
    """What an erasure of ``foyer`` (with its people) or of ``personne`` would erase, keep and why, and
    what stands in the way. Reads only."""
    c = cibles(foyers=[foyer] if foyer else [], personnes=[personne] if personne else [])
    lignes = []
    fichiers = 0
    for t, qs in enregistrements(foyers=c.foyers, personnes=c.personnes):
        if t.modele in (Evenement, LogEntry, Travail):
            continue
        nombre = qs.count()
        if not nombre:
            continue
        effaces, gardes = _champs(t)
        lignes.append(LigneApercu(traitement=t, nombre=nombre, effaces=effaces, gardes=gardes))
        for nom in _champs_fichiers(t):
            fichiers += qs.exclude(**{nom: ""}).count()
    objets = _objets(c)
    # What the erasure would change there, counted by doing it without writing.
    evenements = _anonymiser_evenements(
        list(_evenements(c, objets).values_list("pk", flat=True)), objets, c, ecrire=False
    )
    entrees = _anonymiser_entrees_admin(
        list(_entrees_admin(c, objets).values_list("pk", flat=True)), objets, c, ecrire=False
    )
    a_supprimer, _parametres = _travaux(c)
    from .models import Effacement

    deja = Effacement.objects.filter(
        Q(foyer__in=c.foyers) if foyer is not None else Q(personne__in=c.personnes)
    ).order_by("quand")
    return Apercu(
        cibles=c,
        lignes=lignes,
        blocages=blocages(c.foyers),
        evenements=evenements,
        entrees_admin=entrees,
        travaux=len(a_supprimer),
        visites=_visites(c).count(),
        fichiers=fichiers + len(a_supprimer),
        deja=list(deja.values_list("quand", flat=True)),
    )


def _champs_fichiers(t: Traitement) -> list[str]:
    return [
        nom
        for nom, d in t.donnees.items()
        if d.sort == Sort.EFFACER and isinstance(t.modele._meta.get_field(nom), models.FileField)
    ]


def _evenements(c: Cibles, objets):
    q = q_objets(objets, "type_objet", "objet_id")
    texte = Q(pk__in=[])
    for champ in ("message", "objet_libelle", "d"):
        texte |= _q_textes(champ, c)
    return Evenement.objects.annotate(d=Cast("details", models.TextField())).filter(q | texte)


def _entrees_admin(c: Cibles, objets):
    q = q_objets(objets, "content_type", "object_id")
    for champ in ("object_repr", "change_message"):
        q |= _q_textes(champ, c)
    return LogEntry.objects.filter(q)


# --- The erasure ------------------------------------------------------------------------------------


def anonymiser(*, foyers=(), personnes=(), par=None, motif: str = "") -> dict:
    """Erase and anonymise in place everything held about these households (and their people) and
    people, as the register says, plus the audit trail, the admin's log, the jobs' files and the visits'
    notes that name them. No pending check (see :func:`effacer`); ``par`` and ``motif`` are the caller's
    to record (the erasure's record, the retention purge's audit entry). Runs in one transaction (the caller's
    if any); files are deleted from storage once it commits. Returns ``{what: count}``. Running it twice
    changes nothing the second time."""
    from logements.services import foyers_recherche_recalculer

    comptes: dict[str, int] = {}
    a_supprimer: list[tuple[object, str]] = []  # (storage, name)
    maintenant = timezone.now()
    with transaction.atomic():
        c = cibles(foyers=foyers, personnes=personnes)
        if not c.foyers and not c.personnes:
            return comptes
        objets = _objets(c)  # before anything changes (the same rows after: found by keys)
        # What names them outside the register's reach, found while the names are still there.
        evenements = list(_evenements(c, objets).values_list("pk", flat=True))
        entrees = list(_entrees_admin(c, objets).values_list("pk", flat=True))
        travaux_fichiers, travaux_parametres = _travaux(c)

        for t, qs in enregistrements(foyers=c.foyers, personnes=c.personnes):
            if t.modele in (Evenement, LogEntry, Travail):
                continue
            valeurs = {k: v for k, v in valeurs_effacees(t).items() if k not in DERIVES.get(t.label, ())}
            if not valeurs:
                continue
            marque = MARQUES.get(t.label)
            if marque is not None:
                champ_marque, condition = marque
                qs = qs.filter(condition, **{f"{champ_marque}__isnull": True})
                valeurs = {**valeurs, champ_marque: maintenant}
            else:
                qs = qs.exclude(**valeurs)
            for nom in _champs_fichiers(t):
                storage = t.modele._meta.get_field(nom).storage
                a_supprimer += [(storage, n) for n in qs.exclude(**{nom: ""}).values_list(nom, flat=True)]
            n = _mettre_a_jour(qs, valeurs)
            if n:
                comptes[t.label] = n

        n = _visites(c).update(note="")
        if n:
            comptes["quartiers.Visite"] = n
        if c.foyers or c.personnes:
            from logements.models import Personne

            occupes = Personne.objects.filter(pk__in=c.personnes, foyer__isnull=False)
            touches = set(c.foyers) | set(occupes.values_list("foyer_id", flat=True))
            foyers_recherche_recalculer(sorted(touches))

        n = _anonymiser_evenements(evenements, objets, c)
        if n:
            comptes["ipt.Evenement"] = n
        n = _anonymiser_entrees_admin(entrees, objets, c)
        if n:
            comptes["admin.LogEntry"] = n
        n = 0
        for travail in travaux_fichiers:
            a_supprimer.append((travail.fichier.storage, travail.fichier.name))
            Travail.objects.filter(pk=travail.pk).update(
                fichier="",
                sha256="",
                message=_("File deleted: a household or a person it named had their data erased."),
            )
            n += 1
        for travail in travaux_parametres:
            Travail.objects.filter(pk=travail.pk).update(
                parametres=_masquer_json(travail.parametres, c.termes_forts)
            )
            n += travail not in travaux_fichiers
        if n:
            comptes["ipt.Travail"] = n
        comptes["fichiers"] = len(a_supprimer)

        def supprimer_fichiers():
            for storage, nom in a_supprimer:
                storage.delete(nom)

        transaction.on_commit(supprimer_fichiers)
    return comptes


def _mettre_a_jour(qs, valeurs: dict) -> int:
    """``qs.update(**valeurs)`` by chunks of primary keys (a household has few rows; the retention
    purge passes many)."""
    pks = list(qs.values_list("pk", flat=True))
    n = 0
    for debut in range(0, len(pks), TAILLE_LOT):
        n += qs.model._default_manager.filter(pk__in=pks[debut : debut + TAILLE_LOT]).update(**valeurs)
    return n


def _lies(objets) -> set[tuple[int, str]]:
    return {(ct.pk, pk) for ct, pks in objets.items() for pk in pks}


def _anonymiser_evenements(pks, objets, c: Cibles, *, ecrire: bool = True) -> int:
    lies = _lies(objets)
    libelle = valeurs_effacees(traitement(Evenement)).get("objet_libelle", MASQUE)
    n = 0
    for debut in range(0, len(pks), TAILLE_LOT):
        changes = []
        for e in Evenement.objects.filter(pk__in=pks[debut : debut + TAILLE_LOT]):
            lie = (e.type_objet_id, e.objet_id) in lies
            motifs = c.termes_tous if lie else c.termes_forts
            avant = (e.objet_libelle, e.message, e.details)
            e.objet_libelle = libelle if lie and e.objet_libelle else _masquer(e.objet_libelle, motifs)
            e.message = _masquer(e.message, motifs)
            e.details = _masquer_json(e.details, motifs)
            if (e.objet_libelle, e.message, e.details) != avant:
                changes.append(e)
        if ecrire:
            Evenement.objects.bulk_update(changes, ["objet_libelle", "message", "details"])
        n += len(changes)
    return n


def _anonymiser_entrees_admin(pks, objets, c: Cibles, *, ecrire: bool = True) -> int:
    lies = _lies(objets)
    valeurs = valeurs_effacees(traitement(LogEntry))
    n = 0
    for debut in range(0, len(pks), TAILLE_LOT):
        changes = []
        for e in LogEntry.objects.filter(pk__in=pks[debut : debut + TAILLE_LOT]):
            avant = (e.object_repr, e.change_message)
            if (e.content_type_id, e.object_id) in lies:
                e.object_repr = valeurs.get("object_repr", MASQUE)
                e.change_message = valeurs.get("change_message", "")
            else:
                e.object_repr = _masquer(e.object_repr, c.termes_forts)
                e.change_message = _masquer(e.change_message, c.termes_forts)
            if (e.object_repr, e.change_message) != avant:
                changes.append(e)
        if ecrire:
            LogEntry.objects.bulk_update(changes, ["object_repr", "change_message"])
        n += len(changes)
    return n


def effacer(*, foyer=None, personne=None, par, motif: str, motif_derogation: str = ""):
    """Erase a household (with its people) or a person on request: refused while something is pending
    (a PC not paid off, a decoder not returned) unless ``motif_derogation`` says why staff go on.
    One transaction: the in-place work (:func:`anonymiser`), the :class:`~donnees.models.Effacement`
    record and the audit entry, neither naming anyone. Raises ``ValidationError`` in French."""
    from logements.models import Foyer, Personne

    from .models import Effacement

    if (foyer is None) == (personne is None):
        raise ValueError("erase a household or a person")
    motif = " ".join((motif or "").split())
    motif_derogation = " ".join((motif_derogation or "").split())
    if not motif:
        raise ValidationError(_("Say why the data are erased (the request, its date)."), code="motif")
    with transaction.atomic():
        # One erasure at a time for a household or a person: the rows are locked while it runs.
        if foyer is not None:
            foyer = Foyer.objects.select_for_update().get(pk=foyer.pk)
        else:
            personne = Personne.objects.select_for_update().get(pk=personne.pk)
        c = cibles(foyers=[foyer] if foyer else [], personnes=[personne] if personne else [])
        for texte, code in ((motif, "motif"), (motif_derogation, "motif_derogation")):
            mot = c.mot_trouve(texte, tous=True) if texte else None
            if mot is not None:
                raise ValidationError(
                    _(
                        "The reason is kept after the erasure: it must not hold the person's names, "
                        "phone or email. Take out « %(mot)s »."
                    )
                    % {"mot": mot},
                    code=code,
                )
        raisons = blocages(c.foyers)
        if raisons and not motif_derogation:
            raise ValidationError(
                [_("The erasure must wait:"), *raisons, _("City staff may go on by giving a reason.")],
                code="en_attente",
            )
        comptes = anonymiser(foyers=c.foyers, personnes=[] if foyer else c.personnes, par=par, motif=motif)
        fichiers = comptes.pop("fichiers", 0)
        acteur = par if getattr(par, "pk", None) else None
        effacement = Effacement.objects.create(
            par=acteur,
            par_nom=acteur.get_username() if acteur else "",
            foyer=foyer,
            personne=personne,
            motif=motif[:255],
            blocages=raisons,
            motif_derogation=motif_derogation[:255] if raisons else "",
            comptes=comptes,
            fichiers=fichiers,
        )
        if foyer is not None:
            quoi = _("Household no. %(pk)s") % {"pk": foyer.pk}
        else:
            quoi = _("Person no. %(pk)s") % {"pk": personne.pk}
        message = _("%(quoi)s erased on request, by %(par)s, reason: %(motif)s") % {
            "quoi": quoi,
            "par": effacement.par_nom or "—",
            "motif": motif,
        }
        if raisons:
            message += " " + _("(pending matters overridden: %(motif)s)") % {"motif": motif_derogation}
        journaliser(
            par=acteur,
            action="donnees.effacement",
            message=message,
            objet=effacement,
            details={
                "foyer": foyer.pk if foyer else None,
                "personnes": c.personnes,
                "comptes": comptes,
                "fichiers": fichiers,
                "derogation": bool(raisons),
            },
        )
    return effacement
