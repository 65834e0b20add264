"""A non-editable install carries the shipped data and the dashboard's vendored files."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from gazetteer import settings

ROOT = settings.PROJECT_ROOT


def test_data_dir_falls_back_to_the_installed_copy(tmp_path, monkeypatch):
    installed = tmp_path / "share" / "incident-atlas" / "data"
    installed.mkdir(parents=True)
    monkeypatch.delenv("INCIDENT_ATLAS_DATA", raising=False)
    monkeypatch.setattr(settings, "PROJECT_ROOT", tmp_path / "site-packages")
    monkeypatch.setattr(settings, "INSTALLED_DATA", installed)
    assert settings.data_dir() == installed


def test_data_dir_prefers_the_source_tree_and_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("INCIDENT_ATLAS_DATA", raising=False)
    monkeypatch.setattr(settings, "INSTALLED_DATA", tmp_path)
    assert settings.data_dir() == ROOT / "data"
    monkeypatch.setenv("INCIDENT_ATLAS_DATA", str(tmp_path / "mine"))
    assert settings.data_dir() == tmp_path / "mine"


def _tracked(folder: str) -> list[str]:
    out = subprocess.run(["git", "ls-files", folder], cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        pytest.skip("not a git checkout")
    return [line for line in out.stdout.splitlines() if line]


def test_wheel_contains_every_shipped_data_file_and_static_asset(tmp_path):
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path)],
        capture_output=True, text=True, cwd=tmp_path,
    )
    if build.returncode != 0 and "No module named" in build.stderr:
        pytest.skip(f"cannot build a wheel here: {build.stderr.strip()[-200:]}")
    assert build.returncode == 0, build.stderr
    (wheel,) = tmp_path.glob("incident_atlas-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    data_prefix = next(n.split("/share/")[0] for n in names if "/share/incident-atlas/data/" in n)
    for path in _tracked("data"):
        assert f"{data_prefix}/share/incident-atlas/{path}" in names, path
    for path in _tracked("dashboard/static"):
        assert path in names, path
    assert "incidents/cli.py" in names and "gazetteer/index.py" in names
    assert not any(Path(n).parts[0] in ("tests", "bench") for n in names)
