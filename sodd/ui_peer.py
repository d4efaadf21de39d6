"""The profile page's peer area ("Jämför med område") and its table cells (Streamlit).

Any area in the store can be the peer: a district of the same kind in another kommun, a
RegSO, a kommun or a custom area. Levels are not restricted because planners compare
across them ("our area against the kommun next door's centre"); each value is still
compared year by year, and the two-sample rule of :mod:`sodd.profile_trends` judges the
difference. The choice lives in the link as ``jamfor=<level>:<vintage>:<code>``.
"""

from __future__ import annotations

import streamlit as st

from sodd.formatting import format_value
from sodd.i18n import register, t
from sodd.profile import AreaProfile, ProfileRow
from sodd.profile_trends import change_text

QUERY_KEY = "jamfor"
STATE_KEY = "profile_peer"

register(
    {
        "peer_pick": ("Jämför med område", "Compare with area"),
        "peer_help": (
            "Valfritt: ett annat område (vilken nivå som helst, även ett eget område) som "
            "visas som en egen kolumn bredvid kommunen, länet och riket, i tabellerna och i "
            "alla nedladdningar.",
            "Optional: another area (any level, a custom area too) shown as its own column "
            "beside the municipality, county and Sweden, in the tables and in every download.",
        ),
        "peer_column": ("Jämförelseområde: {name}", "Peer area: {name}"),
        "peer_marker": (
            "* vid jämförelseområdets värde = området skiljer sig tydligt från "
            "jämförelseområdet (regeln står under Sammanfattning).",
            "* at the peer area's value = the area clearly differs from the peer area (the "
            "rule is under Summary).",
        ),
        "change_column": ("Förändring", "Change"),
    }
)


def parse_key(key: str | None) -> tuple[str, str, str | None] | None:
    """``level:vintage:code`` → ``(code, level, vintage or None)``; ``None`` when malformed."""
    if not key or key.count(":") < 2:
        return None
    level, vintage, code = key.split(":", 2)
    return (code, level, vintage or None) if code and level else None


def pick_peer(labels: dict[str, str], chosen: str, lang: str) -> str | None:
    """Show the "Jämför med område" selectbox and keep ``jamfor`` in the link.

    Parameters
    ----------
    labels
        Selectbox key ``level:vintage:code`` → label, as for the area itself.
    chosen
        The key of the area shown (left out of the options).
    lang
        Interface language.

    Returns
    -------
    str or None
        The key of the peer area, or ``None`` when none is picked.
    """
    options = [key for key in labels if key != chosen]
    raw = st.query_params.get(QUERY_KEY)
    # The parameter may list several areas (comma-separated); this page shows the first.
    wanted = raw.split(",")[0] if raw else None
    seen = STATE_KEY + "_seen"
    if wanted in options and st.session_state.get(seen) != wanted:
        # A link names the peer: show it once, then leave later picks alone.
        st.session_state[STATE_KEY] = wanted
        st.session_state[seen] = wanted
    if st.session_state.get(STATE_KEY) not in (None, *options):
        st.session_state[STATE_KEY] = None
    peer = st.selectbox(
        t("peer_pick", lang),
        options,
        format_func=labels.__getitem__,
        index=None,
        key=STATE_KEY,
        help=t("peer_help", lang),
    )
    if peer is None:
        if QUERY_KEY in st.query_params:
            del st.query_params[QUERY_KEY]
    else:
        st.query_params[QUERY_KEY] = peer
    return peer


def peer_cells(row: ProfileRow, profile: AreaProfile, lang: str) -> dict[str, str]:
    """The page table's peer column (``*`` when marked); empty without a peer."""
    if profile.peer is None:
        return {}
    figure = row.comparators.get("peer")
    text = ""
    if figure is not None:
        ind = row.indicator
        text = format_value(
            figure.value, unit=ind.unit, decimals=ind.decimals, status=figure.status, lang=lang
        )
        text += " *" if row.peer_flag else ""
    return {t("peer_column", lang, name=profile.peer.name): text}


def change_cells(row: ProfileRow, lang: str) -> dict[str, str]:
    """The page table's "Förändring" column: ``↑ ökat 2019–2024``, no clear change, or blank."""
    return {t("change_column", lang): change_text(row.change, lang)}


def render_peer_caption(profile: AreaProfile, lang: str) -> None:
    """Explain the peer column's ``*`` (only when a peer is shown)."""
    if profile.peer is not None:
        st.caption(t("peer_marker", lang))
