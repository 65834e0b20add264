"""Errors raised by the gazetteer package."""


class GazetteerError(Exception):
    """Base class of every gazetteer error."""


class GazetteerBuildError(GazetteerError, RuntimeError):
    """A source the index is built from is missing or unreadable."""


class BadQueryError(GazetteerError, ValueError):
    """A lookup or geoparse input that cannot be used as given."""
