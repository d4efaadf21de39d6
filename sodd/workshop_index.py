"""The index page and the README of a workshop bundle (:mod:`sodd.workshop_snapshot`). Pure."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Final

from sodd.export.html import CSS
from sodd.i18n import register, t
from sodd.manifest import Manifest
from sodd.notes import Note, category_label

__all__ = ["render_index", "render_readme"]

register(
    {
        "snap_title": ("Workshop {name}", "Workshop {name}"),
        "snap_title_plain": ("Workshop", "Workshop"),
        "snap_saved": ("Sparad {time} (UTC).", "Saved {time} (UTC)."),
        "snap_intro": (
            "En ögonblicksbild: siffrorna kommer från de dataversioner som listas nedan, "
            "inte från dagens data.",
            "A snapshot: the figures come from the data versions listed below, not from "
            "today's data.",
        ),
        "snap_views": ("Vyer", "Views"),
        "snap_no_views": ("Inga vyer sparades.", "No views were saved."),
        "snap_notes": (
            "Lokala iakttagelser (inte statistik)",
            "Local observations (not statistics)",
        ),
        "snap_no_notes": ("Inga iakttagelser.", "No observations."),
        "snap_versions": ("Dataversioner", "Data versions"),
        "snap_files": (
            "Filerna manifest.json, dataversioner.csv, anteckningar.csv/json och (med en "
            "agenda) agenda.csv/json ligger i samma mapp.",
            "The files manifest.json, dataversioner.csv, anteckningar.csv/json and (with an "
            "agenda) agenda.csv/json are in the same folder.",
        ),
    }
)

_VERSION_HEADERS: Final = ("Datamängd", "Källa", "Tabell", "Hämtad", "sha256")


def _demo(manifest: Manifest, lang: str) -> str:
    return f'<p class="demo">{escape(t("exp_demo", lang))}</p>' if manifest.is_demo else ""


def render_index(
    title: str | None,
    moment: datetime,
    manifest: Manifest,
    views: list[tuple[str, str]],
    notes: list[Note],
    lang: str = "sv",
) -> bytes:
    """``index.html``: links to the views, the notes and the data versions.

    Parameters
    ----------
    title
        The agenda's name, or ``None`` without an agenda.
    moment
        When the bundle was made (UTC).
    manifest
        The store's manifest at that moment.
    views
        ``(relative file name, title)`` per view file.
    notes
        Every note in the bundle.
    lang
        ``"sv"`` or ``"en"``.
    """
    heading = t("snap_title", lang, name=title) if title else t("snap_title_plain", lang)
    links = "".join(f'<li><a href="{escape(name)}">{escape(text)}</a></li>' for name, text in views)
    note_rows = "".join(
        "<tr>"
        + "".join(
            f'<td style="white-space:pre-wrap">{escape(cell)}</td>'
            for cell in (
                note.date,
                f"{note.region_code} ({note.level})",
                category_label(note.category, lang),
                note.text,
                note.signature,
            )
        )
        + "</tr>"
        for note in notes
    )
    versions = "".join(
        "<tr>"
        + "".join(
            f"<td>{escape(cell)}</td>"
            for cell in (e.dataset_id, e.provider, e.table_id or "", e.fetched_at, e.sha256)
        )
        + "</tr>"
        for _, e in sorted(manifest.datasets.items())
    )
    version_head = "".join(f'<th scope="col">{escape(h)}</th>' for h in _VERSION_HEADERS)
    parts = [
        f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8">',
        f"<title>{escape(heading)}</title><style>{CSS}</style></head><body>",
        _demo(manifest, lang),
        f"<h1>{escape(heading)}</h1>",
        f'<p class="meta">{escape(t("snap_saved", lang, time=f"{moment:%Y-%m-%d %H:%M}"))} '
        f"{escape(t('snap_intro', lang))}</p>",
        f"<h2>{escape(t('snap_views', lang))}</h2>",
        f"<ul>{links}</ul>" if links else f"<p>{escape(t('snap_no_views', lang))}</p>",
        f"<h2>{escape(t('snap_notes', lang))}</h2>",
        f"<table><tbody>{note_rows}</tbody></table>"
        if note_rows
        else f"<p>{escape(t('snap_no_notes', lang))}</p>",
        f"<h2>{escape(t('snap_versions', lang))}</h2>",
        f"<table><thead><tr>{version_head}</tr></thead><tbody>{versions}</tbody></table>",
        f'<p class="meta">{escape(t("snap_files", lang))}</p>',
        _demo(manifest, lang),
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p).encode("utf-8")


def render_readme(
    title: str | None, moment: datetime, manifest: Manifest, notes: int, views: int
) -> bytes:
    """``README.txt`` in Swedish: what the bundle is, when it was made, which data it shows."""
    name = f" ”{title}”" if title else ""
    lines = [
        f"Ögonblicksbild av workshoppen{name}, sparad {moment:%Y-%m-%d %H:%M} (UTC) med sodd.",
        "",
        "Mappen innehåller:",
        "- index.html: öppna den i en webbläsare; den länkar till allt annat.",
        f"- vyer/: {views} fristående HTML-filer (kartor och områdesprofiler) som fungerar "
        "utan internet.",
        f"- anteckningar.csv och anteckningar.json: de lokala iakttagelserna ({notes} st.). "
        "De är deltagarnas egna anteckningar, inte statistik.",
    ]
    if title:
        lines.append("- agenda.csv och agenda.json: agendans vyer i ordning.")
    lines += [
        "- manifest.json och dataversioner.csv: exakt vilka dataversioner siffrorna kommer "
        "från (datamängd, sha256-kontrollsumma, hämtningstid och fil).",
        "",
        "Siffrorna i vyerna kommer från de dataversioner som listas i manifest.json, inte "
        "från dagens data. Öppnas samma vyer i sodd efter en uppdatering kan siffrorna "
        "vara andra.",
    ]
    if manifest.is_demo:
        lines += ["", "OBS: Exempeldata – inte verklig statistik. Siffrorna är påhittade."]
    return ("\n".join(lines) + "\n").encode("utf-8")
