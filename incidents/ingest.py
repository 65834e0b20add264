"""Ingest articles: read -> extract -> spatial join -> store, one transaction per article.

:func:`ingest_paths` is what ``incident-atlas ingest`` and the dashboard's ingest page call.
Articles already in the store (same ``article_id``, a hash of the text) are skipped before
extraction, so running the same command again after a crash or a kill finishes the job
without duplicates; with ``replace_stored=True`` (``ingest --replace --who NAME``) a stored
article read again with another publication date (or title, url, source) is re-extracted
and replaces the stored one (:meth:`IncidentStore.replace_article`, one transaction). Articles are extracted and joined in small batches (one vectorised
spatial join per batch) and stored one by one, each in its own transaction: an interrupted
run leaves whole articles or none.

An article whose extraction fails is reported with the reason and the run goes on; a store
that cannot be written (locked, full disk) stops the run with :class:`StoreError`.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from incidents.errors import IngestError, StoreError
from incidents.linking import LinkRules, find_links
from incidents.model import Article, Incident, ReadProblem
from incidents.store import (
    LINK_WHO,
    REDATED_FLAG,
    REPLACING_METADATA,
    AddResult,
    IncidentStore,
)

Extract = Callable[[Article], Sequence[Incident]]
#: Articles -> per article its incidents or the exception its extraction raised.
ExtractBatch = Callable[[Sequence[Article]], Sequence["Sequence[Incident] | Exception"]]
Join = Callable[[pd.DataFrame], pd.DataFrame]

#: Articles extracted and spatially joined together (each is still stored on its own).
BATCH_SIZE = 32

#: Failures listed in a summary before "and N more".
SHOW_FAILURES = 20


@dataclass(frozen=True, slots=True)
class IngestFailure:
    """An article (or input) that was not stored, and why."""

    ref: str
    reason: str

    def __str__(self) -> str:
        return f"{self.ref}: {self.reason}"


@dataclass(frozen=True, slots=True)
class IngestSummary:
    """What one ingest run did.

    ``articles_read`` counts articles the readers produced; each is ``added``, a
    ``duplicate`` (already stored: skipped), ``replaced`` (already stored with other
    metadata, re-extracted: ``ingest --replace``) or ``failed``. A replacement removed
    ``incidents_removed`` machine incidents and kept ``incidents_kept`` incidents an analyst
    had reviewed, edited or rejected (flagged, and named in ``warnings``). ``failed`` also lists inputs the
    readers could not read. ``incidents_linked`` counts incidents of new articles that
    report an incident already stored (found by :mod:`incidents.linking`, or with the same
    id): they became reports of it, not incidents of their own. ``warnings`` are caveats,
    articles kept: the readers' (bad bytes, impossible dates), an article in a script the
    extractor cannot read, a duplicate whose publication date differs from the stored one.
    """

    articles_read: int
    articles_added: int
    duplicates: int
    failed: tuple[IngestFailure, ...]
    incidents_added: int
    incidents_linked: int
    warnings: tuple[str, ...]
    seconds: float
    store_path: str
    articles_replaced: int = 0
    incidents_removed: int = 0
    incidents_kept: int = 0

    def lines(self, *, show: int = SHOW_FAILURES) -> list[str]:
        """The summary as lines of text for a terminal."""
        out = [
            f"articles read        {self.articles_read:>8,}",
            f"  added              {self.articles_added:>8,}",
            f"  duplicates skipped {self.duplicates:>8,}",
        ]
        if self.articles_replaced:
            out.append(f"  replaced           {self.articles_replaced:>8,}")
        out += [
            f"  failed             {len(self.failed):>8,}",
            f"incidents added      {self.incidents_added:>8,}",
            f"  linked to existing {self.incidents_linked:>8,}",
        ]
        if self.articles_replaced:
            out += [f"incidents removed    {self.incidents_removed:>8,}",
                    f"  analysts' kept     {self.incidents_kept:>8,}"]
        out += [
            f"store                {self.store_path}",
            f"time                 {self.seconds:8.1f} s",
        ]
        if self.warnings:
            out.append(f"warnings             {len(self.warnings):>8,}")
            out.extend(f"  {warning}" for warning in self.warnings[:show])
            if len(self.warnings) > show:
                out.append(f"  ... and {len(self.warnings) - show:,} more")
        if self.failed:
            out.append("failed:")
            out.extend(f"  {failure}" for failure in self.failed[:show])
            if len(self.failed) > show:
                out.append(f"  ... and {len(self.failed) - show:,} more")
        return out


#: Unicode scripts the extractor cannot read, by the first code point of their main block.
_SCRIPTS: tuple[tuple[str, int, int], ...] = (
    ("Arabic", 0x0600, 0x06FF), ("Arabic", 0x0750, 0x077F), ("Arabic", 0xFB50, 0xFEFF),
    ("Hebrew", 0x0590, 0x05FF), ("Cyrillic", 0x0400, 0x04FF), ("Arabic", 0x08A0, 0x08FF),
    ("CJK", 0x4E00, 0x9FFF), ("Devanagari", 0x0900, 0x097F),
)


def foreign_script(text: str, *, share: float = 0.5) -> str | None:
    """The script (other than Latin) at least ``share`` of the text's letters are written in,
    or None: an article the English extractor cannot read ("Arabic")."""
    counts: dict[str, int] = {}
    letters = 0
    for ch in text[:20_000]:
        if not ch.isalpha():
            continue
        letters += 1
        code = ord(ch)
        for name, low, high in _SCRIPTS:
            if low <= code <= high:
                counts[name] = counts.get(name, 0) + 1
                break
    if not letters or not counts:
        return None
    name, n = max(counts.items(), key=lambda item: item[1])
    return name if n >= share * letters else None


def _default_extract() -> ExtractBatch:
    """The shipped extractor, a batch at a time (its geoparser reads the batch's texts in one
    call: :meth:`incidents.extract.Extractor.extract_batch`)."""
    try:
        from incidents.extract import default_extractor
    except ImportError as exc:
        raise IngestError(
            f"incident extraction is not available ({exc}); this build of Incident Atlas "
            "lacks incidents.extract, so articles cannot be ingested yet"
        ) from exc
    extractor = default_extractor(True)
    return lambda articles: extractor.extract_batch(articles, fast=True)


def _one_by_one(extract: Extract) -> ExtractBatch:
    """A batch extractor from one that reads an article at a time; each article's error is
    returned in its place."""

    def extract_batch(articles: Sequence[Article]) -> list[Sequence[Incident] | Exception]:
        out: list[Sequence[Incident] | Exception] = []
        for article in articles:
            try:
                out.append(list(extract(article)))
            except StoreError:
                raise
            except Exception as exc:  # noqa: BLE001 - one bad article must not stop the run
                out.append(exc)
        return out

    return extract_batch


def _default_join() -> Join:
    from geo.spatial_join import join_incidents

    return join_incidents


def place_incidents(incidents: Sequence[Incident], *, join: Join | None = None
                    ) -> list[Incident]:
    """Incidents with ``country``, ``admin1``, ``admin1_code`` and ``join_flag`` from the
    spatial join of their points (one vectorised call for all of them).

    Incidents without a location are returned unchanged; incidents resolved to a whole
    province (``geo_precision`` 3 with an ``admin1_code``) keep that province; incidents
    known only to a country or a wider area (``feature`` country, region, desert, border)
    get no province and the flag ``wider_than_admin1``.
    """
    located = [i for i, incident in enumerate(incidents) if incident.location is not None]
    if not located:
        return list(incidents)
    join = join or _default_join()
    locations = [incidents[i].location for i in located]
    frame = pd.DataFrame({
        "latitude": [loc.lat for loc in locations],
        "longitude": [loc.lon for loc in locations],
        "geo_precision": [loc.geo_precision for loc in locations],
        "admin1_code": pd.Series([loc.admin1_code for loc in locations], dtype=object),
        "admin1": pd.Series([loc.admin1 for loc in locations], dtype=object),
        "country": pd.Series([loc.country for loc in locations], dtype=object),
        # a country or region named alone gets no province (flag wider_than_admin1)
        "feature": pd.Series([loc.feature for loc in locations], dtype=object),
    })
    frame[["latitude", "longitude"]] = frame[["latitude", "longitude"]].astype(float)
    joined = join(frame)

    def text(value: object) -> str | None:
        return None if value is None or pd.isna(value) else str(value)

    placed = list(incidents)
    for i, loc, country, admin1, code, flag in zip(
        located, locations, joined["country"], joined["admin1"], joined["admin1_code"],
        joined["join_flag"],
    ):
        placed[i] = replace(incidents[i], location=replace(
            loc, country=text(country), admin1=text(admin1), admin1_code=text(code),
            join_flag=text(flag)))
    return placed


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _progress(enabled: bool, total: int | None):  # -> tqdm.tqdm | None
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="article", desc="ingesting", file=sys.stderr,
                dynamic_ncols=True)


def ingest_articles(
    articles: Iterable[Article],
    *,
    store: IncidentStore,
    extract: Extract | None = None,
    join: Join | None = None,
    progress: bool = False,
    total: int | None = None,
    link: bool = True,
    link_rules: LinkRules | None = None,
    who: str | None = None,
    replace_stored: bool = False,
) -> IngestSummary:
    """Extract, place, link and store articles, one transaction per article.

    Parameters
    ----------
    articles : iterable of Article
        Articles as read (a generator is consumed lazily).
    store : IncidentStore, keyword-only
        Where they go.
    extract : callable, keyword-only
        Article -> incidents; default the shipped extractor
        (:func:`incidents.extract.extract_incidents`), given each batch of articles at once
        (:meth:`~incidents.extract.Extractor.extract_batch`: the same incidents, quicker).
    join : callable, keyword-only
        Spatial join over a frame with ``latitude``/``longitude``; default
        :func:`geo.spatial_join.join_incidents`.
    progress : bool, keyword-only
        Show a tqdm progress bar on stderr.
    total : int, keyword-only
        Number of articles, when known, for the progress bar.
    link : bool, keyword-only
        Link incidents that report an incident already stored (including one of an
        article earlier in the same run) to it instead of storing them as new incidents
        (:func:`incidents.linking.find_links`); ``False`` stores every incident as its own.
    link_rules : LinkRules, keyword-only
        Thresholds of the linking (default :class:`incidents.linking.LinkRules`).
    who : str, keyword-only
        Name of this ingest in the audit log rows a link writes (default
        ``"ingest:link"``); with ``replace_stored`` the analyst's name (required).
    replace_stored : bool, keyword-only
        An article already stored whose publication date, title, url or source differs
        from the stored one (:data:`incidents.store.REPLACING_METADATA`) is extracted
        again and replaces it (:meth:`IncidentStore.replace_article`: its machine incidents
        are replaced, an analyst's are kept and flagged, one transaction per article); an
        article stored as it is read is still a duplicate. By default a stored article
        is skipped, with a warning when its date differs.

    Each batch is linked and stored in the order of (publication date, article id), not
    in the order read, so the same batch gives the same incidents whatever order its files
    came in (undated articles last).

    Returns
    -------
    IngestSummary

    Raises
    ------
    StoreError
        The store cannot be written (locked past its timeout, full disk): the run stops;
        every article stored so far is whole, and running again carries on.
    IngestError
        No extractor is available, or ``replace_stored`` is asked without ``who``.
    """
    if replace_stored and not (who or "").strip():
        raise IngestError("replacing stored articles needs who= (the analyst's name, for the "
                          "edit history): run 'incident-atlas ingest --replace --who NAME'")
    extract_batch = _one_by_one(extract) if extract is not None else _default_extract()
    rules = link_rules or LinkRules()
    started = time.perf_counter()
    read = added = duplicates = incidents_added = linked = 0
    replaced = removed = kept = 0
    to_replace: set[str] = set()
    failed: list[IngestFailure] = []
    notes: list[str] = []
    bar = _progress(progress, total)
    try:
        for batch in _batches(articles, BATCH_SIZE):
            read += len(batch)
            extracted: list[tuple[Article, list[Incident]]] = []
            wanted: list[Article] = []  # all but the duplicates, skipped
            for article in batch:
                if store.has_article(article.article_id):
                    if replace_stored and _differs(store.get_article(article.article_id),
                                                   article):
                        to_replace.add(article.article_id)
                    else:
                        duplicates += 1
                        _note_redated(store, article, notes)
                        continue
                wanted.append(article)
            for article, result in zip(wanted, extract_batch(wanted)):
                if isinstance(result, Exception):
                    failed.append(IngestFailure(article.ref, f"extraction failed: "
                                                             f"{type(result).__name__}: {result}"))
                    continue
                found = list(result)
                extracted.append((article, found))
                if not found and (script := foreign_script(article.text)):
                    notes.append(f"{article.ref}: written mostly in {script} script; the "
                                 "extractor reads English, so no incident was taken from it")
            # linking is greedy: a fixed order makes a batch's links independent of the
            # order its files were read in
            extracted.sort(key=lambda pair: (pair[0].published is None,
                                             pair[0].published or date.min,
                                             pair[0].article_id))
            everything = [incident for _, found in extracted for incident in found]
            placed = iter(place_incidents(everything, join=join))
            for article, found in extracted:
                ready = [next(placed) for _ in found]
                if article.article_id in to_replace:
                    to_replace.discard(article.article_id)  # the same text twice: once
                    result = store.replace_article(
                        article, ready, who=str(who),
                        find_links=(lambda fresh, article=article: find_links(
                            article, fresh, store=store, rules=rules)) if link else None)
                    replaced += 1
                    removed += result.incidents_removed
                    kept += len(result.kept)
                    notes.extend(_replaced_notes(article, result))
                else:
                    # articles before this one are stored already: their incidents are found
                    links = (find_links(article, ready, store=store, rules=rules)
                             if link and ready else [])
                    result = store.add_article(article, ready,
                                               links={lk.incident_id: lk for lk in links},
                                               who=who or LINK_WHO)
                    if result.status == "duplicate":  # the same text twice in this run
                        duplicates += 1
                        continue
                    added += 1
                incidents_added += result.incidents_added
                linked += result.incidents_linked
            if bar is not None:
                bar.set_postfix(added=added, duplicates=duplicates, failed=len(failed),
                                refresh=False)
                bar.update(len(batch))
    finally:
        if bar is not None:
            bar.close()
    return IngestSummary(
        articles_read=read, articles_added=added, duplicates=duplicates,
        failed=tuple(failed), incidents_added=incidents_added, incidents_linked=linked,
        warnings=tuple(notes), seconds=time.perf_counter() - started,
        store_path=str(store.path), articles_replaced=replaced, incidents_removed=removed,
        incidents_kept=kept,
    )


def _differs(stored: Article, article: Article) -> bool:
    """The article as read has metadata that replaces the stored one's."""
    return any(getattr(stored, name) != getattr(article, name) for name in REPLACING_METADATA)


def _note_redated(store: IncidentStore, article: Article, notes: list[str]) -> None:
    """Warn of a duplicate skipped although its publication date differs."""
    stored = store.article_published(article.article_id)
    if article.published and stored and article.published != stored:
        notes.append(
            f"{article.ref}: already stored with publication date {stored}, not "
            f"{article.published}; kept as stored (its dates were resolved against that "
            "date); to re-date it and extract it again run 'incident-atlas ingest --replace "
            "--who NAME' on it")


def _replaced_notes(article: Article, result: AddResult) -> list[str]:
    """What a replacement did, for the summary: the article, and each incident kept."""
    was = result.previous_published or "none"
    lines = [(f"{article.ref}: replaced (publication date {was} -> "
              f"{article.published or 'none'}): {result.incidents_removed} incident(s) removed, "
              f"{result.incidents_detached} detached from other articles' incidents, "
              f"{result.incidents_added} added, {result.incidents_linked} linked, "
              f"{len(result.kept)} kept")]
    lines.extend(f"{article.ref}: incident {incident_id} was reviewed, edited or rejected by an "
                 f"analyst: kept as it is, flagged {REDATED_FLAG}; check its dates against "
                 f"{article.published or 'no date'}" for incident_id in result.kept)
    return lines


def ingest_paths(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    store: IncidentStore,
    published: date | str | None = None,
    progress: bool = False,
    extract: Extract | None = None,
    join: Join | None = None,
    link: bool = True,
    link_rules: LinkRules | None = None,
    who: str | None = None,
    replace_stored: bool = False,
) -> IngestSummary:
    """Read articles from files, folders or stdin (``"-"``) and ingest them.

    Parameters
    ----------
    paths : path or iterable of paths
        What :func:`incidents.readers.iter_articles` reads (txt, md, html, jsonl, rss...).
    store : IncidentStore, keyword-only
        Where the articles and incidents go.
    published : date or "YYYY-MM-DD", keyword-only
        Publication date for articles whose metadata gives none (relative dates such as
        "on Monday" are resolved against it).
    progress : bool, keyword-only
        Show a progress bar on stderr.
    extract, join : callable, keyword-only
        See :func:`ingest_articles`.
    link : bool, keyword-only
        Link incidents reported by several articles (default); see :func:`ingest_articles`.
    link_rules : LinkRules, keyword-only
        Thresholds of the linking.
    who : str, keyword-only
        Name of this ingest in the audit log of links (default ``"ingest:link"``); the
        analyst's name with ``replace_stored`` (required).
    replace_stored : bool, keyword-only
        Replace stored articles read again with another publication date or metadata; see
        :func:`ingest_articles`.

    Returns
    -------
    IngestSummary
        Inputs the readers could not read are listed in ``failed``.
    """
    from incidents.readers import iter_articles
    from incidents.readers_meta import ReadWarning

    if extract is None:
        _default_extract()  # no extractor in this build: say so before any file is read
    reader_failures: list[IngestFailure] = []
    reader_warnings: list[str] = []

    def on_problem(problem: ReadProblem) -> None:
        if isinstance(problem, ReadWarning):
            reader_warnings.append(str(problem))
        else:
            where = (f"{problem.path}:{problem.line}" if problem.line is not None
                     else problem.path)
            reader_failures.append(IngestFailure(where, problem.message))

    articles = iter_articles(paths, published=published, on_problem=on_problem)
    summary = ingest_articles(articles, store=store, extract=extract, join=join,
                              progress=progress, link=link, link_rules=link_rules, who=who,
                              replace_stored=replace_stored)
    return replace(summary, failed=tuple(reader_failures) + summary.failed,
                   warnings=tuple(reader_warnings) + summary.warnings)
