"""The statistical model behind the demo dataset: one latent score per district.

Every synthetic table is drawn from a few district traits, so the indicators
correlate the way real ones do: a *deprivation* score (lower income, more social
assistance, lower employment, more rentals, more foreign background, less
education) and an *urban* score (small districts lie in dense areas). National
levels are tuned to roughly match Sweden (low economic standard about 15 %,
employment 20–64 about 80 %, social assistance about 4 %, median economic
standard about 280 tkr in 2023). Counts are drawn as binomial/multinomial
samples so parts always sum to their totals.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

FIRST_YEAR = 2015
LAST_YEAR = 2024
YEARS = tuple(range(FIRST_YEAR, LAST_YEAR + 1))
AGE_CODES = (
    "-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44",
    "45-49", "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-",
)  # fmt: skip
# Swedish age structure around 2020, per cent, in AGE_CODES order.
_AGE_BASE = np.array(
    [5.6, 5.9, 6.0, 5.8, 5.9, 6.5, 6.9, 6.6, 6.2, 6.3, 6.5, 6.3, 5.7, 5.3, 5.3, 4.3, 5.2]
)
_CHILD = np.arange(17) < 4
_YOUNG = (np.arange(17) >= 4) & (np.arange(17) < 7)
_OLD = np.arange(17) >= 13


def dims_json(**dims: str) -> str:
    """Return the ``dims`` text of an observation: JSON with sorted keys."""
    return json.dumps(dims, sort_keys=True, ensure_ascii=False)


def expit(x: Floats) -> Floats:
    """Return the logistic function of ``x``."""
    out: Floats = 1.0 / (1.0 + np.exp(-x))
    return out


def logit(p: Floats) -> Floats:
    """Return the inverse of :func:`expit`."""
    out: Floats = np.log(p / (1.0 - p))
    return out


def softmax(logits: Floats) -> Floats:
    """Normalise the last axis of ``logits`` into probabilities."""
    z = np.exp(logits - logits.max(axis=-1, keepdims=True))
    out: Floats = z / z.sum(axis=-1, keepdims=True)
    return out


@dataclass(frozen=True)
class DemoTable:
    """One synthetic table of the demo dataset.

    Attributes
    ----------
    provider
        The real provider whose table it imitates (``"scb"``, ``"kolada"``, ...).
    table_id
        The real table's id (e.g. ``"TAB6574"``), as the indicator catalog names it.
    title
        Swedish title; always says that this is *Exempeldata*.
    periods
        The years it covers, as text (``"2015"``).
    levels
        The region levels it has values for, finest first.
    """

    provider: str
    table_id: str
    title: str
    periods: tuple[str, ...]
    levels: tuple[str, ...]


@dataclass
class RawTable:
    """A demo table's values at its finest level, before aggregation.

    ``values`` has shape (regions, periods, cells). A cell listed in ``weights``
    is a published value (share, median) rather than a count: higher levels get
    its weighted mean, weighted either by another cell of the table (an int) or
    by an array of shape (regions, periods). ``small_parts`` are cells shown as
    ``..`` wherever they are below 5 (SCB's rule); ``hidden`` marks (region,
    period) pairs suppressed at the finest level only.
    """

    spec: DemoTable
    variables: tuple[str, ...]
    dims: tuple[str, ...]
    units: tuple[str, ...]
    values: Floats
    weights: dict[int, int | Floats] = field(default_factory=dict)
    decimals: dict[int, int] = field(default_factory=dict)
    small_parts: tuple[int, ...] = ()
    hidden: Bools | None = None


@dataclass(frozen=True)
class Districts:
    """Latent traits and population of every demo district (DeSO), by year.

    Attributes
    ----------
    dep
        Deprivation score, about standard normal, spatially grouped by RegSO.
    urban
        0 (sparse countryside) to 1 (dense centre), from the district's area.
    ages
        Population by age group, shape (districts, years, 17), ``AGE_CODES`` order.
    """

    dep: Floats
    urban: Floats
    ages: Ints

    @property
    def pop(self) -> Ints:
        """Population per district and year."""
        out: Ints = self.ages.sum(axis=-1)
        return out

    def age_sum(self, first: int, stop: int) -> Ints:
        """Population in age groups ``first`` … ``stop - 1`` (indices into AGE_CODES)."""
        out: Ints = self.ages[..., first:stop].sum(axis=-1)
        return out


def draw_districts(
    area_km2: Floats, regso_idx: Ints, kommun_idx: Ints, rng: np.random.Generator
) -> Districts:
    """Draw the latent traits and the population of every district.

    Parameters
    ----------
    area_km2
        Area of each district in km²; small districts are taken to be urban.
    regso_idx, kommun_idx
        Index of each district's RegSO and kommun (0 … n-1).
    rng
        The random stream; the same stream gives the same districts.

    Returns
    -------
    Districts
        Traits and population by age for the years ``YEARS``.
    """
    n = len(area_km2)
    urban = np.clip((2.3 - np.log10(area_km2)) / 2.6, 0.0, 1.0)
    n_regso = int(regso_idx.max()) + 1
    regso_urban = np.bincount(regso_idx, urban, n_regso) / np.bincount(regso_idx, None, n_regso)
    # Dense RegSO vary more: segregation is sharper in towns than in the countryside.
    regso_effect = rng.normal(0.0, 1.0, n_regso) * (0.45 + 0.6 * regso_urban)
    kommun_effect = rng.normal(0.0, 0.35, int(kommun_idx.max()) + 1)
    raw = kommun_effect[kommun_idx] + regso_effect[regso_idx] + rng.normal(0.0, 0.45, n)
    dep = raw + 0.25 * np.clip(raw - 1.0, 0.0, None) * urban

    t = np.arange(len(YEARS), dtype=float)
    pop0 = np.clip(rng.lognormal(np.log(1600.0), 0.25, n), 750.0, 2500.0)
    growth = rng.normal(0.004 + 0.01 * urban, 0.006)
    pop = np.clip(np.round(pop0[:, None] * np.exp(growth[:, None] * t)), 700, 2700).astype(np.int64)
    old_effect = rng.normal(0.0, 0.2, n)
    u = (urban - 0.35)[:, None, None]
    d = dep[:, None, None]
    logits = (
        np.log(_AGE_BASE)
        + _CHILD * (0.2 * d - 0.3 * u)
        + _YOUNG * (0.9 * u + 0.1 * d)
        + _OLD * (-0.6 * u - 0.2 * d + old_effect[:, None, None] + 0.012 * t[None, :, None])
        + rng.normal(0.0, 0.03, (n, len(YEARS), 17))
    )
    ages = rng.multinomial(pop, softmax(logits)).astype(np.int64)
    return Districts(dep=dep, urban=urban, ages=ages)
