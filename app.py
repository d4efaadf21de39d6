"""sodd entry point: page config, shared sidebar and navigation. Run with `make run`."""

import streamlit as st

from sodd import ui
from sodd.i18n import t

st.set_page_config(page_title="sodd", page_icon=":material/map:", layout="wide")

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
        "views/datakallor.py",
        title=t("page_sources", lang),
        icon=":material/database:",
        url_path="datakallor",
    ),
]
st.navigation(pages).run()
