"""`hearth workspace status|encrypt|decrypt|passphrase|recover`: the encrypted workspace from a terminal or a script.

Secrets come from the terminal (never echoed) or, for scripts, from ``--passphrase-file``
(its first line). Every command that opens the database uses ``unlock_key(args)``:
the keychain first, then the passphrase.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from desktop_app.commands import print_json
from desktop_app.core import paths, texts
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


MAX_PASSPHRASE_FILE_BYTES = 64 * 1024


def read_secret(path: Path | None, prompt: str, confirm: bool = False) -> str:
    if path is not None:
        return _secret_from_file(path)
    if not sys.stdin.isatty():
        raise SecretMissing("The workspace is encrypted and there is no terminal to ask the passphrase: use --passphrase-file.")
    secret = getpass.getpass(prompt)
    if confirm and getpass.getpass("Type it again: ") != secret:
        raise SecretMissing("The two passphrases differ; nothing was changed.")
    return secret


def _secret_from_file(path: Path) -> str:
    """The file's first line, without a UTF-8 byte order mark (editors on Windows add one) or the line end."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_PASSPHRASE_FILE_BYTES)
    except OSError as exc:
        raise SecretMissing(f"Cannot read the passphrase file {path}: {exc.strerror or exc}.") from exc
    try:
        text = raw.split(b"\n", 1)[0].decode("utf-8-sig").splitlines()
    except UnicodeDecodeError:
        raise SecretMissing(texts.translate(
            "Workspace", "The passphrase file {path} is not UTF-8 text; save it as UTF-8 (the passphrase on its first line).").fill(
            path=path)) from None
    if not text or not text[0]:
        raise SecretMissing(f"The passphrase file {path} is empty.")
    return text[0]


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
        with _key_shown_before_the_swap() as show:
            workspace.encrypt(passphrase=passphrase, cost=DEFAULT_COST, remember=not args.no_keychain,
                              on_step=_test_steps(), on_recovery_key=show)
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
        with _key_shown_before_the_swap() as show:
            workspace.change_passphrase(None, key, new, cost=DEFAULT_COST, remember=not args.no_keychain,
                                        on_step=_test_steps(), on_recovery_key=show)
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
    print("It opens the workspace if you forget the passphrase.", flush=True)  # out before the swap, even to a pipe


@contextmanager
def _key_shown_before_the_swap():
    """The recovery key is printed before the new file is swapped in (a kill after the swap can no longer hide
    it); if the conversion then fails, the key printed opens nothing and the user is told so."""
    shown: list[str] = []

    def show(recovery: str) -> None:
        _print_recovery_key(recovery)
        shown.append(recovery)

    try:
        yield show
    except HearthError as exc:
        if shown and _key_unused(shown[0]):
            raise type(exc)(texts.translate("Workspace", "{error} The recovery key printed above opens nothing: discard it.").fill(
                error=exc.args[0] if exc.args else str(exc))) from exc
        raise


def _key_unused(recovery: str) -> bool:
    try:
        return workspace.unlock(recovery_key=recovery, use_keychain=False) is None  # None: the workspace stayed plain
    except HearthError:
        return True


# Tests only: "W,R", two pipe ends. Before each conversion step the step's name is written to W and one byte is read
# from R, so a test can stop (kill -9) the real command exactly there, without timing luck.
STEP_PIPES_ENV = "HEARTH_TEST_STEP_PIPES"


def _test_steps():
    pipes = os.environ.get(STEP_PIPES_ENV)
    if not pipes:
        return None
    write_end, read_end = (int(fd) for fd in pipes.split(","))

    def wait_at(step) -> None:
        os.write(write_end, f"{step.name}\n".encode("ascii"))
        os.read(read_end, 1)

    return wait_at
