"""Ballot codes: short, unambiguous, with a check character.

A code is 6 random characters and 1 check character from a 32-character alphabet without 0, O, 1 and I
(so nothing can be misread), printed as ``ABC-DEFG``. The check character (Luhn mod 32) catches any
single mistyped character and any swap of two neighbours: a mistyped code is refused before it is looked up.
"""

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
N = len(ALPHABET)  # 32
LONGUEUR = 7  # 6 random characters + the check character
_INDICE = {c: i for i, c in enumerate(ALPHABET)}
_SEPARATEURS = re.compile(r"[\s\-–—._/]+")


class CodeInvalide(ValueError):
    """A code that cannot be one of ours; ``motif`` says why, for people."""

    def __init__(self, motif: str):
        super().__init__(motif)
        self.motif = motif


def caractere_de_controle(corps: str) -> str:
    """Luhn mod N: the character that makes the whole code check."""
    facteur, somme = 2, 0
    for caractere in reversed(corps):
        addend = facteur * _INDICE[caractere]
        facteur = 1 if facteur == 2 else 2
        somme += addend // N + addend % N
    return ALPHABET[(N - somme % N) % N]


def est_valide(code: str) -> bool:
    return (
        len(code) == LONGUEUR
        and all(c in _INDICE for c in code)
        and caractere_de_controle(code[:-1]) == code[-1]
    )


def generer(existants: set[str] | None = None) -> str:
    """A new code, not among ``existants`` (which it joins)."""
    existants = existants if existants is not None else set()
    while True:
        corps = "".join(secrets.choice(ALPHABET) for _ in range(LONGUEUR - 1))
        code = corps + caractere_de_controle(corps)
        if code not in existants:
            existants.add(code)
            return code


def afficher(code: str) -> str:
    """``ABCDEFG`` → ``ABC-DEFG``, as printed."""
    return f"{code[:3]}-{code[3:]}"


def normaliser(saisie: str) -> str:
    """What a person typed or a scanner read (maybe the QR code's link) → the code, or ``CodeInvalide``.

    Case, spaces and dashes do not matter. Messages are for people (the caller translates them).
    """
    texte = (saisie or "").strip()
    if "code=" in texte:  # the QR code holds a link to the entry page with ?code=…
        texte = texte.split("code=", 1)[1].split("&", 1)[0]
    code = _SEPARATEURS.sub("", texte).upper()
    if not code:
        raise CodeInvalide("vide")
    if any(c in "01OI" for c in code):
        raise CodeInvalide("ambigu")
    if len(code) != LONGUEUR or any(c not in _INDICE for c in code):
        raise CodeInvalide("longueur")
    if not est_valide(code):
        raise CodeInvalide("controle")
    return code
