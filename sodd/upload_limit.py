"""The upload size limit (``Settings.max_upload_mb``) and its message in Swedish and English.

Streamlit refuses files over ``--server.maxUploadSize`` in the browser (``sodd serve``
passes the same limit), but a page can be served by a plain ``streamlit run``, so the
upload sections check the size again with :func:`upload_too_large` before reading.
"""

from __future__ import annotations

from typing import Final

from sodd.formatting import format_number
from sodd.i18n import register, t

__all__ = ["BYTES_PER_MB", "upload_too_large"]

# Streamlit counts maxUploadSize in mebibytes; so does sodd, so the two limits agree.
BYTES_PER_MB: Final = 1024 * 1024

register(
    {
        "upload_too_large": (
            "Filen {name} är {size} MB, men största tillåtna storlek är {limit} MB. "
            "Dela upp filen eller be administratören höja SODD_MAX_UPLOAD_MB.",
            "The file {name} is {size} MB, but the largest size allowed is {limit} MB. "
            "Split the file or ask the administrator to raise SODD_MAX_UPLOAD_MB.",
        ),
    }
)


def upload_too_large(size_bytes: int, filename: str, max_mb: int, lang: str = "sv") -> str | None:
    """Return the message for a file over the limit, or ``None`` when it fits.

    Parameters
    ----------
    size_bytes
        The uploaded file's size.
    filename
        Its name, quoted in the message.
    max_mb
        The limit in megabytes (``Settings.max_upload_mb``).
    lang
        ``sv`` or ``en``.

    Returns
    -------
    str or None
        A sentence naming the file, its size and the limit; ``None`` when it fits.
    """
    if size_bytes <= max_mb * BYTES_PER_MB:
        return None
    size = format_number(size_bytes / BYTES_PER_MB, 1, lang)
    return t("upload_too_large", lang, name=repr(filename), size=size, limit=max_mb)
