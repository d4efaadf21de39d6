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
    scb_api_url
        Base URL of SCB's PxWebApi 2.0. ``SODD_SCB_API_URL``.
    scb_wfs_url
        Base URL of SCB's open geodata WFS. ``SODD_SCB_WFS_URL``.
    scb_first_year
        First reference year a refresh fetches from SCB. ``SODD_SCB_FIRST_YEAR``.
    kolada_api_url
        Base URL of Kolada's API v3. ``SODD_KOLADA_API_URL``.
    scb_deso_page_url
        SCB's DeSO page, whose links name the dated key files. ``SODD_SCB_DESO_PAGE_URL``.
    http_timeout_seconds
        Connect and read timeout of every request to a data source. ``SODD_HTTP_TIMEOUT``.
    disclosure_min
        The kommun's own counts below this are shown as "<N", with secondary
        suppression so that no hidden count can be recovered. ``SODD_DISCLOSURE_MIN``.
    max_upload_mb
        Largest file, in megabytes, that "Importera fil" and "Egna uppgifter" accept.
        ``SODD_MAX_UPLOAD_MB``.
    """

    data_dir: Path = Path("data")
    port: int = 8501
    language: str = "sv"
    cache_ttl_seconds: int = 600
    lock_timeout_seconds: float = 60.0
    scb_api_url: str = "https://statistikdatabasen.scb.se/api/v2"
    scb_wfs_url: str = "https://geodata.scb.se/geoserver/stat/wfs"
    scb_first_year: int = 2015
    kolada_api_url: str = "https://api.kolada.se/v3"
    # UNVERIFIED against the live site: data-sources §12 lists this as SCB's DeSO page under
    # "öppna geodata" and §1.3 says the key files are linked there; SCB moves pages, hence
    # a setting.
    scb_deso_page_url: str = "https://www.scb.se/vara-tjanster/oppna-data/oppna-geodata/deso--demografiska-statistikomraden/"
    http_timeout_seconds: float = 30.0
    disclosure_min: int = 5
    max_upload_mb: int = 20


# Environment variable for each field, in field order.
ENV_NAMES: dict[str, str] = {
    "data_dir": "SODD_DATA_DIR",
    "port": "SODD_PORT",
    "language": "SODD_LANGUAGE",
    "cache_ttl_seconds": "SODD_CACHE_TTL",
    "lock_timeout_seconds": "SODD_LOCK_TIMEOUT",
    "scb_api_url": "SODD_SCB_API_URL",
    "scb_wfs_url": "SODD_SCB_WFS_URL",
    "scb_first_year": "SODD_SCB_FIRST_YEAR",
    "kolada_api_url": "SODD_KOLADA_API_URL",
    "scb_deso_page_url": "SODD_SCB_DESO_PAGE_URL",
    "http_timeout_seconds": "SODD_HTTP_TIMEOUT",
    "disclosure_min": "SODD_DISCLOSURE_MIN",
    "max_upload_mb": "SODD_MAX_UPLOAD_MB",
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


def _parse_url(name: str, raw: str) -> str:
    if not raw.startswith(("http://", "https://")):
        raise ConfigError(f"{name} måste vara en http- eller https-adress, men är {raw!r}.")
    return raw.rstrip("/")


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
    for field in ("scb_api_url", "scb_wfs_url", "kolada_api_url", "scb_deso_page_url"):
        if raw := env.get(ENV_NAMES[field], "").strip():
            values[field] = _parse_url(ENV_NAMES[field], raw)
    if raw := env.get(ENV_NAMES["scb_first_year"], "").strip():
        values["scb_first_year"] = _parse_int(ENV_NAMES["scb_first_year"], raw, low=1960, high=2100)
    if raw := env.get(ENV_NAMES["http_timeout_seconds"], "").strip():
        values["http_timeout_seconds"] = _parse_float(
            ENV_NAMES["http_timeout_seconds"], raw, low=0.1
        )
    if raw := env.get(ENV_NAMES["disclosure_min"], "").strip():
        # 1 would protect nothing; above 100 the kommun's own tables would show nothing.
        values["disclosure_min"] = _parse_int(ENV_NAMES["disclosure_min"], raw, low=2, high=100)
    if raw := env.get(ENV_NAMES["max_upload_mb"], "").strip():
        values["max_upload_mb"] = _parse_int(ENV_NAMES["max_upload_mb"], raw, low=1, high=1000)
    return replace(defaults, **values)
