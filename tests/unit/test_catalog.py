"""The indicator catalog: the packaged file, the dataclasses and the validation messages."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sodd.errors import CatalogError
from sodd.indicators import catalog as catalog_module
from sodd.indicators.catalog import (
    DEFAULT_CATALOG_PATH,
    Catalog,
    Selection,
    SourceSpec,
    load_catalog,
    parse_catalog,
)

REQUIRED_IDS = (
    "trangboddhet",
    "median_ekonomisk_standard",
    "lag_ekonomisk_standard",
    "ekonomiskt_bistand_andel",
    "forvarvsfrekvens",
    "eftergymnasial_3ar",
    "utlandsk_bakgrund",
    "hyresratt_lagenheter",
    "barn_lag_ekonomisk_standard",
    "andel_65_plus",
    "avhysningar_verkstallda",
)
THEMES = ("befolkning", "socioekonomi", "boende", "barn_unga", "bostadsloshet")


# ----------------------------------------------------------------- the real catalog


def test_packaged_catalog_loads_with_every_theme_and_required_indicator() -> None:
    catalog = load_catalog()
    assert catalog.schema_version == 1
    assert len(catalog.indicators) >= 24
    groups = catalog.by_theme()
    assert [theme.id for theme, _ in groups] == list(THEMES)
    assert all(indicators for _, indicators in groups), "a theme without indicators"
    ids = {indicator.id for indicator in catalog.indicators}
    assert set(REQUIRED_IDS) <= ids
    assert sum(len(indicators) for _, indicators in groups) == len(catalog.indicators)


def test_default_catalog_is_cached_and_equals_an_explicit_load() -> None:
    assert load_catalog() is load_catalog()
    assert load_catalog(DEFAULT_CATALOG_PATH) == load_catalog()
    assert DEFAULT_CATALOG_PATH.name == "catalog.toml"


def test_packaged_catalog_resolves_selection_overrides() -> None:
    rate = load_catalog().get("avhysningar_verkstallda")
    assert rate.kind == "rate"
    assert rate.per == 10000
    source = rate.sources[0]
    assert source.numerator == Selection("kronofogden", "avhysningar", "verkstallda", {})
    assert source.denominator is not None
    assert (source.denominator.provider, source.denominator.table_id) == ("scb", "TAB6574")
    assert source.provenance == "kronofogden:avhysningar; scb:TAB6574"


def test_packaged_catalog_kinds_have_their_selections() -> None:
    expected = {
        "share": [{"numerator", "denominator"}],
        "rate": [{"numerator", "denominator"}],
        "count": [{"numerator"}],
        "published": [{"value"}, {"value", "weight"}],
    }
    for indicator in load_catalog().indicators:
        for source in indicator.sources:
            roles = {
                role
                for role in ("numerator", "denominator", "value", "weight")
                if getattr(source, role) is not None
            }
            assert roles in expected[indicator.kind], indicator.id


def test_aggregatable_depends_on_kind_and_weights() -> None:
    catalog = load_catalog()
    assert catalog.get("median_ekonomisk_standard").aggregatable is False
    assert catalog.get("lag_ekonomisk_standard").aggregatable is True
    assert catalog.get("andel_65_plus").aggregatable is True
    assert catalog.get("folkmangd").aggregatable is True
    assert catalog.get("avhysningar_verkstallda").aggregatable is True


def test_selections_are_distinct_and_cover_every_source() -> None:
    catalog = load_catalog()
    selections = catalog.selections()
    assert len(selections) == len(set(selections))
    for indicator in catalog.indicators:
        for source in indicator.sources:
            assert set(source.selections()) <= set(selections)
    population = Selection("scb", "TAB6574", "000007Y7", {"Alder": ("totalt",), "Kon": ("1+2",)})
    assert population in selections


def test_get_unknown_indicator_raises_swedish_catalog_error() -> None:
    with pytest.raises(CatalogError, match='Indikatorn "finns_inte" finns inte i katalogen'):
        load_catalog().get("finns_inte")


def test_names_and_descriptions_by_language() -> None:
    catalog = load_catalog()
    indicator = catalog.get("andel_65_plus")
    assert indicator.name("sv") == "Andel 65 år och äldre"
    assert indicator.name("en") == "Share aged 65 and over"
    assert indicator.description("en").startswith("Share of the population")
    theme = catalog.themes[0]
    assert (theme.name("sv"), theme.name("en")) == ("Befolkning", "Population")
    with pytest.raises(ValueError, match="okänt språk 'de'"):
        theme.name("de")


# --------------------------------------------------------------------- dataclasses


def test_selection_is_hashable_and_ignores_dimension_order() -> None:
    a = Selection("scb", "T", "v", {"Kon": ["1+2"], "Alder": ("-4", "5-9")})
    b = Selection("scb", "T", "v", {"Alder": ("-4", "5-9"), "Kon": ("1+2",)})
    assert a == b
    assert hash(a) == hash(b)
    assert len({a, b}) == 1
    assert a.dims["Alder"] == ("-4", "5-9")
    assert list(a.dims) == ["Alder", "Kon"]
    assert a.cell_count == 2
    with pytest.raises(TypeError):
        a.dims["Kon"] = ("1",)  # type: ignore[index]


def test_dims_key_ignores_code_order_but_not_codes() -> None:
    a = Selection("scb", "T", "v", {"Alder": ("-4", "5-9")})
    b = Selection("scb", "T", "v", {"Alder": ("5-9", "-4")})
    c = Selection("scb", "T", "v", {"Alder": ("-4",)})
    assert a.dims_key() == b.dims_key()
    assert a.dims_key() != c.dims_key()
    assert Selection("scb", "T", "v", {}).cell_count == 1


def test_source_provenance_lists_distinct_tables_in_order() -> None:
    num = Selection("kolada", "k1", "a", {})
    den = Selection("scb", "TAB1", "b", {})
    spec = SourceSpec("kolada", "k1", num, den, None, None)
    assert spec.provenance == "kolada:k1; scb:TAB1"
    same = SourceSpec("scb", "TAB1", den, den, None, None)
    assert same.provenance == "scb:TAB1"


# ------------------------------------------------------------- validation messages


def minimal() -> dict[str, Any]:
    """A small valid catalog document with one indicator of each kind."""
    pop = {"variable": "pop", "dims": {"Alder": ["totalt"]}}
    return {
        "schema_version": 1,
        "theme": [{"id": "tema", "name_sv": "Tema", "name_en": "Theme"}],
        "indicator": [
            {
                "id": "andel_0_19",
                "theme": "tema",
                "name_sv": "Andel 0–19 år",
                "name_en": "Share 0–19",
                "description_sv": "Beskrivning.",
                "description_en": "Description.",
                "kind": "share",
                "unit": "procent",
                "direction": "neutral",
                "lowest_level": "deso",
                "attribution": "Källa: SCB",
                "disclosure_threshold": 50,
                "decimals": 1,
                "source": [
                    {
                        "provider": "scb",
                        "table_id": "TAB1",
                        "numerator": {"variable": "pop", "dims": {"Alder": ["-4", "5-9"]}},
                        "denominator": copy.deepcopy(pop),
                    }
                ],
            },
            {
                "id": "avhysningar",
                "theme": "tema",
                "name_sv": "Avhysningar",
                "name_en": "Evictions",
                "description_sv": "Beskrivning.",
                "description_en": "Description.",
                "kind": "rate",
                "per": 10000,
                "unit": "per_10000",
                "direction": "need_if_high",
                "lowest_level": "kommun",
                "attribution": "Källa: Kronofogden",
                "disclosure_threshold": 0,
                "decimals": 1,
                "source": [
                    {
                        "provider": "kronofogden",
                        "table_id": "avh",
                        "numerator": {"variable": "verkstallda", "dims": {}},
                        "denominator": {"provider": "scb", "table_id": "TAB1", **pop},
                    }
                ],
            },
            {
                "id": "folkmangd",
                "theme": "tema",
                "name_sv": "Folkmängd",
                "name_en": "Population",
                "description_sv": "Beskrivning.",
                "description_en": "Description.",
                "kind": "count",
                "unit": "personer",
                "direction": "neutral",
                "lowest_level": "deso",
                "attribution": "Källa: SCB",
                "disclosure_threshold": 0,
                "decimals": 0,
                "source": [{"provider": "scb", "table_id": "TAB1", "numerator": pop}],
            },
            {
                "id": "median",
                "theme": "tema",
                "name_sv": "Median",
                "name_en": "Median",
                "description_sv": "Beskrivning.",
                "description_en": "Description.",
                "kind": "published",
                "unit": "tkr",
                "direction": "need_if_low",
                "lowest_level": "deso",
                "attribution": "Källa: SCB",
                "disclosure_threshold": 0,
                "decimals": 1,
                "source": [
                    {
                        "provider": "scb",
                        "table_id": "TAB2",
                        "value": {"variable": "median", "dims": {}},
                        "weight": {"variable": "personer", "dims": {}},
                    }
                ],
            },
        ],
    }


def test_minimal_document_parses() -> None:
    catalog = parse_catalog(minimal(), "test.toml")
    assert isinstance(catalog, Catalog)
    assert [i.id for i in catalog.indicators] == [
        "andel_0_19",
        "avhysningar",
        "folkmangd",
        "median",
    ]
    share, rate, count, published = catalog.indicators
    assert share.per is None and rate.per == 10000
    assert share.sources[0].numerator == Selection("scb", "TAB1", "pop", {"Alder": ("-4", "5-9")})
    assert rate.sources[0].denominator == Selection("scb", "TAB1", "pop", {"Alder": ("totalt",)})
    assert count.sources[0].denominator is None
    assert published.sources[0].weight == Selection("scb", "TAB2", "personer", {})
    assert len(catalog.selections()) == 5


def test_published_weight_is_optional() -> None:
    data = minimal()
    del data["indicator"][3]["source"][0]["weight"]
    indicator = parse_catalog(data, "test.toml").get("median")
    assert indicator.sources[0].weight is None
    assert indicator.aggregatable is False


Edit = Callable[[dict[str, Any]], None]


def _ind(pos: int, **changes: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        for key, value in changes.items():
            if value is _DELETE:
                del data["indicator"][pos][key]
            else:
                data["indicator"][pos][key] = value

    return edit


def _src(pos: int, **changes: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        source = data["indicator"][pos]["source"][0]
        for key, value in changes.items():
            if value is _DELETE:
                del source[key]
            else:
                source[key] = value

    return edit


def _num(**changes: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        selection = data["indicator"][0]["source"][0]["numerator"]
        for key, value in changes.items():
            if value is _DELETE:
                del selection[key]
            else:
                selection[key] = value

    return edit


_DELETE = object()


def _top(key: str, value: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        if value is _DELETE:
            del data[key]
        else:
            data[key] = value

    return edit


def _second_source(data: dict[str, Any]) -> None:
    source = copy.deepcopy(data["indicator"][0]["source"][0])
    del source["numerator"]["variable"]
    data["indicator"][0]["source"].append(source)


def _duplicate_theme(data: dict[str, Any]) -> None:
    data["theme"].append(dict(data["theme"][0]))


BROKEN: list[tuple[str, Edit, str]] = [
    # (case id, edit of the minimal document, expected message after "test.toml: ")
    ("top-unknown", _top("themes", []), 'fält "themes": okänt fält (tillåtna: schema_version'),
    ("version-missing", _top("schema_version", _DELETE), 'fält "schema_version": saknas'),
    ("version-2", _top("schema_version", 2), 'fält "schema_version": version 2 stöds inte'),
    ("version-text", _top("schema_version", "1"), 'fält "schema_version": ska vara ett heltal'),
    ("no-indicators", _top("indicator", _DELETE), 'fält "indicator": saknas (minst ett'),
    ("empty-indicators", _top("indicator", []), 'fält "indicator": ska vara en eller flera'),
    (
        "indicator-not-table",
        _top("indicator", ["x"]),
        'fält "indicator": post 1 ska vara en tabell',
    ),
    ("theme-duplicate", _duplicate_theme, 'tema "tema", fält "id": temat "tema" finns redan'),
    ("id-missing", _ind(1, id=_DELETE), 'indikator nr 2, fält "id": saknas'),
    ("id-number", _ind(1, id=7), 'indikator nr 2, fält "id": ska vara text, men är heltal 7'),
    ("id-pattern", _ind(0, id="Andel-0"), 'indikator "Andel-0", fält "id": ogiltigt id "Andel-0"'),
    ("id-duplicate", _ind(1, id="andel_0_19"), 'fält "id": id:t "andel_0_19" används redan av'),
    ("unknown-key", _ind(0, unti="procent"), 'indikator "andel_0_19", fält "unti": okänt fält'),
    (
        "theme-unknown",
        _ind(0, theme="ekonomi"),
        'fält "theme": okänt tema "ekonomi" (tillåtna: tema)',
    ),
    (
        "name-empty",
        _ind(0, name_sv=" "),
        'indikator "andel_0_19", fält "name_sv": får inte vara tom',
    ),
    (
        "name-missing",
        _ind(2, description_en=_DELETE),
        'indikator "folkmangd", fält "description_en"',
    ),
    (
        "unit-unknown",
        _ind(0, unit="procent2"),
        'indikator "andel_0_19", fält "unit": okänt värde "procent2" '
        "(tillåtna: procent, personer, hushåll, tkr, per_10000, per_100000, "
        "per_1000_hyresratter, antal, klass, läge)",
    ),
    ("kind-unknown", _ind(0, kind="ratio"), 'fält "kind": okänt värde "ratio" (tillåtna: share,'),
    ("direction", _ind(0, direction="high"), 'fält "direction": okänt värde "high"'),
    ("level", _ind(0, lowest_level="stadsdel"), 'fält "lowest_level": okänt värde "stadsdel"'),
    ("share-unit", _ind(0, unit="personer"), 'fält "unit": ska vara "procent" när kind = "share"'),
    ("rate-no-per", _ind(1, per=_DELETE), 'indikator "avhysningar", fält "per": saknas'),
    ("rate-per-zero", _ind(1, per=0), 'fält "per": ska vara minst 1, men är 0'),
    ("rate-per-float", _ind(1, per=1e4), 'fält "per": ska vara ett heltal, men är decimaltal'),
    ("per-on-share", _ind(0, per=100), 'fält "per": får bara anges när kind = "rate"'),
    ("decimals-high", _ind(0, decimals=4), 'fält "decimals": ska vara mellan 0 och 3, men är 4'),
    ("decimals-float", _ind(0, decimals=1.5), 'fält "decimals": ska vara ett heltal'),
    ("threshold-neg", _ind(0, disclosure_threshold=-1), 'fält "disclosure_threshold": ska vara'),
    ("threshold-bool", _ind(0, disclosure_threshold=True), "men är sant/falskt True"),
    ("source-missing", _ind(0, source=_DELETE), 'fält "source": saknas (minst ett [[indicator.'),
    ("source-empty", _ind(0, source=[]), 'fält "source": ska vara en eller flera'),
    ("source-typo", _src(3, wieght={}), 'indikator "median", källa 1, fält "wieght": okänt fält'),
    ("source-provider", _src(0, provider=_DELETE), 'källa 1, fält "provider": saknas'),
    ("share-no-den", _src(0, denominator=_DELETE), 'fält "denominator": saknas (krävs när kind'),
    ("rate-no-num", _src(1, numerator=_DELETE), 'indikator "avhysningar", källa 1, fält "numer'),
    ("count-den", _src(2, denominator={}), 'fält "denominator": hör inte till kind = "count"'),
    ("share-value", _src(0, value={}), 'fält "value": hör inte till kind = "share"'),
    ("published-num", _src(3, numerator={}), 'fält "numerator": hör inte till kind = "published"'),
    ("published-no-value", _src(3, value=_DELETE), 'källa 1, fält "value": saknas'),
    (
        "published-two-codes",
        _src(3, value={"variable": "m", "dims": {"Alder": ["a", "b"]}}),
        'fält "value.dims.Alder": ett publicerat värde kan inte summeras',
    ),
    ("sel-not-table", _src(0, numerator="pop"), 'fält "numerator": ska vara en tabell'),
    ("sel-typo", _num(dim={}), 'källa 1, fält "numerator.dim": okänt fält'),
    ("sel-no-variable", _num(variable=_DELETE), 'fält "numerator.variable": saknas'),
    ("sel-empty-var", _num(variable=""), 'fält "numerator.variable": får inte vara tom'),
    ("sel-no-dims", _num(dims=_DELETE), 'fält "numerator.dims": saknas (ange dims = {}'),
    ("sel-dims-list", _num(dims=["Alder"]), 'fält "numerator.dims": ska vara en tabell'),
    ("dims-not-list", _num(dims={"Alder": "-4"}), 'fält "numerator.dims.Alder": ska vara en lista'),
    ("dims-empty", _num(dims={"Alder": []}), 'fält "numerator.dims.Alder": ska vara en lista'),
    ("dims-int", _num(dims={"Alder": [4]}), 'fält "numerator.dims.Alder": varje kod ska vara'),
    ("dims-dup", _num(dims={"Alder": ["-4", "-4"]}), 'koden "-4" står mer än en gång'),
    ("sel-provider-only", _num(provider="kolada"), 'fält "numerator.table_id": saknas (krävs när'),
    ("second-source", _second_source, 'indikator "andel_0_19", källa 2, fält "numerator.variable"'),
]


@pytest.mark.parametrize(("edit", "expected"), [c[1:] for c in BROKEN], ids=[c[0] for c in BROKEN])
def test_broken_catalog_names_entry_and_field(edit: Edit, expected: str) -> None:
    data = minimal()
    edit(data)
    with pytest.raises(CatalogError) as caught:
        parse_catalog(data, "test.toml")
    message = str(caught.value)
    assert message.startswith("test.toml: "), message
    assert expected in message


# ------------------------------------------------------------------ files and TOML


def test_real_catalog_with_a_typo_names_indicator_field_and_value(tmp_path: Path) -> None:
    text = DEFAULT_CATALOG_PATH.read_text(encoding="utf-8")
    start = text.index('id = "andel_0_19"')
    broken = text[:start] + text[start:].replace('unit = "procent"', 'unit = "procent2"', 1)
    path = tmp_path / "catalog.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    assert str(caught.value) == (
        'catalog.toml: indikator "andel_0_19", fält "unit": okänt värde "procent2" '
        "(tillåtna: procent, personer, hushåll, tkr, per_10000, per_100000, "
        "per_1000_hyresratter, antal, klass, läge)"
    )


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('schema_version = 1\n\n[[theme]]\nid = "a\n', 4),  # unterminated string
        ("schema_version = 1\nschema_version = 2\n", 2),  # duplicate key
        ("schema_version = 1\n[[indicator]]\nid = \n", 3),  # missing value
    ],
    ids=["string", "duplicate", "value"],
)
def test_toml_syntax_error_names_file_and_line(tmp_path: Path, text: str, line: int) -> None:
    path = tmp_path / "trasig.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError, match=rf"^trasig\.toml: TOML-syntaxfel på rad {line}, "):
        load_catalog(path)


def test_toml_error_at_end_of_document_is_described() -> None:
    message = catalog_module._describe_toml_error("Invalid value (at end of document)")
    assert message == "TOML-syntaxfel i slutet av filen: Invalid value."


def test_missing_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"^saknas\.toml: katalogfilen finns inte"):
        load_catalog(tmp_path / "saknas.toml")
    latin = tmp_path / "latin.toml"
    latin.write_bytes('name_sv = "Hushåll"\n'.encode("latin-1"))
    with pytest.raises(CatalogError, match=r"^latin\.toml: filen är inte UTF-8"):
        load_catalog(latin)


def test_catalog_file_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "egen.toml"
    path.write_text(DEFAULT_CATALOG_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_catalog(path) == load_catalog()
