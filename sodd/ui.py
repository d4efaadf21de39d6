"""The only sodd module that imports Streamlit: cached reads, shared chrome, error display."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import altair as alt
import geopandas as gpd
import pandas as pd
import streamlit as st

from sodd.config import LANGUAGES, Settings, load_settings
from sodd.errors import SoddError
from sodd.geo import name_districts
from sodd.i18n import t
from sodd.indicators.catalog import Catalog, load_catalog
from sodd.local.indicators import with_local_indicators
from sodd.map_records import GeometryLayer
from sodd.map_view import Scope, build_layer_geometry
from sodd.store import Manifest, Store

LANG_KEY = "lang"


@st.cache_resource
def get_settings() -> Settings:
    """Settings read once per server process."""
    return load_settings()


@st.cache_resource
def get_store() -> Store:
    """The store named by the settings."""
    return Store.from_settings(get_settings())


def get_catalog() -> Catalog:
    """The packaged indicator catalog plus the kommun's own indicators in the store."""
    return _catalog_for(current_manifest().generation)


@st.cache_resource(max_entries=2)
def _catalog_for(generation: int) -> Catalog:
    # Keyed on the generation: an upload of own indicators is a new generation.
    return with_local_indicators(load_catalog(), get_store())


def current_manifest() -> Manifest:
    """Read the manifest on every run: it is small, and its generation keys the caches below."""
    return get_store().manifest()


def current_lang() -> str:
    """Interface language chosen in the sidebar (``sv`` by default)."""
    lang = (
        st.session_state.get(LANG_KEY) or st.query_params.get(LANG_KEY) or get_settings().language
    )
    return lang if lang in LANGUAGES else "sv"


# Caches are keyed on the manifest generation, so a refresh (a new generation) is
# picked up at once while repeated reruns on the same data hit the cache.
@st.cache_resource(max_entries=2)
def load_regions(generation: int) -> gpd.GeoDataFrame:
    """All regions with geometry (read-only; shared between sessions, never mutated)."""
    return get_store().read_regions()


@st.cache_resource(max_entries=16)
def load_layer_geometry(
    generation: int, level: str, vintage: str, kind: str, code: str | None
) -> GeometryLayer | None:
    """Display polygons of one map (level, vintage, scope), built once and shared.

    Changing indicator, year or classes only recolours these records, which is what
    makes a re-render cheap (bench/map_payload.py measures it). Never mutated.
    """
    return build_layer_geometry(load_regions(generation), level, vintage, Scope(kind, code))


@st.cache_data(ttl=600, max_entries=4)
def load_region_index(generation: int) -> pd.DataFrame:
    """Regions without geometry: code, level, name and parent codes."""
    regions = load_regions(generation)
    return name_districts(pd.DataFrame(regions.drop(columns="geometry")))


@st.cache_data(ttl=600, max_entries=64)
def load_indicator_values(generation: int, indicator_id: str, level: str) -> pd.DataFrame:
    """Values of one indicator at one level, every period."""
    return get_store().read(
        "indicator_values",
        filters=[("indicator_id", "==", indicator_id), ("level", "==", level)],
    )


@st.cache_data(ttl=600, max_entries=4)
def load_codes_with_data(generation: int, level: str) -> frozenset[str]:
    """Codes of the areas at ``level`` that have at least one indicator value."""
    frame = get_store().read(
        "indicator_values", columns=["region_code"], filters=[("level", "==", level)]
    )
    return frozenset(frame["region_code"].unique().tolist())


@st.cache_data(ttl=600, max_entries=64)
def load_area_values(generation: int, region_codes: tuple[str, ...]) -> pd.DataFrame:
    """Values of every indicator for a few areas (an area and its comparators)."""
    return get_store().read("indicator_values", filters=[("region_code", "in", list(region_codes))])


def render_chrome() -> str:
    """Sidebar language choice and html lang, shared by every page (called by app.py).

    Returns
    -------
    str
        The interface language for this run.
    """
    default = current_lang()
    lang = st.sidebar.selectbox(
        t("language", default),
        LANGUAGES,
        index=LANGUAGES.index(default),
        format_func=lambda code: {"sv": "Svenska", "en": "English"}[code],
        key=LANG_KEY,
    )
    set_document_language(lang)
    return lang


def page_start(title_key: str) -> tuple[str, Manifest]:
    """Start a page: the demo banner (when the store holds demo data) and the title.

    Each page calls this itself, so the banner is on every page however the page is
    reached (navigation, a direct link, or a test running the page file).

    Parameters
    ----------
    title_key
        Key of the page title in :data:`sodd.i18n.TEXTS`.

    Returns
    -------
    tuple of (str, Manifest)
        The interface language and the store's manifest.
    """
    lang = current_lang()
    manifest = current_manifest()
    if manifest.is_demo:
        st.warning(t("demo_banner", lang), icon=":material/science:")
    st.title(t(title_key, lang))
    return lang, manifest


def set_document_language(lang: str) -> None:
    """Set ``<html lang>`` so screen readers pronounce Swedish as Swedish (WCAG 3.1.1).

    Streamlit hard-codes ``lang="en"``. The script is a constant of ours (``lang`` is
    one of :data:`LANGUAGES`), never user input.
    """
    if lang not in LANGUAGES:
        return
    st.html(
        f"<script>document.documentElement.lang = {lang!r};</script>", unsafe_allow_javascript=True
    )


def line_chart(frame: pd.DataFrame | pd.Series, description: str, *, y_label: str = "") -> None:
    """A line chart whose SVG carries ``description`` as its accessible name.

    ``st.line_chart`` leaves Vega's mark groups with an image role and no text, which
    axe-core reports as a serious WCAG failure; here the marks are hidden from assistive
    technology and the chart as a whole is described (the table beside it has the
    numbers).

    Parameters
    ----------
    frame
        Index = x (periods), one column per line (or a Series for one line).
    description
        One sentence saying what the chart shows (usually the summary sentence).
    y_label
        Title of the y axis.
    """
    wide = frame.to_frame() if isinstance(frame, pd.Series) else frame
    x_name = str(wide.index.name or "period")
    long = wide.reset_index(names=x_name).melt(id_vars=x_name, var_name="serie", value_name="värde")
    chart = (
        alt.Chart(long, description=description)
        .mark_line(point=alt.OverlayMarkDef(aria=False), aria=False)
        .encode(
            x=alt.X(f"{x_name}:O", title=None),
            y=alt.Y("värde:Q", title=y_label or None),
            color=alt.Color("serie:N", title=None, legend=alt.Legend(orient="bottom")),
        )
        .configure(aria=False)
    )
    st.altair_chart(chart, use_container_width=True)


def show_error(error: SoddError) -> None:
    """Show a sodd error as a Swedish message instead of a traceback."""
    st.error(str(error), icon=":material/error:")


def guarded(render: Callable[[], Any]) -> None:
    """Run a page body, turning any :class:`SoddError` into a message."""
    try:
        render()
    except SoddError as error:
        show_error(error)
