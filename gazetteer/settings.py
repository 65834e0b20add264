"""Project-wide settings, read at call time so tests can change them.

Every path the product reads or writes is resolved here:

``INCIDENT_ATLAS_DATA``
    Folder of shipped data (boundaries, curated supplement, lexicons, samples).
    Default: the ``data/`` folder at the root of the source tree, or, for an installed
    (non-editable) package, ``<sys.prefix>/share/incident-atlas/data`` where the wheel puts it.
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
import sys
from pathlib import Path

#: Root of the source tree (the folder holding ``pyproject.toml``).
PROJECT_ROOT = Path(__file__).resolve().parent.parent


#: Where a wheel install puts ``data/`` (``[tool.setuptools.data-files]`` in pyproject.toml).
INSTALLED_DATA = Path(sys.prefix) / "share" / "incident-atlas" / "data"


def data_dir() -> Path:
    """Folder of the data the product ships (``data/``)."""
    env = os.environ.get("INCIDENT_ATLAS_DATA")
    if env:
        return Path(env)
    source = PROJECT_ROOT / "data"
    if not source.is_dir() and INSTALLED_DATA.is_dir():
        return INSTALLED_DATA
    return source


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
