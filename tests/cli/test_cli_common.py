"""What every command shares: this run's setting overrides, the model it resolves, the help, and one plain line
for an error."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

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


def test_help_lists_the_commands_and_hides_the_internal_ones(capsys):
    from desktop_app.cli import build_parser, main

    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    shown = capsys.readouterr().out
    assert "SUPPRESS" not in shown
    for internal in (["_probe-gguf", "model.gguf"], ["_startup-probe"], ["_watch-child", "123"]):
        assert internal[0] not in shown
        assert build_parser().parse_args(internal).func  # still there, for the app's own use
    listed = [line.split()[0] for line in shown.splitlines() if line.startswith("    ") and not line.startswith("     ")]
    assert listed[:3] == ["gui", "chat", "models"] and "serve" in listed


def test_an_unexpected_error_is_one_sentence_that_points_to_the_log(capsys, monkeypatch):
    from desktop_app.cli import main
    from desktop_app.commands import hardware

    monkeypatch.setattr(hardware, "run_hardware", lambda args: {}["the user's secret text"])
    assert main(["hardware"]) == 70
    said = capsys.readouterr().err
    head = "hearth: Something went wrong that Hearth did not expect. The details are in the log file "
    assert said.startswith(head) and said.endswith("hearth.log.\n") and "KeyError" not in said and "secret" not in said
    log = Path(said[len(head):-2])  # this process's log (the first test that ran main() chose its folder)
    assert "KeyError (message not logged)" in log.read_text(encoding="utf-8")  # the type, for whoever reads the log


def test_a_file_error_is_one_sentence_with_what_to_do(capsys, monkeypatch, tmp_path):
    import errno

    from desktop_app.cli import main
    from desktop_app.commands import hardware

    def full(args):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "out.json"))

    monkeypatch.setattr(hardware, "run_hardware", full)
    assert main(["hardware"]) == 74
    assert capsys.readouterr().err == (f"hearth: Hearth could not use {tmp_path / 'out.json'}: the disk is full. Free "
                                       "some space and try again.\n")
