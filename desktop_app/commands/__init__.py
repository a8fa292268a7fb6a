"""Headless subcommands of `hearth`, one module each (see cli.COMMAND_MODULES)."""

import json
import sys


def print_json(document) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    sys.stdout.flush()
