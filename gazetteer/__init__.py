"""Offline gazetteer: where places are, how else they are spelled, and finding them in text.

Public entry points:

- :func:`lookup` — places a name may denote, best first.
- :func:`geoparse` — every place name in a text, resolved, with its span.
"""

from gazetteer.index import get_index, lookup
from gazetteer.model import Place, Toponym

__all__ = ["Place", "Toponym", "get_index", "lookup", "geoparse"]


def __getattr__(name: str):
    # geoparse pulls in the recogniser; import it only when asked for.
    if name == "geoparse":
        from gazetteer.geoparse import geoparse

        return geoparse
    raise AttributeError(f"module 'gazetteer' has no attribute {name!r}")
