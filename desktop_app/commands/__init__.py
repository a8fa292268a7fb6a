"""Headless subcommands of `hearth`, one module each (see cli.COMMAND_MODULES), and what they share."""

import argparse
import json
import sys

from desktop_app.core.library.registry import ModelEntry, ModelRegistry
from desktop_app.core.settings import Settings


def print_json(document) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    sys.stdout.flush()


def write_stdout(chunk: str) -> None:
    sys.stdout.write(chunk)
    sys.stdout.flush()


def settings_from_args(args: argparse.Namespace) -> Settings:
    """The saved settings with this run's --ctx, --gpu-layers and --threads on top (never saved back)."""
    settings = Settings.load()
    if getattr(args, "ctx", None):
        settings.context_length = args.ctx
    if getattr(args, "gpu_layers", None) is not None:
        settings.gpu_layers = args.gpu_layers
    if getattr(args, "threads", None):
        settings.n_threads = args.threads
    if getattr(args, "speculative", None) is not None:
        settings.speculative = args.speculative == "on"
    return settings


def resolve_model(args: argparse.Namespace, task: str, settings: Settings) -> ModelEntry:
    """--model (a library name or a file path), else the task's default model."""
    return ModelRegistry().resolve(args.model, task, settings.default_models.get(task))
