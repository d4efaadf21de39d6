"""Mål och uppföljning: target levels for indicators and how each goal is going."""

from sodd import ui, ui_goals

ui.guarded(ui_goals.render_page)
