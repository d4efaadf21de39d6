"""Each page's choices as URL query parameters: declared, encoded, validated. No Streamlit.

A shared link has to reproduce a view exactly, so every choice a page offers has one
URL parameter with a short Swedish name (``kommun``, ``indikator``, ``ar``, ...). A page
declares its parameters once in a :class:`PageSpec`; :mod:`sodd.ui_share` binds them to
the page's widgets. A value in a link that the page cannot offer (an indicator that has
left the catalog, a year without data) is dropped with a :class:`Notice` that the page
shows in Swedish, never an exception.

The area profile keeps the names ``area``, ``level`` and ``vintage`` it had before this
module: map clicks, saved custom areas and links already sent use them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit

from sodd.i18n import register, t

__all__ = [
    "BOSTADSLOSHET",
    "DATAKALLOR",
    "DEFAULT_PAGE",
    "EGNA_UPPGIFTER",
    "KARTA",
    "LANG_PARAM",
    "MAL",
    "OMRADESPROFIL",
    "PAGES",
    "PRESENTERA",
    "Notice",
    "PageSpec",
    "UrlParam",
    "app_root",
    "build_link",
    "build_query",
    "encode_value",
    "parse_query",
    "split_value",
    "validate_value",
]

register(
    {
        "url_stale_value": (
            "Länken anger {what} ”{value}”, men det går inte att välja här (längre). "
            "Standardvalet visas i stället.",
            "The link asks for {what} “{value}”, which cannot be chosen here (any more). "
            "The default is shown instead.",
        ),
    }
)

T = TypeVar("T")

LANG_PARAM: Final = "lang"
# The start page (``default=True`` in app.py) is served at the root: Streamlit answers
# its own url path with "Page not found".
DEFAULT_PAGE: Final = "karta"
# Several values of one parameter go in one comma-separated value: shorter links, and
# Streamlit's st.query_params hands a page the last of repeated keys only.
SEPARATOR: Final = ","


@dataclass(frozen=True)
class UrlParam:
    """One URL parameter of a page and the widget it sets.

    Attributes
    ----------
    name
        Name in the URL (short Swedish, no å/ä/ö: ``indikator``).
    key
        Session-state key of the widget holding the choice (``map_indicator``).
    what_sv, what_en
        What the value is, for notices ("indikatorn").
    multi
        Several values (a multiselect), comma-separated in the URL.
    """

    name: str
    key: str
    what_sv: str
    what_en: str
    multi: bool = False

    def what(self, lang: str) -> str:
        """Name of the choice in ``lang``."""
        return self.what_en if lang == "en" else self.what_sv


@dataclass(frozen=True)
class PageSpec:
    """The URL parameters of one page, in the order its widgets appear."""

    page: str  # url path of the page in app.py
    params: tuple[UrlParam, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The parameter names, in widget order."""
        return tuple(p.name for p in self.params)

    def param(self, name: str) -> UrlParam:
        """Return the parameter called ``name``.

        Raises
        ------
        KeyError
            When the page has no such parameter (a programming error).
        """
        for param in self.params:
            if param.name == name:
                return param
        raise KeyError(f"page {self.page!r} has no URL parameter {name!r}")


@dataclass(frozen=True)
class Notice:
    """A value from a link that was dropped, to be shown to the user."""

    param: UrlParam
    value: str

    def text(self, lang: str) -> str:
        """The notice in ``lang``, naming the choice and the value."""
        return t("url_stale_value", lang, what=self.param.what(lang), value=self.value)


def _p(name: str, key: str, what_sv: str, what_en: str, *, multi: bool = False) -> UrlParam:
    return UrlParam(name, key, what_sv, what_en, multi)


KARTA: Final = PageSpec(
    "karta",
    (
        _p("visa", "map_scope", "området att visa", "the area to show"),
        _p("kommun", "map_kommun", "kommunen", "the municipality"),
        _p("lan", "map_lan", "länet", "the county"),
        _p("indikator", "map_indicator", "indikatorn", "the indicator"),
        _p("niva", "map_level", "nivån", "the level"),
        _p("ar", "map_year", "året", "the year"),
        _p("klass", "map_class", "klassindelningen", "the classification"),
        _p("omradestyp", "map_area_types", "områdestypen", "the area type", multi=True),
    ),
)
OMRADESPROFIL: Final = PageSpec(
    "omradesprofil",
    (
        _p("area", "profile_area", "området", "the area"),
        _p("level", "profile_area", "nivån", "the level"),
        _p("vintage", "profile_area", "områdesindelningen", "the area vintage"),
        # The peer area beside kommun, län and riket (sodd.ui_peer; ``level:vintage:code``).
        _p("jamfor", "profile_peer", "jämförelseområdet", "the comparison area", multi=True),
    ),
)
BOSTADSLOSHET: Final = PageSpec(
    "bostadsloshet", (_p("kommun", "bl_kommun", "kommunen", "the municipality"),)
)
DATAKALLOR: Final = PageSpec("datakallor", ())
PRESENTERA: Final = PageSpec(
    "presentera",
    (
        _p("agenda", "present_target", "agendan", "the agenda"),
        _p("vy", "present_view", "vyn", "the view"),
    ),
)
# Pages added in the same round (goals, the kommun's own data): no choices in the URL yet.
MAL: Final = PageSpec("mal", ())
EGNA_UPPGIFTER: Final = PageSpec("egna-uppgifter", ())
_ALL: Final = (KARTA, OMRADESPROFIL, BOSTADSLOSHET, DATAKALLOR, PRESENTERA, MAL, EGNA_UPPGIFTER)
PAGES: Final[dict[str, PageSpec]] = {spec.page: spec for spec in _ALL}


def encode_value(value: object) -> str:
    """One choice as URL text: a list joins its items with commas.

    Parameters
    ----------
    value
        A string, a number, or a sequence of them (a multiselect).

    Returns
    -------
    str
    """
    if isinstance(value, str):
        return value
    if isinstance(value, Iterable):
        return SEPARATOR.join(str(item) for item in value)
    return str(value)


def split_value(raw: str) -> list[str]:
    """The items of a comma-separated value, without blanks."""
    return [part.strip() for part in raw.split(SEPARATOR) if part.strip()]


def validate_value(
    param: UrlParam, raw: str, options: Sequence[T]
) -> tuple[T | list[T] | None, Notice | None]:
    """Match a value from a link against what the widget offers now.

    Options are compared as text, so a widget whose options are numbers (area types
    1–5) gets back its own option objects.

    Parameters
    ----------
    param
        The parameter.
    raw
        The value as it stands in the URL.
    options
        The widget's options in this run.

    Returns
    -------
    tuple
        ``(value, None)`` when the value is offered: the option (a list of options for a
        ``multi`` parameter); ``(None, notice)`` when it is not, for the page to show. A
        ``multi`` value keeps its offered items and names the first dropped one.
    """
    by_text = {encode_value(option): option for option in options}
    if not param.multi:
        if raw in by_text:
            return by_text[raw], None
        return None, Notice(param, raw)
    items = split_value(raw)
    kept = [by_text[item] for item in items if item in by_text]
    dropped = [item for item in items if item not in by_text]
    return kept, (Notice(param, dropped[0]) if dropped else None)


def build_query(values: Mapping[str, object]) -> str:
    """A query string (without ``?``) from parameter values, in the given order.

    ``None`` and empty values are left out. Commas and colons stay readable.

    Parameters
    ----------
    values
        Parameter name → value (see :func:`encode_value`).

    Returns
    -------
    str
    """
    pairs = [(name, encode_value(value)) for name, value in values.items() if value is not None]
    return urlencode([(name, text) for name, text in pairs if text], safe=",:")


def parse_query(query: str) -> dict[str, str]:
    """Parameter name → value from a query string (with or without ``?``; last one wins)."""
    return dict(parse_qsl(query.lstrip("?"), keep_blank_values=False))


def app_root(page_url: str | None, page: str) -> str:
    """The app's root URL from the URL of one of its pages (query and fragment dropped).

    Parameters
    ----------
    page_url
        The page's URL as the browser has it, e.g. ``http://host:8501/karta``; the start
        page may be served at the root itself.
    page
        The page's url path.

    Returns
    -------
    str
        The root without a trailing slash; empty when ``page_url`` is unknown.
    """
    if not page_url:
        return ""
    parts = urlsplit(page_url)
    path = parts.path.rstrip("/")
    if path == f"/{page}" or path.endswith(f"/{page}"):
        path = path[: -len(page) - 1]
    return f"{parts.scheme}://{parts.netloc}{path}" if parts.scheme else path


def build_link(root: str, page: str, values: Mapping[str, object]) -> str:
    """A link to ``page`` showing the given choices.

    Parameters
    ----------
    root
        The app's root URL (:func:`app_root`); empty for a link relative to the root.
    page
        The page's url path (``karta``).
    values
        Parameter name → value.

    Returns
    -------
    str
        ``root/page?query`` (without ``?`` when there is no choice); the start page
        :data:`DEFAULT_PAGE` is ``root/?query``.
    """
    query = build_query(values)
    path = "" if page == DEFAULT_PAGE else page
    base = f"{root.rstrip('/')}/{path}" if root else (path or "./")
    return f"{base}?{query}" if query else base
