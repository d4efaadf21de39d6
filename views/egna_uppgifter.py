"""Egna uppgifter: the kommun's own homelessness mapping, interventions and indicators."""

from sodd import ui, ui_local

ui.guarded(ui_local.render_local_page)
