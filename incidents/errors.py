"""Errors raised by the incidents package."""


class IncidentsError(Exception):
    """Base class of every incidents error."""


class ReadError(IncidentsError, ValueError):
    """An article input that cannot be read; the message names the file (and line)."""


class StoreError(IncidentsError, RuntimeError):
    """The incident store cannot do what was asked (locked, full disk, bad schema)."""
