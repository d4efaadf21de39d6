"""sodd entry point: page config, shared sidebar and navigation. Run with `make run`."""

import streamlit as st

from sodd import ui
from sodd.i18n import t

st.set_page_config(page_title="sodd", page_icon=":material/map:", layout="wide")

lang = ui.render_chrome()
# Page files are named as their URLs (karta, omradesprofil, datakallor): Streamlit still
# checks a direct link against the files in pages/, and a URL that differs from the file
# name shows a spurious "Page not found" dialog before the page loads.
pages = [
    st.Page(
        "pages/karta.py",
        title=t("page_map", lang),
        icon=":material/map:",
        url_path="karta",
        default=True,
    ),
    st.Page(
        "pages/omradesprofil.py",
        title=t("page_profile", lang),
        icon=":material/location_city:",
        url_path="omradesprofil",
    ),
    st.Page(
        "pages/datakallor.py",
        title=t("page_sources", lang),
        icon=":material/database:",
        url_path="datakallor",
    ),
]
st.navigation(pages).run()
