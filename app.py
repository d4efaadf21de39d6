"""sodd entry point: page config, shared sidebar and navigation. Run with `make run`."""

import streamlit as st

from sodd import ui
from sodd.i18n import t

st.set_page_config(page_title="sodd", page_icon=":material/map:", layout="wide")

lang = ui.render_chrome()
pages = [
    st.Page(
        "pages/map.py",
        title=t("page_map", lang),
        icon=":material/map:",
        url_path="karta",
        default=True,
    ),
    st.Page(
        "pages/area_profile.py",
        title=t("page_profile", lang),
        icon=":material/location_city:",
        url_path="omradesprofil",
    ),
    st.Page(
        "pages/sources.py",
        title=t("page_sources", lang),
        icon=":material/database:",
        url_path="datakallor",
    ),
]
st.navigation(pages).run()
