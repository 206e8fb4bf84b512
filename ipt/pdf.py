"""The one PDF renderer: a Django template, the print stylesheet, WeasyPrint, and no network.

Templates extend ``pdf/base.html`` and link their styles with ``{% static %}``. The URL fetcher serves
the project's static files (found by the staticfiles finders, or in ``STATIC_ROOT`` once collected)
and ``data:`` URLs; it refuses anything else, so a document never reaches the network, whatever its
content.

``render_pdf`` renders one document. A job that renders several parts (one per building) renders each
with ``render_document``, reports its progress between parts, and joins them with ``assemble_pdf``.
"""

import logging
import mimetypes
import threading
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)
# WeasyPrint logs each layout step at INFO: keep the workers' logs for what matters.

# Relative URLs of the documents resolve against this origin. ".invalid" is a reserved top-level
# domain: nothing answers there, and the fetcher below never asks the network anyway.
ORIGINE = "https://documents.ipt.invalid"


class RessourceRefusee(ValueError):
    """A document asked for something other than a local static file."""


class FetcherStatique(URLFetcher):
    """Serves local static files and ``data:`` URLs; refuses every other URL."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        chemin = chemin_statique(url)
        if chemin is None:
            logger.warning("PDF: refused to fetch %s (only local static files are served)", url[:200])
            raise RessourceRefusee(f"Only local static files may be fetched, not {url[:200]}")
        type_mime, encodage = mimetypes.guess_type(chemin.name)
        entetes = {"Content-Type": type_mime or "application/octet-stream"}
        if type_mime == "text/css":
            entetes["Content-Type"] = "text/css; charset=utf-8"
        return URLFetcherResponse(url, chemin.read_bytes(), entetes)


def chemin_statique(url: str) -> Path | None:
    """The local file of a static URL, or ``None`` if ``url`` is not one of our static files."""
    url = url.split("#")[0].split("?")[0]
    prefixes = [ORIGINE + settings.STATIC_URL]
    if urlsplit(settings.STATIC_URL).scheme:  # STATIC_URL on another host (a CDN): same files
        prefixes.append(settings.STATIC_URL)
    relatif = next((url[len(p) :] for p in prefixes if url.startswith(p)), None)
    if not relatif:
        return None
    relatif = unquote(relatif)
    try:
        trouve = finders.find(relatif)
        if trouve is None and settings.STATIC_ROOT:
            collecte = Path(staticfiles_storage.path(relatif))
            trouve = str(collecte) if collecte.is_file() else None
    except SuspiciousFileOperation:  # "../" out of the static folders
        return None
    if isinstance(trouve, list):
        trouve = trouve[0] if trouve else None
    return Path(trouve) if trouve and Path(trouve).is_file() else None


_local = threading.local()


def _polices() -> FontConfiguration:
    """One font configuration per thread, kept: fonts are loaded once, and parts of a PDF rendered one
    by one share their fonts (with one configuration per part, joining 100 parts took 2.5 times longer
    and held several hundred MiB more)."""
    if not hasattr(_local, "polices"):
        _local.polices = FontConfiguration()
    return _local.polices


def render_document(template_name: str, context: dict) -> Document:
    """Lay out one template as a WeasyPrint document (pages not yet written)."""
    # Every document names its issuer (the city's service): templates include "pdf/_emetteur.html".
    html = render_to_string(template_name, {"emetteur": settings.EMETTEUR, **context})
    return HTML(string=html, base_url=ORIGINE + "/", url_fetcher=FetcherStatique()).render(
        font_config=_polices()
    )


def assemble_pdf(documents: Iterable[Document]) -> bytes:
    """Join rendered documents into one PDF, in order; the metadata of the first one is kept."""
    documents = list(documents)
    if not documents:
        raise ValueError("assemble_pdf needs at least one document")
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render ``template_name`` with ``context`` to the bytes of a PDF."""
    return render_document(template_name, context).write_pdf()
