"""HTML articles: main text and metadata with trafilatura, and markup to plain text.

Scripts, styles and page furniture (menus, share bars, comments) never reach the article
text. The article text is trafilatura's main text (or, when it finds none, all visible
text), with the edges cleaned as for plain text; the title, date, canonical url and site
name come from the page's metadata.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from html.parser import HTMLParser

from incidents.model import Article, ReadProblem
from incidents.readers_meta import Origin, assemble_article, metadata_text
from incidents.readers_text import first_line_title, trim_boilerplate

#: Elements whose content is never text.
_HIDDEN = frozenset({"script", "style", "noscript", "template", "head", "svg", "iframe", "object"})
#: Elements that break a line.
_BLOCKS = frozenset(
    """address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3
    h4 h5 h6 header hr li main nav ol p pre section table tbody td th thead tr ul""".split()
)
_SPACES_RE = re.compile(r"[ \t\r\f\v\xa0]+")

# Only dates the page states in its markup: no guessing from the text or the url.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden_depth += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden_depth = max(0, self.hidden_depth - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden_depth:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment or page: one paragraph per block, blank line between.

    Script, style and ``<head>`` content is dropped; entities are decoded; runs of spaces
    inside a paragraph become one space.
    """
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    paragraphs = (
        _SPACES_RE.sub(" ", line).strip() for line in "".join(collector.parts).split("\n")
    )
    return "\n\n".join(p for p in paragraphs if p)


def read_html(
    markup: str, origin: Origin, *, warnings: tuple[str, ...] = ()
) -> Iterator[Article | ReadProblem]:
    """Read one HTML page as an article (see the module docstring).

    ``warnings`` met before (decoding) are kept with the article.
    """
    import trafilatura

    # trafilatura logs its own complaints about odd pages; our problems say what matters.
    # Left alone when the application has set a level itself.
    trafilatura_log = logging.getLogger("trafilatura")
    if trafilatura_log.level == logging.NOTSET:
        trafilatura_log.setLevel(logging.ERROR)
    try:
        document = trafilatura.bare_extraction(
            markup,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            date_extraction_params=_DATE_PARAMS,
        )
    # A third-party parser on untrusted markup can fail in many ways (lxml, recursion);
    # fall back to the plain collector rather than lose the article.
    except Exception as exc:  # noqa: BLE001
        document = None
        warnings = (
            *warnings,
            f"main-text extraction failed ({type(exc).__name__}: {exc}); all visible text kept",
        )
    main_text = (getattr(document, "text", None) or "") if document is not None else ""
    text = trim_boilerplate(main_text) or trim_boilerplate(html_to_text(markup))
    if not text:
        yield ReadProblem(origin.path, "no article text found in the HTML page; skipped")
        return
    url = metadata_text(getattr(document, "url", None))
    article, article_warnings = assemble_article(
        text,
        origin,
        ref=url,
        title=metadata_text(getattr(document, "title", None)) or first_line_title(text),
        date_value=getattr(document, "date", None),
        url=url,
        source=metadata_text(getattr(document, "sitename", None)),
        warnings=warnings,
    )
    yield from article_warnings
    yield article
