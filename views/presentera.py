"""Presentera: workshop agendas, prepared here and shown one view at a time."""

from sodd import ui, ui_present

ui.guarded(ui_present.render_page)
