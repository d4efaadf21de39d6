"""All settings in one frozen object, read from ``SODD_*`` environment variables.

Every setting here is documented in README.md; a test enforces it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sodd.errors import ConfigError

LANGUAGES = ("sv", "en")


@dataclass(frozen=True)
class Settings:
    """Runtime settings; build with :func:`load_settings`.

    Attributes
    ----------
    data_dir
        Folder of the embedded store (Parquet files and manifest). ``SODD_DATA_DIR``.
    port
        Port that ``sodd serve`` (``make run``) starts Streamlit on. ``SODD_PORT``.
    language
        Default interface language, ``sv`` or ``en``. ``SODD_LANGUAGE``.
    cache_ttl_seconds
        How long the app keeps data read from the store in memory. ``SODD_CACHE_TTL``.
    lock_timeout_seconds
        How long a writer waits for the store's lock before giving up. ``SODD_LOCK_TIMEOUT``.
    """

    data_dir: Path = Path("data")
    port: int = 8501
    language: str = "sv"
    cache_ttl_seconds: int = 600
    lock_timeout_seconds: float = 60.0


# Environment variable for each field, in field order.
ENV_NAMES: dict[str, str] = {
    "data_dir": "SODD_DATA_DIR",
    "port": "SODD_PORT",
    "language": "SODD_LANGUAGE",
    "cache_ttl_seconds": "SODD_CACHE_TTL",
    "lock_timeout_seconds": "SODD_LOCK_TIMEOUT",
}


def _parse_int(name: str, raw: str, *, low: int, high: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} måste vara ett heltal, men är {raw!r}.") from None
    if not low <= value <= high:
        raise ConfigError(f"{name} måste ligga mellan {low} och {high}, men är {value}.")
    return value


def _parse_float(name: str, raw: str, *, low: float) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} måste vara ett tal, men är {raw!r}.") from None
    if value < low:
        raise ConfigError(f"{name} måste vara minst {low}, men är {value}.")
    return value


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read settings from the environment, falling back to the defaults.

    Parameters
    ----------
    environ
        Mapping to read from; ``os.environ`` when omitted.

    Returns
    -------
    Settings
        The validated settings.

    Raises
    ------
    ConfigError
        When a variable is set to a value that cannot be used.
    """
    env = os.environ if environ is None else environ
    defaults = Settings()
    values: dict[str, Any] = {}
    if raw := env.get(ENV_NAMES["data_dir"], "").strip():
        values["data_dir"] = Path(raw)
    if raw := env.get(ENV_NAMES["port"], "").strip():
        values["port"] = _parse_int(ENV_NAMES["port"], raw, low=1, high=65535)
    if raw := env.get(ENV_NAMES["language"], "").strip():
        if raw not in LANGUAGES:
            raise ConfigError(
                f"{ENV_NAMES['language']} måste vara en av {', '.join(LANGUAGES)}, men är {raw!r}."
            )
        values["language"] = raw
    if raw := env.get(ENV_NAMES["cache_ttl_seconds"], "").strip():
        values["cache_ttl_seconds"] = _parse_int(
            ENV_NAMES["cache_ttl_seconds"], raw, low=0, high=86_400 * 7
        )
    if raw := env.get(ENV_NAMES["lock_timeout_seconds"], "").strip():
        values["lock_timeout_seconds"] = _parse_float(
            ENV_NAMES["lock_timeout_seconds"], raw, low=0.0
        )
    return replace(defaults, **values)
