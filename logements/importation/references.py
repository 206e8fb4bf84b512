"""Dwelling references: one spelling per dwelling, so that no dwelling is charged twice.

A reference is normalised (Unicode NFKC, which turns full-width ``ＫＥＲ`` into ``KER``; spaces
collapsed and stripped) and must then hold only ASCII letters, digits, space and ``- _ / .``.
We *refuse* other characters rather than guess: a Cyrillic ``О`` in ``SEC-LООK-1`` looks exactly like the
Latin ``O`` of ``SEC-LOOK-1``, and a landlord's software never needs it in a code, so a clear French
message (naming the character) is safer than a silent mapping. Dwellings already in the database with such
characters (written before this rule) are compared through a skeleton of the common Cyrillic and Greek
lookalikes, so a file cannot add a Latin twin beside them.
"""

from __future__ import annotations

import re
import unicodedata

from django.db.models import Q
from django.utils.translation import gettext as _

from logements.models import Bailleur, Logement

_RE_SURE = re.compile(r"[A-Za-z0-9 _./-]+")
_RE_INTERDIT = re.compile(r"[^A-Za-z0-9 _./-]")

# Cyrillic and Greek capitals and small letters that look like Latin ones (Unicode confusables).
_SOSIES = str.maketrans(
    "АВЕКМНОРСТХУІЈЅаеорсхуіјѕԁһԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧαικνορτυχ",
    "ABEKMHOPCTXYIJSaeopcxyijsdhqwABEZHIKMNOPTYXaiknoptux",
)


def normaliser_reference(texte: str) -> str:
    """NFKC, spaces collapsed and stripped."""
    if not texte.isascii():
        texte = unicodedata.normalize("NFKC", texte)
    return " ".join(texte.split()) if "  " in texte or not texte.isprintable() else texte.strip()


def caractere_interdit(reference: str) -> str | None:
    """A French reason if ``reference`` (normalised) holds a character outside the safe set."""
    if _RE_SURE.fullmatch(reference):
        return None
    caractere = _RE_INTERDIT.search(reference).group()
    nom = unicodedata.name(caractere, f"U+{ord(caractere):04X}")
    return _(
        "Reference “%(reference)s” holds the character “%(caractere)s” (%(nom)s): a reference may hold "
        "only letters A to Z without accents, digits, spaces and - _ / . (retype it)."
    ) % {"reference": reference, "caractere": caractere, "nom": nom}


def squelette(reference: str) -> str:
    """The form two references that look alike share."""
    return normaliser_reference(reference).translate(_SOSIES)


def references_sosies(bailleur: Bailleur) -> dict[str, str]:
    """Skeleton → existing reference, for the landlord's dwellings whose stored reference is not in its
    normal, safe form (double spaces, full-width or lookalike letters): a file's reference that equals
    such a skeleton collides with it."""
    pas_normales = (
        Q(reference__regex=r"[^ -~]")
        | Q(reference__contains="  ")
        | Q(reference__startswith=" ")
        | Q(reference__endswith=" ")
    )
    references = Logement.objects.filter(pas_normales, bailleur=bailleur).values_list("reference", flat=True)
    return {squelette(reference): reference for reference in references}
