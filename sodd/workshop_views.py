"""One agenda view (a page and its URL query) as an offline HTML file, read from the store.

Used by :mod:`sodd.workshop_snapshot`. An ``omradesprofil`` view becomes the profile's
HTML export (with the area's notes); a ``karta`` view a self-contained SVG choropleth
(:mod:`sodd.export.map_page`); any other page a short page with the view's title and
link, since it has no offline form yet.
"""

from __future__ import annotations

from html import escape

import geopandas as gpd
import pandas as pd

from sodd.errors import SoddError
from sodd.export import build_export_context, render
from sodd.export.html import CSS
from sodd.export.map_page import render_map_page
from sodd.geo import display_geometry, name_districts, regions_in_scope
from sodd.i18n import register, t
from sodd.indicators.catalog import load_catalog
from sodd.map_view import Scope, build_map_view, periods_available, values_in_scope
from sodd.maps import CLASS_METHODS
from sodd.schema import LEVELS, PROVIDER_NAMES
from sodd.store import Store
from sodd.url_state import parse_query

__all__ = ["render_area_view", "render_map_view", "render_other_view", "render_view"]

register(
    {
        "snap_view_unsupported": (
            "Vyn {title} (sidan {page}) har ingen fristående form än. Öppna den i sodd med "
            "länken nedan; den visar då dagens data, inte data från ögonblicksbilden.",
            "The view {title} (page {page}) has no offline form yet. Open it in sodd with the "
            "link below; it then shows today's data, not the snapshot's.",
        ),
        "snap_view_failed": (
            "Vyn kunde inte återskapas ur datalagret: {error}",
            "The view could not be rebuilt from the store: {error}",
        ),
    }
)

# Which levels a map of each scope offers, as on the Karta page.
_SCOPE_LEVELS = {
    "kommun": ("deso", "regso"),
    "lan": ("deso", "regso", "kommun"),
    "riket": ("deso", "regso", "kommun", "lan"),
}


def render_area_view(store: Store, query: str, lang: str = "sv") -> bytes:
    """The HTML profile export of the area a profile link names (``area``, ``level``, ...).

    Raises
    ------
    SoddError
        When the link names no area, or one the store does not have.
    """
    from sodd.export.cli import load_profile

    params = parse_query(query)
    code = params.get("area") or params.get("omrade")
    if not code:
        raise SoddError(f"Länken {query!r} anger inget område (parametern area saknas).")
    try:
        profile, regions = load_profile(
            store, code, params.get("level") or None, params.get("vintage") or None
        )
    except ValueError as exc:
        raise SoddError(str(exc)) from exc
    context = build_export_context(profile, store.manifest(), regions, lang, store=store)
    return render(profile, context, "html")


def _scope(params: dict[str, str], index: pd.DataFrame, lang: str) -> Scope:
    kind = params.get("visa") or (
        "kommun" if params.get("kommun") else "lan" if params.get("lan") else "riket"
    )
    if kind not in _SCOPE_LEVELS:
        raise SoddError(f"Parametern visa har värdet {kind!r}; tillåtna är kommun, lan, riket.")
    if kind == "riket":
        return Scope("riket", None, "Sverige" if lang == "sv" else "Sweden")
    code = params.get(kind, "")
    names = index.loc[(index["level"] == kind) & (index["region_code"] == code), "name"]
    if names.empty:
        raise SoddError(f"Parametern {kind} har värdet {code!r}, som inte finns i datalagret.")
    return Scope(kind, code, str(names.iloc[0]))


def render_map_view(store: Store, query: str, lang: str = "sv") -> bytes:
    """A Karta link (``kommun``, ``indikator``, ``niva``, ``ar``, ...) as an offline map page.

    Missing choices get the Karta page's defaults: the finest level the indicator is
    published at, the latest year, quantiles.

    Raises
    ------
    SoddError
        When a parameter names something the store or the catalog does not have.
    """
    params = parse_query(query)
    catalog = load_catalog()
    regions = store.read_regions()
    index = name_districts(pd.DataFrame(regions.drop(columns="geometry")))
    scope = _scope(params, index, lang)
    indicator = catalog.get(params.get("indikator") or catalog.indicators[0].id)
    lowest = LEVELS.index(indicator.lowest_level)
    offered = [lvl for lvl in _SCOPE_LEVELS[scope.kind] if LEVELS.index(lvl) >= lowest]
    level = params.get("niva") or (offered[0] if offered else indicator.lowest_level)
    values = store.read(
        "indicator_values",
        filters=[("indicator_id", "==", indicator.id), ("level", "==", level)],
    )
    periods = periods_available(values_in_scope(values, scope))
    if not periods:
        raise SoddError(
            f"Datalagret har inga värden för {indicator.name('sv')} på nivån {level} "
            f"i {scope.name}."
        )
    period = params.get("ar") or periods[-1]
    if period not in periods:
        raise SoddError(f"Parametern ar har värdet {period!r}; datalagret har {periods}.")
    method = params.get("klass") or CLASS_METHODS[0]
    reference = store.read(
        "indicator_values",
        filters=[
            ("indicator_id", "==", indicator.id),
            ("level", "==", scope.reference_level),
            ("region_code", "==", scope.reference_code),
            ("period", "==", period),
        ],
    )
    ref_value = (
        float(reference["value"].iloc[0])
        if not reference.empty and pd.notna(reference["value"].iloc[0])
        else None
    )
    view = build_map_view(
        values,
        regions,
        index,
        indicator,
        level,
        period,
        scope,
        method,
        lang,
        reference_value=ref_value,
    )
    polygons = _polygons(regions, level, view.geo_vintage, scope)
    manifest = store.manifest()
    sources = tuple(
        f"{PROVIDER_NAMES.get(e.provider, e.provider)} {e.table_id or ''} – {e.title}, "
        f"{e.fetched_at}"
        for e in manifest.of_kind("indicator_values")
    )
    title = f"{indicator.name(lang)}, {scope.name} {period}"
    demo = t("exp_demo", lang) if manifest.is_demo else None
    return render_map_page(
        view, polygons, indicator, title, lang, demo_text=demo, source_lines=sources
    )


def _polygons(
    regions: gpd.GeoDataFrame, level: str, vintage: str, scope: Scope
) -> gpd.GeoDataFrame:
    polygons = regions_in_scope(
        regions,
        level,
        kommun_code=scope.code if scope.kind == "kommun" else None,
        lan_code=scope.code if scope.kind == "lan" else None,
    )
    polygons = polygons.loc[polygons["geo_vintage"].fillna("") == vintage]
    polygons = polygons.loc[polygons.geometry.notna() & ~polygons.geometry.is_empty]
    return display_geometry(polygons, scope.kind) if not polygons.empty else polygons


def render_other_view(
    title: str, page: str, query: str, lang: str = "sv", *, note: str = "", demo: bool = False
) -> bytes:
    """A short page naming a view that has no offline form (or failed), with its link."""
    link = f"{page}?{query}" if query else page
    text = note or t("snap_view_unsupported", lang, title=title, page=page)
    label = f'<p class="demo">{escape(t("exp_demo", lang))}</p>' if demo else ""
    return (
        f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>{label}"
        f"<h1>{escape(title)}</h1><p>{escape(text)}</p>"
        f"<p><code>{escape(link)}</code></p></body></html>"
    ).encode()


def render_view(store: Store, title: str, page: str, query: str, lang: str = "sv") -> bytes:
    """Render one agenda view; a view that cannot be rebuilt says why instead of failing.

    Parameters
    ----------
    store
        The store (its current data is what the snapshot records).
    title, page, query
        The agenda row: view title, page url path and query string.
    lang
        ``"sv"`` or ``"en"``.
    """
    demo = store.manifest().is_demo
    try:
        if page == "omradesprofil":
            return render_area_view(store, query, lang)
        if page in {"karta", ""}:
            return render_map_view(store, query, lang)
    except SoddError as error:
        failed = t("snap_view_failed", lang, error=str(error))
        return render_other_view(title, page, query, lang, note=failed, demo=demo)
    return render_other_view(title, page, query, lang, demo=demo)
