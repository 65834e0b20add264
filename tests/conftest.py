"""Shared fixtures. Tests read larger real data from ../shared, never from copies."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gazetteer import settings


def _shared(relative: str) -> Path:
    path = settings.shared_dir() / relative
    if not path.exists():
        reason = f"shared data {str(path)!r} not found (expected ../shared beside the repo)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@pytest.fixture
def shared_path():
    """Return a function mapping a path inside ../shared to an existing Path.

    Fails under CI=true when the file is missing; skips with the reason elsewhere.
    """
    return _shared
