"""``streamlit run dashboard/app.py``, with the first visitor's wait paid at start-up instead.

Streamlit imports a page's modules and fills its caches on the first visit: for this
dashboard that is seconds of imports (pandas, geopandas, folium, Altair) and the load of
the incident table and the boundaries. ``incident-atlas serve`` runs this module instead of
the ``streamlit`` command: it imports those modules and warms the dashboard's caches for the
store in ``$INCIDENT_ATLAS_DB`` in this same process, then hands over to Streamlit's own
``streamlit run`` with the options it was given::

    python -m dashboard.launch --server.port 8501 --server.headless true
"""

from __future__ import annotations

import inspect
import logging
import sys
import time
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"
#: Streamlit loggers that warn while caches are filled outside a running server.
_WARM_UP_LOGGERS = ("streamlit.runtime.caching.cache_data_api",
                    "streamlit.runtime.scriptrunner_utils.script_run_context")


def warm_up() -> float:
    """Import the page's modules and load the store's table, options and base map, and
    the unfiltered page's map layers, chart series and table rows (what a first visitor
    sees).

    Returns the seconds it took. Any problem with the store is left for the page to report
    (it says what to do); warming up is only an optimisation.
    """
    started = time.perf_counter()
    # streamlit_folium is left to the page: it registers its component with the running
    # server when imported, and there is no server yet. It imports folium.plugins, whose
    # classes compile some sixty Jinja templates (a second here): that is done now, so the
    # page's import of it is cheap.
    import folium.plugins  # noqa: F401
    import streamlit  # noqa: F401  (creates the loggers quieted below)

    # Streamlit warns about every cache made or filled, and about the missing page context,
    # while no server runs yet: expected here, and noise on the analyst's terminal
    quiet = [logging.getLogger(name) for name in _WARM_UP_LOGGERS]
    levels = [logger.level for logger in quiet]
    for logger in quiet:
        logger.setLevel(logging.ERROR)

    import PIL.ExifTags  # noqa: F401  (the page icon is read through Pillow: 0.1 s to import)
    import PIL.Image  # noqa: F401

    from dashboard import charts, data, ingest_flow, maps, panels, sidebar  # noqa: F401
    from dashboard.filters import IncidentFilter
    from dashboard.maps import MapChoice
    from incidents.errors import IncidentsError

    path = data.db_path()
    if path.is_file():
        try:
            table, stamp = data.incidents_table(path)
            data.options(str(path), stamp)
            data.base_layers(str(path), stamp)
            data.province_shapes(data.store_countries(table))
            everything = IncidentFilter()
            data.layer_payloads(str(path), stamp, everything, MapChoice())
            data.time_series(str(path), stamp, everything)
            data.table_rows(str(path), stamp, everything)
        except (IncidentsError, OSError):
            pass
    for logger, level in zip(quiet, levels):
        logger.setLevel(level)
    # Streamlit asks inspect which module called it (is it a REPL? which module declares
    # streamlit_folium's component?) on the first visitor's first run. inspect's first
    # answer resolves the file of every loaded module (some 1,600 here: 0.4 s); it keeps
    # them, so asking now leaves the page only the modules loaded after this.
    inspect.getmodule(inspect.currentframe())
    return time.perf_counter() - started


#: Streamlit options for a served dashboard (the options given to :func:`main` come after
#: them, so they can override any). Each one is work on a visitor's critical path that a
#: served app does not need (measured in docs/DASHBOARD.md):
SERVER_OPTIONS: tuple[str, ...] = (
    # Watching the source files is for editing the app. Each new session walks every
    # imported module (thousands: pandas, geopandas, folium, ...) to watch their files,
    # during the visitor's first run; another engineer's edit would clear the compiled page.
    "--server.fileWatcherType", "none",
    # A full gc.collect() after every run holds the interpreter (a few hundred ms with the
    # incident table loaded) just when the browser asks for the map's first report's rerun
    # or the next filter change; Python's generational collector still runs as usual.
    "--runner.postScriptGC", "false",
    # The pages use no "magic" (bare expressions drawn as st.write): no AST rewrite.
    "--runner.magicEnabled", "false",
)


def main(argv: list[str] | None = None) -> None:
    """Warm up, then run ``streamlit run dashboard/app.py <argv>`` in this process."""
    options = list(sys.argv[1:] if argv is None else argv)
    print(f"Incident Atlas: preparing the dashboard ({warm_up():.1f} s)", file=sys.stderr)
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *SERVER_OPTIONS, *options]
    cli.main()


if __name__ == "__main__":
    main()
