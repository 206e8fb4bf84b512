"""Join PDFs rendered in different processes into one, without a PDF library.

A long statement is rendered in parts by several workers; each part is a PDF written by WeasyPrint
with ``uncompressed_pdf=True``, that is by pydyf in its plain layout: numbered objects one after the
other, a classic cross-reference table, a trailer, streams with a direct ``/Length``. That layout is
all this module reads (it refuses anything else). The parts' objects are renumbered one after the
other, their pages gathered under one page tree, their streams compressed, and a new catalog written.
What is dropped: each part's catalog and page tree, and so its outline (bookmarks), which statements
do not use.
"""

import re
import zlib

_XREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_TRAILER = re.compile(rb"trailer\s*<<(.*?)>>\s*startxref", re.S)
_ENTREE = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_LONGUEUR = re.compile(rb"/Length (\d+)")
_FILTRE = re.compile(rb"/Filter\b")
_REF = re.compile(rb"(\d+) (\d+) R")
_PARENT = re.compile(rb"/Parent \d+ 0 R")


class PdfIllisible(ValueError):
    """A part is not a PDF in pydyf's plain layout."""


def _fin_dictionnaire(donnees: bytes, debut: int) -> int:
    """The index just after the dictionary that starts at ``debut`` (``<<``), strings skipped."""
    profondeur, i, n = 0, debut, len(donnees)
    while i < n:
        c = donnees[i : i + 1]
        if c == b"(":  # literal string, with escapes and balanced parentheses
            niveau, i = 1, i + 1
            while i < n and niveau:
                if donnees[i : i + 1] == b"\\":
                    i += 2
                    continue
                niveau += {b"(": 1, b")": -1}.get(donnees[i : i + 1], 0)
                i += 1
            continue
        if donnees[i : i + 2] == b"<<":
            profondeur, i = profondeur + 1, i + 2
            continue
        if donnees[i : i + 2] == b">>":
            profondeur, i = profondeur - 1, i + 2
            if profondeur == 0:
                return i
            continue
        if c == b"<":  # hex string
            i = donnees.index(b">", i) + 1
            continue
        i += 1
    raise PdfIllisible("unterminated dictionary")


def _renumeroter(texte: bytes, decalage: int) -> bytes:
    """Shift every indirect reference ``n 0 R`` of ``texte`` by ``decalage``, outside strings."""
    morceaux, i, debut, n = [], 0, 0, len(texte)
    while i < n:
        c = texte[i : i + 1]
        if c == b"(":
            niveau, j = 1, i + 1
            while j < n and niveau:
                if texte[j : j + 1] == b"\\":
                    j += 2
                    continue
                niveau += {b"(": 1, b")": -1}.get(texte[j : j + 1], 0)
                j += 1
            morceaux.append(_REF.sub(lambda m: _decaler(m, decalage), texte[debut:i]))
            morceaux.append(texte[i:j])
            i = debut = j
            continue
        if c == b"<" and texte[i + 1 : i + 2] != b"<" and (i == 0 or texte[i - 1 : i] != b"<"):
            j = texte.index(b">", i) + 1
            morceaux.append(_REF.sub(lambda m: _decaler(m, decalage), texte[debut:i]))
            morceaux.append(texte[i:j])
            i = debut = j
            continue
        i += 1
    morceaux.append(_REF.sub(lambda m: _decaler(m, decalage), texte[debut:]))
    return b"".join(morceaux)


def _decaler(m: re.Match, decalage: int) -> bytes:
    return b"%d %s R" % (int(m.group(1)) + decalage, m.group(2))


def _lire(pdf: bytes) -> tuple[dict[int, tuple[bytes, bytes | None]], int, int | None, int]:
    """The objects of a plain pydyf PDF: {number: (dictionary or value, stream or None)}, root, info, size."""
    fin = _XREF.search(pdf[-64:])
    if not fin:
        raise PdfIllisible("no startxref")
    position = int(fin.group(1))
    if pdf[position : position + 4] != b"xref":
        raise PdfIllisible("not a classic cross-reference table (write it with uncompressed_pdf=True)")
    lignes = pdf[position:].split(b"\n", 2)
    premier, taille = (int(x) for x in lignes[1].split())
    objets = {}
    for numero, entree in enumerate(_ENTREE.finditer(pdf, position), start=premier):
        if numero >= premier + taille:
            break
        if entree.group(3) != b"n":
            continue
        debut = int(entree.group(1))
        entete = b"%d 0 obj\n" % numero
        if pdf[debut : debut + len(entete)] != entete:
            raise PdfIllisible(f"object {numero} not where the table says")
        corps = debut + len(entete)
        if pdf[corps : corps + 2] == b"<<":
            fin_dict = _fin_dictionnaire(pdf, corps)
            dictionnaire = pdf[corps:fin_dict]
            if pdf[fin_dict : fin_dict + 8] == b"\nstream\n":
                longueur = _LONGUEUR.search(dictionnaire)
                if not longueur:
                    raise PdfIllisible(f"stream {numero} without a direct /Length")
                debut_flux = fin_dict + 8
                flux = pdf[debut_flux : debut_flux + int(longueur.group(1))]
                objets[numero] = (dictionnaire, flux)
            else:
                objets[numero] = (dictionnaire, None)
        else:
            objets[numero] = (pdf[corps : pdf.index(b"\nendobj", corps)], None)
    trailer = _TRAILER.search(pdf, position)
    if not trailer:
        raise PdfIllisible("no trailer")
    racine = re.search(rb"/Root (\d+) 0 R", trailer.group(1))
    info = re.search(rb"/Info (\d+) 0 R", trailer.group(1))
    if not racine:
        raise PdfIllisible("no /Root")
    return objets, int(racine.group(1)), int(info.group(1)) if info else None, premier + taille


def _pages(objets: dict, racine: int) -> tuple[int, list[int]]:
    """The page tree's number and its pages in order (WeasyPrint writes one level of Kids)."""
    catalogue = objets[racine][0]
    arbre = int(re.search(rb"/Pages (\d+) 0 R", catalogue).group(1))
    kids = re.search(rb"/Kids \[([^\]]*)\]", objets[arbre][0]).group(1)
    pages = [int(m.group(1)) for m in _REF.finditer(kids)]
    for page in pages:
        if b"/Type /Pages" in objets[page][0]:
            raise PdfIllisible("nested page trees are not supported")
    return arbre, pages


def fusionner(parties: list[bytes], *, compresser: bool = True) -> bytes:
    """One PDF with the pages of ``parties`` in order; the metadata (title…) of the first part."""
    if not parties:
        raise ValueError("fusionner needs at least one part")
    sortie: dict[int, tuple[bytes, bytes | None]] = {}
    toutes_les_pages: list[int] = []
    info_finale = None
    decalage = 0
    for rang, pdf in enumerate(parties):
        objets, racine, info, taille = _lire(pdf)
        arbre, pages = _pages(objets, racine)
        for numero, (dictionnaire, flux) in objets.items():
            if numero in (racine, arbre):
                continue
            sortie[numero + decalage] = (_renumeroter(dictionnaire, decalage), flux)
        toutes_les_pages.extend(p + decalage for p in pages)
        if rang == 0 and info is not None:
            info_finale = info
        decalage += taille
    numero_arbre, numero_catalogue = decalage, decalage + 1
    for page in toutes_les_pages:
        dictionnaire, flux = sortie[page]
        sortie[page] = (_PARENT.sub(b"/Parent %d 0 R" % numero_arbre, dictionnaire), flux)
    kids = b" ".join(b"%d 0 R" % p for p in toutes_les_pages)
    sortie[numero_arbre] = (b"<</Type /Pages/Kids [%s]/Count %d>>" % (kids, len(toutes_les_pages)), None)
    sortie[numero_catalogue] = (b"<</Type /Catalog/Pages %d 0 R>>" % numero_arbre, None)

    morceaux = [b"%PDF-1.7\n%\xf0\x9f\x96\xa4\n"]
    position = sum(len(m) for m in morceaux)
    decalages: dict[int, int] = {}
    for numero in sorted(sortie):
        dictionnaire, flux = sortie[numero]
        if flux is not None and compresser and not _FILTRE.search(dictionnaire):
            flux = zlib.compress(flux, 6)
            dictionnaire = b"<</Filter /FlateDecode" + dictionnaire[2:]
        if flux is not None:
            dictionnaire = _LONGUEUR.sub(b"/Length %d" % len(flux), dictionnaire, count=1)
            objet = b"%d 0 obj\n%s\nstream\n%s\nendstream\nendobj\n" % (numero, dictionnaire, flux)
        else:
            objet = b"%d 0 obj\n%s\nendobj\n" % (numero, dictionnaire)
        decalages[numero] = position
        morceaux.append(objet)
        position += len(objet)
    taille = numero_catalogue + 1
    table = [b"xref\n0 %d\n" % taille, b"0000000000 65535 f \n"]
    for numero in range(1, taille):
        if numero in decalages:
            table.append(b"%010d 00000 n \n" % decalages[numero])
        else:
            table.append(b"0000000000 65535 f \n")
    morceaux.extend(table)
    trailer = b"/Size %d/Root %d 0 R" % (taille, numero_catalogue)
    if info_finale is not None:
        trailer += b"/Info %d 0 R" % info_finale
    morceaux.append(b"trailer\n<<%s>>\nstartxref\n%d\n%%%%EOF\n" % (trailer, position))
    return b"".join(morceaux)
