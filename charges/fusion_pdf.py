"""Join PDFs rendered in different processes into one, with pikepdf (over qpdf).

A long statement is rendered in parts by several workers (``charges.pdf``); the worker that stores the
last part joins them here: the parts' pages in order, the first part's document information (title),
streams compressed. Whatever layout WeasyPrint writes, qpdf reads it.
"""

import io

import pikepdf


class PdfIllisible(ValueError):
    """A part is not a readable PDF."""


def fusionner(parties: list[bytes]) -> bytes:
    """One PDF made of the pages of ``parties``, in order."""
    if not parties:
        raise ValueError("fusionner needs at least one part")
    sources = []
    try:
        with pikepdf.Pdf.new() as sortie:
            for contenu in parties:
                try:
                    source = pikepdf.open(io.BytesIO(contenu))
                except pikepdf.PdfError as erreur:
                    raise PdfIllisible(str(erreur)) from erreur
                sources.append(source)  # qpdf copies from it when writing: kept open until then
                sortie.pages.extend(source.pages)
            titre = sources[0].docinfo.get("/Title")
            if titre is not None:
                sortie.docinfo["/Title"] = titre
            tampon = io.BytesIO()
            sortie.save(
                tampon,
                compress_streams=True,
                object_stream_mode=pikepdf.ObjectStreamMode.generate,
            )
            return tampon.getvalue()
    finally:
        for source in sources:
            source.close()
