"""`hearth engines add|list|remove`: remote OpenAI-compatible engines, and the --engine option others share."""

from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from pathlib import Path

from desktop_app.commands import print_json
from desktop_app.commands.workspace import add_passphrase_option, unlock_key
from desktop_app.core import paths
from desktop_app.core.storage import keychain
from desktop_app.core.errors import HearthError
from desktop_app.core.remote import engines
from desktop_app.core.remote.address import split_login
from desktop_app.core.remote.client import DEFAULT_TIMEOUT_S, RemoteEngine
from desktop_app.core.remote.engines import KeyPlace
from desktop_app.core.remote.errors import RemoteError
from desktop_app.core.settings import Settings
from desktop_app.core.storage.store import Store, is_encrypted

LOGIN_KEPT_AT = {
    KeyPlace.KEYCHAIN: "the login in the address is kept in the OS keychain, the address without it",
    KeyPlace.WORKSPACE: "the login in the address is kept in the encrypted workspace, the address without it",
}
LOGIN_NOT_STORED = ("the login in the address was not stored (no keychain, the workspace is not encrypted, "
                    "or --no-store-key); give the address with its login each time")
KEPT_AT = {
    KeyPlace.KEYCHAIN: "the API key is kept in the OS keychain",
    KeyPlace.WORKSPACE: "the API key is kept in the encrypted workspace (no keychain on this system)",
}
NOT_STORED_DECLINED = "the API key was not stored (--no-store-key); pass --api-key-file each time"
NOT_STORED_NOWHERE = (
    "the API key was not stored: this system has no keychain and the workspace is not encrypted. "
    "Pass --api-key-file each time, or encrypt the workspace (`hearth workspace encrypt`) and add the engine again "
    "to keep the key there"
)


def register(subparsers) -> None:
    parser = subparsers.add_parser("engines", help="remote OpenAI-compatible engines (llama.cpp server, vLLM, another Hearth)")
    commands = parser.add_subparsers(dest="engines_command", required=True)
    add = commands.add_parser("add", help="add an engine by name and base URL (its models are listed to check it)")
    add.add_argument("name", help="a short name, e.g. office-gpu")
    add.add_argument("url", help="base URL, e.g. http://192.168.1.20:8080 (or …/v1)")
    add.add_argument("--model", default="", help="the model to use there (default: the first it lists)")
    add.add_argument("--api-key-file", type=Path,
                     help="a file holding the API key (kept in the OS keychain, else in the encrypted workspace)")
    add.add_argument("--no-store-key", action="store_true", help="use the key for this check only; never store it")
    add_passphrase_option(add)
    add.add_argument("--no-check", action="store_true", help="add without contacting the engine")
    add.set_defaults(func=run_add)
    listing = commands.add_parser("list", help="the engines and the models each serves")
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--offline", action="store_true", help="do not contact the engines")
    add_passphrase_option(listing)
    listing.set_defaults(func=run_list)
    remove = commands.add_parser("remove", help="forget an engine and its stored key")
    remove.add_argument("name")
    add_passphrase_option(remove)
    remove.set_defaults(func=run_remove)


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--engine", metavar="NAME|URL", help="run on a remote engine (from `hearth engines list`, or a URL)")
    parser.add_argument("--api-key-file", type=Path, help="the API key for a one-off --engine URL")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, metavar="SECONDS",
                        help=f"the longest wait for the engine: to connect, to answer, between two pieces of a reply "
                             f"(default {DEFAULT_TIMEOUT_S:g})")
    if "--passphrase-file" not in parser._option_string_actions:  # summarize has it for its history already
        add_passphrase_option(parser)  # opens the encrypted workspace where an engine's key is kept


KEY_FILE_LIMIT = 64 << 10  # an API key is tens of bytes


def read_key_file(path: Path | None) -> str | None:
    """The key in ``path`` (its first line, surrounding spaces and a UTF-8 BOM dropped)."""
    if path is None:
        return None
    try:
        with open(path, "rb") as handle:
            data = handle.read(KEY_FILE_LIMIT + 1)
    except OSError as exc:
        raise RemoteError(f"Could not read the API key file {path} ({exc.strerror or 'unreadable'}).") from exc
    if len(data) > KEY_FILE_LIMIT:
        raise RemoteError(f"{path} is larger than any API key file ({KEY_FILE_LIMIT // 1024} KB at most); "
                          "check that it is the right file.")
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise RemoteError(f"{path} is not a text file in UTF-8, so it holds no API key Hearth can read.") from None
    lines = text.strip().splitlines()
    return lines[0].strip() if lines and lines[0].strip() else None


@contextmanager
def workspace_if(args: argparse.Namespace, needed: bool):
    """The encrypted workspace, open (its passphrase asked if the keychain lacks its key) only when needed:
    to keep a key there, or to read or delete one kept there. None when not needed or not encrypted."""
    database = paths.database_path()
    if not needed or not is_encrypted(database):
        yield None
        return
    store = Store(database, unlock_key(args, database))
    try:
        yield store
    finally:
        store.close()


def _key_in_workspace(settings: Settings, name: str | None) -> bool:
    """True when the engine's API key or its address's login is kept in the encrypted workspace."""
    config = engines.find_engine(settings, name) if name else None
    return config is not None and KeyPlace.WORKSPACE in (config.key, config.login)


def engine_secrets(args: argparse.Namespace, settings: Settings) -> tuple[str | None, str | None]:
    """The API key (--api-key-file's, else the one kept in the workspace) and the login kept in the workspace
    of the engine --engine names (the keychain's are read where they are used)."""
    key = read_key_file(getattr(args, "api_key_file", None))
    if not _key_in_workspace(settings, getattr(args, "engine", None)):
        return key, None
    with workspace_if(args, True) as store:
        config = engines.find_engine(settings, args.engine)
        key = key or (config.api_key(store) if config.key == KeyPlace.WORKSPACE else None)
        login = config.address_login(store) if config.login == KeyPlace.WORKSPACE else None
    return key, login


def remote_engine_from_args(args: argparse.Namespace, settings: Settings) -> RemoteEngine | None:
    """The remote engine --engine names, connected (its model chosen by --model); None without --engine."""
    if not getattr(args, "engine", None):
        return None
    key, login = engine_secrets(args, settings)
    timeout = getattr(args, "timeout", None) or DEFAULT_TIMEOUT_S
    if not 0 < timeout <= 24 * 3600:
        raise RemoteError("--timeout takes seconds between 0 and 86400.")
    engine = engines.open_engine(settings, args.engine, api_key=key, model=args.model, login=login, timeout=timeout)
    info = engine.connect()
    if info.metadata["n_ctx_source"] == "assumed":  # prompts and chunks are fitted to an assumed size: say so
        print(f"hearth: {info.metadata['remote_note']}", file=sys.stderr)
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
        context = f"{info.n_ctx} tokens of context" + (", assumed" if info.metadata["n_ctx_source"] == "assumed" else "")
        print(f"{args.name}: {probe.server_root} serves {info.name} ({context})", file=sys.stderr)
        if info.metadata["remote_note"]:
            print(f"hearth: {info.metadata['remote_note']}", file=sys.stderr)
    model = args.model or ("" if args.no_check else info.name)  # pinned, so the pickers can list it offline
    has_login = split_login(args.url)[1] is not None
    to_workspace = (bool(api_key) or has_login) and not args.no_store_key and not keychain.available()
    with workspace_if(args, to_workspace or _key_in_workspace(settings, args.name)) as store:
        config = engines.add_engine(
            settings, args.name, args.url, api_key, model, store_key=not args.no_store_key, workspace=store
        )
        engines.store_logins(settings, store)
    settings.save()
    if api_key:
        where = KEPT_AT.get(config.key) or (NOT_STORED_DECLINED if args.no_store_key else NOT_STORED_NOWHERE)
        print(f"hearth: {where}", file=sys.stderr)
    if has_login:
        print(f"hearth: {LOGIN_KEPT_AT.get(config.login, LOGIN_NOT_STORED)}", file=sys.stderr)
    print(f"added {config.name} ({config.base_url})")
    return 0


def run_list(args: argparse.Namespace) -> int:
    settings = Settings.load()
    configs = engines.list_engines(settings)
    needs_workspace = not args.offline and any(KeyPlace.WORKSPACE in (c.key, c.login) for c in configs)
    rows = []
    with workspace_if(args, needs_workspace) as store:
        if engines.store_logins(settings, store):  # an older settings.json with a login in an address
            settings.save()
        for config in configs:
            row = {"name": config.name, "base_url": config.base_url, "model": config.model, "key": str(config.key)}
            if config.login != KeyPlace.NONE:
                row["login"] = str(config.login)
            if not args.offline:
                try:
                    with RemoteEngine(config.base_url, api_key=config.api_key(store), timeout=5.0, max_retries=0,
                                      login=config.address_login(store)) as probe:
                        row["models"] = probe.list_models()
                except HearthError as exc:
                    row["error"] = str(exc)
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
    with workspace_if(args, _key_in_workspace(settings, args.name)) as store:
        config = engines.remove_engine(settings, args.name, workspace=store)
    settings.save()
    print(f"removed {config.name}" + (" and its API key" if config.key != KeyPlace.NONE else ""))
    return 0
