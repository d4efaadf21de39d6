"""Swedish and English texts of the exports, registered with :mod:`sodd.i18n` at import."""

from __future__ import annotations

from sodd.i18n import register

TEXTS: dict[str, tuple[str, str]] = {
    "exp_title": ("Områdesprofil: {name}", "Area profile: {name}"),
    "exp_demo": (
        "Exempeldata – inte verklig statistik. Siffrorna är påhittade.",
        "Exempeldata – inte verklig statistik (synthetic demo data, not real statistics).",
    ),
    "exp_area": ("Område", "Area"),
    "exp_code": ("Kod", "Code"),
    "exp_level": ("Nivå", "Level"),
    "exp_vintage": ("Områdesindelning", "Area division"),
    "exp_kommun": ("Kommun", "Municipality"),
    "exp_lan": ("Län", "County"),
    "exp_exported": ("Exporterad", "Exported"),
    "exp_source": ("Källa", "Source"),
    "exp_sources": ("Källor", "Sources"),
    "exp_legend": ("Teckenförklaring", "Legend"),
    "exp_flag_rule": ("Markerade skillnader", "Marked differences"),
    "exp_flag_marker": (
        "* = skillnaden mot kommunen är markerad (se regeln under Källor).",
        "* = the difference to the municipality is marked (see the rule under Sources).",
    ),
    "exp_ckm": (
        "Från referensår 2025 skyddar SCB befolkningsstatistiken med Cell Key Method: "
        "varje värde kan vara slumpvis ändrat med några enheter, och delar summerar inte "
        "alltid till totalen.",
        "From reference year 2025 SCB protects population statistics with the Cell Key "
        "Method: each value may be randomly shifted by a few units, and parts need not add "
        "up to the total.",
    ),
    "exp_not_published": (
        "'..' betyder att uppgiften inte publiceras av sekretess- eller kvalitetsskäl.",
        "'..' means the figure is not published for confidentiality or quality reasons.",
    ),
    "exp_small_count": (
        "'<5' = kommunens egna antal under 5 (eller den gräns kommunen satt) visas inte, för "
        "att skydda enskilda; '..' kan då också dölja ett annat antal så att det lilla inte "
        "kan räknas fram ur summan.",
        "'<5' = the kommun's own counts below 5 (or the limit the kommun set) are not shown, "
        "to protect individuals; '..' may then also hide another count so that the small one "
        "cannot be worked out from the total.",
    ),
    "exp_fetched": ("hämtad {date}", "fetched {date}"),
    "exp_summary": ("Sammanfattning", "Summary"),
    "exp_conditions": ("Områdets sociala förutsättningar", "The area's social conditions"),
    "exp_children": ("Barnperspektiv (BKA)", "Child perspective (BKA)"),
    "exp_unknowns": ("Det vet vi inte", "What we do not know"),
    "exp_unknowns_none": (
        "Alla indikatorer har ett värde för området.",
        "Every indicator has a figure for the area.",
    ),
    "exp_own": ("Egna iakttagelser", "Own observations"),
    "exp_own_hint": (
        "Skriv här vad ni vet om området som statistiken inte visar (dialoger, "
        "platsbesök, verksamheternas erfarenheter).",
        "Write here what you know about the area that the statistics do not show "
        "(dialogues, site visits, the services' experience).",
    ),
    "exp_map": ("Karta: {name} i {kommun}", "Map: {name} in {kommun}"),
    "exp_page": ("Sida {page}", "Page {page}"),
    "exp_col_theme": ("Tema", "Theme"),
    "exp_col_id": ("Indikator-id", "Indicator id"),
    "exp_col_indicator": ("Indikator", "Indicator"),
    "exp_col_value": ("Värde", "Value"),
    "exp_col_unit": ("Enhet", "Unit"),
    "exp_col_status": ("Status", "Status"),
    "exp_col_period": ("Period", "Period"),
    "exp_col_level": ("Nivå", "Level"),
    "exp_col_kommun": ("Kommunen", "Municipality"),
    "exp_col_lan": ("Länet", "County"),
    "exp_col_riket": ("Riket", "Sweden"),
    "exp_col_flag": ("Skillnad mot kommunen", "Difference to municipality"),
    "exp_col_source": ("Källa", "Source"),
    "exp_col_table": ("Tabell", "Table"),
    "exp_col_fetched": ("Hämtad", "Fetched"),
    "exp_col_area": ("Området", "The area"),
    "exp_col_year": ("År", "Year"),
    "exp_metadata": ("Metadata", "Metadata"),
    "exp_demo_label": ("Exempeldata", "Demo data"),
    "exp_flag_word_higher": ("högre än kommunen", "higher than the municipality"),
    "exp_flag_word_lower": ("lägre än kommunen", "lower than the municipality"),
    "exp_data": ("Data", "Data"),
}

register(TEXTS)
