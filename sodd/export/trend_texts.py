"""Texts of the exports' peer-area and change columns, registered with :mod:`sodd.i18n`."""

from __future__ import annotations

from sodd.i18n import register

TEXTS: dict[str, tuple[str, str]] = {
    "exp_col_change": ("Förändring", "Change"),
    "exp_col_peer_name": ("Jämförelseområde", "Peer area"),
    "exp_col_peer_code": ("Jämförelseområdets kod", "Peer area code"),
    "exp_col_peer": ("Jämförelseområdet", "The peer area"),
    "exp_col_peer_flag": ("Skillnad mot jämförelseområdet", "Difference to the peer area"),
    "exp_peer_column": ("Jämförelseområde: {name}", "Peer area: {name}"),
    "exp_peer": ("Jämförelseområde", "Peer area"),
    "exp_peer_flag_word_higher": (
        "högre än jämförelseområdet",
        "higher than the peer area",
    ),
    "exp_peer_flag_word_lower": ("lägre än jämförelseområdet", "lower than the peer area"),
    "exp_peer_marker": (
        "* vid jämförelseområdets värde = området skiljer sig tydligt från jämförelseområdet.",
        "* at the peer area's value = the area clearly differs from the peer area.",
    ),
    "exp_trends": ("Utveckling över tid", "Trends over time"),
    "exp_trends_intro": (
        "Diagram för indikatorer med en markerad skillnad eller förändring och för "
        "barnperspektivet, högst {count} per tema. Ett år utan publicerat värde är ett "
        "avbrott i linjen, aldrig noll. Samma värden står i tabellen under diagrammet.",
        "Charts for indicators with a marked difference or change and for the child "
        "perspective, at most {count} per theme. A year without a published value is a "
        "break in the line, never zero. The same values are in the table below the chart.",
    ),
    "exp_chart_caption": (
        "{indicator} ({unit}), {first}–{last}. Källa: {source}.",
        "{indicator} ({unit}), {first}–{last}. Source: {source}.",
    ),
}

register(TEXTS)
