"""PDF files from HTML, through WeasyPrint (why: print CSS, page counters and
embedded fonts without a browser).

- **Fonts** are embedded: WeasyPrint subsets and embeds every font it uses;
  pages name installed fonts (DejaVu), never a web font.
- **Metadata** are neutral: the title the caller gives (what the file is,
  never a name), no author, subject or keywords; the HTML's own ``<title>``
  and ``<meta>`` are ignored.
- **Nothing is fetched**: no image, stylesheet or font from any address, so a
  text cannot make the server call out.
- **Long documents come in parts** (:func:`render` takes them one after the
  other): each part is laid out on its own and only its finished pages are
  kept, so the memory a layout needs is that of one part, not of the whole
  (a table of 5,000 rows laid out at once needs about half a gigabyte). Page
  numbers run on across the parts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

GENERATOR = "Holdspace"

# WeasyPrint tells every step of every page at INFO: not for our logs.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _no_fetching() -> Any:
    """A fetcher that refuses every address: the documents bring everything
    they need. (WeasyPrint is imported when a PDF is made, not at start-up.)"""
    from weasyprint.urls import URLFetcher, URLFetchingError

    class NoFetching(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no type hints
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise URLFetchingError("nothing is fetched")

    return NoFetching()


def render(parts: Iterable[str], *, title: str) -> bytes:
    """One PDF of the HTML documents ``parts``, in order, each starting on a
    new page; pages numbered on from one part to the next (``counter(page)``
    in the parts' ``@page`` rules). ``title`` becomes the only metadata."""
    from weasyprint import CSS, HTML
    from weasyprint.document import DocumentMetadata

    documents = []
    pages = 0
    for part in parts:
        numbered = CSS(string=f"@page:first {{ counter-reset: page {pages + 1} }}")
        document = HTML(string=part, url_fetcher=_no_fetching()).render(stylesheets=[numbered])
        pages += len(document.pages)
        documents.append(document)
    if not documents:
        raise ValueError("a PDF needs at least one part")
    whole = documents[0].copy([page for document in documents for page in document.pages])
    whole.metadata = DocumentMetadata(title=title, generator=GENERATOR)
    pdf: bytes = whole.write_pdf()
    return pdf
