"""An incident's record and the text of its articles, with the evidence spans highlighted.

Article text is untrusted: every character of it goes through ``html.escape`` before it is
put between the ``<mark>`` tags that highlight evidence, so an article holding ``<script>``
or ``<img onerror=...>`` shows those characters as text. Spans are character offsets into
``Article.text`` (``text[start:end]``); overlapping spans are split at every boundary so
the marks never nest or cross.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from typing import Sequence

from dashboard.filters import PRECISION_LABELS
from incidents.model import EVIDENCE_ROLES, Article, Count, Evidence, Incident

#: Highlight colour per evidence role (background), and the order a piece of text covered
#: by several roles is marked with (the first listed wins the background; the others
#: underline the words in their colours).
ROLE_COLORS: dict[str, str] = {
    "trigger": "#ffb3b3",
    "count": "#ffd699",
    "date": "#b3d9ff",
    "actor": "#d9c2f0",
    "place": "#b8e6b8",
}
ROLE_LABELS: dict[str, str] = {
    "trigger": "what happened",
    "count": "how many",
    "date": "when",
    "actor": "who",
    "place": "where",
}

#: Styles for the HTML this module writes (put once on the page).
STYLE = "<style>" + "".join(
    f".atlas-ev-{role}{{background:{color};border-radius:2px;padding:0 1px}}"
    # a role that shares words with a first-ranked one underlines them in its colour
    f".atlas-ev-also-{role}{{box-shadow:inset 0 -0.28em 0 {color}, inset 0 -0.32em 0 #777}}"
    for role, color in ROLE_COLORS.items()
) + (
    ".atlas-article{white-space:pre-wrap;font-family:inherit;line-height:1.55;"
    "font-size:0.93rem;margin:0.2rem 0 0.8rem 0;padding:0.6rem 0.8rem;"
    "border-left:3px solid #ddd;background:#fafafa;max-height:none}"
    ".atlas-record{font-size:0.85rem;line-height:1.35;margin-bottom:0.4rem}"
    ".atlas-record th,.atlas-record td{padding:1px 0.5rem 1px 0;border:none}"
    ".atlas-roles span{display:inline-block;margin:0 0.4rem 0.2rem 0;padding:0 4px;"
    "border-radius:2px;font-size:0.8rem;white-space:nowrap}"
    "</style>"
)


@dataclass(frozen=True, slots=True)
class HighlightedText:
    """Escaped HTML of an article with its marks, and what could not be shown."""

    html: str
    marked: int
    skipped: int


def highlight(text: str, spans: Sequence[Evidence]) -> HighlightedText:
    """``text`` as escaped HTML with each evidence span wrapped in a ``<mark>`` of its role.

    Parameters
    ----------
    text
        The article text the offsets index.
    spans
        Evidence spans; those outside the text, empty, or of an unknown role are skipped
        (and counted in ``skipped``).

    Returns
    -------
    HighlightedText
        ``html`` is safe to insert into a page: only ``<mark>`` tags written here are markup.
    """
    rank = {role: i for i, role in enumerate(ROLE_COLORS)}
    good = [s for s in spans
            if s.role in rank and 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in good), *(s.end for s in good)})
    pieces: list[str] = []
    for left, right in zip(cuts, cuts[1:]):
        covering = sorted({s.role for s in good if s.start < right and s.end > left},
                          key=rank.__getitem__)
        chunk = html.escape(text[left:right])
        if covering:
            titles = html.escape(", ".join(ROLE_LABELS[r] for r in covering))
            also = "".join(f" atlas-ev-also-{r}" for r in covering[1:])
            chunk = (f'<mark class="atlas-ev atlas-ev-{covering[0]}{also}" '
                     f'data-roles="{" ".join(covering)}" title="{titles}">{chunk}</mark>')
        pieces.append(chunk)
    return HighlightedText(html="".join(pieces), marked=len(good),
                           skipped=len(spans) - len(good))


def spans_for(article: Article, evidence: Sequence[Evidence], *, first: bool) -> list[Evidence]:
    """The spans that index this article: those naming it, and (for the incident's first
    article) those naming no article."""
    return [e for e in evidence
            if e.article_id == article.article_id or (first and e.article_id is None)]


def article_html(article: Article, evidence: Sequence[Evidence], *, first: bool) -> tuple[str, int]:
    """One article as HTML: escaped title and metadata line, then its highlighted text.

    Returns
    -------
    tuple
        The HTML and the number of spans that could not be placed in the text.
    """
    marked = highlight(article.text, spans_for(article, evidence, first=first))
    title = html.escape(article.title or article.ref)
    meta = []
    if article.published:
        meta.append("published " + article.published.isoformat()
                    + (" (approximate)" if article.published_approximate else ""))
    else:
        meta.append("publication date unknown")
    if article.source:
        meta.append(html.escape(article.source))
    if article.url:
        meta.append(html.escape(article.url))
    elif article.ref and article.ref != article.title:
        meta.append(html.escape(article.ref))
    body = (f'<div class="atlas-source" data-article-id="{html.escape(article.article_id)}">'
            f"<div><b>{title}</b></div>"
            f'<div style="color:#666;font-size:0.8rem">{" · ".join(meta)}</div>'
            f'<div class="atlas-article">{marked.html}</div></div>')
    return body, marked.skipped


def roles_legend() -> str:
    """A one-line key of the highlight colours."""
    return '<div class="atlas-roles">' + "".join(
        f'<span class="atlas-ev-{role}">{html.escape(ROLE_LABELS[role])}</span>'
        for role in ROLE_COLORS if role in EVIDENCE_ROLES) + "</div>"


def _count(value: Count | None) -> str | None:
    if value is None:
        return None
    number = (f"{value.best:,}" if value.low == value.best == value.high
              else f"{value.best:,} (range {value.low:,}–{value.high:,})")
    return number + (f" — “{value.text}”" if value.text else "")


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def record_rows(incident: Incident) -> list[tuple[str, str]]:
    """The incident's record as (field, value) pairs of plain text, empty fields left out."""
    loc = incident.location
    when = _day(incident.date_start) or "unknown"
    if incident.date_end and incident.date_end != incident.date_start:
        when += f" – {incident.date_end.isoformat()}"
    notes = []
    if incident.time_precision:
        notes.append(f"precision: {incident.time_precision}")
    if incident.date_anchor:
        notes.append(f"read against the publication date {incident.date_anchor.isoformat()}")
    if notes:
        when += f" ({'; '.join(notes)})"
    rows: list[tuple[str, str | None]] = [
        ("Event type", incident.event_type
         + (f" · {incident.sub_event_type}" if incident.sub_event_type else "")),
        ("Actors", " vs ".join(a for a in (incident.actor1, incident.actor2) if a) or None),
        ("Associated actors", ", ".join(incident.assoc_actors) or None),
        ("Killed", _count(incident.killed)),
        ("Injured", _count(incident.injured)),
        ("Arrested", _count(incident.arrested)),
        ("Date", when),
        ("Date as written", incident.date_text),
        ("Historical", "yes: reported as background, not new" if incident.historical else None),
    ]
    if loc is not None:
        precision = PRECISION_LABELS.get(loc.geo_precision, str(loc.geo_precision))
        if loc.radius_km:
            precision += f", within {loc.radius_km:,.0f} km"
        area = ", ".join(p for p in (loc.admin1, loc.country) if p)
        coords = (f"{loc.lat:.4f}, {loc.lon:.4f}" if loc.lat is not None and loc.lon is not None
                  else None)
        rows += [
            ("Place", loc.name + (f" ({area})" if area else "")),
            ("Place precision", f"{precision} (geo_precision {loc.geo_precision})"
             + (f", UCDP where_prec {loc.where_prec}" if loc.where_prec else "")),
            ("Coordinates", coords and f"{coords} (lat, lon)"),
            ("Province code", loc.admin1_code),
        ]
    rows += [
        ("Summary", incident.summary or None),
        ("Notes", incident.notes),
        ("Status", incident.status + (f" (source: {incident.source})" if incident.source
                                      else "")),
        ("Flags", ", ".join(incident.flags) or None),
        ("Extractor", incident.extractor_version
         and incident.extractor_version + (f", score {incident.score:.2f}"
                                           if incident.score is not None else "")),
        ("Incident id", incident.incident_id),
    ]
    return [(label, value) for label, value in rows if value]


def record_html(incident: Incident) -> str:
    """:func:`record_rows` as an escaped two-column HTML table."""
    cells = "".join(
        f'<tr><th style="text-align:left;padding-right:0.7rem;vertical-align:top;'
        f'font-weight:600;white-space:nowrap">{html.escape(label)}</th>'
        f"<td>{html.escape(value)}</td></tr>"
        for label, value in record_rows(incident))
    return f'<table class="atlas-record">{cells}</table>'
