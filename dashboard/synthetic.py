"""Synthetic incidents for the dashboard's benchmark and tests (never shown as real data).

Incidents are scattered around real towns of Iraq and Syria with the store's columns
(:data:`incidents.model.ROW_COLUMNS`), a realistic mix of event types and place precision,
and ids ``syn:<n>`` so they are never mistaken for imported or extracted ones. Generation is
vectorised: 200,000 incidents take well under a second.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from incidents.model import EVENT_TYPES, ROW_COLUMNS

if TYPE_CHECKING:
    from incidents.model import Article, Incident

#: (town, province code, province name, country, lat, lon) the incidents gather around.
TOWNS: tuple[tuple[str, str, str, str, float, float], ...] = (
    ("Ramadi", "IQ-AN", "Al-Anbar", "IQ", 33.426, 43.299),
    ("Fallujah", "IQ-AN", "Al-Anbar", "IQ", 33.349, 43.784),
    ("Rutba", "IQ-AN", "Al-Anbar", "IQ", 33.038, 40.284),
    ("Mosul", "IQ-NI", "Ninawa", "IQ", 36.340, 43.130),
    ("Tikrit", "IQ-SD", "Sala ad-Din", "IQ", 34.607, 43.678),
    ("Baghdad", "IQ-BG", "Baghdad", "IQ", 33.315, 44.366),
    ("Kirkuk", "IQ-KI", "Kirkuk", "IQ", 35.468, 44.392),
    ("Deir ez-Zor", "SY-DY", "Dayr Az Zawr", "SY", 35.336, 40.141),
    ("Raqqa", "SY-RA", "Ar Raqqah", "SY", 35.952, 39.009),
    ("Hasakah", "SY-HA", "Al Hasakah", "SY", 36.502, 40.748),
    ("Aleppo", "SY-HL", "Aleppo", "SY", 36.202, 37.134),
    ("Idlib", "SY-ID", "Idlib", "SY", 35.931, 36.634),
    ("Homs", "SY-HI", "Homs", "SY", 34.733, 36.713),
    ("Damascus", "SY-DI", "Damascus", "SY", 33.513, 36.292),
)

ACTORS: tuple[str, ...] = (
    "ISIS", "Iraqi Security Forces", "Popular Mobilization Forces", "SDF",
    "Government of Syria", "Syrian insurgents", "Civilians", "Unidentified armed group",
)


def synthetic_incidents(n: int, *, seed: int = 0, start: date = date(2016, 1, 1),
                        days: int = 1400) -> pd.DataFrame:
    """``n`` synthetic incidents with exactly the columns of :data:`ROW_COLUMNS`.

    Parameters
    ----------
    n
        Number of incidents.
    seed
        Random seed (the same seed gives the same table).
    start, days
        Incidents start on days ``start`` .. ``start + days``.
    """
    rng = np.random.default_rng(seed)
    towns = pd.DataFrame(TOWNS, columns=["town", "code", "province", "country", "lat", "lon"])
    pick = rng.integers(0, len(towns), n)
    town = towns.iloc[pick].reset_index(drop=True)
    precision = rng.choice([1, 2, 3], size=n, p=[0.6, 0.28, 0.12])
    spread = np.where(precision == 1, 0.35, 0.2)
    lat = town["lat"].to_numpy() + rng.normal(0, 1, n) * spread
    lon = town["lon"].to_numpy() + rng.normal(0, 1, n) * spread
    radius = np.select([precision == 1, precision == 2], [0.0, rng.choice([5, 10, 25, 50], n)],
                       200.0)
    types = rng.choice(len(EVENT_TYPES), size=n, p=[0.34, 0.3, 0.16, 0.12, 0.05, 0.03])
    event_type = np.asarray(EVENT_TYPES, dtype=object)[types]
    killed = np.where(rng.random(n) < 0.55, rng.geometric(0.25, n) - 1, 0)
    first = pd.Timestamp(start) + pd.to_timedelta(rng.integers(0, days, n), unit="D")
    long = rng.random(n) < 0.1
    last = first + pd.to_timedelta(np.where(long, rng.integers(1, 6, n), 0), unit="D")
    actors = np.asarray(ACTORS, dtype=object)
    actor1 = actors[rng.integers(0, len(actors), n)]
    actor2 = actors[rng.integers(0, len(actors), n)]
    ids = pd.Series(np.arange(n)).map("syn:{:07d}".format)
    place = np.where(precision == 3, town["province"], town["town"])
    frame = pd.DataFrame({
        "incident_id": ids,
        "event_type": event_type,
        "sub_event_type": None,
        "actor1": actor1,
        "actor2": actor2,
        "assoc_actors": "",
        "location": place,
        "place_id": None,
        "latitude": lat,
        "longitude": lon,
        "geo_precision": precision,
        "where_prec": None,
        "radius_km": radius,
        "country": town["country"],
        "admin1": town["province"],
        "admin1_code": town["code"],
        "join_flag": None,
        "date_start": first,
        "date_end": last,
        "time_precision": "day",
        "date_text": None,
        "historical": False,
        "summary": pd.Series(event_type).str.cat(
            [pd.Series(actor1), pd.Series(place)], sep=" · "),
        "status": "machine",
        "source": "synthetic",
        "article_ids": "",
        "flags": "synthetic",
        "score": None,
        "killed_low": killed,
        "killed_best": killed,
        "killed_high": killed,
        "injured_low": None,
        "injured_best": None,
        "injured_high": None,
        "arrested_low": None,
        "arrested_best": None,
        "arrested_high": None,
        "fatalities": killed,
    })
    for column in ("geo_precision", "killed_low", "killed_best", "killed_high"):
        frame[column] = frame[column].astype("Int64")
    return frame[list(ROW_COLUMNS)]


#: Short articles written for tests and demos of the source panel (not news). The second
#: carries markup that must show as text.
TEST_ARTICLES: tuple[dict, ...] = (
    {
        "ref": "test-ramadi.txt", "title": "Car bombs in Anbar's capital",
        "published": date(2019, 5, 13),
        "text": "Car bombs in Anbar's capital\n\nTwo car bombs exploded in Ramadi on Monday, "
                "killing 5 people, police said. ISIS claimed the attack.",
        "incident": {"event_type": "Explosions/Remote violence", "place": "Ramadi",
                     "precision": 1, "lat": 33.426, "lon": 43.299, "radius_km": 0.0,
                     "admin1": "Al-Anbar", "code": "IQ-AN", "day": date(2019, 5, 13),
                     "killed": 5, "actor1": "ISIS"},
        "spans": {"trigger": "exploded", "place": "Ramadi", "date": "on Monday",
                  "count": "killing 5 people", "actor": "ISIS"},
    },
    {
        "ref": "test-markup.html.txt", "title": "Clashes near Rutba <b>update</b>",
        "published": date(2019, 6, 2),
        "text": 'Residents reported <script>alert("owned")</script> clashes near Rutba '
                "<img src=x onerror=alert(1)> between tribal fighters and ISIS; three "
                "fighters were killed on Saturday.",
        "incident": {"event_type": "Battles", "place": "Rutba", "precision": 2,
                     "lat": 33.038, "lon": 40.284, "radius_km": 25.0, "admin1": "Al-Anbar",
                     "code": "IQ-AN", "day": date(2019, 6, 1), "killed": 3,
                     "actor1": "Tribal fighters", "actor2": "ISIS"},
        "spans": {"trigger": "clashes", "place": "near Rutba", "actor": "ISIS",
                  "count": "three fighters were killed", "date": "on Saturday"},
    },
    {
        "ref": "test-anbar.txt", "title": "Arrests in Anbar", "published": date(2019, 5, 20),
        "text": "Security forces arrested 12 suspects in Anbar province last week.",
        "incident": {"event_type": "Strategic developments", "place": "Anbar province",
                     "precision": 3, "lat": 33.37, "lon": 42.05, "radius_km": 200.0,
                     "admin1": "Al-Anbar", "code": "IQ-AN", "day": date(2019, 5, 13),
                     "killed": 0, "arrested": 12, "actor1": "Iraqi Security Forces"},
        "spans": {"trigger": "arrested", "count": "12 suspects", "place": "Anbar province",
                  "date": "last week", "actor": "Security forces"},
    },
)


def articles_with_incidents() -> list[tuple[Article, list[Incident]]]:
    """:data:`TEST_ARTICLES` as articles with one incident each, evidence spans located."""
    from incidents.model import Article, Count, Evidence, Incident, Location

    out = []
    for spec in TEST_ARTICLES:
        article = Article.from_text(spec["text"], ref=spec["ref"], title=spec["title"],
                                    published=spec["published"])
        inc = spec["incident"]
        evidence = []
        for role, words in spec["spans"].items():
            start = spec["text"].index(words)
            evidence.append(Evidence(start, start + len(words), role, article.article_id))
        killed = Count(inc["killed"], inc["killed"], inc["killed"]) if inc["killed"] else None
        arrested = Count(inc["arrested"], inc["arrested"], inc["arrested"]) \
            if inc.get("arrested") else None
        incident = Incident(
            incident_id="test:" + article.article_id[:8],
            event_type=inc["event_type"], actor1=inc.get("actor1"), actor2=inc.get("actor2"),
            location=Location(name=inc["place"], lat=inc["lat"], lon=inc["lon"], country="IQ",
                              admin1=inc["admin1"], admin1_code=inc["code"],
                              geo_precision=inc["precision"], radius_km=inc["radius_km"]),
            date_start=inc["day"], date_end=inc["day"], time_precision="day",
            date_anchor=spec["published"], killed=killed, arrested=arrested,
            summary=spec["title"], article_ids=(article.article_id,), article_ref=spec["ref"],
            title=spec["title"], evidence=tuple(evidence), source="test",
        )
        out.append((article, [incident]))
    return out


def write_test_store(path: str | Path, *, synthetic: int = 0, seed: int = 0) -> Path:
    """A store at ``path`` holding the test articles with their incidents, plus
    ``synthetic`` synthetic incidents (no articles). Returns the path."""
    from incidents.store import IncidentStore

    target = Path(path)
    with IncidentStore(target) as store:
        for article, incidents in articles_with_incidents():
            store.add_article(article, incidents)
        if synthetic:
            store.add_incidents(synthetic_incidents(synthetic, seed=seed), source="synthetic")
    return target
