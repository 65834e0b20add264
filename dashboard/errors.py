"""Errors raised by the dashboard package (shown with ``st.error`` on its pages)."""


class DashboardError(Exception):
    """Base class of every dashboard error."""


class DashboardConfigError(DashboardError, ValueError):
    """A dashboard setting (an environment variable) has a value the map cannot use."""


class UploadError(DashboardError, ValueError):
    """An uploaded article file that the ingest page refuses (type, size, encoding)."""


class CorrectionError(DashboardError, ValueError):
    """An analyst's correction the panel refuses before it reaches the store (no name, one
    coordinate without the other, an end date before the start, a record changed meanwhile)."""
