"""``incident-atlas serve`` and ``incident-atlas demo``: the dashboard on a store.

``serve`` runs ``streamlit run dashboard/app.py`` as a child process with the store passed
in ``$INCIDENT_ATLAS_DB`` — through ``python -m dashboard.launch``, which imports the
dashboard's modules and loads the store's table before handing over to ``streamlit run``,
so the first visitor does not wait for them. The dashboard is never imported from here
(``incidents`` sits below ``dashboard``). ``demo`` first ingests the sample articles shipped
in ``data/samples/articles/`` with their publication dates when the store lacks them, then
serves; run again, it finds them stored and only serves.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from gazetteer import settings
from incidents.errors import ServeError

DEFAULT_PORT = 8501
#: The address the dashboard listens on: this machine only. The dashboard has no login and
#: can edit the store (corrections, merges, ingest), so sharing it is an explicit choice.
DEFAULT_ADDRESS = "127.0.0.1"
TILES_ENV = "INCIDENT_ATLAS_TILES"


def app_path() -> Path:
    """The dashboard's entry script (``dashboard/app.py`` beside the packages)."""
    return settings.PROJECT_ROOT / "dashboard" / "app.py"


def sample_paths() -> list[Path]:
    """The bundled sample articles (``<data_dir>/samples/articles/*.md``), sorted."""
    return sorted((settings.data_dir() / "samples" / "articles").glob("*.md"))


def _check_port(port: int) -> None:
    if not 1 <= port <= 65535:
        raise ServeError(f"port {port!r} is not between 1 and 65535; pass --port N")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # as the server will: a port left in TIME_WAIT by a server just stopped is free
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("", port))
        except OSError as exc:
            raise ServeError(
                f"port {port!r} is in use ({exc.strerror}); stop what uses it or pass "
                "another --port N") from exc


def _prepare_store(db: Path) -> None:
    """Create or migrate the store, so the dashboard can open it read-only."""
    from incidents.store import IncidentStore

    IncidentStore(db).close()


def streamlit_command(*, port: int, browser: bool, address: str = DEFAULT_ADDRESS) -> list[str]:
    """The command line running the dashboard (``streamlit run`` after a warm-up)."""
    return [
        sys.executable, "-m", "dashboard.launch",
        "--server.port", str(port),
        "--server.address", address,
        "--server.headless", "false" if browser else "true",
        # Streamlit asks a first-time user for an e-mail address on the terminal and waits;
        # an offline tool has no use for it (and a detached server would hang on it).
        "--server.showEmailPrompt", "false",
        "--server.enableStaticServing", "true",
        "--browser.gatherUsageStats", "false",
        "--global.developmentMode", "false",
        # serve prints the address itself. Streamlit's own welcome text is also what lets it
        # show, when it finds an AI coding assistant on the machine, an "install Streamlit
        # skills" card in the analyst's page (with an Install button that writes files):
        # a developer's tool, not the analyst's.
        "--logger.hideWelcomeMessage", "true",
        # the settings of .streamlit/config.toml, which is only read from the source tree
        "--server.maxUploadSize", "20",
        "--client.toolbarMode", "minimal",
        "--theme.base", "light",
        "--theme.primaryColor", "#b3202a",
    ]


def serve(db: Path, *, port: int = DEFAULT_PORT, browser: bool = True,
          tiles: str | None = None, address: str = DEFAULT_ADDRESS, must_exist: bool = False) -> int:
    """Run the dashboard on the store ``db`` until interrupted; returns Streamlit's exit code.

    ``address`` is the interface it listens on (this machine only by default; "0.0.0.0"
    shares it with the network). With ``must_exist`` a missing store is refused instead of
    created empty (a mistyped ``--db``).

    Raises
    ------
    ServeError
        The port is taken or out of range, the dashboard is not installed, or ``must_exist``
        and there is no store at ``db``.
    StoreError
        The store cannot be created or opened.
    """
    app = app_path()
    if not app.is_file():
        raise ServeError(f"the dashboard is missing ({str(app)!r}); reinstall Incident Atlas "
                         "from its source tree (pip install -e .)")
    _check_port(port)
    db = db.expanduser().resolve()
    if must_exist and not db.is_file():
        raise ServeError(f"no incident store at {str(db)!r}: check the path, or fill it first "
                         f"(incident-atlas ingest FILES --db {str(db)!r}, or incident-atlas demo "
                         "--db PATH for the sample articles)")
    _prepare_store(db)
    env = dict(os.environ, INCIDENT_ATLAS_DB=str(db))
    if tiles is not None:
        env[TILES_ENV] = tiles
    host = "localhost" if address in ("127.0.0.1", "localhost", "::1") else address
    print(f"Incident Atlas: serving {db} at http://{host}:{port} (Ctrl+C to stop)",
          file=sys.stderr)
    child = subprocess.Popen(streamlit_command(port=port, browser=browser, address=address),
                             cwd=settings.PROJECT_ROOT, env=env)
    # a SIGTERM to this process (a service manager, `kill`) stops the server too
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: child.send_signal(signum))
    try:
        return child.wait()
    except KeyboardInterrupt:
        child.send_signal(signal.SIGINT)
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)


def ingest_samples(db: Path) -> int:
    """Ingest the bundled sample articles the store lacks; returns how many were added.

    Their publication dates come from their front matter (approximate, inferred from the
    text; see ``data/samples/README.md``).
    """
    from incidents.ingest import ingest_paths
    from incidents.readers import read_paths
    from incidents.store import IncidentStore

    paths = sample_paths()
    if not paths:
        raise ServeError(f"no sample articles in {str(settings.data_dir() / 'samples')!r}; "
                         "restore data/samples from the source tree")
    with IncidentStore(db) as store:
        read = read_paths(paths)
        missing = [Path(a.path) for a in read.articles
                   if a.path and not store.has_article(a.article_id)]
        if not missing:
            print(f"Incident Atlas: the {len(paths)} sample articles are already in {db}",
                  file=sys.stderr)
            return 0
        summary = ingest_paths(missing, store=store)
    for line in summary.lines():
        print(line, file=sys.stderr)
    return summary.articles_added


def _serve_handler(args: argparse.Namespace) -> int:
    db = Path(args.db) if args.db else settings.default_db_path()
    return serve(db, port=args.port, browser=not args.no_browser, tiles=args.tiles,
                 address=args.address, must_exist=bool(args.db))


def _demo_handler(args: argparse.Namespace) -> int:
    db = Path(args.db) if args.db else settings.default_db_path()
    ingest_samples(db.expanduser())
    return serve(db, port=args.port, browser=not args.no_browser, tiles=args.tiles,
                 address=args.address)


def _add_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH",
                        help="the incident store (default: $INCIDENT_ATLAS_DB, else atlas.sqlite "
                             "in $INCIDENT_ATLAS_CACHE or ~/.cache/incident-atlas); serve "
                             "refuses a --db that does not exist")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"port to serve on (default {DEFAULT_PORT})")
    parser.add_argument("--no-browser", action="store_true",
                        help="do not open a browser window")
    parser.add_argument("--address", default=DEFAULT_ADDRESS, metavar="HOST",
                        help=f"interface to listen on (default {DEFAULT_ADDRESS}: this machine "
                             "only; 0.0.0.0 shares the dashboard with the network, where anyone "
                             "who reaches it can edit the store: it has no login)")
    parser.add_argument("--tiles", metavar="URL",
                        help="map tiles as a {z}/{x}/{y} URL template, or 'none' for the "
                             "bundled boundaries only (default: $INCIDENT_ATLAS_TILES, else "
                             "OpenStreetMap)")


def register(sub: argparse._SubParsersAction, eval_sub: argparse._SubParsersAction) -> None:
    """Add ``serve`` and ``demo`` to the ``incident-atlas`` command line."""
    serve_parser = sub.add_parser(
        "serve", help="open the dashboard on the incident store",
        description="Start the Incident Atlas dashboard (Streamlit) on the incident store. "
                    "Everything it loads is served locally; map tiles are optional.")
    _add_options(serve_parser)
    serve_parser.set_defaults(handler=_serve_handler)
    demo_parser = sub.add_parser(
        "demo", help="ingest the bundled sample articles (once), then open the dashboard",
        description="Ingest the sample articles shipped in data/samples/articles (skipped "
                    "when the store already holds them), then start the dashboard.")
    _add_options(demo_parser)
    demo_parser.set_defaults(handler=_demo_handler)
