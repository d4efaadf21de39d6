"""Egna uppgifter → what is stored, with counts protected and the mapping beside official.

Per kind and period with source and upload date; the kommun's counts shown through
:mod:`sodd.disclosure`; the mapping per situation beside Socialstyrelsen's figures.
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from sodd import ui, ui_local_delete
from sodd.disclosure import format_protected, protect_counts, protection_legend
from sodd.formatting import format_timestamp
from sodd.i18n import register, t
from sodd.local.compare import beside_official
from sodd.local.consistency import DIMS
from sodd.local.store import load_local, stored_summary
from sodd.local.templates import (
    INTERVENTIONS,
    INTERVENTIONS_EN,
    KIND_NAMES_EN,
    KIND_NAMES_SV,
    SITUATION_NAMES,
    TOTAL,
    columns,
)

register(
    {
        "local_stored_heading": ("Sparade egna uppgifter", "Stored own data"),
        "local_stored_none": (
            "Inga egna uppgifter är sparade för {kommun} ännu.",
            "No own data is stored for {kommun} yet.",
        ),
        "local_col_kind": ("Uppgifter", "Data"),
        "local_col_period": ("Period", "Period"),
        "local_col_name": ("Namn", "Name"),
        "local_col_source": ("Källa", "Source"),
        "local_col_uploaded": ("Uppladdad", "Uploaded"),
        "local_col_rows": ("Rader", "Rows"),
        "local_counts_heading": ("{kind} {period}", "{kind} {period}"),
        "local_counts_period": ("Period att visa", "Period to show"),
        "local_beside_heading": (
            "Kommunens kartläggning bredvid Socialstyrelsens",
            "The kommun's mapping beside Socialstyrelsen's",
        ),
        "local_col_situation": ("Situation", "Situation"),
        "local_col_own": ("Kommunens kartläggning", "The kommun's mapping"),
        "local_col_official": ("Socialstyrelsen", "Socialstyrelsen"),
        "local_beside_note": (
            "Socialstyrelsens siffror kommer från deras kartläggning (vart sjätte år); "
            "kommunens egna från {source}. Tomt betyder att uppgiften saknas det året.",
            "Socialstyrelsen's figures come from its national mapping (every six years); "
            "the kommun's own from {source}. Empty means no figure that year.",
        ),
        "local_all_situations": ("Situation 1–4 totalt", "Situations 1–4 in total"),
    }
)


def render_stored(kommun: str, kommun_name: str, lang: str) -> None:
    """What the store holds of the kommun's own data, and the mapping beside official."""
    st.subheader(t("local_stored_heading", lang))
    ui_local_delete.show_done()
    store = ui.get_store()
    summary = stored_summary(store)
    summary = summary.loc[summary["kommun_code"] == kommun]
    if summary.empty:
        st.info(t("local_stored_none", lang, kommun=kommun_name))
        return
    kinds = KIND_NAMES_EN if lang == "en" else KIND_NAMES_SV
    st.dataframe(
        pd.DataFrame(
            {
                t("local_col_kind", lang): summary["kind"].map(kinds),
                t("local_col_period", lang): summary["period"],
                t("local_col_name", lang): summary["name"],
                t("local_col_source", lang): summary["source"],
                t("local_col_uploaded", lang): summary["uploaded_at"].map(
                    lambda value: format_timestamp(str(value), lang)
                ),
                t("local_col_rows", lang): summary["rows"].astype(str),
            }
        ),
        hide_index=True,
    )
    ui_local_delete.render_delete(summary, lang)
    minimum = ui.get_settings().disclosure_min
    for kind in ("kartlaggning", "insatser"):
        rows = load_local(store, kind)
        rows = rows.loc[rows["kommun_code"] == kommun]
        if not rows.empty:
            _counts(kind, rows, minimum, lang)
    st.caption(protection_legend(minimum, lang))
    _beside(kommun, minimum, lang)


def protected_counts(kind: str, rows: pd.DataFrame, minimum: int, lang: str) -> pd.DataFrame:
    """Stored counts of one kind and period as shown: small ones ``<N``, revealing ones ``..``.

    Parameters
    ----------
    kind
        ``kartlaggning`` or ``insatser``.
    rows
        Stored observations of that kind (one period, one kommun).
    minimum
        ``Settings.disclosure_min``.
    lang
        ``"sv"`` or ``"en"``.

    Returns
    -------
    pandas.DataFrame
        Area code, the kind's dimensions (template headers) and the formatted count.
    """
    dims = pd.DataFrame([json.loads(text) for text in rows["dims"]], index=rows.index)
    if kind == "insatser":
        names = INTERVENTIONS_EN if lang == "en" else INTERVENTIONS
        dims["insats"] = rows["variable"].map(lambda code: names.get(code, code))
    keys = list(DIMS[kind])
    frame = pd.concat([rows[["region_code", "period"]], dims[keys], rows[["value"]]], axis=1)
    marks = protect_counts(frame, value="value", dims=keys, minimum=minimum, total_label=TOTAL)
    headers = {column.key: column.header for column in columns(kind)}
    shown = frame.drop(columns=["value", "period"]).rename(
        columns={"region_code": headers["region"], **{k: headers[k] for k in keys}}
    )
    shown[headers["value"]] = [
        format_protected(value, mark, minimum, lang)
        for value, mark in zip(frame["value"], marks, strict=True)
    ]
    return shown.reset_index(drop=True).astype(str)


def _counts(kind: str, rows: pd.DataFrame, minimum: int, lang: str) -> None:
    periods = sorted(rows["period"].unique(), reverse=True)
    kinds = KIND_NAMES_EN if lang == "en" else KIND_NAMES_SV
    period = st.selectbox(
        f"{kinds[kind]}: {t('local_counts_period', lang)}", periods, key=f"local_period_{kind}"
    )
    st.markdown(f"**{t('local_counts_heading', lang, kind=kinds[kind], period=period)}**")
    chosen = rows.loc[rows["period"] == period]
    st.dataframe(protected_counts(kind, chosen, minimum, lang), hide_index=True)


def _beside(kommun: str, minimum: int, lang: str) -> None:
    mapping = load_local(ui.get_store(), "kartlaggning")
    if mapping.empty or not (mapping["kommun_code"] == kommun).any():
        return
    official = ui.get_store().read(
        "observations",
        filters=[("provider", "==", "socialstyrelsen"), ("region_code", "==", kommun)],
    )
    table = beside_official(mapping, official, kommun, minimum=minimum)
    if table.empty:
        return
    st.subheader(t("local_beside_heading", lang))
    situation = table["situation"].map(
        lambda s: t("local_all_situations", lang) if s == TOTAL else f"{s}. {SITUATION_NAMES[s]}"
    )
    st.dataframe(
        pd.DataFrame(
            {
                t("year", lang): table["period"],
                t("local_col_situation", lang): situation,
                t("local_col_own", lang): [
                    format_protected(v, m, minimum, lang)
                    for v, m in zip(table["own"], table["own_protection"], strict=True)
                ],
                t("local_col_official", lang): [
                    format_protected(v, None, minimum, lang) for v in table["official"]
                ],
            }
        ),
        hide_index=True,
    )
    source = str(mapping.loc[mapping["kommun_code"] == kommun, "source"].iloc[-1])
    st.caption(t("local_beside_note", lang, source=source))
