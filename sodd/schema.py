"""Column contracts shared by every layer, and the codes used in them.

See docs/decisions.md for why each table looks as it does.
"""

from __future__ import annotations

from typing import Final

# Geographic levels, finest first. A DeSO lies in a RegSO, which lies in a kommun,
# which lies in a län, which lies in riket.
LEVELS: Final = ("deso", "regso", "kommun", "lan", "riket")
LEVEL_NAMES_SV: Final = {
    "deso": "DeSO (demografiskt statistikområde)",
    "regso": "RegSO (regionalt statistikområde)",
    "kommun": "Kommun",
    "lan": "Län",
    "riket": "Riket",
    # Not in LEVELS: a user's own group of districts, outside the hierarchy.
    "custom": "Eget område",
}
LEVEL_NAMES_EN: Final = {
    "deso": "DeSO (demographic statistical area)",
    "regso": "RegSO (regional statistical area)",
    "kommun": "Municipality",
    "lan": "County",
    "riket": "Sweden",
    "custom": "Custom area",
}
# Short names for running text ("publiceras inte finare än kommun").
LEVEL_SHORT_SV: Final = {
    "deso": "DeSO",
    "regso": "RegSO",
    "kommun": "kommun",
    "lan": "län",
    "riket": "riket",
    "custom": "eget område",
}
LEVEL_SHORT_EN: Final = {
    "deso": "DeSO",
    "regso": "RegSO",
    "kommun": "municipality",
    "lan": "county",
    "riket": "Sweden",
    "custom": "custom area",
}
RIKET_CODE: Final = "00"
# A user's own area (a named group of DeSO or RegSO, see sodd.custom_areas). It is not
# in LEVELS, which is an ordered hierarchy; its values are computed from its members.
CUSTOM_LEVEL: Final = "custom"

# How providers are named to users (the store keeps the short lower-case id).
PROVIDER_NAMES: Final = {
    "scb": "SCB",
    "kolada": "Kolada",
    "boverket": "Boverket",
    "kronofogden": "Kronofogden",
    "socialstyrelsen": "Socialstyrelsen",
    "demo": "sodd (exempeldata)",
    "kommun": "Kommunen (egna uppgifter)",
    "sodd": "sodd (beräknat)",
}

# One row per published cell (long format).
OBSERVATION_COLUMNS: Final = (
    "provider",
    "table_id",
    "variable",
    "region_code",
    "geo_vintage",
    "level",
    "period",
    "dims",  # JSON text of the remaining dimension values, keys sorted
    "value",  # float, null where not published
    "status",  # null, or the symbol as published ('..', '.', ...)
    "unit",
    "fetched_at",
)

# One row per indicator, region and period.
INDICATOR_VALUE_COLUMNS: Final = (
    "indicator_id",
    "region_code",
    "geo_vintage",
    "level",
    "period",
    "value",
    "numerator",
    "denominator",
    "status",
    "provenance",
)

# GeoParquet, EPSG:4326.
REGION_COLUMNS: Final = (
    "region_code",
    "geo_vintage",
    "level",
    "name",
    "kommun_code",
    "lan_code",
    "parent_code",
    "geometry",
)

# Status codes carried by observations and indicator values. `None` means a value
# is shown. SCB's own symbols are kept as published; "few" is sodd's own rule
# (a share whose base is below the indicator's disclosure threshold is withheld).
STATUS_SUPPRESSED: Final = ".."
STATUS_NOT_APPLICABLE: Final = "."
STATUS_FEW: Final = "few"
# sodd's own: a published figure without a weight (a median, an area type) cannot be
# combined over the members of a custom area, so none is invented.
STATUS_NOT_AGGREGATABLE: Final = "not_aggregatable"


def small_count_status(minimum: int) -> str:
    """The status of the kommun's own count below ``minimum``: the symbol itself, ``"<5"``.

    Stored as the symbol (like SCB's ``..``) so every screen and export shows ``<5``
    without knowing the minimum that applied when the data was saved.
    """
    return f"<{minimum}"


def is_small_count_status(status: object) -> bool:
    """Whether ``status`` is a :func:`small_count_status` (``"<5"``, ``"<3"``, …)."""
    return isinstance(status, str) and status.startswith("<") and status[1:].isdigit()


STATUS_LABELS_SV: Final = {
    STATUS_SUPPRESSED: "uppgift saknas/skyddad",
    STATUS_NOT_APPLICABLE: "uppgift kan inte förekomma",
    STATUS_FEW: "för få för att redovisa",
    STATUS_NOT_AGGREGATABLE: "kan inte läggas samman för egna områden",
}
STATUS_LABELS_EN: Final = {
    STATUS_SUPPRESSED: "data missing/protected",
    STATUS_NOT_APPLICABLE: "not applicable",
    STATUS_FEW: "too few to report",
    STATUS_NOT_AGGREGATABLE: "cannot be combined for custom areas",
}

# SCB's kopplingstabell DeSO → RegSO, one row per DeSO (kind "crosswalk" in the store).
# ``vintage`` names the DeSO vintage ("2018": DeSO 2018 in RegSO 2020; "2025").
CROSSWALK_COLUMNS: Final = ("deso_code", "regso_code", "regso_name", "kommun_code", "vintage")

# What users write themselves (not statistics): goals with target levels, local-knowledge
# notes per area from workshops, and workshop agendas. Each is one small dataset whose
# rows are replaced whole on every save. Dates and times are ISO 8601 text.
GOAL_COLUMNS: Final = (
    "goal_id",
    "indicator_id",
    "region_code",
    "level",
    "geo_vintage",
    "target_value",  # float
    "direction",  # "at_most" (lower is the goal) or "at_least"
    "target_date",
    "baseline_period",
    "responsible",  # the nämnd that owns the goal
    "note",
    "created_at",
)
NOTE_COLUMNS: Final = (
    "note_id",
    "region_code",
    "level",
    "geo_vintage",
    "category",  # trygghet, motesplatser, service, boende, annat
    "text",
    "signature",
    "created_at",
)
AGENDA_COLUMNS: Final = (
    "agenda_id",
    "agenda_name",
    "position",  # the view's place in the agenda, as text ("1", "2", ...)
    "title",
    "page",  # url path of the page, e.g. "karta"
    "query",  # the view's query string, e.g. "kommun=1780&indikator=..."
    "created_at",
)
