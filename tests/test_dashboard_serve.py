"""``incident-atlas serve`` and ``demo``: options, checks, and the samples ingested once."""

from __future__ import annotations

import socket

import pytest
import yaml

from incidents import cli, serve_command
from incidents.store import IncidentStore


def test_serve_and_demo_are_commands():
    parser = cli.build_parser()
    args = parser.parse_args(["serve", "--db", "x.sqlite", "--port", "9001", "--no-browser",
                              "--tiles", "none"])
    assert (args.db, args.port, args.no_browser, args.tiles) == ("x.sqlite", 9001, True, "none")
    assert args.handler is serve_command._serve_handler
    demo = parser.parse_args(["demo"])
    assert demo.handler is serve_command._demo_handler and demo.port == 8501


def test_the_command_runs_streamlit_on_the_app_with_local_assets():
    command = serve_command.streamlit_command(port=9002, browser=False)
    assert command[1:3] == ["-m", "dashboard.launch"]
    options = dict(zip(command[3::2], command[4::2]))
    assert options["--server.port"] == "9002"
    assert options["--server.headless"] == "true"
    assert options["--server.enableStaticServing"] == "true"
    assert options["--browser.gatherUsageStats"] == "false"
    # no developer's "install Streamlit skills" card in the analyst's page (it shows when
    # Streamlit prints its welcome text on a machine with an AI coding assistant)
    assert options["--logger.hideWelcomeMessage"] == "true"
    assert serve_command.app_path().is_file()


def test_the_dashboard_listens_on_this_machine_only_unless_told():
    options = serve_command.streamlit_command(port=9002, browser=False)
    assert dict(zip(options[3::2], options[4::2]))["--server.address"] == "127.0.0.1"
    shared = serve_command.streamlit_command(port=9002, browser=False, address="0.0.0.0")
    assert dict(zip(shared[3::2], shared[4::2]))["--server.address"] == "0.0.0.0"
    args = cli.build_parser().parse_args(["serve"])
    assert args.address == "127.0.0.1"


def test_serve_refuses_a_db_that_does_not_exist_and_creates_nothing(tmp_path, capsys):
    missing = tmp_path / "mistyped.sqlite"
    assert cli.main(["serve", "--db", str(missing), "--port", "9003", "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert "no incident store at" in err and "mistyped.sqlite" in err and "ingest" in err
    assert not missing.exists()


def test_a_taken_port_is_refused_with_the_fix(tmp_path):
    with socket.socket() as taken:
        taken.bind(("", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(serve_command.ServeError, match=f"port {port} is in use.*--port"):
            serve_command.serve(tmp_path / "atlas.sqlite", port=port, browser=False)
    with pytest.raises(serve_command.ServeError, match="port 0 is not between"):
        serve_command.serve(tmp_path / "atlas.sqlite", port=0, browser=False)


def test_cli_reports_a_bad_port_on_one_line(tmp_path, capsys):
    assert cli.main(["serve", "--db", str(tmp_path / "a.sqlite"), "--port", "70000"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["incident-atlas: error: port 70000 is not between 1 and 65535; pass --port N"]


def test_samples_carry_approximate_publication_dates():
    paths = serve_command.sample_paths()
    assert len(paths) == 5
    for path in paths:
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        assert front["published_approximate"] is True
        assert front["published"].year in (2019, 2024) and front["published_basis"]


def test_demo_ingests_the_samples_once(tmp_path, capsys):
    db = tmp_path / "atlas.sqlite"
    assert serve_command.ingest_samples(db) == 5
    with IncidentStore(db, readonly=True) as store:
        stats = store.stats()
        articles = [store.get_article(a) for a in
                    store.incidents_frame()["article_ids"].str.split(";").explode().dropna()
                    .unique() if a]
    assert stats["articles"] == 5
    assert all(a.published_approximate for a in articles)
    assert serve_command.ingest_samples(db) == 0
    assert "already in" in capsys.readouterr().err
    with IncidentStore(db, readonly=True) as store:
        assert store.stats()["articles"] == 5


def test_warm_up_leaves_streamlit_folium_to_the_page(tmp_path):
    """streamlit_folium registers its component with the running server when imported: the
    warm-up runs before there is a server, so importing it there leaves the browser a 404
    for the map's frame (this happened when the warm-up rendered the map's text)."""
    import os
    import subprocess
    import sys

    from dashboard.synthetic import write_test_store

    path = write_test_store(tmp_path / "warm.sqlite", synthetic=50)
    env = dict(os.environ, INCIDENT_ATLAS_DB=str(path), INCIDENT_ATLAS_TILES="none")
    probe = ("import inspect, sys, pandas; from dashboard import launch; launch.warm_up(); "
             "print('streamlit_folium' in sys.modules, 'dashboard.data' in sys.modules, "
             "inspect.getabsfile(pandas) in inspect.modulesbyfile)")
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                         text=True, check=True, timeout=300)
    # the last: inspect has resolved the loaded modules' files, which Streamlit's first
    # "which module called me?" would otherwise do on the first visitor's run (0.4 s)
    assert out.stdout.split() == ["False", "True", "True"]
