"""The ingest page: upload article files, give a publication date, preview, then save."""

import pandas as pd
import streamlit as st

from dashboard import data, ingest_flow, source_view
from dashboard.filters import PRECISION_LABELS
from dashboard.map_data import date_labels
from incidents.errors import IncidentsError

PREVIEW = "ingest_preview"
SIGNATURE = "ingest_signature"

st.title("Ingest articles", anchor=False)
path = data.db_path()
st.caption(f"Store: `{path}`")

uploaded = st.file_uploader(
    "Article files", type=list(ingest_flow.UPLOAD_TYPES), accept_multiple_files=True,
    key="ingest_files",
    help=f"Text, Markdown (with YAML front matter), HTML, JSON Lines or RSS/Atom; at most "
         f"{ingest_flow.MAX_FILE_BYTES // 2**20} MB each.")
published = st.date_input(
    "Publication date", value=None, key="ingest_published", format="YYYY-MM-DD",
    help="Used for articles whose file gives no date. Relative dates in the text "
         "('last week', 'on Monday') are read from it; without one they stay unresolved.")

uploads = [ingest_flow.Upload(f.name, f.getvalue()) for f in uploaded or []]
signature = (tuple((u.name, len(u.data)) for u in uploads), published)
if st.session_state.get(SIGNATURE) != signature:
    st.session_state.pop(PREVIEW, None)

if st.button("Preview incidents", type="primary", disabled=not uploads,
             key="ingest_preview_button"):
    with st.spinner("Reading and extracting…"):
        preview = ingest_flow.read_uploads(uploads, published=published)
        try:
            store = data.open_store(str(path)) if path.is_file() else None
        except IncidentsError:
            store = None
        st.session_state[PREVIEW] = ingest_flow.extract_preview(preview, store=store)
        st.session_state[SIGNATURE] = signature

preview = st.session_state.get(PREVIEW)
if preview is not None:
    for problem in preview.problems:
        st.error(problem)
    if not published and any(a.published is None for a in preview.articles):
        st.warning("Some articles have no publication date: relative dates in them are left "
                   "unresolved. Give a publication date above and preview again.")
    for article in preview.articles:
        incidents = preview.incidents.get(article.article_id, [])
        stored = article.article_id in preview.stored
        label = (article.ref + (f" — {article.title}" if article.title else "") + " · "
                 f"{article.published.isoformat() if article.published else 'no date'} · "
                 f"{len(incidents)} incident{'s' if len(incidents) != 1 else ''}"
                 + (" · already in the store" if stored else ""))
        with st.expander(label, expanded=len(preview.articles) <= 3):
            if incidents:
                rows = pd.DataFrame([i.to_row() for i in incidents])
                rows["date_start"] = pd.to_datetime(rows["date_start"])
                rows["date_end"] = pd.to_datetime(rows["date_end"])
                st.dataframe(pd.DataFrame({
                    "Event type": rows["event_type"],
                    "Date": date_labels(rows),
                    "Place": rows["location"],
                    "Province": rows["admin1"],
                    "Place precision": rows["geo_precision"].map(PRECISION_LABELS),
                    "Killed": rows["fatalities"],
                    "Actors": [" vs ".join(a for a in pair if isinstance(a, str) and a)
                               for pair in zip(rows["actor1"], rows["actor2"])],
                }), hide_index=True)
            else:
                st.caption("No incidents found in this article.")
            evidence = [e for i in incidents for e in i.evidence]
            body, _ = source_view.article_html(article, evidence, first=True)
            st.html(source_view.STYLE + source_view.roles_legend() + body)
    new = preview.new_articles
    if new:
        if st.button(f"Save {len(new)} article{'s' if len(new) != 1 else ''} with "
                     f"{preview.new_incidents} incident{'s' if preview.new_incidents != 1 else ''}",
                     type="primary", key="ingest_save"):
            try:
                summary = ingest_flow.save(preview, path)
            except IncidentsError as exc:
                st.error(str(exc))
            else:
                data.forget_store()
                st.session_state.pop(PREVIEW, None)
                st.success(f"Saved {summary.articles_added} articles and "
                           f"{summary.incidents_added} incidents.")
                st.code("\n".join(summary.lines()), language=None)
                st.page_link("views/map.py", label="Open the map", icon=":material/map:")
    elif preview.articles:
        st.info("Every article is already in the store: nothing to save.")
