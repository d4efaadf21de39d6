"""Interface text in Swedish (default) and English.

One table keeps both languages side by side so a missing translation shows up in review
and in the test that checks every key has both.
"""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "app_title": ("sodd – sociala områdesbeskrivningar", "sodd – social area descriptions"),
    "page_map": ("Karta", "Map"),
    "page_profile": ("Områdesprofil", "Area profile"),
    "page_sources": ("Datakällor", "Data sources"),
    "page_goals": ("Mål och uppföljning", "Goals and follow-up"),
    "page_local": ("Egna uppgifter", "Own data"),
    "page_present": ("Presentera", "Present"),
    "page_housing": ("Bostadslöshet och avhysningar", "Homelessness and evictions"),
    "language": ("Språk / Language", "Språk / Language"),
    "demo_banner": (
        "Exempeldata – inte verklig statistik. Områdena och siffrorna är påhittade för att "
        "visa hur sodd fungerar.",
        "Exempeldata – inte verklig statistik (synthetic demo data, not real statistics). "
        "The areas and figures are invented to show how sodd works.",
    ),
    "store_empty": (
        "Datalagret är tomt. Kör `sodd demo` för exempeldata eller hämta statistik.",
        "The data store is empty. Run `sodd demo` for demo data or fetch statistics.",
    ),
    "area_scope": ("Område att visa", "Area to show"),
    "scope_kommun": ("En kommun", "A municipality"),
    "scope_lan": ("Ett län", "A county"),
    "scope_riket": ("Hela Sverige", "All of Sweden"),
    "choose_kommun": ("Kommun", "Municipality"),
    "choose_lan": ("Län", "County"),
    "level": ("Nivå", "Level"),
    "theme": ("Tema", "Theme"),
    "indicator": ("Indikator", "Indicator"),
    "year": ("År", "Year"),
    "classification": ("Klassindelning", "Classification"),
    "class_quantiles": ("Kvantiler", "Quantiles"),
    "class_natural_breaks": ("Naturliga brytpunkter", "Natural breaks"),
    "class_equal_interval": ("Lika intervall", "Equal intervals"),
    "legend": ("Teckenförklaring", "Legend"),
    "legend_missing": ("uppgift saknas/skyddad", "data missing/protected"),
    "no_values": (
        "Det finns inga värden för {indicator} på nivån {level} år {year}.",
        "There are no values for {indicator} at level {level} in {year}.",
    ),
    "no_values_scope": (
        "Datalagret har inga värden för {indicator} på nivån {level} i {scope}. Välj en "
        "annan kommun eller hämta statistik för den (`sodd refresh scb`).",
        "The store has no values for {indicator} at level {level} in {scope}. Pick another "
        "area or fetch statistics for it (`sodd refresh scb`).",
    ),
    "refresh_heading": ("Uppdatera statistik från SCB", "Update statistics from SCB"),
    "refresh_intro": (
        "Hämtar katalogens SCB-tabeller för DeSO och RegSO (och kommunen, länet och riket "
        "som jämförelse) från {url}. Tabeller som SCB inte har ändrat hämtas inte igen. "
        "Exempeldata tas bort när verklig statistik sparas.",
        "Fetches the catalog's SCB tables for DeSO and RegSO (and the kommun, county and "
        "Sweden for comparison) from {url}. Tables SCB has not changed are not fetched "
        "again. Demo data is removed when real statistics are stored.",
    ),
    "refresh_area": ("Kommun eller län", "Municipality or county"),
    "refresh_from": ("Från år", "From year"),
    "refresh_with_geo": (
        "Hämta även områdesgränser (DeSO och RegSO)",
        "Also fetch area boundaries (DeSO and RegSO)",
    ),
    "refresh_button": ("Uppdatera", "Update"),
    "refresh_pick_area": (
        "Välj en kommun eller ett län som passar valet ovan.",
        "Pick a municipality or county matching the choice above.",
    ),
    "refresh_starting": ("Startar …", "Starting …"),
    "refresh_done": ("Klart.", "Done."),
    "col_result": ("Resultat", "Result"),
    "col_requests": ("Anrop", "Requests"),
    "col_message": ("Kommentar", "Comment"),
    "lowest_level_note": (
        "{indicator} publiceras inte finare än {level}.",
        "{indicator} is not published below {level}.",
    ),
    "table_alternative": ("Tabell med samma värden", "Table with the same values"),
    "col_name": ("Område", "Area"),
    "col_code": ("Kod", "Code"),
    "col_value": ("Värde", "Value"),
    "col_status": ("Anmärkning", "Note"),
    "open_profile": ("Öppna områdesprofil", "Open area profile"),
    "map_click_hint": (
        "Klicka på ett område i kartan eller välj det nedan för att öppna dess profil.",
        "Click an area on the map or pick it below to open its profile.",
    ),
    "need_high": ("Högre värde tyder på större behov.", "A higher value signals greater need."),
    "need_low": ("Lägre värde tyder på större behov.", "A lower value signals greater need."),
    "need_neutral": (
        "Indikatorn beskriver området; högt eller lågt är inte i sig ett behov.",
        "The indicator describes the area; high or low is not a need in itself.",
    ),
    "source": ("Källa", "Source"),
    "search_area": ("Sök område (namn eller kod)", "Search area (name or code)"),
    "profile_heading": ("Profil för {name}", "Profile of {name}"),
    "profile_level": ("Nivå: {level}. Kod: {code}.", "Level: {level}. Code: {code}."),
    "profile_year": ("Senaste år", "Latest year"),
    "col_indicator": ("Indikator", "Indicator"),
    "col_area": ("Området", "The area"),
    "col_kommun": ("Kommunen", "Municipality"),
    "col_lan": ("Länet", "County"),
    "col_riket": ("Riket", "Sweden"),
    "col_year": ("År", "Year"),
    "col_trend": ("Utveckling", "Trend"),
    "col_source": ("Källa", "Source"),
    "suppressed_explanation": (
        "'..' betyder att uppgiften saknas eller är skyddad av sekretesskäl (för få personer "
        "eller hushåll). '–' betyder att underlaget är för litet för att sodd ska visa en andel. "
        "Dolda värden räknas aldrig fram ur andra värden.",
        "'..' means the figure is missing or protected for confidentiality (too few persons "
        "or households). '–' means the base is too small for sodd to show a share. Hidden "
        "values are never derived from other figures.",
    ),
    "no_area": ("Välj ett område för att se dess profil.", "Pick an area to see its profile."),
    "sources_intro": (
        "Varje datamängd i datalagret, med leverantör, tabell, perioder, hämtningstid "
        "och antal rader.",
        "Every dataset in the store, with provider, table, periods, fetch time and row count.",
    ),
    "col_dataset": ("Datamängd", "Dataset"),
    "col_provider": ("Leverantör", "Provider"),
    "col_table": ("Tabell", "Table"),
    "col_periods": ("Perioder", "Periods"),
    "col_fetched": ("Hämtad", "Fetched"),
    "col_rows": ("Rader", "Rows"),
    "col_demo": ("Exempeldata", "Demo data"),
    "col_kind": ("Typ", "Kind"),
    "yes": ("ja", "yes"),
    "no": ("nej", "no"),
    "store_generation": (
        "Datalagrets version {generation}, senast uppdaterad {updated}.",
        "Store version {generation}, last updated {updated}.",
    ),
    "summary_range": (
        "{indicator} {year}: lägst i {low_name} ({low}) och högst i {high_name} ({high}) "
        "bland {count} områden på nivån {level}.",
        "{indicator} {year}: lowest in {low_name} ({low}) and highest in {high_name} ({high}) "
        "among {count} areas at level {level}.",
    ),
    "summary_reference": ("{name} som helhet: {value}.", "{name} as a whole: {value}."),
    "summary_missing": (
        "{count} områden saknar värde (skyddat eller för litet underlag).",
        "{count} areas have no value (protected or too small a base).",
    ),
    "summary_missing_one": (
        "Ett område saknar värde (skyddat eller för litet underlag).",
        "One area has no value (protected or too small a base).",
    ),
    "no_regions": (
        "Datalagret har inga områden att välja bland ännu.",
        "The store has no areas to choose from yet.",
    ),
    "no_polygons": (
        "Det finns inga områdesgränser för dessa områden i datalagret (hämta dem med "
        "`sodd refresh geo`). Värdena finns i tabellen nedan.",
        "The store has no boundaries for these areas (fetch them with `sodd refresh geo`). "
        "The values are in the table below.",
    ),
    "vintage_note": ("Områdesindelning: {level} {vintage}.", "Area division: {level} {vintage}."),
    "only_level": ("finns för {level}", "published for {level}"),
    "kind_observations": ("observationer", "observations"),
    "kind_indicator_values": ("indikatorvärden", "indicator values"),
    "kind_regions": ("områden", "areas"),
    "kind_goals": ("mål", "goals"),
    "kind_notes": ("lokala iakttagelser", "local notes"),
    "kind_agendas": ("workshopagendor", "workshop agendas"),
    "col_age": ("Ålder", "Age"),
    "age_days": ("{days} dagar", "{days} days"),
    "age_today": ("i dag", "today"),
    "error_heading": ("Något gick fel", "Something went wrong"),
}


def register(texts: dict[str, tuple[str, str]]) -> None:
    """Add a feature module's interface texts (Swedish, English) to :data:`TEXTS`.

    Feature modules keep their own texts beside their code and register them at import,
    so several features can grow without editing one shared table. A key may be
    registered once; a clash is a programming error.

    Raises
    ------
    ValueError
        When a key is already registered with other texts.
    """
    for key, pair in texts.items():
        if key in TEXTS and TEXTS[key] != pair:
            raise ValueError(f"text key {key!r} is registered twice")
        TEXTS[key] = pair


def t(key: str, lang: str = "sv", **values: object) -> str:
    """Return the interface text for ``key`` in ``lang``, with ``{placeholders}`` filled in.

    Parameters
    ----------
    key
        Key in :data:`TEXTS`.
    lang
        ``"sv"`` or ``"en"``; anything else falls back to Swedish.
    **values
        Values for the placeholders.

    Returns
    -------
    str
        The text.
    """
    swedish, english = TEXTS[key]
    text = english if lang == "en" else swedish
    return text.format(**values) if values else text
