"""Uploaded article files -> checked -> read -> incidents previewed -> saved to the store.

The checks, reading and extraction are plain functions (tested without Streamlit); the
page (``views/ingest.py``) only lays them out. Saving reuses the previewed extraction, so
what the analyst saw is what is stored, through the same ``ingest_articles`` as the CLI.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Sequence

from dashboard.errors import UploadError
from incidents.ingest import IngestSummary, ingest_articles, place_incidents
from incidents.model import Article, Incident
from incidents.readers import SUPPORTED_SUFFIXES, read_paths
from incidents.readers_bytes import binary_reason, format_size
from incidents.store import IncidentStore

#: Largest file accepted, bytes (the page's uploader is set to the same in config.toml).
MAX_FILE_BYTES = 20 * 1024 * 1024

#: File types the uploader offers (extensions without the dot).
UPLOAD_TYPES: tuple[str, ...] = tuple(s.lstrip(".") for s in SUPPORTED_SUFFIXES)


@dataclass(frozen=True, slots=True)
class Upload:
    """One uploaded file: its name as uploaded and its bytes."""

    name: str
    data: bytes


def check_upload(upload: Upload, *, max_bytes: int = MAX_FILE_BYTES) -> None:
    """Refuse a file of the wrong type, too big, empty or binary.

    Raises
    ------
    UploadError
        With the file name, what is wrong and what to do.
    """
    suffix = Path(upload.name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UploadError(f"{upload.name!r}: files of type {suffix or '(none)'!r} cannot be "
                          f"read; upload one of {', '.join(SUPPORTED_SUFFIXES)}")
    if len(upload.data) > max_bytes:
        raise UploadError(f"{upload.name!r} is {format_size(len(upload.data))}, more than the "
                          f"{format_size(max_bytes)} accepted; split it, or ingest it with "
                          "'incident-atlas ingest'")
    if not upload.data.strip():
        raise UploadError(f"{upload.name!r} is empty")
    reason = binary_reason(upload.data[:8192])
    if reason:
        raise UploadError(f"{upload.name!r} is not text ({reason})")


@dataclass
class Preview:
    """What saving would store: the articles read, the incidents found in each (by article
    id), articles already in the store, and problems (files refused or unreadable)."""

    articles: list[Article] = field(default_factory=list)
    incidents: dict[str, list[Incident]] = field(default_factory=dict)
    stored: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)

    @property
    def new_articles(self) -> list[Article]:
        return [a for a in self.articles if a.article_id not in self.stored]

    @property
    def new_incidents(self) -> int:
        return sum(len(self.incidents[a.article_id]) for a in self.new_articles)


def read_uploads(uploads: Sequence[Upload], *, published: date | None) -> Preview:
    """Check and read uploaded files (no extraction yet).

    Parameters
    ----------
    uploads
        The files.
    published
        Publication date for articles whose file gives none.
    """
    preview = Preview()
    good: list[Upload] = []
    for upload in uploads:
        try:
            check_upload(upload)
        except UploadError as exc:
            preview.problems.append(str(exc))
            continue
        good.append(upload)
    if not good:
        return preview
    with tempfile.TemporaryDirectory(prefix="atlas-upload-") as folder:
        paths = []
        for i, upload in enumerate(good):
            # a numbered folder per file keeps two uploads of the same name apart
            target = Path(folder) / str(i) / Path(upload.name).name
            target.parent.mkdir()
            target.write_bytes(upload.data)
            paths.append(target)
        result = read_paths(paths, published=published)
    preview.articles = [replace(a, path=None) for a in result.articles]
    preview.problems += [f"{Path(p.path).name}: {p.message}" for p in result.problems]
    return preview


def extract_preview(preview: Preview, *, store: IncidentStore | None) -> Preview:
    """Find and place the incidents of each article; note those already stored."""
    from incidents.extract import default_extractor

    found: dict[str, list[Incident]] = {}
    for article, result in default_extractor(True).extract_each(preview.articles, fast=True):
        if isinstance(result, Exception):  # one article must not sink the others: reported, as ingest
            found[article.article_id] = []
            preview.problems.append(f"{article.ref}: extraction failed "
                                    f"({type(result).__name__}: {result}); it would be stored "
                                    "without incidents")
        else:
            found[article.article_id] = list(result)
    everything = [i for incidents in found.values() for i in incidents]
    placed = iter(place_incidents(everything))
    preview.incidents = {aid: [next(placed) for _ in incidents]
                         for aid, incidents in found.items()}
    if store is not None:
        preview.stored = {a.article_id for a in preview.articles
                          if store.has_article(a.article_id)}
    return preview


def save(preview: Preview, store_path: Path) -> IngestSummary:
    """Store the previewed articles and incidents (already stored articles are skipped)."""
    with IncidentStore(store_path) as store:
        return ingest_articles(preview.articles, store=store,
                               extract=lambda article: preview.incidents[article.article_id])
