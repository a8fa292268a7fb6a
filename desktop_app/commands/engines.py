"""`hearth engines add|list|remove`: remote OpenAI-compatible engines, and the --engine option others share."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop_app.commands import print_json
from desktop_app.core.remote import engines
from desktop_app.core.remote.client import RemoteEngine
from desktop_app.core.remote.errors import RemoteError
from desktop_app.core.settings import Settings


def register(subparsers) -> None:
    parser = subparsers.add_parser("engines", help="remote OpenAI-compatible engines (llama.cpp server, vLLM, another Hearth)")
    commands = parser.add_subparsers(dest="engines_command", required=True)
    add = commands.add_parser("add", help="add an engine by name and base URL (its models are listed to check it)")
    add.add_argument("name", help="a short name, e.g. office-gpu")
    add.add_argument("url", help="base URL, e.g. http://192.168.1.20:8080 (or …/v1)")
    add.add_argument("--model", default="", help="the model to use there (default: the first it lists)")
    add.add_argument("--api-key-file", type=Path, help="a file holding the API key (kept in the OS keychain)")
    add.add_argument("--no-store-key", action="store_true", help="use the key for this check only; never store it")
    add.add_argument("--no-check", action="store_true", help="add without contacting the engine")
    add.set_defaults(func=run_add)
    listing = commands.add_parser("list", help="the engines and the models each serves")
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--offline", action="store_true", help="do not contact the engines")
    listing.set_defaults(func=run_list)
    remove = commands.add_parser("remove", help="forget an engine and its stored key")
    remove.add_argument("name")
    remove.set_defaults(func=run_remove)


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--engine", metavar="NAME|URL", help="run on a remote engine (from `hearth engines list`, or a URL)")
    parser.add_argument("--api-key-file", type=Path, help="the API key for a one-off --engine URL")


def read_key_file(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        key = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise RemoteError(f"Could not read the API key file {path} ({exc.strerror}).") from exc
    return key or None


def remote_engine_from_args(args: argparse.Namespace, settings: Settings) -> RemoteEngine | None:
    """The remote engine --engine names, connected (its model chosen by --model); None without --engine."""
    if not getattr(args, "engine", None):
        return None
    engine = engines.open_engine(settings, args.engine, api_key=read_key_file(args.api_key_file), model=args.model)
    engine.connect()
    return engine


def run_add(args: argparse.Namespace) -> int:
    settings = Settings.load()
    api_key = read_key_file(args.api_key_file)
    if not args.no_check:
        probe = RemoteEngine(args.url, api_key=api_key, model=args.model or None, max_retries=0)
        try:
            info = probe.connect()
        finally:
            probe.close()
        print(f"{args.name}: {probe.server_root} serves {info.name}", file=sys.stderr)
    model = args.model or ("" if args.no_check else info.name)  # pinned, so the pickers can list it offline
    config = engines.add_engine(settings, args.name, args.url, api_key, model, store_key=not args.no_store_key)
    settings.save()
    if api_key and config.key != "keychain":
        print("hearth: the API key was not stored (no keychain, or --no-store-key); pass --api-key-file each time", file=sys.stderr)
    print(f"added {config.name} ({config.base_url})")
    return 0


def run_list(args: argparse.Namespace) -> int:
    settings = Settings.load()
    rows = []
    for config in engines.list_engines(settings):
        row = {"name": config.name, "base_url": config.base_url, "model": config.model, "key": config.key}
        if not args.offline:
            probe = RemoteEngine(config.base_url, api_key=config.api_key(), timeout=5.0, max_retries=0)
            try:
                row["models"] = probe.list_models()
            except RemoteError as exc:
                row["error"] = str(exc)
            finally:
                probe.close()
        rows.append(row)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("no remote engines; add one with `hearth engines add NAME URL`")
    for row in rows:
        models = ", ".join(row.get("models", [])) or row.get("error", "")
        print(f"{row['name']}\t{row['base_url']}\tkey: {row['key']}\t{models}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    settings = Settings.load()
    config = engines.remove_engine(settings, args.name)
    settings.save()
    print(f"removed {config.name}")
    return 0
