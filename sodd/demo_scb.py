"""Synthetic SCB tables at DeSO level for the demo dataset.

Each function imitates one real SCB table: same table id, content codes,
dimension codes and years (within 2015–2024) as the indicator catalog expects.
Values are drawn from the district traits in :mod:`sodd.demo_model`.
"""

from __future__ import annotations

import numpy as np

from sodd.demo_model import (
    AGE_CODES,
    YEARS,
    DemoTable,
    Districts,
    Floats,
    Ints,
    RawTable,
    dims_json,
    expit,
    logit,
    softmax,
)

SCB_LEVELS = ("deso", "regso", "kommun", "lan", "riket")
_T = np.arange(len(YEARS), dtype=float)


def _spec(table_id: str, title: str, first: int, last: int) -> DemoTable:
    periods = tuple(str(y) for y in range(first, last + 1))
    return DemoTable("scb", table_id, f"Exempeldata: {title}", periods, SCB_LEVELS)


def _years(first: int, last: int) -> slice:
    return slice(first - YEARS[0], last - YEARS[0] + 1)


def _stack(*parts: Ints | Floats) -> Floats:
    return np.stack([np.asarray(p, dtype=float) for p in parts], axis=-1)


def _table(
    spec: DemoTable, variable: str, dim: str, codes: tuple[str, ...], unit: str,
    values: Floats, **fixed: str,
) -> RawTable:  # fmt: skip
    """A table with one content code and one varying dimension (plus fixed ones)."""
    dims = tuple(dims_json(**{dim: code}, **fixed) for code in codes)
    return RawTable(spec, (variable,) * len(codes), dims, (unit,) * len(codes), values)


def population(d: Districts) -> RawTable:
    """TAB6574: population by age (18 codes) for both sexes, 2015–2024."""
    spec = _spec("TAB6574", "Folkmängd efter region, ålder och kön", 2015, 2024)
    values = np.concatenate([d.pop[..., None], d.ages], axis=-1).astype(float)
    return _table(spec, "000007Y7", "Alder", ("totalt", *AGE_CODES), "personer", values, Kon="1+2")


def background(d: Districts, rng: np.random.Generator) -> tuple[RawTable, RawTable]:
    """TAB6571 (foreign/Swedish background) and TAB6572 (region of birth), 2015–2024."""
    u, dep, pop = (d.urban - 0.35)[:, None], d.dep[:, None], d.pop
    own = rng.normal(0.0, 0.3, (len(pop), 1))
    share = expit(-1.45 + 0.85 * dep + 0.9 * u + own + 0.025 * _T + rng.normal(0, 0.05, pop.shape))
    foreign = rng.binomial(pop, share)
    born_abroad = rng.binomial(foreign, expit(1.05 + 0.3 * dep + 0 * _T))
    rest_of_world = rng.binomial(born_abroad, expit(0.25 + 0.6 * dep + 0 * _T))
    spec = _spec("TAB6571", "Folkmängd efter region, svensk/utländsk bakgrund och kön", 2015, 2024)
    bakgrund = _table(
        spec, "000007Y4", "UtlBakgrund", ("1", "2", "SA"), "personer",
        _stack(foreign, pop - foreign, pop), Kon="1+2",
    )  # fmt: skip
    spec = _spec("TAB6572", "Folkmängd efter region, födelseregion och kön", 2015, 2024)
    fodelse = _table(
        spec, "000007Y5", "Fodelseregion", ("sv", "eu", "öv", "tot"), "personer",
        _stack(pop - born_abroad, born_abroad - rest_of_world, rest_of_world, pop), Kon="1+2",
    )  # fmt: skip
    return bakgrund, fodelse


def households(d: Districts, rng: np.random.Generator) -> tuple[RawTable, Ints]:
    """TAB6568: households by type, 2015–2024; also returns the household counts."""
    u, dep = (d.urban - 0.35)[:, None], d.dep[:, None]
    size = np.clip(2.2 - 0.6 * u + 0.12 * dep + rng.normal(0, 0.08, (len(dep), 1)), 1.5, 3.2)
    total = np.maximum(np.round(d.pop / (size - 0.005 * _T)), 1).astype(np.int64)
    logits = np.stack(
        np.broadcast_arrays(
            np.log(0.39) + 0.7 * u,
            np.log(0.065) + 0.35 * dep,
            np.log(0.26) - 0.2 * dep,
            np.log(0.21) - 0.5 * u + 0.1 * dep,
            np.log(0.075) + 0.3 * dep + 0 * _T,
        ),
        axis=-1,
    )
    parts = rng.multinomial(total, softmax(logits))
    spec = _spec("TAB6568", "Antal hushåll efter region och hushållstyp", 2015, 2024)
    codes = ("ESUB", "ESMB", "SBUB", "SBMB", "OVRIGA", "TOTALT")
    values = np.concatenate([parts, total[..., None]], axis=-1).astype(float)
    table = _table(spec, "000007Y1", "Hushallstyp", codes, "hushåll", values)
    table.small_parts = (0, 1, 2, 3, 4)
    return table, total


def labour(d: Districts, rng: np.random.Generator) -> RawTable:
    """TAB6680: labour-market status 20–64, 2020–2024 (employed + unemployed = labour force)."""
    years = _years(2020, 2024)
    t, dep, u = _T[years], d.dep[:, None], (d.urban - 0.35)[:, None]
    total = d.age_sum(4, 13)[:, years]
    cycle = np.array([-0.05, -0.03, 0.02, 0.03, 0.0])  # pandemic dip, then recovery
    own = rng.normal(0.0, 0.25, (len(total), 1))
    employed_p = expit(1.5 - 0.7 * dep + 0.15 * u + own + cycle + rng.normal(0, 0.05, total.shape))
    unemployed_p = expit(-2.85 + 0.75 * dep - 2 * cycle - 0.5 * own + 0 * t)
    employed = rng.binomial(total, employed_p)
    # Chance that a non-employed person is unemployed, so that W/(X+W) ≈ unemployed_p.
    q = np.clip(unemployed_p / (1 - unemployed_p) * employed_p / (1 - employed_p), 0.0, 0.95)
    unemployed = rng.binomial(total - employed, q)
    force = employed + unemployed
    title = "Befolkning 20–64 år efter region och status på arbetsmarknaden"
    spec = _spec("TAB6680", title, 2020, 2024)
    variables = ("0000089V", "0000089W", "0000089X", "0000089Y", "0000089Z")
    dims = (dims_json(Alder="20-64", Kon="1+2"),) * 5
    values = _stack(force, unemployed, employed, total, total - force)
    return RawTable(spec, variables, dims, ("personer",) * 5, values)


def education(d: Districts, rng: np.random.Generator) -> tuple[RawTable, RawTable]:
    """TAB5956 (2015–2023) and TAB6534 (2024): education level of the population 25–64/65."""
    dep, u = d.dep[:, None], (d.urban - 0.35)[:, None]
    # The age band widens to 25–65 from 2023: add a fifth of the 65–69 group.
    extra = np.round(0.2 * d.ages[..., 13]).astype(np.int64) * (np.asarray(YEARS) >= 2023)
    base = d.age_sum(5, 13) + extra
    academic = rng.normal(0.0, 0.3, (len(dep), 1))
    logits = np.stack(
        np.broadcast_arrays(
            np.log(0.09) + 0.7 * dep - 0.2 * u - 0.5 * academic,
            np.log(0.41) - 0.2 * dep - 0.6 * u,
            np.log(0.15) - 0.1 * dep + 0 * _T,
            np.log(0.30) - 0.6 * dep + 1.0 * u + 0.025 * (_T - 5) + academic,
            np.log(0.03) + 0.5 * dep + 0 * _T,
        ),
        axis=-1,
    )
    counts = rng.multinomial(base, softmax(logits)).astype(float)
    codes = ("21", "3+4", "5", "6", "US")
    old = _spec("TAB5956", "Befolkning 25–64 år efter region och utbildningsnivå", 2015, 2023)
    new = _spec("TAB6534", "Befolkning 25–65 år efter region och utbildningsnivå", 2024, 2024)
    return (
        _table(
            old, "000005MO", "UtbildningsNiva", codes, "personer", counts[:, _years(2015, 2023)]
        ),
        _table(
            new, "000007Z6", "UtbildningsNiva", codes, "personer", counts[:, _years(2024, 2024)]
        ),
    )


def housing(
    d: Districts, households: Ints, rng: np.random.Generator
) -> tuple[RawTable, RawTable, RawTable, RawTable]:
    """Dwellings and persons by tenure, persons by building type.

    Dwellings: TAB6258 (2015–2023) and TAB6638 (2024); persons by tenure
    (TAB6253) and by building type (TAB6065): 2015–2024.
    """
    n = len(d.dep)
    dep, u = d.dep[:, None], (d.urban - 0.35)[:, None]
    own = rng.normal(0.0, 0.3, (n, 3))
    tenure = softmax(
        np.stack(
            np.broadcast_arrays(
                np.log(0.38) + 0.75 * dep + 1.4 * u + own[:, :1],
                np.log(0.24) - 0.35 * dep + 1.6 * u + own[:, 1:2] + 0.02 * _T,
                np.log(0.36) - 0.3 * dep - 2.0 * u + own[:, 2:3],
                np.log(0.02) + 0 * _T,
            ),
            axis=-1,
        )
    )
    dwellings = rng.multinomial(np.round(households * 1.03).astype(np.int64), tenure).astype(float)
    codes: tuple[str, ...] = ("1", "2", "3", "ÖVRIGT")
    old = _spec("TAB6258", "Antal lägenheter efter region och upplåtelseform", 2015, 2023)
    new = _spec("TAB6638", "Antal lägenheter efter region och upplåtelseform", 2024, 2024)
    dw_old = _table(old, "000006OC", "Upplatelseform", codes, "lägenheter", dwellings[:, :9])
    dw_new = _table(new, "00000864", "Upplatelseform", codes, "lägenheter", dwellings[:, 9:])

    # Persons: owner-occupied homes hold bigger households than flats.
    per_dwelling = tenure[..., :3] * np.array([1.8, 1.75, 2.7])
    persons_share = per_dwelling / per_dwelling.sum(axis=-1, keepdims=True)
    missing = expit(-3.5 + 0.3 * dep + 0 * _T)[..., None]
    rent, br, owned = (persons_share[..., i : i + 1] * (1 - missing) for i in range(3))
    by_tenure = rng.multinomial(d.pop, np.concatenate([owned, br, rent, missing], axis=-1))
    spec = _spec("TAB6253", "Antal personer efter region och upplåtelseform", 2015, 2024)
    codes = ("ÄG/ANDEL", "BOSTADSRÄTT", "HYRESRÄTT", "ÖVRIGT", "TOTALT")
    values = np.concatenate([by_tenure, d.pop[..., None]], axis=-1).astype(float)
    persons_tenure = _table(spec, "000007DQ", "Upplatelseform", codes, "personer", values)
    persons_tenure.small_parts = (0, 1, 2, 3)

    # Special housing (mostly elderly care) is concentrated in a few districts.
    spec_share = expit(-5.0 + 1.2 * rng.normal(0.0, 1.0, (n, 1)) + 0 * _T)[..., None]
    other = np.full_like(spec_share, 0.008)
    small_house = (owned * 0.93 + (br + rent) * 0.12) * (1 - spec_share - other)
    flats = 1 - missing - spec_share - other - small_house
    shares = np.concatenate([small_house, flats, other, spec_share, missing], axis=-1)
    by_type = rng.multinomial(d.pop, shares)
    spec = _spec("TAB6065", "Antal personer efter region och hustyp", 2015, 2024)
    codes = ("SMÅHUS", "FLERBOST", "ÖVRHUS", "SPEC", "OKÄND", "TOTALT")
    values = np.concatenate([by_type, d.pop[..., None]], axis=-1).astype(float)
    persons_type = _table(spec, "0000077F", "Hustyp", codes, "personer", values)
    persons_type.small_parts = (0, 1, 2, 3, 4)
    return dw_old, dw_new, persons_tenure, persons_type


def social_assistance_share(d: Districts, years: slice) -> Floats:
    """Expected share (0–1) of persons 20+ with social assistance, per district and year."""
    out: Floats = expit(-3.4 + 0.95 * d.dep[:, None] - 0.03 * _T[years])
    return out


def income(d: Districts, rng: np.random.Generator) -> tuple[RawTable, RawTable, RawTable]:
    """TAB6683 (social assistance), TAB6684 (median) and TAB6685 (low/high standard), 2015–2023.

    A random 1 % of district-years per table are suppressed (``..``), as SCB does
    where too few persons lie behind a figure.
    """
    years = _years(2015, 2023)
    t, dep, u = _T[years], d.dep[:, None], (d.urban - 0.35)[:, None]
    n, ny = len(d.dep), len(t)
    pop, young, adults = d.pop[:, years], d.age_sum(0, 4)[:, years], d.age_sum(4, 17)[:, years]

    def hidden() -> np.ndarray:
        return rng.random((n, ny)) < 0.01

    spec = _spec("TAB6683", "Inkomststruktur, nettoinkomst efter region och kön", 2015, 2023)
    own = rng.normal(0.0, 0.35, (n, 1))
    share = social_assistance_share(d, years) * np.exp(own + rng.normal(0, 0.08, (n, ny)))
    persons = rng.binomial(adults, 0.985)
    dims: tuple[str, ...] = (dims_json(Inkomstkomponenter="170", Kon="1+2"),) * 2
    tab6683 = RawTable(
        spec, ("000008A2", "000008A3"), dims, ("procent", "personer"),
        _stack(100 * share, persons), weights={0: 1}, decimals={0: 0}, hidden=hidden(),
    )  # fmt: skip

    spec = _spec("TAB6684", "Ekonomisk standard efter region", 2015, 2023)
    level = rng.normal(0.0, 0.06, (n, 1))
    median = 242 * np.exp(0.02 * t - 0.14 * dep + 0.06 * u + level + rng.normal(0, 0.01, (n, ny)))
    persons = rng.binomial(pop, 0.975)
    tab6684 = RawTable(
        spec, ("000008AB", "000008A5"), ("{}", "{}"), ("tkr", "personer"),
        _stack(median, persons), weights={0: 1}, decimals={0: 1}, hidden=hidden(),
    )  # fmt: skip

    spec = _spec("TAB6685", "Låg och hög ekonomisk standard efter region och ålder", 2015, 2023)
    own = rng.normal(0.0, 0.3, (n, 1)) - 2.5 * level  # a district's own income level counts too
    low = expit(-2.05 + 0.8 * dep + 0.01 * t - 0.1 * u + own + rng.normal(0, 0.06, (n, ny)))
    high = expit(-2.45 - 0.8 * dep + 0.6 * u + 0.015 * t + rng.normal(0.0, 0.25, (n, 1)))
    low_young = expit(logit(low) + 0.2 + 0.1 * dep)
    high_young = expit(logit(high) - 0.3)
    young_persons = rng.binomial(young, 0.975)
    variables: tuple[str, ...] = ("000008AC", "000008AD", "000008AE") * 2
    dims = (dims_json(Alder="tot"),) * 3 + (dims_json(Alder="0-19"),) * 3
    values = _stack(
        100 * low, 100 * high, persons, 100 * low_young, 100 * high_young, young_persons
    )
    tab6685 = RawTable(
        spec, variables, dims, ("procent", "procent", "personer") * 2, values,
        weights={0: 2, 1: 2, 3: 5, 4: 5}, decimals={0: 0, 1: 0, 3: 0, 4: 0}, hidden=hidden(),
    )  # fmt: skip
    return tab6683, tab6684, tab6685
