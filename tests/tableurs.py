"""Writing small OpenDocument spreadsheets (.ods) for the import's tests and bench.

No library writes .ods quickly enough for the bench's 100,000 rows (odfpy builds a DOM), and the format
is a zip of a few XML files: this writes the minimal valid one — ``mimetype`` first and stored, the
manifest, and ``content.xml`` with one sheet — that LibreOffice and calamine open.
"""

import datetime
import zipfile
from xml.sax.saxutils import escape

_MANIFESTE = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
    ' manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/"'
    ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
_DEBUT = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    '<office:body><office:spreadsheet><table:table table:name="Logements">'
)
_FIN = "</table:table></office:spreadsheet></office:body></office:document-content>"


def _cellule(valeur) -> str:
    if valeur is None or valeur == "":
        return "<table:table-cell/>"
    if isinstance(valeur, datetime.date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{valeur.isoformat()}">'
            f"<text:p>{valeur:%d/%m/%Y}</text:p></table:table-cell>"
        )
    if isinstance(valeur, int | float) and not isinstance(valeur, bool):
        return (
            f'<table:table-cell office:value-type="float" office:value="{valeur}">'
            f"<text:p>{valeur}</text:p></table:table-cell>"
        )
    texte = escape(str(valeur))
    return f'<table:table-cell office:value-type="string"><text:p>{texte}</text:p></table:table-cell>'


def ecrire_ods(chemin, lignes) -> None:
    """``lignes``: an iterable of rows (lists of str, int, float, date or None), header first."""
    with zipfile.ZipFile(chemin, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        archive.writestr("META-INF/manifest.xml", _MANIFESTE)
        with archive.open("content.xml", "w") as contenu:
            contenu.write(_DEBUT.encode())
            paquet = []
            for ligne in lignes:
                paquet.append("<table:table-row>" + "".join(map(_cellule, ligne)) + "</table:table-row>")
                if len(paquet) >= 1000:
                    contenu.write("".join(paquet).encode())
                    paquet.clear()
            contenu.write(("".join(paquet) + _FIN).encode())
