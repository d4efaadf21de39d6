"""Bostadslöshet och avhysningar: evictions, homelessness, BME and social assistance per kommun."""

from sodd import ui, ui_bostadsloshet

ui.guarded(ui_bostadsloshet.render_page)
