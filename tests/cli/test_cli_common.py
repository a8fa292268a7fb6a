"""What every model-running command shares: this run's setting overrides and the model it resolves."""

from __future__ import annotations

import argparse

from desktop_app.commands import resolve_model, settings_from_args
from desktop_app.core.settings import Settings


def test_flags_override_the_saved_settings_for_this_run_only(data_dir):
    saved = Settings(context_length=2048, gpu_layers=0, n_threads=3)
    saved.save()
    unchanged = settings_from_args(argparse.Namespace(ctx=None, gpu_layers=None, threads=None))
    assert (unchanged.context_length, unchanged.gpu_layers, unchanged.n_threads) == (2048, 0, 3)
    run = settings_from_args(argparse.Namespace(ctx=1024, gpu_layers="auto", threads=5))
    assert (run.context_length, run.gpu_layers, run.n_threads) == (1024, "auto", 5)
    summarize = settings_from_args(argparse.Namespace(ctx=None, threads=2))  # no --gpu-layers on this command
    assert (summarize.context_length, summarize.gpu_layers, summarize.n_threads) == (2048, 0, 2)
    assert Settings.load().context_length == 2048


def test_model_is_the_flag_or_the_tasks_own_default(data_dir, tiny_gguf):
    from desktop_app.core.library.importing import import_model
    from desktop_app.core.library.registry import ModelRegistry

    import_model(ModelRegistry(), tiny_gguf, name="tiny", copy=False, probe=False)
    settings = Settings()
    assert resolve_model(argparse.Namespace(model=str(tiny_gguf)), "chat", settings).path == tiny_gguf.resolve()
    settings.default_models.update(chat="tiny", detect="NanoDet-g")
    assert resolve_model(argparse.Namespace(model=None), "chat", settings).name == "tiny"
    assert resolve_model(argparse.Namespace(model=None), "detect", settings).name == "NanoDet-g"
    settings.default_models["detect"] = "CenterNet-MobileNetV3"
    assert resolve_model(argparse.Namespace(model=None), "detect", settings).name == "CenterNet-MobileNetV3"
