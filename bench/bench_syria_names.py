"""Syria place names as UCDP writes them, through the geoparser: how many land where UCDP
puts them. A failure list for the geoparser's Syria/Iraq rules (docs/GEOPARSER.md, "Syria and
Iraq names"), not a score of record: the figures of record come from ``incident-atlas eval``.

    python -m bench.bench_syria_names [--out FILE.json] [--limit N]

Every distinct place name of the UCDP GED Syria events with a precise point
(``../shared/datasets/ucdp_ged_syria_2016_2019.csv``, ``where_prec`` 1-2; ``where_coordinates``
without its type word, "Aleppo town" → "Aleppo", and the first of "a/b" spellings) is put in
two sentences,

- A: "Clashes were reported in NAME."  (no country named)
- B: "Syrian government forces shelled NAME on Monday."

and the longest toponym over the name is scored against UCDP's point: *right* (within 50 km,
the whole name or part of it), *wrong* (more than 50 km away: only part of the name found, a
namesake abroad, or in Syria far off) or *none* (no toponym over the name, or one without a
location). It prints the counts per sentence, also weighted by the events at each name, and
with ``--out`` writes each name's result for comparing two trees.

It then puts the names of issue 3's review (:data:`ISSUE_NAMES`: the Anbar/Syria places the
README promises, each with the country it lies in) in "Fighters clashed with ISIS in NAME on
Tuesday." and "Iraqi forces clashed with ISIS in NAME on Tuesday." and counts those placed in
their country.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from pathlib import Path

from gazetteer import geoparse, settings
from incidents.evaluation import haversine_km

UCDP_FILE = Path("datasets") / "ucdp_ged_syria_2016_2019.csv"
SENTENCES = {"A": "Clashes were reported in {}.",
             "B": "Syrian government forces shelled {} on Monday."}
#: A toponym this close to UCDP's point (km) is right.
RIGHT_KM = 50.0
#: Issue 3's review list (names the product's reporting uses; the README promises "Husayniyat,
#: Rutba, Nukhayb or Baghouz"), with the country each lies in (general geography: Baghouz,
#: al-Shuhail and Susah on the Euphrates in Deir ez-Zor, Dashisha in Hasakah, Tanf at the
#: Syria-Iraq-Jordan border; the rest in Anbar, Salahuddin, Diyala and Kerbala, Iraq).
ISSUE_NAMES = {
    "Baghouz": "SY", "al-Shuhail": "SY", "Susah": "SY", "Dashisha": "SY", "Tanf": "SY",
    "Nukhayb": "IQ", "Shirqat": "IQ", "Jalawla": "IQ", "Karabila": "IQ", "Garma": "IQ",
    "Amiriyat al-Fallujah": "IQ", "Akashat": "IQ", "Hit": "IQ", "Samarra": "IQ", "Rawa": "IQ",
    "Husayniyat": "IQ", "Rutba": "IQ",
}
ISSUE_SENTENCES = ("Fighters clashed with ISIS in {} on Tuesday.", "Iraqi forces clashed with ISIS in {} on Tuesday.")
TYPE_WORDS = frozenset(
    "town village city suburb district mountain area field fields farm farms camp enclave "
    "pocket sector hill complex neighbourhood neighborhood subdistrict".split())


def ucdp_names(path: Path) -> dict[str, tuple[float, float, int]]:
    """Name -> (lat, lon, events) of the precise UCDP points (the first point seen per name)."""
    out: dict[str, tuple[float, float, int]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["where_prec"] not in ("1", "2"):
                continue
            words = row["where_coordinates"].split()
            if len(words) > 1 and words[-1].lower() in TYPE_WORDS:
                words = words[:-1]
            name = " ".join(words).split("/")[0].strip()
            if not name or not name[0].isupper() or "Governorate" in name or name == "Syria":
                continue
            lat, lon, events = out.get(name, (float(row["latitude"]), float(row["longitude"]), 0))
            out[name] = (lat, lon, events + 1)
    return out


def judge(name: str, lat: float, lon: float, sentence: str) -> tuple[str, str | None]:
    """("right" | "wrong" | "none", what the geoparser gave) for one name in one sentence."""
    text = sentence.format(name)
    start = text.index(name)
    end = start + len(name)
    over = [t for t in geoparse(text) if t.end > start and t.start < end]
    if not over:
        return "none", None
    best = max(over, key=lambda t: t.end - t.start)
    given = f"{best.text} -> {best.name} [{best.country} {best.feature}]"
    if best.lat is None or best.lon is None:
        return "none", given
    distance = haversine_km(lat, lon, best.lat, best.lon)
    return ("right" if distance <= RIGHT_KM else "wrong"), f"{given} {distance:.0f} km"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write each name's result here (JSON)")
    parser.add_argument("--limit", type=int, help="only the first N names (alphabetical)")
    args = parser.parse_args(argv)
    path = settings.shared_dir() / UCDP_FILE
    if not path.is_file():
        print(f"{path} is missing: put ../shared beside the repository (or set "
              "INCIDENT_ATLAS_SHARED)", file=sys.stderr)
        return 2
    names = sorted(ucdp_names(path).items())[:args.limit]
    counts = {key: Counter() for key in SENTENCES}
    by_events = {key: Counter() for key in SENTENCES}
    results: dict[str, dict[str, tuple[str, str | None]]] = {}
    for name, (lat, lon, events) in names:
        results[name] = {}
        for key, sentence in SENTENCES.items():
            kind, given = judge(name, lat, lon, sentence)
            results[name][key] = (kind, given)
            counts[key][kind] += 1
            by_events[key][kind] += events
    print(f"{len(names):,} UCDP place names; right = within {RIGHT_KM:.0f} km of UCDP's point")
    print(f"{'sentence':<58} {'right':>7} {'wrong':>7} {'none':>7}   weighted by events")
    for key, sentence in SENTENCES.items():
        c, w = counts[key], by_events[key]
        print(f"{key}: {sentence.format('NAME'):<55} {c['right']:>7,} {c['wrong']:>7,} "
              f"{c['none']:>7,}   {w['right']:,} / {w['wrong']:,} / {w['none']:,}")
    for sentence in ISSUE_SENTENCES:
        placed = {}
        for name, country in ISSUE_NAMES.items():
            text = sentence.format(name)
            start = text.index(name)
            over = [t for t in geoparse(text) if t.end > start and t.start < start + len(name) and t.lat is not None]
            placed[name] = "none" if not over else ("right" if over[0].country == country else "wrong")
        kinds = Counter(placed.values())
        print(f"{sentence.format('NAME'):<55} right {kinds['right']}/{len(ISSUE_NAMES)}, wrong "
              f"{', '.join(n for n, k in placed.items() if k == 'wrong') or '-'}; none "
              f"{', '.join(n for n, k in placed.items() if k == 'none') or '-'}")
    if args.out:
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=0), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
