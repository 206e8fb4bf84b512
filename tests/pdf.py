"""Reading PDFs back in tests: the one helper over ``pdftotext`` (poppler-utils)."""

import shutil
import subprocess


def _pdftotext(contenu: bytes, layout: bool) -> str:
    options = ["-layout"] if layout else []
    return subprocess.run(
        [shutil.which("pdftotext") or "pdftotext", *options, "-", "-"],
        input=contenu,
        capture_output=True,
        check=True,
    ).stdout.decode()


def _plier(texte: str) -> str:
    """Fold French typography's narrow and no-break spaces and every run of white space to one space."""
    return " ".join(texte.replace("\xa0", " ").replace("\u202f", " ").split())


def pdf_pages(contenu: bytes, *, layout: bool = True, plier: bool = True) -> list[str]:
    """The text of each page; ``plier`` folds white space (see :func:`_plier`), else the raw layout."""
    pages = _pdftotext(contenu, layout).split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [_plier(p) for p in pages] if plier else pages


def pdf_texte(contenu: bytes, *, layout: bool = True, plier: bool = True) -> str:
    """The text of the whole PDF (white space folded unless ``plier=False``)."""
    texte = _pdftotext(contenu, layout)
    return _plier(texte) if plier else texte
