"""Linking incidents reported by several articles: its cost per article on a large store,
and what it does to a real corpus.

    python -m bench.bench_linking [--incidents 200000] [--articles 300]
    python -m bench.bench_linking --guardian [--sample 20] [--corpus eval/fakes_dev.jsonl]

The default run builds a store of synthetic incidents (four years over Iraq and Syria, about
140 a day), then ingests the same synthetic articles (two incidents each, one of them a
second report of a stored incident, moved a few km and a day) into two copies of it: with
linking (:func:`incidents.linking.find_links`, then ``add_article(links=...)``) and without
(plain ``add_article``, every incident new). Extraction and the spatial join are left out
(a ready list of incidents and an identity join) so the figures are the store's and the
linker's. It prints milliseconds per article for both and the candidates each query read.

``--guardian`` ingests ``../shared/datasets/guardian_syria_iraq_2017_2019.jsonl`` (or
``--corpus``, a path under ``../shared``; read in place) with the real extractor, with and without linking, prints incidents, links and the
count totals of both stores, and ``--sample N`` prints N random links (seeded) with the
sentence each report's trigger is in, for a person to judge.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 17
TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians",
         "Strategic developments", "Protests", "Riots")
CODES = ("IQ-AN", "IQ-BG", "IQ-KI", "IQ-NI", "IQ-SD", "SY-DY", "SY-HL", "SY-HM", "SY-RA")
ACTORS = ("Islamic State", "Iraqi Army", "SDF", "Syrian Arab Army", "Civilians", "PMF")
FIRST_DAY = date(2016, 1, 1)
DAYS = 1461
GUARDIAN = "datasets/guardian_syria_iraq_2017_2019.jsonl"


def synthetic_frame(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """``n`` machine incidents with the store frame's columns, spread over four years."""
    from incidents.model import ROW_COLUMNS

    days = np.datetime64(FIRST_DAY) + rng.integers(0, DAYS, n).astype("timedelta64[D]")
    killed = rng.poisson(3.0, n)
    precision = rng.choice([1, 2, 3], n, p=[0.6, 0.3, 0.1])
    frame = pd.DataFrame({
        "incident_id": [f"bench:{i}" for i in range(n)],
        "event_type": np.asarray(TYPES, dtype=object)[rng.integers(0, len(TYPES), n)],
        "sub_event_type": None,
        "actor1": np.asarray(ACTORS, dtype=object)[rng.integers(0, len(ACTORS), n)],
        "actor2": None, "assoc_actors": "",
        "location": [f"Village {i % 5000}" for i in range(n)],
        "latitude": rng.uniform(32.0, 37.0, n), "longitude": rng.uniform(38.0, 46.0, n),
        "geo_precision": precision, "where_prec": None,
        "radius_km": np.where(precision == 3, 150.0, np.where(precision == 2, 10.0, 2.0)),
        "country": "IQ",
        "admin1_code": np.asarray(CODES, dtype=object)[rng.integers(0, len(CODES), n)],
        "admin1": "Somewhere", "join_flag": None,
        "date_start": days, "date_end": days, "time_precision": "day", "date_text": None,
        "historical": False, "summary": "Synthetic incident used to time the linker.",
        "status": "machine", "source": "bench", "flags": "", "score": None,
        "article_ids": "", "place_id": None,
        "killed_low": killed, "killed_best": killed, "killed_high": killed,
        "injured_low": None, "injured_best": None, "injured_high": None,
        "arrested_low": None, "arrested_best": None, "arrested_high": None,
        "fatalities": killed,
    })
    return frame[list(ROW_COLUMNS)]


def synthetic_articles(stored: pd.DataFrame, n: int, rng: np.random.Generator):
    """``n`` articles, each with a second report of a stored incident and a new incident."""
    from incidents.model import Article, Count, Evidence, Incident, Location

    articles, found = [], {}
    picks = rng.choice(len(stored), n, replace=False)
    for k, row in enumerate(stored.iloc[picks].itertuples(index=False)):
        text = f"Synthetic article {k}: a second report, and a new incident."
        article = Article.from_text(text, ref=f"bench-{k}.txt", published=FIRST_DAY)
        day = pd.Timestamp(row.date_start).date() + timedelta(days=int(rng.integers(0, 2)))
        again = Incident(
            incident_id=f"{article.article_id}-0", event_type=row.event_type,
            actor1=row.actor1,
            location=Location("Again", float(row.latitude) + 0.02, float(row.longitude),
                              admin1_code=row.admin1_code, geo_precision=int(row.geo_precision),
                              radius_km=float(row.radius_km)),
            date_start=day, date_end=day, time_precision="day",
            killed=Count(int(row.killed_best) + 1, int(row.killed_best) + 1,
                         int(row.killed_best) + 1),
            article_ids=(article.article_id,), source="bench",
            evidence=(Evidence(21, 34, "trigger", article.article_id),),
        )
        other_day = FIRST_DAY + timedelta(days=int(rng.integers(0, DAYS)))
        new = replace(again, incident_id=f"{article.article_id}-1",
                      location=replace(again.location, lat=float(rng.uniform(32, 37)),
                                       lon=float(rng.uniform(38, 46))),
                      date_start=other_day, date_end=other_day)
        articles.append(article)
        found[article.article_id] = [again, new]
    return articles, found


def _identity_join(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(join_flag=None)


def run_store_bench(n_incidents: int, n_articles: int) -> None:
    from incidents.ingest import ingest_articles
    from incidents.linking import (
        LinkRules,
        candidate_frame,
        candidate_windows,
        find_links,
    )
    from incidents.store import IncidentStore

    rng = np.random.default_rng(SEED)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "base.sqlite"
        frame = synthetic_frame(n_incidents, rng)
        started = time.perf_counter()
        with IncidentStore(base) as store:
            store.add_incidents(frame, source="bench")
        build_s = time.perf_counter() - started
        articles, found = synthetic_articles(frame, n_articles, rng)

        results = {}
        for mode in ("no link", "link"):
            copy = Path(folder) / f"{mode.replace(' ', '_')}.sqlite"
            shutil.copy(base, copy)
            with IncidentStore(copy) as store:
                started, cpu = time.perf_counter(), time.process_time()
                summary = ingest_articles(articles, store=store,
                                          extract=lambda a: found[a.article_id],
                                          join=_identity_join, link=mode == "link")
                seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
                results[mode] = (seconds, cpu, summary, store.stats()["incidents"])

        rules = LinkRules()
        with IncidentStore(base, readonly=True) as store:
            sizes = []
            started, cpu = time.perf_counter(), time.process_time()
            for article in articles:
                incoming = candidate_frame(found[article.article_id])
                sizes.append(len(store.link_candidates(candidate_windows(incoming, rules))))
            query_s, query_cpu = time.perf_counter() - started, time.process_time() - cpu
            started, cpu = time.perf_counter(), time.process_time()
            for article in articles:
                find_links(article, found[article.article_id], store=store)
            find_s, find_cpu = time.perf_counter() - started, time.process_time() - cpu

    print(f"Store of {n_incidents:,} synthetic incidents (built in {build_s:.1f} s); "
          f"{n_articles:,} articles of 2 incidents, one of them a second report")
    print(f"{'':48}{'ms/article':>11}{'CPU ms':>8}{'incidents':>11}{'linked':>8}")
    per = 1000 / n_articles
    for mode in ("no link", "link"):
        seconds, cpu, summary, total = results[mode]
        label = ("ingest without linking (add_article)" if mode == "no link"
                 else "ingest with linking (find_links + add_article)")
        print(f"{label:48}{per * seconds:11.2f}{per * cpu:8.2f}{total:11,}"
              f"{summary.incidents_linked:8,}")
    print(f"{'  find_links alone (query + scores)':48}{per * find_s:11.2f}{per * find_cpu:8.2f}")
    print(f"{'  the candidate query alone':48}{per * query_s:11.2f}{per * query_cpu:8.2f}")
    extra = results["link"][0] - results["no link"][0]
    extra_cpu = results["link"][1] - results["no link"][1]
    print(f"linking cost per article: {per * extra:.2f} ms ({per * extra_cpu:.2f} ms CPU); "
          f"candidates read per article: median {int(np.median(sizes))}, max {max(sizes)}")


def _fatalities(store) -> dict[str, int]:
    frame = store.incidents_frame(columns=["killed_best", "injured_best", "arrested_best"])
    return {c.split("_")[0]: int(frame[c].fillna(0).sum()) for c in frame.columns}


def _trigger_sentence(store, incident, article_id: str) -> str:
    from incidents.sentences import split_sentences

    text = store.get_article(article_id).text
    own = [e for e in incident.evidence if e.article_id in (article_id, None)]
    spans = [e for e in own if e.role == "trigger"] or own
    if not spans:
        return ""
    start = spans[0].start
    for sentence in split_sentences(text):
        if sentence.start <= start < sentence.end:
            return " ".join(text[sentence.start:sentence.end].split())
    return ""


def run_guardian(sample: int, corpus: str = GUARDIAN) -> None:
    import json
    import sqlite3

    from gazetteer.settings import shared_dir
    from incidents.ingest import ingest_paths
    from incidents.model import Incident
    from incidents.store import IncidentStore

    path = shared_dir() / corpus
    with tempfile.TemporaryDirectory() as folder:
        rows = {}
        for mode in ("no link", "link"):
            with IncidentStore(Path(folder) / f"{mode[:2]}.sqlite") as store:
                summary = ingest_paths([path], store=store, link=mode == "link")
                rows[mode] = (summary, store.stats()["incidents"], _fatalities(store))
        print(f"{corpus}: {rows['link'][0].articles_added} articles")
        print(f"{'':14}{'seconds':>9}{'incidents':>11}{'linked':>8}{'killed':>10}"
              f"{'injured':>9}{'arrested':>10}")
        for mode, (summary, total, sums) in rows.items():
            print(f"{mode:14}{summary.seconds:9.1f}{total:11,}{summary.incidents_linked:8,}"
                  f"{sums['killed']:10,}{sums['injured']:9,}{sums['arrested']:10,}")
        if not sample:
            return
        with IncidentStore(Path(folder) / "li.sqlite", readonly=True) as store:
            conn = sqlite3.connect(store.path)
            links = conn.execute(
                "SELECT incident_id, article_id, score, reasons, record FROM incident_reports "
                "WHERE score IS NOT NULL ORDER BY incident_id, article_id").fetchall()
            chosen = random.Random(SEED).sample(links, min(sample, len(links)))
            print(f"\n{len(chosen)} of {len(links)} links (seed {SEED}):")
            for incident_id, article_id, score, reasons, record in chosen:
                stored = store.get_incident(incident_id)
                report = Incident.from_dict(json.loads(record))
                first = stored.article_ids[0]
                print(f"\n- {incident_id} score {score}: {reasons.replace(chr(31), '; ')}")
                for label, incident, aid in (("stored", stored, first),
                                             ("report", report, article_id)):
                    ref = store.get_article(aid).ref
                    print(f"  {label} [{ref}] {incident.summary} "
                          f"[{incident.date_start}..{incident.date_end}]")
                    print(f"    \"{_trigger_sentence(store, incident, aid)[:300]}\"")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=200_000)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--guardian", action="store_true",
                        help="ingest the Guardian corpus with and without linking")
    parser.add_argument("--corpus", default=GUARDIAN,
                        help="with --guardian: another JSON-lines corpus under ../shared")
    parser.add_argument("--sample", type=int, default=0, help="print N random links")
    args = parser.parse_args()
    if args.guardian:
        run_guardian(args.sample, args.corpus)
    else:
        run_store_bench(args.incidents, args.articles)


if __name__ == "__main__":
    main()
