"""Time to list a library of 50 models, cold (no metadata cache) and warm (cached).

The library: 40 GGUFs that are hard links to the real default model (a real 49k-token
vocabulary header, 98 MB each, no extra disk) and 10 ONNX models (hard links to the
bundled vision models, with their sidecars), registered in place, plus the 4 bundled
defaults. Hard links have distinct paths, so each is parsed separately when cold.
The OS page cache is warm for these files (they share inodes): a first read from a
spinning disk would add seek time per file to the cold figure, not to the warm one.

Run: .venv/bin/python benchmarks/bench_library.py [--models 50] [--repeat 5]
Writes benchmarks/results/library.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop_app.core.library.registry import ModelEntry, ModelRegistry  # noqa: E402


def build_library(data_dir: Path, count: int) -> ModelRegistry:
    os.environ["HEARTH_DATA_DIR"] = str(data_dir)
    registry = ModelRegistry(data_dir=data_dir)
    gguf = registry.default("chat").path
    onnx = [e for e in registry.list(kind="onnx")]
    folder = Path(tempfile.mkdtemp(prefix="lib-", dir=ROOT / ".bench"))
    n_onnx = count // 5
    for i in range(count - n_onnx):
        target = folder / f"chat-{i:02d}.gguf"
        os.link(gguf, target)
        registry.add(ModelEntry(f"Chat {i:02d}", "gguf", "chat", target, "imported", gguf.stat().st_size, extra={"in_place": True}))
    for i in range(n_onnx):
        source = onnx[i % len(onnx)]
        target = folder / f"vision-{i:02d}.onnx"
        os.link(source.path, target)
        sidecar = folder / f"vision-{i:02d}.json"
        raw = json.loads(source.sidecar_path.read_text())
        if raw.get("labels_file"):
            raw["labels_file"] = str(source.sidecar_path.parent / raw["labels_file"])
        sidecar.write_text(json.dumps(raw))
        registry.add(ModelEntry(f"Vision {i:02d}", "onnx", source.task, target, "imported", target.stat().st_size,
                                extra={"in_place": True, "sidecar": str(sidecar)}))
    return registry


def time_details(data_dir: Path) -> tuple[float, int, int]:
    registry = ModelRegistry(data_dir=data_dir)
    started = time.perf_counter()
    rows = registry.details()
    return time.perf_counter() - started, len(rows), registry.metadata_cache.parsed


def time_cli(data_dir: Path) -> float:
    env = {**os.environ, "HEARTH_DATA_DIR": str(data_dir)}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "desktop_app", "models", "list", "--json"], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    (ROOT / ".bench").mkdir(exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix="libdata-", dir=ROOT / ".bench"))
    build_library(data_dir, args.models)
    cache = data_dir / "model-metadata-cache.json"
    cold, warm, cli_cold, cli_warm = [], [], [], []
    for _ in range(args.repeat):
        cache.unlink(missing_ok=True)
        seconds, rows, parsed = time_details(data_dir)
        cold.append(seconds)
        seconds, rows_warm, parsed_warm = time_details(data_dir)
        warm.append(seconds)
        assert parsed == rows and parsed_warm == 0, (parsed, parsed_warm)
        cache.unlink(missing_ok=True)
        cli_cold.append(time_cli(data_dir))
        cli_warm.append(time_cli(data_dir))
    result = {
        "models_listed": rows,
        "registry_details_cold_s": statistics.median(cold),
        "registry_details_warm_s": statistics.median(warm),
        "cli_models_list_json_cold_s": statistics.median(cli_cold),
        "cli_models_list_json_warm_s": statistics.median(cli_warm),
        "repeat": args.repeat,
        "cpu_count": os.cpu_count(),
    }
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "library.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    shutil.rmtree(data_dir, ignore_errors=True)
    for folder in (ROOT / ".bench").glob("lib-*"):
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
