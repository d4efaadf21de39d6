"""Command line: ``sodd demo``, ``sodd serve``, ``sodd info``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from sodd import (
    crosswalk,
    importers,
    refresh_all_cli,
    refresh_geo,
    refresh_kolada,
    refresh_kommungrupp,
    refresh_scb,
    workshop_snapshot,
)
from sodd.config import load_settings
from sodd.errors import SoddError
from sodd.export import cli as export_cli
from sodd.formatting import format_number
from sodd.store import Store

APP_PATH = Path(__file__).resolve().parent.parent / "app.py"


def _say(message: str) -> None:
    print(message, flush=True)


def _cmd_demo(args: argparse.Namespace) -> int:
    from sodd.demo import DEMO_SEED
    from sodd.pipeline import install_demo

    store = Store.from_settings(load_settings())
    if args.if_empty and not store.is_empty():
        _say(f"Datalagret i {store.data_dir} har redan data; exempeldata byggs inte.")
        return 0
    manifest = install_demo(
        store,
        seed=args.seed if args.seed is not None else DEMO_SEED,
        districts_per_kommun=args.districts_per_kommun,
        lan_codes=args.lan or None,
        kommun_codes=args.kommun or None,
        replace_real_data=args.ersatt,
        progress=_say,
    )
    _say(f"Exempeldata sparad i {store.data_dir} (version {manifest.generation}).")
    return 0


def _cmd_info(args: argparse.Namespace) -> int:
    store = Store.from_settings(load_settings())
    manifest = store.manifest()
    if not manifest.datasets:
        _say(f"Datalagret i {store.data_dir} är tomt.")
        return 0
    _say(
        f"Datalagret i {store.data_dir}, version {manifest.generation}"
        + (" (EXEMPELDATA)" if manifest.is_demo else "")
    )
    for entry in sorted(manifest.datasets.values(), key=lambda e: (e.kind, e.dataset_id)):
        periods = f"{entry.periods[0]}–{entry.periods[-1]}" if entry.periods else "–"
        _say(
            f"  {entry.kind:<17} {entry.dataset_id:<40} {format_number(entry.rows):>12} rader"
            f"  {periods}  {entry.fetched_at}"
        )
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    settings = load_settings()
    store = Store.from_settings(settings)
    if store.is_empty():
        from sodd.pipeline import install_demo

        _say("Datalagret är tomt: bygger exempeldata (en gång) …")
        install_demo(store, progress=_say)
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP_PATH),
        "--server.port",
        str(args.port or settings.port),
        "--server.headless",
        "true",
        # Streamlit refuses larger uploads itself; sodd's own check gives the Swedish message.
        "--server.maxUploadSize",
        str(settings.max_upload_mb),
    ]
    _say(f"Startar sodd på http://localhost:{args.port or settings.port}")
    os.execv(sys.executable, command)
    return 0  # pragma: no cover - execv does not return


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and for ``--help`` in the README)."""
    parser = argparse.ArgumentParser(
        prog="sodd", description="Sociala områdesbeskrivningar ur öppen statistik."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser(
        "demo", help="bygg det syntetiska exempeldatat och spara det i datalagret"
    )
    demo.add_argument("--seed", type=int, default=None, help="slumpfrö (samma frö ger samma data)")
    demo.add_argument(
        "--districts-per-kommun", type=int, default=20, help="antal påhittade delområden per kommun"
    )
    demo.add_argument(
        "--lan", action="append", metavar="KOD", help="bara detta län (kan upprepas), t.ex. 17"
    )
    demo.add_argument(
        "--kommun",
        action="append",
        metavar="KOD",
        help="bara denna kommun (kan upprepas), t.ex. 1780",
    )
    demo.add_argument(
        "--if-empty", action="store_true", help="gör inget om datalagret redan har data"
    )
    demo.add_argument("--ersatt", action="store_true", help="ersätt verklig statistik i datalagret")
    demo.set_defaults(func=_cmd_demo)

    info = sub.add_parser("info", help="visa vad datalagret innehåller")
    info.set_defaults(func=_cmd_info)

    refresh = sub.add_parser("refresh", help="hämta statistik eller områdesgränser till datalagret")
    refresh_sub = refresh.add_subparsers(dest="source", required=True)
    refresh_all_cli.add_parser(refresh_sub)
    refresh_scb.add_parser(refresh_sub)
    refresh_geo.add_parser(refresh_sub)
    refresh_kolada.add_parser(refresh_sub)
    refresh_kommungrupp.add_parser(refresh_sub)

    importers.add_parser(sub)
    # SCB's DeSO→RegSO key file has its own command: it is not statistics but geography.
    crosswalk.add_parser(sub)
    export_cli.add_parser(sub)
    workshop_snapshot.add_parser(sub)

    serve = sub.add_parser(
        "serve", help="starta webbappen (bygger exempeldata om datalagret är tomt)"
    )
    serve.add_argument("--port", type=int, default=None, help="port (annars SODD_PORT, 8501)")
    serve.set_defaults(func=_cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except SoddError as error:
        print(f"Fel: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
