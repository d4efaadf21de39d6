"""Error types. Every message a user may see is Swedish and names what is wrong."""


class SoddError(Exception):
    """Base class for errors that sodd reports to the user instead of crashing."""


class ConfigError(SoddError):
    """A setting (environment variable) has a value sodd cannot use."""


class CatalogError(SoddError):
    """The indicator catalog is malformed; the message names the entry and field."""


class StoreError(SoddError):
    """The local store is missing, locked or unreadable."""


class StoreLockedError(StoreError):
    """Another process holds the store's write lock (for example a refresh)."""


class SourceError(SoddError):
    """A data source answered with an error or a payload sodd cannot parse."""


class SourceUnavailable(SourceError):
    """A data source could not be reached, even after retries."""
