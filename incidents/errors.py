"""Errors raised by the incidents package."""


class IncidentsError(Exception):
    """Base class of every incidents error."""


class ReadError(IncidentsError, ValueError):
    """An article input that cannot be read; the message names the file (and line)."""


class StoreError(IncidentsError, RuntimeError):
    """The incident store cannot do what was asked (locked, full disk, bad schema)."""


class EvaluationError(IncidentsError, ValueError):
    """An evaluation corpus that cannot be read; the message names the file."""


class IngestError(IncidentsError, RuntimeError):
    """Ingest cannot run at all (no extractor available)."""


class ServeError(IncidentsError, RuntimeError):
    """The dashboard cannot be started (port taken, app or Streamlit missing)."""


class LexiconError(IncidentsError, ValueError):
    """A lexicon file that cannot be read or has a wrong shape."""
