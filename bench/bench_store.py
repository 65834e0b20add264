"""The incident store with 100,000 synthetic incidents: insert and read back, beside plain
SQLite and pandas.

    python -m bench.bench_store [--incidents 100000] [--articles 2000]

Ours: :meth:`IncidentStore.add_incidents` of a frame (one transaction, executemany, as an
import), :meth:`IncidentStore.incidents_frame` (all rows, then one province and year, as the
dashboard asks), :meth:`IncidentStore.get_incidents` of 1,000 ids, and
:meth:`IncidentStore.add_article` of articles with three incidents each (one transaction per
article, as ingest). Plain: ``executemany`` of the same values into a bare table with the
same columns and no checks, ``pandas.DataFrame.to_sql`` and ``pandas.read_sql_query``.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 11
CODES = ("IQ-AN", "IQ-BG", "IQ-KI", "IQ-NI", "IQ-SD", "SY-DY", "SY-HL", "SY-HM", "SY-RA")
TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians",
         "Strategic developments", "Protests", "Riots")


def synthetic_frame(n: int) -> pd.DataFrame:
    """``n`` incident rows with the store frame's columns (ROW_COLUMNS + notes)."""
    from incidents.model import ROW_COLUMNS

    rng = np.random.default_rng(SEED)
    days = np.datetime64("2014-01-01") + rng.integers(0, 4018, n).astype("timedelta64[D]")
    killed = rng.poisson(1.5, n)
    frame = pd.DataFrame({
        "incident_id": [f"bench:{i}" for i in range(n)],
        "event_type": np.asarray(TYPES, dtype=object)[rng.integers(0, len(TYPES), n)],
        "sub_event_type": "Armed clash",
        "actor1": "Actor A", "actor2": "Actor B", "assoc_actors": "",
        "location": [f"Village {i % 5000}" for i in range(n)],
        "latitude": rng.uniform(32.0, 37.0, n), "longitude": rng.uniform(38.0, 46.0, n),
        "geo_precision": rng.integers(1, 4, n), "where_prec": rng.integers(1, 8, n),
        "radius_km": 10.0, "country": "IQ",
        "admin1_code": np.asarray(CODES, dtype=object)[rng.integers(0, len(CODES), n)],
        "admin1": "Somewhere", "join_flag": None,
        "date_start": days, "date_end": days, "time_precision": "day", "date_text": None,
        "historical": False, "summary": "Synthetic incident used to time the store.",
        "status": "reviewed", "flags": "", "score": None, "article_ids": "", "place_id": None,
        "killed_low": killed, "killed_best": killed, "killed_high": killed + 2,
        "injured_low": None, "injured_best": None, "injured_high": None,
        "arrested_low": None, "arrested_best": None, "arrested_high": None,
        "fatalities": killed, "notes": "Sources: bench",
    })
    frame["source"] = frame["incident_id"]
    return frame[list(ROW_COLUMNS) + ["notes"]]


def synthetic_articles(n: int) -> list[tuple[object, list[object]]]:
    """``n`` articles with three incidents each (with evidence)."""
    from incidents.model import Article, Count, Evidence, Incident, Location

    out = []
    for i in range(n):
        text = f"Article {i}. Gunmen attacked a checkpoint in Village {i}. Two were killed."
        article = Article.from_text(text, ref=f"bench-{i}.txt", published=date(2017, 1, 1))
        incidents = [Incident(
            incident_id=f"{article.article_id}-{k}", event_type="Battles",
            location=Location(f"Village {i}", 35.0, 43.0, country="IQ", admin1_code="IQ-KI",
                              geo_precision=1),
            date_start=date(2017, 1, 1), date_end=date(2017, 1, 1), time_precision="day",
            killed=Count(2, 2, 2, "Two"), article_ids=(article.article_id,),
            evidence=(Evidence(12, 20, "trigger"), Evidence(44, 53, "place")),
        ) for k in range(3)]
        out.append((article, incidents))
    return out


def _time(function, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def plain_executemany(path: Path, frame: pd.DataFrame) -> None:
    """The same values into a bare table: one transaction, no checks, no conversion."""
    conn = sqlite3.connect(path)
    columns = ", ".join(f'"{c}"' for c in frame.columns)
    conn.execute(f"CREATE TABLE plain ({columns})")
    values = frame.assign(date_start=frame["date_start"].dt.strftime("%Y-%m-%d"),
                          date_end=frame["date_end"].dt.strftime("%Y-%m-%d"))
    values = values.astype(object).where(values.notna(), None)
    with conn:
        conn.executemany(f"INSERT INTO plain VALUES ({', '.join('?' * len(frame.columns))})",
                         values.itertuples(index=False, name=None))
    conn.close()


def plain_to_sql(path: Path, frame: pd.DataFrame) -> None:
    conn = sqlite3.connect(path)
    frame.to_sql("plain_pandas", conn, index=False)
    conn.close()


def plain_read(path: Path, table: str) -> pd.DataFrame:
    conn = sqlite3.connect(path)
    try:
        return pd.read_sql_query(f"SELECT * FROM {table}", conn)
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    from incidents.store import IncidentStore

    parser = argparse.ArgumentParser(prog="python -m bench.bench_store")
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=2_000)
    args = parser.parse_args(argv)
    n = args.incidents
    frame = synthetic_frame(n)
    articles = synthetic_articles(args.articles)
    rng = np.random.default_rng(SEED)
    sample = frame["incident_id"].to_numpy()[rng.integers(0, n, 1000)]

    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-store-") as folder:
        folder_path = Path(folder)
        with IncidentStore(folder_path / "atlas.sqlite") as store:
            seconds, added = _time(store.add_incidents, frame, source="bench")
            assert added.added == n
            rows.append((f"insert {n:,} (add_incidents)", seconds, n))
            seconds, _ = _time(store.add_incidents, frame, source="bench")
            rows.append(("insert again, all present", seconds, n))
            seconds, back = _time(store.incidents_frame)
            assert len(back) == n
            rows.append(("read back incidents_frame()", seconds, n))
            seconds, some = _time(store.incidents_frame, admin1_codes=["IQ-KI"],
                                  date_from="2017-01-01", date_to="2017-12-31")
            rows.append(("read one province x year", seconds, len(some)))
            seconds, records = _time(store.get_incidents, sample)
            rows.append(("get_incidents(1,000 ids)", seconds, len(records)))
            start = time.perf_counter()
            for article, incidents in articles:
                store.add_article(article, incidents)
            seconds = time.perf_counter() - start
            rows.append((f"add_article x {len(articles):,} (3 incidents each)", seconds,
                         len(articles)))
        plain_path = folder_path / "plain.sqlite"
        plain = []
        seconds, _ = _time(plain_executemany, plain_path, frame)
        plain.append(("plain executemany, bare table", seconds, n))
        seconds, _ = _time(plain_to_sql, plain_path, frame)
        plain.append(("plain pandas to_sql", seconds, n))
        seconds, _ = _time(plain_read, plain_path, "plain")
        plain.append(("plain pandas read_sql_query", seconds, n))

    print(f"Incident store: {n:,} synthetic incidents, SQLite WAL, {sqlite3.sqlite_version}")
    print(f"{'':40}{'seconds':>9}{'rows/s':>11}")
    for label, seconds, count in rows + plain:
        print(f"{label:40}{seconds:9.2f}{count / seconds:11,.0f}")
    print("add_article rows/s are articles per second (one transaction each, fsync at "
          "WAL checkpoints: synchronous=NORMAL)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
