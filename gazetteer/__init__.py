"""Offline gazetteer: where places are, how else they are spelled, and finding them in text.

Public entry points:

- :func:`lookup` — places a name may denote, best first.
- :func:`geoparse` — every place name in a text, resolved, with its span.
- :func:`geoparse_many` — the same for many texts, resolved in batches (quicker per text).
"""

from gazetteer.index import get_index, lookup
from gazetteer.model import Place, Toponym

# Imported last and by name, so the package attribute is the function, not the submodule.
from gazetteer.geoparse import geoparse, geoparse_many  # noqa: E402

__all__ = ["Place", "Toponym", "get_index", "lookup", "geoparse", "geoparse_many"]
