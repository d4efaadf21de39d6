"""Texts of the social report (Swedish and English), registered with :mod:`sodd.i18n`."""

from __future__ import annotations

from sodd.i18n import register

TEXTS: dict[str, tuple[str, str]] = {
    "rep_title": ("Social rapport: {kommun}", "Social report: {kommun}"),
    "rep_kommun": ("Kommun", "Municipality"),
    "rep_districts": ("Områden", "Districts"),
    "rep_district_count": (
        "{count} {level} (indelning {vintage})",
        "{count} {level} (division {vintage})",
    ),
    "rep_intro": (
        "Rapporten jämför kommunens {parts} med varandra och med kommunen som helhet, "
        "indikator för indikator, i det senaste år som finns i datalagret.",
        "The report compares the municipality's {parts} with each other and with the "
        "municipality as a whole, indicator by indicator, in the latest year in the store.",
    ),
    "rep_and": ("och", "and"),
    "rep_differences": (
        "Var är de strukturella skillnaderna störst?",
        "Where are the structural differences largest?",
    ),
    "rep_ranking_rule": (
        "Så rangordnas indikatorerna: för varje indikator tas områdena på den finaste "
        "nivån (DeSO före RegSO). Måttet är kvoten mellan 90:e och 10:e percentilen av "
        "områdenas värden (linjär interpolation): hur många gånger högre värdet är i det "
        "område som har högre värde än 90 % av områdena jämfört med det som har högre än "
        "10 %. Indikatorer där 10:e percentilen är 0 saknar kvot och kommer sist, ordnade "
        "efter skillnaden. Antal (t.ex. folkmängd) följer områdets storlek och rangordnas inte.",
        "How the indicators are ranked: each indicator is taken at its finest level (DeSO "
        "before RegSO). The measure is the ratio of the 90th to the 10th percentile of the "
        "district values (linear interpolation). Indicators whose 10th percentile is 0 have "
        "no ratio and come last, by the difference. Counts (such as population) follow a "
        "district's size and are not ranked.",
    ),
    "rep_ranking_sentence": (
        "{name}: från {p10} till {p90} mellan 10:e och 90:e percentilen{times}. "
        "Lägst i {low} ({low_value}), högst i {high} ({high_value}).",
        "{name}: from {p10} to {p90} between the 10th and 90th percentile{times}. "
        "Lowest in {low} ({low_value}), highest in {high} ({high_value}).",
    ),
    "rep_times": (", {ratio} gånger så högt", ", {ratio} times as high"),
    "rep_far": (
        "Vilka områden skiljer sig från kommunen på flera indikatorer samtidigt?",
        "Which districts differ from the municipality on several indicators at once?",
    ),
    "rep_far_rule": (
        "Så räknas det: bara indikatorer där ett högt (eller lågt) värde visar behov räknas, "
        "och bara avvikelser åt behovshållet. En andel med känd täljare och nämnare räknas "
        "när skillnaden mot kommunen är markerad enligt områdesprofilens regel (se nedan). "
        "Ett publicerat värde utan känd bas (SCB:s andelar, medianer) räknas när det ligger "
        "utanför kommunens 10–90 %-intervall av områdenas värden. Områden med minst {min} "
        "sådana indikatorer listas.",
        "How it is counted: only indicators where a high (or low) value shows need count, "
        "and only differences on the need side. A share with known numerator and "
        "denominator counts when its difference to the municipality is marked by the area "
        "profile's rule (below). A published value without a known base (SCB's shares, "
        "medians) counts when it lies outside the municipality's 10–90 % range of district "
        "values. Districts with at least {min} such indicators are listed.",
    ),
    "rep_far_sentence": (
        "{name} ({code}) skiljer sig från kommunen på {count} indikatorer: {which}.",
        "{name} ({code}) differs from the municipality on {count} indicators: {which}.",
    ),
    "rep_far_none": (
        "Inget {level} skiljer sig från kommunen på {min} eller fler indikatorer.",
        "No {level} differs from the municipality on {min} or more indicators.",
    ),
    "rep_area_types": ("Områdestyper", "Area types"),
    "rep_area_type_sentence": (
        "{count} av {total} RegSO är {label} (typ {number}).",
        "{count} of {total} RegSO are {label} (type {number}).",
    ),
    "rep_area_type_year": (
        "SCB:s områdestyp för RegSO, senaste år: {period}.",
        "Statistics Sweden's area type for RegSO, latest year: {period}.",
    ),
    "rep_trends": ("Utvecklingen i kommunen", "Trends in the municipality"),
    "rep_trend_rule": (
        "Indikatorerna är ordnade efter hur mycket kommunens värde har ändrats mellan "
        "första och senaste året i datalagret, räknat i procent av det första värdet. "
        "Antal som är under 20 båda åren kommer sist, eftersom en procentuell förändring "
        "av så små tal mest är slump. Ändringen visas i indikatorns enhet (procentenheter "
        "för andelar).",
        "The indicators are ordered by how much the municipality's value changed between "
        "the first and the latest year in the store, as a percentage of the first value. "
        "Counts below 20 in both years come last, since a percentage change of such small "
        "numbers is mostly chance. The change is shown in the indicator's unit "
        "(percentage points for shares).",
    ),
    "rep_trend_sentence": (
        "{name}: {first_year} {first}, {last_year} {last} – en förändring med {change}.",
        "{name}: {first_year} {first}, {last_year} {last} – a change of {change}.",
    ),
    "rep_trends_none": (
        "Datalagret har inte två år för någon indikator i kommunen.",
        "The store does not have two years of any indicator for the municipality.",
    ),
    "rep_spreads": ("Alla indikatorer per område", "Every indicator by district"),
    "rep_spreads_level": ("Spridning mellan {level}", "Spread between {level}"),
    "rep_withheld": (
        "{count} områden har '..' (visas inte) för {name} och är inte med i spridningen.",
        "{count} districts have '..' (not shown) for {name} and are not in the spread.",
    ),
    "rep_col_rank": ("Nr", "No."),
    "rep_col_indicator": ("Indikator", "Indicator"),
    "rep_col_kommun": ("Kommun", "Municipality"),
    "rep_col_lowest": ("Lägst (område)", "Lowest (district)"),
    "rep_col_highest": ("Högst (område)", "Highest (district)"),
    "rep_col_p10": ("10:e perc.", "10th perc."),
    "rep_col_p90": ("90:e perc.", "90th perc."),
    "rep_col_ratio": ("Kvot", "Ratio"),
    "rep_col_year": ("År", "Year"),
    "rep_col_level": ("Nivå", "Level"),
    "rep_col_district": ("Område", "District"),
    "rep_col_count": ("Antal", "Count"),
    "rep_col_which": ("Indikatorer", "Indicators"),
    "rep_col_type": ("Typ", "Type"),
    "rep_col_regso": ("RegSO", "RegSO"),
    "rep_col_first": ("Första år", "First year"),
    "rep_col_last": ("Senaste år", "Latest year"),
    "rep_col_change": ("Förändring", "Change"),
    "rep_pp": ("procentenheter", "percentage points"),
}

register(TEXTS)
