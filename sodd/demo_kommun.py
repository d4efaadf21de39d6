"""Synthetic kommun- and RegSO-level sources for the demo dataset.

Kolada (social assistance), Kronofogden (evictions) and Socialstyrelsen
(homelessness) publish per kommun; Boverket's need-based housing shortage is
published per RegSO. Their values follow the same district traits as the SCB
tables, averaged over each area's population.
"""

from __future__ import annotations

import numpy as np

from sodd.demo_model import (
    LAST_YEAR,
    YEARS,
    DemoTable,
    Districts,
    Floats,
    Ints,
    RawTable,
    dims_json,
    expit,
)
from sodd.demo_scb import social_assistance_share

_T = np.arange(len(YEARS), dtype=float)


def mean_by(values: Floats, weights: Floats, index: Ints, n: int) -> Floats:
    """Weighted mean of per-district ``values`` over groups; both (districts, years)."""
    values, weights = np.broadcast_arrays(values, weights)
    num = np.zeros((n, values.shape[1]))
    den = np.zeros((n, values.shape[1]))
    np.add.at(num, index, values * weights)
    np.add.at(den, index, weights)
    out: Floats = num / np.maximum(den, 1e-12)
    return out


def sum_by(values: Ints | Floats, index: Ints, n: int) -> Floats:
    """Sum per-district ``values`` (districts, …) over groups."""
    out = np.zeros((n, *values.shape[1:]))
    np.add.at(out, index, values)
    return out


def _spec(
    provider: str, table_id: str, title: str, years: tuple[int, ...], lowest: str
) -> DemoTable:
    levels = (
        ("regso", "kommun", "lan", "riket") if lowest == "regso" else ("kommun", "lan", "riket")
    )
    return DemoTable(provider, table_id, f"Exempeldata: {title}", tuple(map(str, years)), levels)


def kolada(d: Districts, kommun_idx: Ints, n: int, rng: np.random.Generator) -> RawTable:
    """Kolada ``ekonomiskt_bistand``: shares of residents with (long-term) assistance, 2015–2024."""
    pop = d.pop.astype(float)
    share = mean_by(social_assistance_share(d, slice(None)), pop, kommun_idx, n)
    dep = mean_by(d.dep[:, None], pop, kommun_idx, n)
    share = share * np.exp(rng.normal(0.0, 0.08, share.shape))
    long_term = share * expit(np.log(0.3 / 0.7) + 0.3 * dep)
    spec = _spec("kolada", "ekonomiskt_bistand", "Ekonomiskt bistånd (Kolada)", YEARS, "kommun")
    kommun_pop = sum_by(pop, kommun_idx, n)
    return RawTable(
        spec, ("andel_invanare_bistand", "andel_langvarigt_bistand"),
        (dims_json(kon="T"),) * 2, ("procent", "procent"),
        np.stack([100 * 0.95 * share, 100 * long_term], axis=-1),
        weights={0: kommun_pop, 1: kommun_pop}, decimals={0: 1, 1: 1},
    )  # fmt: skip


def boverket(
    d: Districts, households: Ints, regso_idx: Ints, n: int, rng: np.random.Generator
) -> RawTable:
    """Boverket ``behovsbaserad_bostadsbrist`` per RegSO, 2015–2023 (parts ≤ households)."""
    years = slice(0, 9)
    pop = d.pop[:, years].astype(float)
    dep = mean_by(d.dep[:, None], pop, regso_idx, n)
    urban = mean_by(d.urban[:, None], pop, regso_idx, n) - 0.35
    t = _T[years]
    total = sum_by(households[:, years], regso_idx, n).astype(np.int64)
    crowded = rng.binomial(total, expit(-2.35 + 0.85 * dep + 0.6 * urban - 0.01 * t))
    strained_p = expit(-2.2 + 0.8 * dep + 0.02 * t)
    strained = rng.binomial(total, strained_p)
    both = np.minimum(rng.binomial(crowded, np.clip(2.2 * strained_p, 0.0, 0.9)), strained)
    spec = _spec(
        "boverket", "behovsbaserad_bostadsbrist", "Behovsbaserad bostadsbrist (Boverket)",
        tuple(range(2015, 2024)), "regso",
    )  # fmt: skip
    # The other five of Boverket's eight measures come from a spawned generator, so adding
    # them left every earlier demo value unchanged.
    extra = rng.spawn(1)[0]
    kalp = np.minimum(extra.binomial(total, 0.75 * strained_p), total)
    both_kalp = np.minimum(
        extra.binomial(crowded, np.clip(2.0 * 0.75 * strained_p, 0.0, 0.9)), kalp
    )
    moving = extra.binomial(total, expit(-3.0 + 0.5 * dep + 0.5 * urban))
    adult_children = extra.binomial(total, expit(-2.8 + 0.3 * dep - 0.2 * urban))
    recurring = extra.binomial(total, expit(-3.3 + 0.8 * dep))
    variables = (
        "hushall", "trangbodda", "anstrangd_boendeekonomi", "trangbodd_anstrangd",
        "anstrangd_boendeekonomi_kalp", "trangbodd_anstrangd_kalp", "flyttar_ofta",
        "hemmaboende_vuxna_barn", "aterkommande_problem",
    )  # fmt: skip
    values = np.stack(
        [total, crowded, strained, both, kalp, both_kalp, moving, adult_children, recurring],
        axis=-1,
    ).astype(float)
    count = len(variables)
    return RawTable(
        spec, variables, (dims_json(hushallstyp="alla"),) * count, ("hushåll",) * count, values
    )


def kronofogden(d: Districts, kommun_idx: Ints, n: int, rng: np.random.Generator) -> RawTable:
    """Kronofogden ``avhysningar`` per kommun, 2015–2024 (executed ≤ applied for)."""
    pop = d.pop.astype(float)
    dep = mean_by(d.dep[:, None], pop, kommun_idx, n)
    kommun_pop = sum_by(pop, kommun_idx, n)
    # About 6 applications and 2 executed evictions per 10 000 inhabitants, slowly falling.
    rate = 6.0 * np.exp(0.45 * dep) * 0.975**_T
    applied = rng.poisson(kommun_pop * rate / 10_000)
    executed = rng.binomial(applied, 0.32)
    children = rng.poisson(executed * 0.3)
    spec = _spec("kronofogden", "avhysningar", "Avhysningar (Kronofogden)", YEARS, "kommun")
    return RawTable(
        spec, ("ansokta", "verkstallda", "barn_berorda"), ("{}",) * 3,
        ("antal", "antal", "personer"),
        np.stack([applied, executed, children], axis=-1).astype(float),
    )  # fmt: skip


def socialstyrelsen(d: Districts, kommun_idx: Ints, n: int, rng: np.random.Generator) -> RawTable:
    """Socialstyrelsen ``hemloshetskartlaggning`` per kommun and situation, 2017 and 2023."""
    years = [2017 - YEARS[0], 2023 - YEARS[0]]
    pop = d.pop[:, years].astype(float)
    dep = mean_by(d.dep[:, None], pop, kommun_idx, n)
    urban = mean_by(d.urban[:, None], pop, kommun_idx, n) - 0.35
    # Persons per 10 000 inhabitants in situations 1–4, near the national surveys.
    base = np.array([[5.8, 4.5, 16.0, 5.3], [4.6, 3.0, 13.5, 5.0]])
    factor = np.exp(0.35 * dep + 0.8 * urban)[..., None]
    expected = sum_by(pop, kommun_idx, n)[..., None] * base[None] * factor / 10_000
    spec = _spec(
        "socialstyrelsen", "hemloshetskartlaggning",
        "Hemlöshetskartläggning (Socialstyrelsen)", (2017, 2023), "kommun",
    )  # fmt: skip
    dims = tuple(dims_json(situation=s) for s in ("1", "2", "3", "4"))
    return RawTable(
        spec, ("personer",) * 4, dims, ("personer",) * 4, rng.poisson(expected).astype(float)
    )


def kolada_evictions(evictions: RawTable, kommun_pop: Floats) -> RawTable:
    """Kolada ``avhysningar``: Kronofogden's executed evictions per 100 000 inhabitants.

    Drawn from the demo's own Kronofogden counts and population, so Kolada's published
    rate agrees with sodd's rate per 10 000 (times ten, up to rounding); higher levels
    are population-weighted means, which equal the sum of evictions over the sum of
    inhabitants.
    """
    executed = evictions.values[..., evictions.variables.index("verkstallda")]
    rate = 100_000 * executed / np.maximum(kommun_pop, 1.0)
    spec = _spec("kolada", "avhysningar", "Avhysningar per 100 000 invånare (Kolada)", YEARS,
                 "kommun")  # fmt: skip
    return RawTable(
        spec, ("verkstallda_per_100000",), (dims_json(kon="T"),), ("per_100000",),
        rate[..., None], weights={0: kommun_pop}, decimals={0: 1},
    )  # fmt: skip


BME_YEARS = tuple(range(2020, LAST_YEAR + 1))


def bme(d: Districts, kommun_idx: Ints, n: int, rng: np.random.Generator) -> RawTable:
    """Boverket ``bme``: each kommun's market status, -1/0/1, 2020–2024, kommun level only.

    Urban kommuner mostly report a shortage (-1) and sparse, deprived ones a balance or
    a surplus (1), as in the real survey; a kommun keeps its status most years. The
    status is categorical, so there is no län or riket value (nothing to add up).
    """
    years = [year - YEARS[0] for year in BME_YEARS]
    pop = d.pop[:, years].astype(float)
    dep = mean_by(d.dep[:, None], pop, kommun_idx, n)
    urban = mean_by(d.urban[:, None], pop, kommun_idx, n) - 0.35
    # A lasting kommun effect plus a little yearly noise keeps the timeline mostly flat.
    latent = 4.0 * urban - 0.5 * dep - 0.2 + rng.normal(0.0, 0.6, (n, 1))
    latent = latent + rng.normal(0.0, 0.3, latent.shape) + 0.05 * np.arange(len(years))
    status = np.where(latent > 0.0, -1.0, np.where(latent < -1.2, 1.0, 0.0))
    spec = DemoTable(
        "boverket", "bme", "Exempeldata: Bostadsmarknadsenkäten (Boverket)",
        tuple(map(str, BME_YEARS)), ("kommun",),
    )  # fmt: skip
    return RawTable(
        spec, ("marknadslage",), (dims_json(grupp="totalt"),), ("läge",), status[..., None]
    )


# Cumulative shares of SKR's nine kommungrupper (2023: 3, 43, 21, 22, 49, 28, 52, 54 and
# 18 of 290 kommuner); the demo ranks its kommuner from most to least urban.
_SKR_CUTS = np.cumsum([3, 43, 21, 22, 49, 28, 52, 54])[:8] / 290


def kommungrupp(d: Districts, kommun_idx: Ints, n: int) -> RawTable:
    """Synthetic SKR-like kommungrupp (1–9) per kommun, from urbanity; labelled as demo.

    The real grouping depends on commuting and town size, which the demo does not
    model: the most urban demo kommuner get the low (metropolitan) numbers.
    """
    pop = d.pop.astype(float)
    urban = mean_by(np.broadcast_to(d.urban[:, None], pop.shape), pop, kommun_idx, n)[:, -1]
    share_above = (np.argsort(np.argsort(-urban)) + 0.5) / n
    groups = 1 + np.searchsorted(_SKR_CUTS, share_above)
    spec = DemoTable(
        "kolada", "kommungrupp", "Exempeldata: Kommungrupper, påhittade efter SKR:s indelning",
        (str(LAST_YEAR),), ("kommun",),
    )  # fmt: skip
    values: Floats = groups.astype(np.float64)[:, None, None]
    return RawTable(spec, ("grupp",), (dims_json(grupp_id="exempel"),), ("grupp",), values)


# Segregationsbarometern's five area types run from 1 (great socio-economic challenges)
# to 5 (very good conditions); these cumulative shares roughly follow the real 2022 mix.
_AREA_TYPE_CUTS = (0.06, 0.19, 0.50, 0.80)


def area_type(d: Districts, regso_idx: Ints, n: int) -> RawTable:
    """SCB TAB6586 area type (1–5) per RegSO, 2015–2024, from the districts' deprivation."""
    pop = d.pop.astype(float)
    dep = mean_by(np.broadcast_to(d.dep[:, None], pop.shape), pop, regso_idx, n)
    # Rank RegSO by deprivation each year; the most deprived get type 1.
    share_below = (np.argsort(np.argsort(-dep, axis=0), axis=0) + 0.5) / n
    ranks = np.searchsorted(np.array(_AREA_TYPE_CUTS), share_below.ravel()).reshape(dep.shape)
    types: Floats = (1 + ranks).astype(np.float64)
    spec = DemoTable(
        "scb", "TAB6586", "Exempeldata: Socioekonomiskt index och områdestyp efter RegSO",
        tuple(str(y) for y in YEARS), ("regso",),
    )  # fmt: skip
    return RawTable(spec, ("000008IU",), ("{}",), ("klass",), types[..., None])
