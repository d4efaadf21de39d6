"""Accepted values of the kommun's own data: situations, sex, age, children, time, units.

Each table maps a folded spelling (:func:`sodd.sources.tabular.normalise_header`) to the
canonical value stored, so "Kvinnor", "kvinna" and "K" all become ``kvinnor``.
"""

from __future__ import annotations

from typing import Final

from sodd.housing_view import SITUATIONS
from sodd.sources.socialstyrelsen import SITUATION_NAMES_SV
from sodd.sources.tabular import normalise_header

TOTAL: Final = "totalt"


def _values(*pairs: tuple[str, tuple[str, ...]]) -> dict[str, str]:
    """Folded accepted spelling → canonical value."""
    table: dict[str, str] = {}
    for canonical, aliases in pairs:
        for alias in (canonical, *aliases):
            table[normalise_header(alias)] = canonical
    return table


SITUATION_NAMES: Final = {number: names[0] for number, names in SITUATIONS.items()}
SITUATION_VALUES: Final = _values(
    *(
        (n, (f"situation {n}", name, f"situation {n} {name}", long, f"situation {n} {long}"))
        for n, name in SITUATION_NAMES.items()
        for long in (SITUATION_NAMES_SV[n],)
    ),
    (TOTAL, ("alla", "samtliga", "summa", "total", "situation 1 4")),
)
SEX_VALUES: Final = _values(
    ("kvinnor", ("kvinna", "k", "flickor")),
    ("män", ("man", "m", "pojkar")),
    ("okänt", ("okand", "uppgift saknas", "annat")),
    (TOTAL, ("alla", "samtliga", "summa", "total", "bada")),
)
CHILDREN_VALUES: Final = _values(
    ("med barn", ("ja", "har barn", "med barn under 18 ar", "foralder")),
    ("utan barn", ("nej", "har inte barn", "utan barn under 18 ar")),
    ("okänt", ("okand", "uppgift saknas")),
    (TOTAL, ("alla", "samtliga", "summa", "total")),
)
TIME_VALUES: Final = _values(
    ("under 3 månader", ("mindre an 3 manader", "0 3 manader", "kortare an 3 manader")),
    ("3–6 månader", ("3 6 man",)),
    ("6–12 månader", ("6 12 man", "6 manader 1 ar")),
    ("1–3 år", ()),
    ("3–10 år", ()),
    ("över 10 år", ("mer an 10 ar", "langre an 10 ar", "10 ar eller mer")),
    ("okänd", ("okant", "uppgift saknas")),
    (TOTAL, ("alla", "samtliga", "summa", "total")),
)
AGE_BANDS: Final = ("18–24", "25–34", "35–44", "45–54", "55–64", "65+")
AGE_WORDS: Final = _values(("okänd", ("okant", "uppgift saknas")), (TOTAL, ("alla", "samtliga")))

INTERVENTIONS: Final = {
    "socialt_kontrakt": "Sociala kontrakt",
    "socialt_kontrakt_overtaget": "Sociala kontrakt som blivit förstahandskontrakt",
    "traningslagenhet": "Träningslägenheter",
    "bostad_forst": "Bostad först",
    "fortur": "Förtursbeslut",
    "akut_boende": "Akut boende",
    "vrakningsforebyggande": "Vräkningsförebyggande ärenden",
    "budget_skuldradgivning": "Budget- och skuldrådgivning om hyresskulder",
}
INTERVENTIONS_EN: Final = {
    "socialt_kontrakt": "Social contracts",
    "socialt_kontrakt_overtaget": "Social contracts that became first-hand contracts",
    "traningslagenhet": "Training flats",
    "bostad_forst": "Housing First",
    "fortur": "Priority housing decisions",
    "akut_boende": "Acute housing",
    "vrakningsforebyggande": "Eviction-prevention cases",
    "budget_skuldradgivning": "Budget and debt counselling on rent arrears",
}
# A part of another intervention (same area, period and unit): it may not exceed it.
INTERVENTION_PARTS: Final = {"socialt_kontrakt_overtaget": "socialt_kontrakt"}
INTERVENTION_VALUES: Final = _values(
    *((code, (name, code.replace("_", " "))) for code, name in INTERVENTIONS.items()),
    ("socialt_kontrakt", ("socialt kontrakt", "andrahandskontrakt")),
    ("socialt_kontrakt_overtaget", ("overtagna kontrakt", "overgang till forstahandskontrakt")),
    ("traningslagenhet", ("traningslagenhet", "forsokslagenhet", "forsokslagenheter")),
    ("fortur", ("fortur", "bostadsfortur", "forturer")),
    ("akut_boende", ("akutboende", "harbarge", "jourboende")),
    ("vrakningsforebyggande", ("vrakningsforebyggande arbete", "avhysningsforebyggande")),
    ("budget_skuldradgivning", ("budget och skuldradgivning", "skuldradgivning")),
)
INTERVENTION_UNITS: Final = _values(
    ("antal", ("st", "stycken")),
    ("hushåll", ()),
    ("personer", ("person",)),
    ("kontrakt", ()),
    ("lägenheter", ("lagenhet",)),
    ("beslut", ()),
    ("ärenden", ("arende",)),
    ("platser", ()),
    ("dygn", ("varddygn", "natter")),
)
# Own indicators use the catalog's units (so maps and profiles format them), not classes.
INDICATOR_UNITS: Final = _values(
    ("antal", ("st", "stycken")),
    ("personer", ("person",)),
    ("hushåll", ()),
    ("procent", ("andel", "andel procent")),
    ("tkr", ("tusen kronor",)),
    ("per_10000", ("per 10 000 invanare", "per 10000 invanare", "per 10 000 inv")),
    ("per_100000", ("per 100 000 invanare", "per 100000 invanare", "per 100 000 inv")),
    ("per_1000_hyresratter", ("per 1 000 hyresratter", "per 1000 hyresratter")),
)
COUNT_UNITS: Final = frozenset({"antal", "personer", "hushåll"})
