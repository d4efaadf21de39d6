"""Spara workshop: the dated bundle matches the manifest and its pages are self-contained."""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from sodd.errors import SoddError
from sodd.notes_store import add_note
from sodd.schema import AGENDA_COLUMNS
from sodd.store import Store
from sodd.workshop_snapshot import build_snapshot, main, write_snapshot

MOMENT = datetime(2026, 11, 30, 14, 7, tzinfo=UTC)
AREA = "1780X0010"
AGENDA = [
    ("a1", "Karlstad höst", "2", "Profil för område 1", "omradesprofil",
     f"area={AREA}&level=deso&vintage=2025"),
    ("a1", "Karlstad höst", "1", "Låg ekonomisk standard", "karta",
     "visa=kommun&kommun=1780&indikator=lag_ekonomisk_standard&niva=deso"),
    ("a1", "Karlstad höst", "3", "Bostadslöshet", "bostadsloshet", "kommun=1780"),
    ("a2", "Annan", "1", "Karta", "karta", "kommun=1780"),
]  # fmt: skip


@pytest.fixture(scope="module")
def store(demo_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    target = tmp_path_factory.mktemp("snapshot") / "store"
    shutil.copytree(demo_store_dir, target)
    store = Store(target)
    agenda = pd.DataFrame(
        [(*row, "2026-11-30T12:00:00Z") for row in AGENDA], columns=list(AGENDA_COLUMNS)
    )
    with store.transaction() as tx:
        tx.write("lokal__agendor", "agendas", agenda, provider="kommun", title="Agendor")
    add_note(store, AREA, "deso", "trygghet", "<script>alert(1)</script>", "AB", geo_vintage="2025")
    add_note(
        store, "1780X0020", "deso", "service", "Biblioteket har kortare öppettider",
        geo_vintage="2025",
    )  # fmt: skip
    return store


def _open(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        return {name: bundle.read(name) for name in bundle.namelist()}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.urls: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.urls += [value or "" for name, value in attrs if name in {"src", "href"}]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: bytes) -> _Links:
    parser = _Links()
    parser.feed(html.decode("utf-8"))
    parser.close()
    return parser


@pytest.fixture(scope="module")
def bundle(store: Store) -> tuple[str, dict[str, bytes]]:
    snapshot = build_snapshot(store, "a1", now=MOMENT)
    return snapshot.filename, _open(snapshot.data)


def test_name_is_dated_and_every_file_sits_in_one_folder(bundle):
    filename, files = bundle
    assert filename == "workshop_karlstad-host_2026-11-30_1407.zip"
    folder = filename.removesuffix(".zip") + "/"
    assert all(name.startswith(folder) for name in files)
    names = {name.removeprefix(folder) for name in files}
    assert {"manifest.json", "dataversioner.csv", "README.txt", "index.html"} <= names
    assert {"agenda.csv", "agenda.json", "anteckningar.csv", "anteckningar.json"} <= names


def _file(files: dict[str, bytes], name: str) -> bytes:
    return next(data for path, data in files.items() if path.endswith("/" + name))


def test_contents_match_the_manifest(store, bundle):
    _, files = bundle
    manifest = store.manifest()
    copied = json.loads(_file(files, "manifest.json"))
    assert copied["generation"] == manifest.generation
    assert {k: (v["sha256"], v["file"]) for k, v in copied["datasets"].items()} == {
        k: (e.sha256, e.file) for k, e in manifest.datasets.items()
    }
    rows = list(
        csv.DictReader(
            io.StringIO(_file(files, "dataversioner.csv").decode("utf-8-sig")), delimiter=";"
        )
    )
    assert {r["dataset_id"]: (r["sha256"], r["file"], r["fetched_at"]) for r in rows} == {
        k: (e.sha256, e.file, e.fetched_at) for k, e in manifest.datasets.items()
    }
    index = b"".join(data for name, data in files.items() if name.endswith("index.html"))
    for entry in manifest.datasets.values():
        assert entry.sha256.encode() in index


def test_agenda_and_notes_are_present(bundle):
    _, files = bundle
    agenda = json.loads(_file(files, "agenda.json"))
    assert [row["position"] for row in agenda] == ["1", "2", "3"]
    assert {row["agenda_id"] for row in agenda} == {"a1"}
    notes = json.loads(_file(files, "anteckningar.json"))
    assert sorted(n["text"] for n in notes) == [
        "<script>alert(1)</script>",
        "Biblioteket har kortare öppettider",
    ]
    views = sorted(name for name in files if "/vyer/" in name)
    assert [name.rsplit("/", 1)[1][:3] for name in views] == ["01_", "02_", "03_"]
    readme = _file(files, "README.txt").decode("utf-8")
    assert "2026-11-30 14:07" in readme and "Exempeldata" in readme
    assert "manifest.json" in readme


def test_every_page_parses_and_is_self_contained(bundle):
    _, files = bundle
    pages = {name: data for name, data in files.items() if name.endswith(".html")}
    assert len(pages) == 4  # three views and the index
    for name, html in pages.items():
        parsed = _parse(html)
        assert "script" not in parsed.tags, name
        assert not [u for u in parsed.urls if u.startswith(("http:", "https:", "//"))], name
        assert "Exempeldata" in "".join(parsed.text), name
    index = _parse(_file(files, "index.html"))
    folder = next(iter(files)).split("/", 1)[0]
    assert all(f"{folder}/{link}" in files for link in index.urls)
    assert len(index.urls) == 3


def test_views_show_the_map_the_profile_with_its_note_and_a_placeholder(bundle):
    _, files = bundle
    views = [files[name] for name in sorted(n for n in files if "/vyer/" in n)]
    map_page = _parse(views[0])
    assert "svg" in map_page.tags and "path" in map_page.tags
    assert "Teckenförklaring" in map_page.text
    profile = "".join(_parse(views[1]).text)
    assert "Lokala iakttagelser (inte statistik)" in profile
    assert "<script>alert(1)</script>" in profile  # as text: no script tag (checked above)
    assert "bostadsloshet?kommun=1780" in "".join(_parse(views[2]).text)


def test_without_agenda_there_is_one_profile_per_area_with_notes(store):
    snapshot = build_snapshot(store, None, now=MOMENT)
    assert snapshot.filename == "workshop_karlstad_2026-11-30_1407.zip"
    files = _open(snapshot.data)
    views = [name for name in files if "/vyer/" in name]
    assert len(views) == 2
    assert not any(name.endswith("agenda.json") for name in files)


def test_unknown_agenda_is_refused_naming_it(store):
    with pytest.raises(SoddError, match=r"'nope'.*a1, a2"):
        build_snapshot(store, "nope")


def test_write_snapshot_and_the_cli(store, tmp_path, monkeypatch, capsys):
    path = write_snapshot(store, "a2", tmp_path / "ut")
    assert path.parent == tmp_path / "ut" and path.name.startswith("workshop_annan_")
    monkeypatch.setenv("SODD_DATA_DIR", str(store.data_dir))
    assert main(["workshop", "spara", "--agenda", "a2", "--ut", str(tmp_path / "cli")]) == 0
    written = list((tmp_path / "cli").glob("workshop_annan_*.zip"))
    assert len(written) == 1 and str(written[0]) in capsys.readouterr().out
    assert main(["workshop", "spara", "--agenda", "x", "--ut", str(tmp_path)]) == 2
    assert "ingen agenda" in capsys.readouterr().err
