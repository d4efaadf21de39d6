"""Pages in the URL: widgets seeded from a link, choices written back, "Kopiera länk".

A page makes one :class:`PageUrl` right after its title. Before each widget it calls
:meth:`PageUrl.seed` with the widget's options; after it, :meth:`PageUrl.record` with
the chosen value. A link therefore wins over the defaults once, when it is opened, and
from then on the widgets rule and the URL follows them.

Streamlit 1.67 can bind a widget to the URL itself (``bind="query-params"``), but it
names the parameter after the widget key, leaves a value that equals the default out of
the URL (so a link means "the default", which moves when new data arrives) and drops a
bad value silently; a workshop link must be complete and say why a value was dropped.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any, Final, TypeVar

import streamlit as st

from sodd.i18n import register, t
from sodd.url_state import (
    LANG_PARAM,
    Notice,
    PageSpec,
    app_root,
    build_link,
    encode_value,
    validate_value,
)

__all__ = ["PageUrl", "current_link", "render_copy_link"]

register(
    {
        "share_copy": ("Kopiera länk", "Copy link"),
        "share_copied": ("Länken är kopierad", "The link has been copied"),
        "share_copy_failed": (
            "Det gick inte att kopiera automatiskt. Markera länken i fältet och kopiera den "
            "(Ctrl+C).",
            "Could not copy automatically. Select the link in the field and copy it (Ctrl+C).",
        ),
        "share_link_label": ("Länk till den här vyn", "Link to this view"),
    }
)

T = TypeVar("T")
_MARKER: Final = "_sodd_url_seen:"


class PageUrl:
    """The URL state of one page during one script run.

    Parameters
    ----------
    spec
        The page's parameters.
    lang
        Interface language (for notices and the copy control).
    share
        Show the "Kopiera länk" control at this place (kept up to date as choices are
        recorded).
    """

    def __init__(self, spec: PageSpec, lang: str, *, share: bool = True) -> None:
        self.spec = spec
        self.lang = lang
        self.notices: list[Notice] = []
        self._incoming = _declared(spec)
        # Per parameter, the value this page last wrote to (or took from) the URL. A
        # value in the URL that differs from it is new (a link opened fresh, or reached
        # inside the app) and wins once. Kept per parameter, so a run interrupted half
        # way still applies the rest of the link on the next run.
        self._seen: dict[str, str] = dict(st.session_state.get(_MARKER + spec.page, {}))
        self._recorded: dict[str, str | None] = {}
        self._slot = st.empty() if share else None
        if st.query_params.get(LANG_PARAM) != lang:
            st.query_params[LANG_PARAM] = lang
        self._write()

    def incoming(self, name: str) -> str | None:
        """The value of ``name`` in the link this run started from (``None`` if absent)."""
        return self._incoming.get(name)

    def is_new(self, name: str) -> bool:
        """Whether the URL's value of ``name`` is one this page has not applied yet."""
        raw = self._incoming.get(name)
        return raw is not None and raw != self._seen.get(name)

    def seed(self, name: str, options: Sequence[T]) -> T | list[T] | None:
        """Before a widget: put the link's value into the widget's state, once.

        Parameters
        ----------
        name
            The parameter.
        options
            The widget's options in this run.

        Returns
        -------
        object or None
            The value seeded, or ``None`` when nothing was (no new link, no value in it,
            or a value not among the options, which adds a notice shown here).
        """
        raw = self._incoming.get(name)
        if raw is None or not self.is_new(name):
            return None
        param = self.spec.param(name)
        self._seen[name] = raw
        self._remember()
        value, notice = validate_value(param, raw, options)
        if notice is not None:
            self.notices.append(notice)
            st.warning(notice.text(self.lang), icon=":material/link_off:")
        if value is None or (param.multi and not value and notice is not None):
            return None
        st.session_state[param.key] = value
        return value

    def record(self, name: str, value: object) -> None:
        """After a widget: write its value to the URL (``None`` removes the parameter)."""
        self.spec.param(name)  # a typo is a programming error
        text = None if value is None else encode_value(value)
        self._recorded[name] = text or None
        self._write()

    def link(self) -> str:
        """The full link to this page as it stands now."""
        return current_link(self.spec.page)

    def _write(self) -> None:
        names = self.spec.names
        last = max((names.index(n) for n in self._recorded), default=-1)
        for position, name in enumerate(names):
            if name in self._recorded:
                wanted = self._recorded[name]
            elif position < last:
                wanted = None  # an earlier choice this run did not make (kommun for a län)
            else:
                continue  # not reached yet in this run
            if wanted is None:
                st.query_params.pop(name, None)
                self._seen.pop(name, None)
            else:
                if st.query_params.get(name) != wanted:
                    st.query_params[name] = wanted
                self._seen[name] = wanted
        self._remember()
        if self._slot is not None:
            with self._slot.container():
                render_copy_link(self.lang, self.spec.page)

    def _remember(self) -> None:
        st.session_state[_MARKER + self.spec.page] = dict(self._seen)


def _declared(spec: PageSpec) -> dict[str, str]:
    return {name: st.query_params[name] for name in spec.names if name in st.query_params}


def current_link(page: str) -> str:
    """The full link to ``page`` with the query parameters of this run.

    Uses the URL the browser reports (``st.context.url``); relative to the app's root
    when it is unknown (as under AppTest).
    """
    values: dict[str, Any] = {name: st.query_params[name] for name in st.query_params}
    return build_link(app_root(st.context.url, page), page, values)


def render_copy_link(lang: str, page: str) -> None:
    """A "Kopiera länk" button and the link as selectable text.

    The button is a real ``<button>`` (reachable and usable with the keyboard); it copies
    the browser's current address, which Streamlit keeps equal to the page's state, and
    says "Länken är kopierad" through an ``aria-live`` region. Where the clipboard is
    blocked (plain http, a browser policy) the field with the link is selected instead.

    Parameters
    ----------
    lang
        Interface language.
    page
        The page's url path (ids and the link).
    """
    link = current_link(page)
    ident = f"sodd-share-{page}"
    messages = json.dumps({"ok": t("share_copied", lang), "fail": t("share_copy_failed", lang)})
    # The script and ids are constants of ours; the link is escaped into an attribute.
    body = f"""
<div class="sodd-share" style="display:flex;flex-wrap:wrap;gap:.5rem;align-items:center">
  <button type="button" id="{ident}-button" style="font:inherit;padding:.35rem .9rem;
    border:1px solid #0b5cad;border-radius:.4rem;background:#fff;color:#0b5cad;
    cursor:pointer">{html.escape(t("share_copy", lang))}</button>
  <label for="{ident}-field" style="font-size:.9rem">{html.escape(t("share_link_label", lang))}
  </label>
  <input id="{ident}-field" type="text" readonly value="{html.escape(link, quote=True)}"
    style="flex:1;min-width:14rem;font:inherit;font-size:.9rem;padding:.3rem .5rem;
    border:1px solid #555;border-radius:.3rem;color:#111;background:#fff">
  <span id="{ident}-status" role="status" aria-live="polite" style="font-size:.9rem"></span>
</div>
<style>#{ident}-button:focus-visible{{outline:3px solid #0b5cad;outline-offset:2px}}</style>
<script>
(() => {{
  const messages = {messages};
  const button = document.getElementById("{ident}-button");
  const field = document.getElementById("{ident}-field");
  const status = document.getElementById("{ident}-status");
  if (!button || !field || !status) return;
  button.addEventListener("click", async () => {{
    field.value = window.location.href;
    status.textContent = "";
    try {{
      await navigator.clipboard.writeText(field.value);
      status.textContent = messages.ok;
    }} catch (error) {{
      field.focus();
      field.select();
      status.textContent = messages.fail;
    }}
  }});
}})();
</script>
"""
    st.html(body, unsafe_allow_javascript=True)
