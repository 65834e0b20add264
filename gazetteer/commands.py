"""Commands ``incident-atlas gazetteer lookup|stats|build`` and ``incident-atlas geoparse``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from gazetteer.errors import BadQueryError

#: Largest text ``geoparse`` reads from stdin or an argument (characters).
MAX_GEOPARSE_CHARS = 20_000_000


def register(sub: Any, eval_sub: Any) -> None:
    gaz = sub.add_parser(
        "gazetteer",
        help="look up places in the offline gazetteer",
        description="Look up places in the offline gazetteer (GeoNames, GDELT/GNS, Natural Earth, curated supplement).",
    )
    gaz_sub = gaz.add_subparsers(dest="gazetteer_command", metavar="ACTION", required=True)

    lk = gaz_sub.add_parser("lookup", help="ranked places for a name", description="Ranked places a name may denote.")
    lk.add_argument("name", help="place name in any common spelling, Latin or Arabic script")
    lk.add_argument("--country", help="ISO alpha-2 code of the expected country (soft preference)")
    lk.add_argument("--admin1", help="ISO 3166-2 code of the expected province (soft preference)")
    lk.add_argument("--limit", type=int, default=10, help="most places to print (default 10)")
    lk.add_argument("--json", action="store_true", help="print a JSON list")
    lk.set_defaults(handler=_lookup)

    st = gaz_sub.add_parser("stats", help="counts of places by source and country", description="Counts of places by source and country.")
    st.add_argument("--top", type=int, default=20, help="countries to list (default 20)")
    st.add_argument("--json", action="store_true", help="print JSON")
    st.set_defaults(handler=_stats)

    bd = gaz_sub.add_parser("build", help="(re)build the index now", description="Build the place index into the cache now (it is otherwise built on first use).")
    bd.add_argument("--force", action="store_true", help="rebuild even when the cache is current")
    bd.set_defaults(handler=_build)

    gp = sub.add_parser(
        "geoparse",
        help="find and resolve the place names in a text",
        description="Find and resolve every place name in a text. Reads TEXT, or standard input with '-'.",
    )
    gp.add_argument("text", nargs="?", default="-", help="the text, or '-' (default) for standard input")
    gp.add_argument("--country", help="ISO alpha-2 code of the document's country (soft hint)")
    gp.add_argument("--json", action="store_true", help='print {"toponyms": [...]}')
    gp.set_defaults(handler=_geoparse)


def _country_option(value: str | None) -> str | None:
    """``--country`` as an ISO alpha-2 code the index knows, or :class:`BadQueryError`."""
    if value is None:
        return None
    from gazetteer.index import get_index

    code = value.strip().upper()
    known = {str(c) for c in get_index().code_values["country"] if c}
    if code not in known:
        raise BadQueryError(f"--country {value!r} is not a country code of the index; give the "
                            "ISO alpha-2 code (IQ for Iraq, SY for Syria)")
    return code


def _lookup(args: argparse.Namespace) -> int:
    from gazetteer.index import lookup

    if args.limit <= 0:
        raise BadQueryError(f"--limit must be positive, got {args.limit}")
    places = lookup(args.name, country=_country_option(args.country), admin1=args.admin1,
                    limit=args.limit)
    if args.json:
        print(json.dumps([p.to_dict() for p in places], ensure_ascii=False, indent=2))
        return 0
    if not places:
        print(f"no place found for {args.name!r}", file=sys.stderr)
        return 1
    for rank, p in enumerate(places, 1):
        where = ", ".join(x for x in (p.admin1 or p.admin1_code, p.country) if x)
        print(
            f"{rank:>2}. {p.name:<28} {where:<28} {p.feature:<8} {p.lat:9.4f} {p.lon:9.4f} "
            f"pop {p.population:<9} {p.source:<11} {p.match:<9} score {p.score:.3f}  {p.place_id}"
        )
    return 0


def _stats(args: argparse.Namespace) -> int:
    import pandas as pd

    from gazetteer.index import get_index

    index = get_index()
    frame = pd.DataFrame({"source": index.source, "country": index.country, "feature": index.feature})
    by_source = frame["source"].value_counts().to_dict()
    by_feature = frame["feature"].value_counts().to_dict()
    by_country = frame["country"].fillna("??").value_counts()
    result = {
        "places": int(len(frame)),
        "names": int(len(index.keys)),
        "by_source": {k: int(v) for k, v in by_source.items()},
        "by_feature": {k: int(v) for k, v in by_feature.items()},
        "by_country": {k: int(v) for k, v in by_country.head(args.top).items()},
        "iraq_syria": {cc: int(by_country.get(cc, 0)) for cc in ("IQ", "SY")},
        "folder": str(index.folder),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"places {result['places']:,}  distinct folded names {result['names']:,}  ({result['folder']})")
    for title in ("by_source", "by_feature", "by_country", "iraq_syria"):
        print(f"\n{title.replace('_', ' ')}:")
        for k, v in result[title].items():
            print(f"  {k:<14} {v:>10,}")
    return 0


def _build(args: argparse.Namespace) -> int:
    from gazetteer.index import get_index

    index = get_index(rebuild=args.force)
    print(f"gazetteer index ready: {len(index):,} places in {index.folder}")
    return 0


def _geoparse(args: argparse.Namespace) -> int:
    from gazetteer.geoparse import geoparse, toponyms_to_json

    if args.text == "-":
        text = sys.stdin.read(MAX_GEOPARSE_CHARS + 1)
    else:
        text = args.text
    if len(text) > MAX_GEOPARSE_CHARS:
        raise BadQueryError(
            f"the text is over {MAX_GEOPARSE_CHARS:,} characters; split it into articles (incident-atlas extract reads folders)"
        )
    context = {"country": _country_option(args.country)} if args.country else None
    toponyms = geoparse(text, context=context)
    if args.json:
        print(json.dumps({"toponyms": toponyms_to_json(toponyms)}, ensure_ascii=False, indent=2))
        return 0
    for t in toponyms:
        where = f"{t.lat:.4f},{t.lon:.4f}" if t.lat is not None else "unresolved"
        extra = f" [{t.relation} {t.anchor}]" if t.relation else ""
        org = " (in organisation)" if t.in_organisation else ""
        print(
            f"{t.start:>6}-{t.end:<6} {t.text!r:<28} -> {t.name or '?'} ({t.country or '?'} {t.admin1_code or ''}) "
            f"{t.feature} p{t.geo_precision} r{t.radius_km:g}km {where} score {t.score:.2f}{extra}{org}"
        )
    return 0
