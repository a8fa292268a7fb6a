"""`hearth workspace status|encrypt|decrypt|passphrase|recover`: the encrypted workspace from a terminal or a script.

Secrets come from the terminal (never echoed) or, for scripts, from ``--passphrase-file``
(its first line). Every command that opens the database uses ``unlock_key(args)``:
the keychain first, then the passphrase.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from desktop_app.commands import print_json
from desktop_app.core import paths
from desktop_app.core.storage import workspace
from desktop_app.core.errors import HearthError, WorkspaceLocked
from desktop_app.core.instance import InstanceLock
from desktop_app.core.storage.keys import DEFAULT_COST


class SecretMissing(HearthError):
    exit_code = 2


def add_passphrase_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--passphrase-file", type=Path, help="read the workspace passphrase from the first line of this file"
    )


def register(subparsers) -> None:
    parser = subparsers.add_parser("workspace", help="encrypt your conversations, summaries and results")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    status = actions.add_parser("status", help="is the workspace encrypted, is its key in the keychain")
    status.add_argument("--json", action="store_true")
    status.set_defaults(func=run_status)
    encrypt = actions.add_parser("encrypt", help="encrypt the workspace with a passphrase; prints a recovery key once")
    add_passphrase_option(encrypt)
    encrypt.add_argument("--no-keychain", action="store_true", help="do not remember the key in the OS keychain")
    encrypt.set_defaults(func=run_encrypt)
    decrypt = actions.add_parser("decrypt", help="turn the workspace back into a plain, unencrypted database")
    add_passphrase_option(decrypt)
    decrypt.set_defaults(func=run_decrypt)
    change = actions.add_parser("passphrase", help="change the passphrase (re-encrypts; prints a new recovery key)")
    add_passphrase_option(change)
    change.add_argument("--new-passphrase-file", type=Path, help="read the new passphrase from this file")
    change.add_argument("--no-keychain", action="store_true", help="do not remember the key in the OS keychain")
    change.set_defaults(func=run_passphrase)
    recover = actions.add_parser("recover", help="copy what is readable from a damaged database into a new one")
    add_passphrase_option(recover)
    recover.set_defaults(func=run_recover)


def read_secret(path: Path | None, prompt: str, confirm: bool = False) -> str:
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise SecretMissing(f"Cannot read the passphrase file {path}: {exc.strerror or exc}.") from exc
        if not text or not text[0]:
            raise SecretMissing(f"The passphrase file {path} is empty.")
        return text[0]
    if not sys.stdin.isatty():
        raise SecretMissing("The workspace is encrypted and there is no terminal to ask the passphrase: use --passphrase-file.")
    secret = getpass.getpass(prompt)
    if confirm and getpass.getpass("Type it again: ") != secret:
        raise SecretMissing("The two passphrases differ; nothing was changed.")
    return secret


def unlock_key(args: argparse.Namespace, database: Path | None = None) -> bytes | None:
    """The key that opens the database: None when it is plain, the keychain's, or from the passphrase."""
    try:
        return workspace.unlock(database)
    except WorkspaceLocked:
        secret = read_secret(getattr(args, "passphrase_file", None), "Workspace passphrase: ")
        return workspace.unlock(database, passphrase=secret)


def _app_closed() -> InstanceLock:
    lock = InstanceLock(paths.data_dir())
    if not lock.acquire():
        raise HearthError("Hearth is open on this data folder: close the app first, then run this again.")
    return lock


def run_status(args: argparse.Namespace) -> int:
    state = workspace.status()
    if args.json:
        print_json(
            {
                "database": str(state.database),
                "exists": state.exists,
                "encrypted": state.encrypted,
                "keychain_available": state.keychain_available,
                "key_in_keychain": state.key_in_keychain,
            }
        )
        return 0
    print(f"database: {state.database}")
    print(f"encrypted: {'yes' if state.encrypted else 'no'}")
    if state.encrypted:
        where = "in the OS keychain" if state.key_in_keychain else "not remembered (the passphrase is asked)"
        print(f"key: {where}")
    return 0


def run_encrypt(args: argparse.Namespace) -> int:
    with _app_closed():
        passphrase = read_secret(args.passphrase_file, "New passphrase: ", confirm=True)
        recovery = workspace.encrypt(passphrase=passphrase, cost=DEFAULT_COST, remember=not args.no_keychain)
    _print_recovery_key(recovery)
    return 0


def run_decrypt(args: argparse.Namespace) -> int:
    with _app_closed():
        key = unlock_key(args)
        if key is None:
            raise HearthError("The workspace is not encrypted.")
        forgotten = workspace.decrypt(None, key)
    print("The workspace is no longer encrypted.", file=sys.stderr)
    if forgotten:  # never written to the plain file: those engines ask for their key again
        print(f"{forgotten} remote engine API key(s) kept in it were forgotten; add those engines again with their keys.",
              file=sys.stderr)
    return 0


def run_passphrase(args: argparse.Namespace) -> int:
    with _app_closed():
        key = unlock_key(args)
        if key is None:
            raise HearthError("The workspace is not encrypted: use `hearth workspace encrypt`.")
        new = read_secret(args.new_passphrase_file, "New passphrase: ", confirm=True)
        recovery = workspace.change_passphrase(None, key, new, cost=DEFAULT_COST, remember=not args.no_keychain)
    _print_recovery_key(recovery)
    return 0


def run_recover(args: argparse.Namespace) -> int:
    from desktop_app.core.storage.salvage import salvage, salvage_path

    with _app_closed():
        database = paths.database_path()
        key = unlock_key(args)
        report = salvage(database, salvage_path(database), key)
    counts = ", ".join(f"{rows} {table}" for table, rows in report.rows.items())
    print(f"Recovered {counts} into {report.target}. The damaged file {database} was not changed.")
    print(f"To use the recovered database, move {database.name} away and rename {report.target.name} to {database.name}.")
    return 0


def _print_recovery_key(recovery: str) -> None:
    print("Your recovery key (shown only now; print it or write it down, keep it apart from this computer):")
    print()
    print(f"    {recovery}")
    print()
    print("It opens the workspace if you forget the passphrase.")
