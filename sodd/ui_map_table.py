"""The table alternative of a choropleth: every area's name, code, value and status.

Every map in sodd has one (WCAG 1.1.1: the map's information without seeing the map),
so Karta and the presenter's slides share this code.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sodd.formatting import format_value
from sodd.i18n import t
from sodd.indicators.catalog import Indicator


def render_value_table(areas: pd.DataFrame, indicator: Indicator, lang: str) -> None:
    """Show the map's areas as a sortable table; withheld values as ``..``.

    Parameters
    ----------
    areas
        ``MapView.areas``: ``region_code``, ``name``, ``value``, ``status``, ``note``.
    indicator
        The mapped indicator (unit and decimals of the values).
    lang
        ``"sv"`` or ``"en"``.
    """
    value_col = t("col_value", lang)
    table = pd.DataFrame(
        {
            t("col_name", lang): areas["name"],
            t("col_code", lang): areas["region_code"],
            value_col: areas["value"].where(areas["status"].isna()),
            t("col_status", lang): areas["note"],
        }
    )

    def show(value: object) -> str:
        if not isinstance(value, int | float) or pd.isna(value):
            return ".."
        return format_value(
            float(value),
            unit=indicator.unit,
            decimals=indicator.decimals,
            lang=lang,
            with_unit=False,
        )

    st.dataframe(table.style.format({value_col: show}), hide_index=True)
