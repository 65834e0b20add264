"""Incident Atlas dashboard: ``incident-atlas serve`` runs ``streamlit run dashboard/app.py``.

The store is ``$INCIDENT_ATLAS_DB`` (else the default path); tiles are
``$INCIDENT_ATLAS_TILES`` (see ``dashboard/offline.py``).
"""

from pathlib import Path

import streamlit as st

# A file, not an emoji or ":material/..." icon: those favicons are fetched from Google's CDN.
ICON = Path(__file__).resolve().parent / "static" / "atlas" / "icon.png"

st.set_page_config(page_title="Incident Atlas", page_icon=str(ICON), layout="wide")

# The pages live in views/, not pages/: Streamlit would also serve a pages/ folder on its
# own (without this file's page config) when a page's URL is opened directly.
st.navigation([
    st.Page("views/map.py", title="Map", icon=":material/map:", default=True),
    st.Page("views/ingest.py", title="Ingest articles", icon=":material/upload_file:"),
]).run()
