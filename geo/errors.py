"""Errors raised by the geo package."""


class GeoError(Exception):
    """Base class of every geo error."""


class BoundaryDataError(GeoError, RuntimeError):
    """The shipped boundary file is missing or unreadable."""


class ImportFormatError(GeoError, ValueError):
    """An event file (UCDP, ACLED) that does not have the expected layout."""


class ExportError(GeoError, ValueError):
    """An export that cannot be written as asked."""
