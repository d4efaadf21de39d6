"""sodd entry point: page config, shared sidebar and navigation. Run with `make run`."""

import streamlit as st

from sodd import ui
from sodd.i18n import t

# An emoji icon is drawn inline; a ":material/…:" page icon is fetched from Google's font
# server by Streamlit's browser code, which breaks the "no network but the sources" rule.
st.set_page_config(page_title="sodd", page_icon="🗺️", layout="wide")

lang = ui.render_chrome()
# The page files live in views/, not pages/: Streamlit 1.67 runs a pages/ folder in its
# legacy multipage mode until st.navigation has run once, so on a fresh server a direct
# link (a shared workshop link) would open the page without this file's sidebar and
# language setting, or show "Page not found". See docs/decisions.md.
pages = [
    st.Page(
        "views/karta.py",
        title=t("page_map", lang),
        icon=":material/map:",
        url_path="karta",
        default=True,
    ),
    st.Page(
        "views/omradesprofil.py",
        title=t("page_profile", lang),
        icon=":material/location_city:",
        url_path="omradesprofil",
    ),
    st.Page(
        "views/bostadsloshet.py",
        title=t("page_housing", lang),
        icon=":material/home:",
        url_path="bostadsloshet",
    ),
    st.Page(
        "views/egna_uppgifter.py",
        title=t("page_local", lang),
        icon=":material/edit_note:",
        url_path="egna-uppgifter",
    ),
    st.Page(
        "views/mal.py",
        title=t("page_goals", lang),
        icon=":material/flag:",
        url_path="mal",
    ),
    st.Page(
        "views/presentera.py",
        title=t("page_present", lang),
        icon=":material/slideshow:",
        url_path="presentera",
    ),
    st.Page(
        "views/datakallor.py",
        title=t("page_sources", lang),
        icon=":material/database:",
        url_path="datakallor",
    ),
]
st.navigation(pages).run()
