"""The Incident Atlas dashboard: a Streamlit app over the incident store (``app.py``).

Pages (``views/``) only lay out; ``data`` holds the cached loaders, ``filters`` the filter model,
``map_data`` and ``maps`` build the map, ``source_view`` renders article text with its
evidence, ``offline`` keeps every asset local. Nothing outside this package imports it.
"""
