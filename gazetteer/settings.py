"""Project-wide settings, read at call time so tests can change them.

Every path the product reads or writes is resolved here:

``INCIDENT_ATLAS_DATA``
    Folder of shipped data (boundaries, curated supplement, lexicons, samples).
    Default: the ``data/`` folder at the root of the source tree.
``INCIDENT_ATLAS_CACHE``
    Folder for files built on first use (the gazetteer index). Default:
    ``$XDG_CACHE_HOME/incident-atlas`` or ``~/.cache/incident-atlas``.
``INCIDENT_ATLAS_SHARED``
    Folder of the shared evaluation corpora and datasets. Default: ``../shared``
    beside the source tree.
``INCIDENT_ATLAS_DB``
    The incident store (SQLite file). Default: ``<cache>/atlas.sqlite``.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Root of the source tree (the folder holding ``pyproject.toml``).
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """Folder of the data the product ships (``data/``)."""
    return Path(os.environ.get("INCIDENT_ATLAS_DATA", PROJECT_ROOT / "data"))


def cache_dir() -> Path:
    """Folder for files built on first use; created if missing."""
    env = os.environ.get("INCIDENT_ATLAS_CACHE")
    if env:
        path = Path(env)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        path = Path(base) / "incident-atlas"
    path.mkdir(parents=True, exist_ok=True)
    return path


def shared_dir() -> Path:
    """Folder of the shared corpora (``../shared`` beside the source tree)."""
    return Path(os.environ.get("INCIDENT_ATLAS_SHARED", PROJECT_ROOT.parent / "shared"))


def default_db_path() -> Path:
    """The incident store used when no ``--db`` is given."""
    env = os.environ.get("INCIDENT_ATLAS_DB")
    return Path(env) if env else cache_dir() / "atlas.sqlite"
