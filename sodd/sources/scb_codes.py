"""SCB region codes: which level and vintage a code belongs to, and how to query it.

Statistikdatabasen spells DeSO 2025 and RegSO 2025 codes with a suffix
(``0114A0010_DeSO2025``, ``0114R001_RegSO2025``) while the older vintages and
the WFS layers use the plain code. sodd stores the plain code plus a
``geo_vintage`` column and adds the suffix back only when it asks SCB
(data-sources §1.1–1.2). Pure functions, no I/O.
"""

from __future__ import annotations

import re
from typing import Final

from sodd.errors import SourceError
from sodd.schema import RIKET_CODE

# (pattern, level, vintage); the first match wins. DeSO: kommun + A/B/C + 4 digits;
# RegSO: kommun + R + 3 digits (data-sources §1.1).
_PATTERNS: Final = (
    (re.compile(r"\d{4}[ABC]\d{4}"), "deso", "2018"),
    (re.compile(r"(\d{4}[ABC]\d{4})_DeSO2025"), "deso", "2025"),
    (re.compile(r"\d{4}R\d{3}"), "regso", "2020"),
    (re.compile(r"(\d{4}R\d{3})_RegSO2025"), "regso", "2025"),
    (re.compile(r"\d{4}"), "kommun", ""),
    (re.compile(r"\d{2}"), "lan", ""),
)
_SUFFIX: Final = {("deso", "2025"): "_DeSO2025", ("regso", "2025"): "_RegSO2025"}


def classify_region_code(code: str) -> tuple[str, str, str]:
    """Split an SCB region code into plain code, level and geographic vintage.

    Parameters
    ----------
    code
        A value code of the ``Region`` variable as SCB publishes it, e.g. ``"00"``,
        ``"17"``, ``"1780"``, ``"1780C1010"``, ``"1780C1010_DeSO2025"``,
        ``"1780R001"`` or ``"1780R001_RegSO2025"``.

    Returns
    -------
    tuple of str
        ``(plain_code, level, geo_vintage)``: level is one of ``riket``, ``lan``,
        ``kommun``, ``deso``, ``regso``; the vintage is ``"2018"``/``"2025"`` for
        DeSO, ``"2020"``/``"2025"`` for RegSO and ``""`` for the other levels.

    Raises
    ------
    SourceError
        When the code has none of SCB's region code forms (the message names it).
    """
    if not isinstance(code, str):
        raise SourceError(f"Regionkoden {code!r} är inte text; SCB:s regionkoder är text.")
    if code == RIKET_CODE:
        return RIKET_CODE, "riket", ""
    for pattern, level, vintage in _PATTERNS:
        match = pattern.fullmatch(code)
        if match:
            plain = match.group(1) if match.groups() else code
            return plain, level, vintage
    raise SourceError(
        f"Okänd regionkod {code!r} från SCB: väntade riket (00), län (2 siffror), kommun "
        "(4 siffror), DeSO (t.ex. 1780C1010, 1780C1010_DeSO2025) eller RegSO "
        "(t.ex. 1780R001, 1780R001_RegSO2025)."
    )


def query_region_code(plain_code: str, level: str, geo_vintage: str) -> str:
    """Return the code to send to SCB for a stored region (the inverse of classification).

    Parameters
    ----------
    plain_code
        The region code as stored, without suffix (``"1780C1010"``).
    level
        ``riket``, ``lan``, ``kommun``, ``deso`` or ``regso``.
    geo_vintage
        ``"2018"``/``"2025"`` for DeSO, ``"2020"``/``"2025"`` for RegSO, ``""`` otherwise.

    Returns
    -------
    str
        The code with ``_DeSO2025``/``_RegSO2025`` added for the 2025 vintages,
        otherwise the plain code.

    Raises
    ------
    SourceError
        When code, level and vintage do not fit together (e.g. a kommun code with
        level ``deso``), so a wrong query is never sent.
    """
    code = plain_code + _SUFFIX.get((level, geo_vintage), "")
    try:
        fits = classify_region_code(code) == (plain_code, level, geo_vintage)
    except SourceError:
        fits = False
    if not fits:
        raise SourceError(
            f"Regionkoden {plain_code!r} passar inte ihop med nivån {level!r} och "
            f"indelningsåret {geo_vintage!r}."
        )
    return code
