"""sodd: sociala områdesbeskrivningar from official open statistics."""

__version__ = "0.1.0"
