"""SCB refresh end to end against the shared stand-in: every stored cell equals the served one.

The stand-in's ``dump`` command writes every cell it would serve; the comparison maps
its Region codes to plain code + vintage and leaves out the structurally empty
vintage blocks (a 2018 code in 2024, a 2025 code in 2022), which the refresh drops.
"""

from __future__ import annotations

import dataclasses
import json
import math
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from sodd import refresh_scb as refresh_module
from sodd.errors import SourceUnavailable
from sodd.pipeline import install_demo
from sodd.refresh_scb import ADMIN_REGIONS_ID, Scope, dataset_id, main, refresh_scb
from sodd.sources.http import RetryPolicy
from sodd.sources.pxweb import PxWebClient, TableMetadata
from sodd.sources.scb import build_table_specs
from sodd.sources.scb_codes import classify_region_code
from sodd.store import Store
from tests.conftest import StandIn, start_standin, stop_standin

pytestmark = pytest.mark.shared

FIRST_YEAR = 2020
LAST_YEAR = 2025
# Tables compared cell by cell, with the region prefixes to dump. TAB6253 suppresses
# small counts; TAB6586 is RegSO only; TAB6574 is the largest (län 17 is compared in
# TAB6253: dumping all of Värmland for TAB6574 takes too long).
COMPARED = {"TAB6574": "1780,00", "TAB6253": "1780,00,17", "TAB6586": "1780"}
SPECS = {spec.table_id: spec for spec in build_table_specs()}
ALL_TABLES = list(SPECS)
Key = tuple[str, str, str, str, str, str]


# ------------------------------------------------------------------ helpers


def start_dump(
    shared: Path, table: str, prefixes: str, out: Path, *, seed: int = 1, first: int = FIRST_YEAR
) -> subprocess.Popen[bytes]:
    script = shared / "tools" / "scb-standin" / "standin.py"
    command = [
        sys.executable, str(script), "dump", "--table", table, "--region-prefix", prefixes,
        "--years", f"{first}-{LAST_YEAR}", "--data-dir", str(shared / "data"),
        "--seed", str(seed), "--out", str(out),
    ]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def finish_dump(process: subprocess.Popen[bytes], out: Path) -> pd.DataFrame:
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err.decode()
    return pd.read_csv(out, dtype=str, keep_default_na=False)


def expected_cells(dump: pd.DataFrame, table: str, regions: set[str]) -> dict[Key, Any]:
    """The cells the store should hold, keyed like the observations, from a dump.

    Only the codes the catalog asks for, in Karlstad and ``regions``.
    """
    spec = SPECS[table]
    dump = dump[dump["ContentsCode"].isin(spec.contents)]
    for name, codes in spec.dims.items():
        dump = dump[dump[name].isin(codes)]
    others = [
        c for c in dump.columns if c not in ("Region", "ContentsCode", "Tid", "value", "status")
    ]
    dump = dump[dump["Region"].isin(regions) | dump["Region"].str.startswith("1780")]
    cells: dict[Key, Any] = {}
    blocks: dict[tuple[str, str], bool] = {}
    for row in dump.itertuples(index=False):
        record = row._asdict()
        plain, level, vintage = classify_region_code(record["Region"])
        dims = json.dumps({d: record[d] for d in others}, sort_keys=True, ensure_ascii=False)
        key = (record["ContentsCode"], plain, vintage, level, record["Tid"], dims)
        cells[key] = (record["value"], record["status"])
        if vintage:
            block = (vintage, record["Tid"])
            blocks[block] = blocks.get(block, False) or record["value"] != ""
    # A vintage block with no published cell at all is structurally empty: not stored.
    return {k: v for k, v in cells.items() if not k[2] or blocks[(k[2], k[4])]}


def stored_cells(store: Store, table: str) -> dict[Key, Any]:
    frame = store.read("observations", dataset_ids=[dataset_id(table)])
    assert not frame.duplicated(
        ["variable", "region_code", "geo_vintage", "level", "period", "dims"]
    ).any()
    columns = [
        "variable",
        "region_code",
        "geo_vintage",
        "level",
        "period",
        "dims",
        "value",
        "status",
    ]
    return {
        tuple(row[:6]): (row[6], row[7])
        for row in frame[columns].itertuples(index=False, name=None)
    }


def assert_same_cells(
    store: Store, table: str, dump: pd.DataFrame, regions: set[str], *, unchecked: str = ""
) -> int:
    """Compare every stored cell with the dump; return the number of suppressed cells.

    ``regions`` are the codes besides Karlstad's that the dump should hold; stored
    cells of region ``unchecked`` are left out (not in the dump).
    """
    expected = expected_cells(dump, table, regions)
    stored = {k: v for k, v in stored_cells(store, table).items() if k[1] != unchecked}
    assert stored.keys() == expected.keys()
    suppressed = 0
    for key, (value, status) in stored.items():
        served_value, served_status = expected[key]
        if served_value == "":
            assert math.isnan(value) and status == served_status == "..", key
            suppressed += 1
        else:
            assert value == float(served_value), key
            assert pd.isna(status) and served_status == "", key
    return suppressed


def reset_rate_limit(standin: StandIn) -> None:
    """Empty the stand-in's rate-limit window, so a fresh client starts with a fresh window."""
    root = standin.api_url.rsplit("/api/v2", 1)[0]
    request = urllib.request.Request(f"{root}/__standin/reset-rate-limit", method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200


def metadata_without(metadata: TableMetadata, variable: str, code: str) -> TableMetadata:
    changed = tuple(
        dataclasses.replace(v, values=tuple(c for c in v.values if c != code))
        if v.code == variable
        else v
        for v in metadata.variables
    )
    return dataclasses.replace(metadata, variables=changed)


@dataclasses.dataclass
class Karlstad:
    store: Store
    client: PxWebClient
    report: refresh_module.RefreshReport
    dumps: dict[str, pd.DataFrame]
    demo_before: list[str]


@pytest.fixture(scope="module")
def karlstad(
    scb_standin: StandIn, shared_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Karlstad:
    """A demo store refreshed with Karlstad, DeSO and RegSO, from 2020 (all tables)."""
    folder = tmp_path_factory.mktemp("karlstad")
    dumps = {
        table: start_dump(shared_dir, table, prefixes, folder / f"{table}.csv")
        for table, prefixes in COMPARED.items()
    }
    store = Store(folder / "store")
    install_demo(store, kommun_codes=["1780"], districts_per_kommun=3)
    demo_before = sorted(store.manifest().datasets)
    reset_rate_limit(scb_standin)
    client = PxWebClient(scb_standin.api_url)
    report = refresh_scb(
        store, client, Scope("kommun", "1780"), levels=("deso", "regso"), first_year=FIRST_YEAR
    )
    frames = {table: finish_dump(p, folder / f"{table}.csv") for table, p in dumps.items()}
    return Karlstad(store, client, report, frames, demo_before)


# ------------------------------------------------------------------ a full refresh


def test_refresh_fills_the_store_and_replaces_the_demo(karlstad: Karlstad) -> None:
    report = karlstad.report
    assert [r.table_id for r in report.tables] == ALL_TABLES
    assert [r.status for r in report.tables] == ["uppdaterad"] * len(ALL_TABLES), (
        report.summary_sv()
    )
    assert all(r.rows > 0 and r.requests >= 3 for r in report.tables)
    assert report.ok and report.indicators_recomputed
    manifest = karlstad.store.manifest()
    assert karlstad.demo_before and not manifest.is_demo
    assert not set(karlstad.demo_before) & set(manifest.datasets)
    for table in ALL_TABLES:
        entry = manifest.datasets[dataset_id(table)]
        assert entry.provider == "scb" and entry.table_id == table and not entry.demo
        names = [Path(f).name for f in entry.raw_files]
        assert "metadata.json" in names and "response_000.json" in names
        query = json.loads(entry.query or "")
        assert query["scope"] == {"kind": "kommun", "code": "1780"}
        assert query["levels"] == ["deso", "regso"] and query["first_year"] == FIRST_YEAR
        assert query["updated"] and query["selection"]
    regions = karlstad.store.read_regions(dataset_ids=[ADMIN_REGIONS_ID])
    assert not manifest.datasets[ADMIN_REGIONS_ID].demo
    assert regions.groupby("level").size().to_dict() == {"kommun": 290, "lan": 21, "riket": 1}
    assert "demo__indicator_values" not in manifest.datasets
    assert "indicator_values" in manifest.datasets


@pytest.mark.parametrize("table", sorted(COMPARED))
def test_every_stored_cell_equals_the_served_cell(karlstad: Karlstad, table: str) -> None:
    dump = karlstad.dumps[table]
    unchecked = "17" if "17" not in COMPARED[table].split(",") else ""
    suppressed = assert_same_cells(karlstad.store, table, dump, {"00", "17"}, unchecked=unchecked)
    if table == "TAB6253":
        assert suppressed > 50  # real suppression, kept as '..'
    if table == "TAB6574":
        stored = karlstad.store.read("observations", dataset_ids=[dataset_id(table)])
        assert (stored["region_code"] == "17").sum() == (stored["region_code"] == "00").sum() > 0


def test_codes_are_plain_with_the_right_vintage(karlstad: Karlstad) -> None:
    ids = [dataset_id(t) for t in ALL_TABLES]
    frame = karlstad.store.read("observations", dataset_ids=ids)
    assert not frame["region_code"].str.contains("_").any()
    year = frame["period"].astype(int)
    pairs = frame.groupby(["level", "geo_vintage"]).size().index.tolist()
    assert set(pairs) == {
        ("deso", "2018"), ("deso", "2025"), ("regso", "2020"), ("regso", "2025"),
        ("kommun", ""), ("lan", ""), ("riket", ""),
    }  # fmt: skip
    old = frame["geo_vintage"].isin(["2018", "2020"])
    assert (year[old] <= 2023).all() and (year[frame["geo_vintage"] == "2025"] >= 2024).all()
    assert (year >= FIRST_YEAR).all()
    assert set(frame.loc[frame["level"] == "kommun", "region_code"]) == {"1780"}
    karlstad_2025 = frame[(frame["level"] == "deso") & (frame["geo_vintage"] == "2025")]
    assert karlstad_2025["region_code"].nunique() == 57


def test_indicator_values_are_computed_from_the_served_cells(karlstad: Karlstad) -> None:
    dump = karlstad.dumps["TAB6574"]
    cells = dump[(dump["Alder"] == "totalt") & (dump["Kon"] == "1+2") & (dump["Tid"] == "2024")]
    served = dict(zip(cells["Region"], cells["value"], strict=True))
    values = karlstad.store.read(
        "indicator_values",
        filters=[("indicator_id", "==", "folkmangd"), ("period", "==", "2024")],
    )
    deso = values[(values["level"] == "deso") & (values["region_code"] == "1780C1010")]
    assert deso["geo_vintage"].tolist() == ["2025"]
    assert deso["value"].iloc[0] == float(served["1780C1010_DeSO2025"])
    kommun = values[values["region_code"] == "1780"]
    assert kommun["value"].iloc[0] == float(served["1780"])
    # A 2018 area has no 2024 figure at all, rather than a withheld one.
    assert not ((values["geo_vintage"] == "2018") & (values["region_code"] == "1780C1040")).any()


def test_a_second_refresh_only_asks_when_tables_were_updated(karlstad: Karlstad) -> None:
    before = karlstad.store.manifest()
    report = refresh_scb(
        karlstad.store,
        karlstad.client,
        Scope("kommun", "1780"),
        levels=("regso", "deso"),
        first_year=FIRST_YEAR,
    )
    assert [r.status for r in report.tables] == ["oförändrad"] * len(ALL_TABLES)
    assert [r.requests for r in report.tables] == [1] * len(ALL_TABLES)
    assert not report.indicators_recomputed
    assert karlstad.store.manifest() == before
    expected = f"0 uppdaterade, {len(ALL_TABLES)} oförändrade, 0 misslyckade"
    assert expected in report.summary_sv()


# ------------------------------------------------------------------ command line


@pytest.fixture
def cli_env(
    karlstad: Karlstad, scb_standin: StandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """A copy of the Karlstad store, with the settings pointing at it and the stand-in."""
    data_dir = tmp_path / "store"
    shutil.copytree(karlstad.store.data_dir, data_dir)
    monkeypatch.setenv("SODD_DATA_DIR", str(data_dir))
    monkeypatch.setenv("SODD_SCB_API_URL", scb_standin.api_url)
    # One small table keeps the command-line tests quick.
    specs = [s for s in build_table_specs() if s.table_id == "TAB6586"]
    monkeypatch.setattr(refresh_module, "build_table_specs", lambda: tuple(specs))
    reset_rate_limit(scb_standin)
    yield data_dir


def test_cli_refreshes_with_a_progress_bar(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["scb", "--kommun", "1780", "--level", "regso", "--from", "2023", "--force"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "TAB6586 [" in err and "] 1/1" in err
    assert "TAB6586  uppdaterad" in out and "1 uppdaterade, 0 oförändrade, 0 misslyckade" in out
    query = json.loads(Store(cli_env).manifest().datasets["scb__tab6586"].query or "")
    assert query["levels"] == ["regso"] and query["first_year"] == 2023


def test_cli_exit_code_is_1_when_a_table_fails(
    cli_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_fetch(*args: Any, **kwargs: Any) -> Any:
        raise SourceUnavailable("SCB-tabell TAB6586: gick inte att hämta efter 4 försök (503).")

    monkeypatch.setattr(PxWebClient, "fetch", failing_fetch)
    code = main(["scb", "--lan", "17", "--force"])
    out, _ = capsys.readouterr()
    assert code == 1
    assert "TAB6586  misslyckades" in out and "503" in out
    assert "behåller sina tidigare data" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["scb"],
        ["scb", "--kommun", "178"],
        ["scb", "--kommun", "1780", "--riket"],
        ["scb", "--lan", "1780"],
        ["scb", "--riket", "--level", "kommun"],
    ],
)
def test_cli_refuses_bad_arguments(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert "error" in capsys.readouterr().err


# ------------------------------------------------------------------ failures and faults


def test_a_failing_table_keeps_its_previous_data(
    scb_standin: StandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "store")
    reset_rate_limit(scb_standin)
    client = PxWebClient(scb_standin.api_url)
    tables = ("TAB6586", "TAB6684", "TAB6685")
    scope = Scope("kommun", "1780")
    first = refresh_scb(store, client, scope, first_year=2023, tables=tables)
    assert first.ok
    before = store.manifest()

    real_fetch, real_metadata = client.fetch, client.metadata

    def fetch(table_id: str, selection: Any, **kwargs: Any) -> Any:
        if table_id == "TAB6586":
            raise SourceUnavailable(f"SCB-tabell {table_id}: gick inte att hämta (status 503).")
        return real_fetch(table_id, selection, **kwargs)

    def metadata(table_id: str) -> TableMetadata:
        found = real_metadata(table_id)
        return metadata_without(found, "Alder", "0-19") if table_id == "TAB6685" else found

    monkeypatch.setattr(client, "fetch", fetch)
    monkeypatch.setattr(client, "metadata", metadata)
    report = refresh_scb(store, client, scope, first_year=2023, tables=tables, force=True)
    statuses = {r.table_id: r for r in report.tables}
    assert statuses["TAB6684"].status == "uppdaterad"
    assert statuses["TAB6586"].status == "misslyckades" and "503" in statuses["TAB6586"].message
    failed = statuses["TAB6685"]
    assert failed.status == "misslyckades"
    assert "TAB6685" in failed.message and "'0-19'" in failed.message
    assert "Alder" in failed.message
    assert not report.ok and report.indicators_recomputed
    after = store.manifest()
    for table in ("TAB6586", "TAB6685"):
        assert after.datasets[dataset_id(table)] == before.datasets[dataset_id(table)]
    assert store.read("observations", dataset_ids=[dataset_id("TAB6586")]).shape[0] > 0


def test_a_metadata_change_writes_nothing(scb_standin: StandIn, tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    reset_rate_limit(scb_standin)
    client = PxWebClient(scb_standin.api_url)
    real_metadata = client.metadata
    client.metadata = lambda table_id: metadata_without(  # type: ignore[method-assign]
        real_metadata(table_id), "ContentsCode", "000008IU"
    )
    report = refresh_scb(
        store, client, Scope("kommun", "1780"), first_year=2023, tables=["TAB6586"]
    )
    (result,) = report.tables
    assert result.status == "misslyckades" and result.rows == 0
    assert "TAB6586" in result.message and "'000008IU'" in result.message
    assert "ContentsCode" in result.message
    assert store.manifest().generation == 0 and not report.indicators_recomputed


def test_faults_still_end_with_correct_data(shared_dir: Path, tmp_path: Path) -> None:
    seed = 4  # its fault draws include a 5xx, a 429 and a truncated body
    log = tmp_path / "requests.jsonl"
    tables = {"TAB6253": "1780,00,17", "TAB6586": "1780"}
    dumps = {
        t: start_dump(shared_dir, t, p, tmp_path / f"{t}.csv", seed=seed, first=2023)
        for t, p in tables.items()
    }
    standin = start_standin(
        shared_dir, "--seed", str(seed), "--window", "2", "--fault-5xx", "0.2",
        "--fault-429", "0.2", "--fault-truncate", "0.1", "--log", str(log),
    )  # fmt: skip
    try:
        policy = RetryPolicy(attempts=15, backoff_seconds=0.05, max_wait_seconds=2.0)
        client = PxWebClient(standin.api_url, policy=policy)
        store = Store(tmp_path / "store")
        report = refresh_scb(
            store, client, Scope("kommun", "1780"), first_year=2023, tables=list(tables)
        )
    finally:
        stop_standin(standin)
    assert report.ok, report.summary_sv()
    faults = [json.loads(line)["fault"] for line in log.read_text().splitlines()]
    assert {"5xx", "429", "truncate-honest"} <= set(faults), faults
    for table, process in dumps.items():
        dump = finish_dump(process, tmp_path / f"{table}.csv")
        dump = dump[dump["Tid"].astype(int) >= 2023]
        assert_same_cells(store, table, dump, {"00", "17"})
