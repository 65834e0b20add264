"""The place index on disk and name lookup over it.

Layout (one folder in the cache, written by :mod:`gazetteer.build`):

- ``places.parquet``: one row per place (id, name, lat, lon, country, admin1_code, feature,
  population, source, radius_km, prominence, admin1).
- ``keys.npy``: sorted unique folded name keys (fixed-width UTF-8 bytes), with
  ``key_offsets.npy`` into the postings ``post_place.npy`` / ``post_primary.npy``.
- ``exact_spellings.npy``: sorted ``crc32(plain spelling) << 32 | place`` pairs, to tell an
  exact spelling from a folded match.
- ``skel_keys.npy`` / ``skel_offsets.npy`` / ``skel_key_ids.npy``: consonant skeletons mapped to
  the folded keys that share them.

Lookups are binary searches (``numpy.searchsorted``) on memory-mapped arrays, so loading
is quick and lookups of many names at once are vectorised.
"""

from __future__ import annotations

import json
import logging
import math
import sys
import threading
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from gazetteer.build import (
    COMPASS_BEARINGS,
    INDEX_FORMAT,
    KEY_BYTES,
    build_index,
    build_lock,
    default_index_dir,
    source_fingerprint,
)
from gazetteer.errors import BadQueryError, GazetteerBuildError
from gazetteer.model import Place
from gazetteer.normalize import MAX_NAME_CHARS, fold_plain, plain, skeleton, vowel_key, vowel_keys_match

log = logging.getLogger(__name__)

_ARRAYS = (
    "keys",
    "key_offsets",
    "post_place",
    "post_primary",
    "exact_spellings",
    "skel_keys",
    "skel_offsets",
    "skel_key_ids",
    "direction_rows",
    "direction_parts",
)

#: How a query matched a name, with the weight it carries in the score ("vowel": the same
#: :func:`~gazetteer.normalize.vowel_key`, found only by :meth:`GazetteerIndex.vowel_places`).
MATCH_WEIGHTS = {"exact": 1.0, "alternate": 0.95, "folded": 0.85, "skeleton": 0.6, "fuzzy": 0.5, "vowel": 0.7}
#: The match kinds in code order (:meth:`GazetteerIndex.candidate_arrays` returns codes).
MATCH_KINDS: tuple[str, ...] = tuple(MATCH_WEIGHTS)
#: Weight of each kind code.
MATCH_KIND_WEIGHTS = np.asarray([MATCH_WEIGHTS[k] for k in MATCH_KINDS])
_KIND_CODE = {k: c for c, k in enumerate(MATCH_KINDS)}
_NO_PLACES = np.empty(0, dtype=np.int64)
_NO_KINDS = np.empty(0, dtype=np.int8)
#: Most names whose vowel-key places the index remembers (then it forgets them all).
_VOWEL_CACHE_NAMES = 20_000


@lru_cache(maxsize=1 << 18)
def _plain_name(name: str) -> str:
    """:func:`plain` of an index name, remembered (candidate lists repeat names a lot)."""
    return plain(name)

_CONTROL = dict.fromkeys(list(range(0, 32)) + [127], " ")
#: Columns of ``places.parquet`` with few distinct values, kept as integer codes too.
_CODED_COLUMNS = ("country", "admin1_code", "admin1", "feature", "source")


def _dictionary_codes(column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """Codes and values of a dictionary-encoded column: ``values[codes]`` is the column, with
    code 0 (value None) where it is missing."""
    merged = column.unify_dictionaries().combine_chunks()
    if not isinstance(merged, pa.DictionaryArray):
        merged = merged.dictionary_encode()
    codes = merged.indices.fill_null(-1).to_numpy().astype(np.int32) + 1
    values = np.asarray([None, *merged.dictionary.to_pylist()], dtype=object)
    return codes, values


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place that a name could refer to, before context is weighed."""

    place: int
    match: str


class GazetteerIndex:
    """A loaded place index. Use :func:`get_index` for the shared, lazily built instance."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        arrays = {name: np.load(self.folder / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in _ARRAYS}
        # Plain arrays over the mapped files: indexing a memmap object costs far more per call.
        self.keys = np.asarray(arrays["keys"])
        self.key_offsets = np.asarray(arrays["key_offsets"])
        self.post_place = np.asarray(arrays["post_place"])
        self.post_primary = np.asarray(arrays["post_primary"])
        self.exact_spellings = np.asarray(arrays["exact_spellings"])
        self.skel_keys = np.asarray(arrays["skel_keys"])
        self.skel_offsets = np.asarray(arrays["skel_offsets"])
        self.skel_key_ids = np.asarray(arrays["skel_key_ids"])
        self.direction_rows = np.asarray(arrays["direction_rows"])
        self.direction_parts = np.asarray(arrays["direction_parts"])
        # Columns with few distinct values are read dictionary-encoded: one Python string per
        # value instead of one per place, and integer codes the resolver compares cheaply.
        table = pq.read_table(self.folder / "places.parquet", read_dictionary=list(_CODED_COLUMNS))
        self.place_id = np.asarray(table.column("place_id").to_numpy(zero_copy_only=False), dtype=object)
        self.name = np.asarray(table.column("name").to_numpy(zero_copy_only=False), dtype=object)
        self.lat = table.column("lat").to_numpy()
        self.lon = table.column("lon").to_numpy()
        self.population = table.column("population").to_numpy()
        self.radius_km = table.column("radius_km").to_numpy().astype("float64")
        self.prominence = table.column("prominence").to_numpy().astype("float64")
        #: Per coded column: the code of each place (int32, 0 where the value is missing) and
        #: the value of each code (``values[0]`` is None).
        self.codes: dict[str, np.ndarray] = {}
        self.code_values: dict[str, np.ndarray] = {}
        self._code_of: dict[str, dict[str, int]] = {}
        for column in _CODED_COLUMNS:
            codes, values = _dictionary_codes(table.column(column))
            self.codes[column], self.code_values[column] = codes, values
            self._code_of[column] = {v: c for c, v in enumerate(values.tolist()) if c}
        self.country = self.code_values["country"][self.codes["country"]]
        self.admin1_code = self.code_values["admin1_code"][self.codes["admin1_code"]]
        self.admin1 = self.code_values["admin1"][self.codes["admin1"]]
        self.feature = self.code_values["feature"][self.codes["feature"]]
        self.source = self.code_values["source"][self.codes["source"]]
        self._feature_sets: dict[frozenset[str], np.ndarray] = {}
        self._by_id: dict[str, int] | None = None
        self._by_admin_id: dict[str, int] | None = None
        self._vowel_places: dict[tuple[str, bytes | None], np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.place_id)

    # -- coded columns -----------------------------------------------------------------

    def code_of(self, column: str, value: str) -> int:
        """Code of ``value`` in a coded column (:data:`_CODED_COLUMNS`); -1 if no place has it.

        -1 matches no place (0 is the code of a missing value), so it is safe to compare with.
        """
        return self._code_of[column].get(value, -1)

    def feature_in(self, features: frozenset[str]) -> np.ndarray:
        """Boolean table over feature codes: ``feature_in(fs)[self.codes["feature"][i]]`` is
        whether place ``i``'s feature is one of ``features`` (remembered per set)."""
        table = self._feature_sets.get(features)
        if table is None:
            table = self._feature_sets[features] = np.isin(self.code_values["feature"], list(features))
        return table

    # -- finding candidates -------------------------------------------------------------

    def key_ids(self, keys: Sequence[str]) -> np.ndarray:
        """Index into :attr:`keys` of each folded key, -1 where absent (vectorised)."""
        if not keys:
            return np.empty(0, dtype=np.int64)
        query = np.asarray([k.encode("utf-8")[:KEY_BYTES] for k in keys], dtype=f"S{KEY_BYTES}")
        pos = np.searchsorted(self.keys, query)
        pos_clipped = np.minimum(pos, len(self.keys) - 1)
        found = (pos < len(self.keys)) & (self.keys[pos_clipped] == query) & (query != b"")
        return np.where(found, pos_clipped, -1)

    def key_id(self, key: str) -> int:
        """:meth:`key_ids` of one key (a binary search without building arrays)."""
        query = key.encode("utf-8")[:KEY_BYTES]
        if not query:
            return -1
        pos = int(np.searchsorted(self.keys, query))
        return pos if pos < len(self.keys) and self.keys[pos] == query else -1

    def places_for_key_id(self, key_id: int) -> np.ndarray:
        return self.post_place[self.key_offsets[key_id] : self.key_offsets[key_id + 1]]

    def skeleton_key_ids(self, skel: str) -> np.ndarray:
        if not skel:
            return np.empty(0, dtype=np.int64)
        query = np.asarray([skel.encode("ascii")[:KEY_BYTES]], dtype=f"S{KEY_BYTES}")
        pos = int(np.searchsorted(self.skel_keys, query)[0])
        if pos >= len(self.skel_keys) or self.skel_keys[pos] != query[0]:
            return np.empty(0, dtype=np.int64)
        return self.skel_key_ids[self.skel_offsets[pos] : self.skel_offsets[pos + 1]]

    def vowel_places(self, name: str, *, countries: np.ndarray | None = None) -> np.ndarray:
        """Places with a name of the same vowel-class key as ``name`` (Jawbar for "Jobar").

        Read from the keys of the name's skeleton, whose vowel keys are computed only when a
        name is asked for, and only for keys with a place in ``countries``. Includes the places
        of the name's own folded key, if any. Remembered per name and countries.

        Parameters
        ----------
        name
            A place name as written.
        countries
            Optional boolean table over the codes of ``codes["country"]``: only places in the
            countries it flags.

        Returns
        -------
        numpy.ndarray
            Place rows (int64), possibly empty (an Arabic-script name, or one of under three
            consonants, has no vowel key).
        """
        cache_key = (name, None if countries is None else countries.tobytes())
        hit = self._vowel_places.get(cache_key)
        if hit is not None:
            return hit
        if len(self._vowel_places) > _VOWEL_CACHE_NAMES:
            self._vowel_places.clear()
        key = fold_plain(plain(name))[:KEY_BYTES]
        query = vowel_key(key)
        places = _NO_PLACES
        key_ids = self.skeleton_key_ids(skeleton(key)) if query else _NO_PLACES
        if countries is not None and len(key_ids):
            # Only keys with a place in those countries (one array step, before any vowel key).
            starts = self.key_offsets[key_ids]
            sizes = self.key_offsets[key_ids + 1] - starts
            offsets = np.concatenate(([0], np.cumsum(sizes)[:-1]))
            posting = np.arange(int(sizes.sum())) + np.repeat(starts - offsets, sizes)
            inside = countries[self.codes["country"][self.post_place[posting]]]
            key_ids = key_ids[np.add.reduceat(inside, offsets) > 0]
        same = [vowel_keys_match(vowel_key(k.decode("utf-8", "ignore")), query) for k in self.keys[key_ids].tolist()]
        found = key_ids[np.asarray(same, dtype=bool)] if same else key_ids
        if len(found):
            places = np.concatenate([self.places_for_key_id(kid) for kid in found.tolist()]).astype(np.int64)
            if countries is not None:
                places = places[countries[self.codes["country"][places]]]
        self._vowel_places[cache_key] = places
        return places

    def directional_part(self, row: int, bearing: float) -> tuple[float, float, float] | None:
        """The half of country or province ``row`` on the side ``bearing`` points to ("eastern
        Syria"): a point inside it (lat, lon) and a radius (km), as the build worked it out
        (:func:`gazetteer.build.directional_part`); None for other places, or when the half is
        empty. ``bearing`` is one of :data:`~gazetteer.build.COMPASS_BEARINGS`."""
        k = int(np.searchsorted(self.direction_rows, row))
        if k >= len(self.direction_rows) or int(self.direction_rows[k]) != row:
            return None
        lat, lon, radius = self.direction_parts[k, COMPASS_BEARINGS.index(bearing)].tolist()
        return None if math.isnan(lat) else (lat, lon, radius)

    def is_exact_spelling(self, plain_name: str, places: np.ndarray) -> np.ndarray:
        crc = np.uint64(zlib.crc32(plain_name.encode("utf-8")))
        packed = (crc << np.uint64(32)) | places.astype(np.uint64)
        pos = np.searchsorted(self.exact_spellings, packed)
        pos = np.minimum(pos, len(self.exact_spellings) - 1)
        return self.exact_spellings[pos] == packed

    def candidates(self, name: str, *, fuzzy: bool = True, max_skeleton_keys: int = 40) -> list[Candidate]:
        """Every place ``name`` may denote, with how it matched (no ranking)."""
        places, kinds = self.candidate_arrays(name, fuzzy=fuzzy, max_skeleton_keys=max_skeleton_keys)
        return [Candidate(int(p), MATCH_KINDS[k]) for p, k in zip(places.tolist(), kinds.tolist())]

    def candidate_arrays(
        self, name: str, *, fuzzy: bool = True, max_skeleton_keys: int = 40, key_id: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`candidates` as arrays: place rows and match kinds (codes into :data:`MATCH_KINDS`).

        ``key_id``, if given, is ``key_ids([fold(name)])[0]``, already known to the caller.
        """
        plain_name = plain(name)
        key = None
        if key_id is None:
            key = fold_plain(plain_name)[:KEY_BYTES]
            key_id = self.key_id(key) if key else -1
        if key_id >= 0:
            places = self.places_for_key_id(key_id)
            exact = self.is_exact_spelling(plain_name, places)
            primary = np.fromiter((_plain_name(n) == plain_name for n in self.name[places]), dtype=bool, count=len(places))
            kinds = np.where(primary, _KIND_CODE["exact"], np.where(exact, _KIND_CODE["alternate"], _KIND_CODE["folded"]))
            return np.asarray(places, dtype=np.int64), kinds.astype(np.int8)
        if key is None:
            key = fold_plain(plain_name)[:KEY_BYTES]
        if not key:
            return _NO_PLACES, _NO_KINDS
        key_ids = self.skeleton_key_ids(skeleton(key))
        if 0 < len(key_ids) <= max_skeleton_keys:
            places = np.concatenate([self.places_for_key_id(int(kid)) for kid in key_ids]).astype(np.int64)
            return places, np.full(len(places), _KIND_CODE["skeleton"], dtype=np.int8)
        if fuzzy and len(key) >= 5 and key.isascii():
            found = self._fuzzy(key)
            return (
                np.asarray([c.place for c in found], dtype=np.int64),
                np.full(len(found), _KIND_CODE["fuzzy"], dtype=np.int8),
            )
        return _NO_PLACES, _NO_KINDS

    def key_candidate_arrays(
        self, plain_names: Sequence[str], key_ids: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`candidate_arrays` of several names whose folded keys the index has, all at once.

        Parameters
        ----------
        plain_names
            The names' :func:`plain` forms.
        key_ids
            Their key ids (:meth:`key_ids`, each >= 0).

        Returns
        -------
        places, kinds, offsets
            Place rows (int64) and match-kind codes (int8) of every name, one run after the
            other: name ``k`` has ``places[offsets[k]:offsets[k + 1]]``, as
            :meth:`candidate_arrays` gives them.
        """
        starts = self.key_offsets[key_ids]
        sizes = self.key_offsets[key_ids + 1] - starts
        offsets = np.concatenate(([0], np.cumsum(sizes)))
        posting = np.arange(offsets[-1]) + np.repeat(starts - offsets[:-1], sizes)
        places = self.post_place[posting].astype(np.int64)
        crc = np.asarray([zlib.crc32(p.encode("utf-8")) for p in plain_names], dtype=np.uint64)
        packed = (np.repeat(crc, sizes) << np.uint64(32)) | places.astype(np.uint64)
        pos = np.minimum(np.searchsorted(self.exact_spellings, packed), len(self.exact_spellings) - 1)
        exact = self.exact_spellings[pos] == packed
        owner_plain = [plain_names[k] for k in np.repeat(np.arange(len(plain_names)), sizes).tolist()]
        primary = np.fromiter(
            (_plain_name(n) == p for n, p in zip(self.name[places].tolist(), owner_plain)),
            dtype=bool,
            count=len(places),
        )
        kinds = np.where(primary, _KIND_CODE["exact"], np.where(exact, _KIND_CODE["alternate"], _KIND_CODE["folded"]))
        return places, kinds.astype(np.int8), offsets

    def _fuzzy(self, key: str, *, limit: int = 5, cutoff: float = 88.0) -> list[Candidate]:
        """Near spellings among keys sharing the first two letters (rapidfuzz ratio)."""
        from rapidfuzz import fuzz, process

        prefix = key[:2].encode("utf-8")
        lo = int(np.searchsorted(self.keys, np.asarray([prefix], dtype=f"S{KEY_BYTES}"))[0])
        hi = int(np.searchsorted(self.keys, np.asarray([prefix + b"\xff"], dtype=f"S{KEY_BYTES}"))[0])
        if hi <= lo:
            return []
        choices = [k.decode("utf-8", "ignore") for k in self.keys[lo:hi]]
        hits = process.extract(key, choices, scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff)
        out = []
        for _, _, offset in hits:
            out.extend(Candidate(int(p), "fuzzy") for p in self.places_for_key_id(lo + offset))
        return out

    # -- places ------------------------------------------------------------------------

    def index_of(self, place_id: str) -> int | None:
        """Row of a place id, None if absent.

        Countries and provinces (asked for most, by the recogniser) come from a small table;
        the table of every id (about a second to build) is made only when another id is asked.
        """
        if self._by_admin_id is None:
            rows = np.flatnonzero(self.feature_in(frozenset(("country", "admin1")))[self.codes["feature"]])
            self._by_admin_id = dict(zip(self.place_id[rows].tolist(), rows.tolist()))
        hit = self._by_admin_id.get(place_id)
        if hit is not None:
            return hit
        if self._by_id is None:
            self._by_id = dict(zip(self.place_id.tolist(), range(len(self.place_id))))
        return self._by_id.get(place_id)

    def place(self, i: int, *, score: float = 0.0, match: str = "exact") -> Place:
        def text(value: object) -> str | None:
            return value if isinstance(value, str) and value else None

        return Place(
            place_id=str(self.place_id[i]),
            name=str(self.name[i]),
            lat=float(self.lat[i]),
            lon=float(self.lon[i]),
            country=text(self.country[i]),
            admin1_code=text(self.admin1_code[i]),
            feature=str(self.feature[i]),
            population=int(self.population[i]),
            source=str(self.source[i]),
            score=round(float(score), 4),
            radius_km=round(float(self.radius_km[i]), 2),
            admin1=text(self.admin1[i]),
            match=match,
        )

    def rank(
        self,
        candidates: Sequence[Candidate],
        *,
        country: str | None = None,
        admin1: str | None = None,
    ) -> list[tuple[float, Candidate]]:
        """Score candidates by match, prominence and the country/admin-1 context, best first."""
        scored = []
        for cand in candidates:
            i = cand.place
            score = 0.5 * MATCH_WEIGHTS[cand.match] + 0.5 * float(self.prominence[i])
            if country:
                score += 0.2 if self.country[i] == country else -0.15
            if admin1:
                score += 0.15 if self.admin1_code[i] == admin1 else 0.0
            scored.append((min(1.0, max(0.0, score)), cand))
        scored.sort(key=lambda item: (-item[0], -int(self.population[item[1].place]), str(self.place_id[item[1].place])))
        return scored


def clean_query(name: object) -> str:
    """Validate and tidy a lookup name: control characters become spaces.

    Raises
    ------
    BadQueryError
        When ``name`` is not a string.
    """
    if not isinstance(name, str):
        raise BadQueryError(f"a place name must be text, got {type(name).__name__} {name!r:.60}")
    return " ".join(name.translate(_CONTROL).split())


def lookup(
    name: str,
    *,
    country: str | None = None,
    admin1: str | None = None,
    limit: int = 10,
) -> list[Place]:
    """Places a name may denote, best first.

    Parameters
    ----------
    name
        A place name in any common spelling, Latin or Arabic script.
    country
        ISO 3166-1 alpha-2 code of the country the name is expected in; a soft preference,
        never a filter.
    admin1
        ISO 3166-2 code of the expected province; a soft preference.
    limit
        Most places to return.

    Returns
    -------
    list of Place
        Empty for an empty, too long (over 120 characters) or unknown name.
    """
    query = clean_query(name)
    if not query or len(query) > MAX_NAME_CHARS or limit <= 0:
        return []
    country = country.upper() if country else None
    index = get_index()
    candidates = index.candidates(query)
    if not _folds_to_a_name(query):
        candidates = [c for c in candidates if c.match != "folded"]
    ranked = index.rank(candidates, country=country, admin1=admin1)
    out: list[Place] = []
    seen: list[tuple[str, float, float]] = []
    for score, cand in ranked:
        i = cand.place
        # The same place from two sources: keep the better-ranked one.
        key = (plain(str(index.name[i])), float(index.lat[i]), float(index.lon[i]))
        if any(k[0] == key[0] and abs(k[1] - key[1]) < 0.05 and abs(k[2] - key[2]) < 0.05 for k in seen):
            continue
        seen.append(key)
        out.append(index.place(i, score=score, match=cand.match))
        if len(out) >= limit:
            break
    return out


def _folds_to_a_name(query: str) -> bool:
    """Whether folding leaves enough of ``query`` to stand for it: at least three letters and
    half of its own. "zzzqqq" folds to "zq" (doubled letters collapse), which some alternate
    names in other scripts also fold to (Wetzlar, Cheung Sha Wan): no answer for it."""
    letters = plain(query).replace(" ", "")
    folded = fold_plain(plain(query))
    return len(folded) >= 3 and 2 * len(folded) >= len(letters)


_INDEX: GazetteerIndex | None = None
_LOCK = threading.Lock()


def _cache_is_current(folder: Path) -> bool:
    meta_path = folder / "meta.json"
    if not meta_path.exists():
        return False
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return meta.get("fingerprint") == source_fingerprint()


def get_index(*, rebuild: bool = False) -> GazetteerIndex:
    """The shared index, built on first use and cached on disk.

    A missing, stale or corrupt cache is rebuilt, with a message on stderr.
    """
    global _INDEX
    with _LOCK:
        if _INDEX is not None and not rebuild:
            return _INDEX
        folder = default_index_dir()
        if rebuild or not _cache_is_current(folder):
            with build_lock(folder):
                # Another process may have built it while this one waited for the lock.
                if rebuild or not _cache_is_current(folder):
                    reason = "requested" if rebuild else ("missing" if not folder.exists() else "stale")
                    print(
                        f"incident-atlas: building the gazetteer index in {folder} ({reason}; about two "
                        "minutes, once)",
                        file=sys.stderr,
                    )
                    build_index(folder, progress=sys.stderr.isatty())
        try:
            _INDEX = GazetteerIndex(folder)
        except (OSError, ValueError, KeyError) as exc:
            with build_lock(folder):
                try:
                    _INDEX = GazetteerIndex(folder)  # rebuilt by another process meanwhile
                except (OSError, ValueError, KeyError):
                    print(f"incident-atlas: gazetteer cache in {folder} is corrupt ({exc}); rebuilding",
                          file=sys.stderr)
                    build_index(folder, progress=sys.stderr.isatty())
                    try:
                        _INDEX = GazetteerIndex(folder)
                    except (OSError, ValueError, KeyError) as exc2:
                        raise GazetteerBuildError(
                            f"cannot load the gazetteer index in {str(folder)!r}: {exc2}") from exc2
        return _INDEX


__all__ = ["GazetteerIndex", "get_index", "lookup", "clean_query", "INDEX_FORMAT"]
