"""Vision throughput: the app's engines against a bare onnxruntime session, same model, one run.

    .venv/bin/python benchmarks/bench_vision.py [--images 500] [--repeats 50]

For each default model (classifier, detector):
- per-image latency, model only: ``engine.infer(prepared)`` vs ``session.run`` on the same tensor;
- per-image latency, end to end (read file, preprocess, run, decode): ``engine.classify/detect``
  vs a minimal hand-written OpenCV + onnxruntime pipeline;
- folder throughput over N images: ``run_batch`` (prefetching) vs the bare pipeline in a loop.

Both sides use the same SessionOptions (onnxruntime's default thread count) and the CPU
provider. Results are printed and written to benchmarks/results/vision.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop_app.core.library.registry import ModelRegistry  # noqa: E402
from desktop_app.core.vision import collect_images, open_registry_engine, run_batch  # noqa: E402

PHOTOS = ("astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg", "camera.png", "motorcycle_left.png")


def photo_dir() -> Path:
    import skimage

    return Path(skimage.__file__).parent / "data"


def make_folder(target: Path, count: int) -> list[Path]:
    sources = [photo_dir() / name for name in PHOTOS]
    for i in range(count):
        source = sources[i % len(sources)]
        shutil.copy(source, target / f"{i:04d}{source.suffix}")
    return collect_images([target])


# ---------------------------------------------------------------- bare pipelines


def bare_session(path: Path) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])


def bare_classify(session: ort.InferenceSession, path: Path) -> int:
    image = cv2.cvtColor(cv2.imread(str(path), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    h, w = image.shape[:2]
    scale = 256 / min(h, w)
    image = cv2.resize(image, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_CUBIC)
    h, w = image.shape[:2]
    top, left = (h - 224) // 2, (w - 224) // 2
    x = (image[top : top + 224, left : left + 224].astype(np.float32) / 127.5 - 1.0).transpose(2, 0, 1)[None]
    logits = session.run(None, {"input": np.ascontiguousarray(x)})[0]
    return int(logits.argmax())


def bare_detect(session: ort.InferenceSession, path: Path, conf: float = 0.3, iou: float = 0.5) -> int:
    image = cv2.cvtColor(cv2.imread(str(path), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    h, w = image.shape[:2]
    scale = 512 / max(h, w)
    nw, nh = round(w * scale), round(h * scale)
    canvas = np.zeros((512, 512, 3), np.uint8)
    top, left = (512 - nh) // 2, (512 - nw) // 2
    canvas[top : top + nh, left : left + nw] = cv2.resize(image, (nw, nh))
    rows = session.run(None, {"images": canvas.astype(np.float32)[None]})[0][0]
    rows = rows[rows[:, 4] >= conf]
    boxes = rows[:, :4].copy()
    boxes[:, 0::2] = (boxes[:, 0::2] - left) / scale
    boxes[:, 1::2] = (boxes[:, 1::2] - top) / scale
    xywh = np.concatenate([boxes[:, :2], boxes[:, 2:] - boxes[:, :2]], 1)
    kept = cv2.dnn.NMSBoxesBatched(xywh.tolist(), rows[:, 4].tolist(), rows[:, 5].astype(int).tolist(), conf, iou)
    return len(kept)


# ---------------------------------------------------------------- timing


def timed_pair(app, bare, repeats: int, warmup: int = 5) -> dict:
    """Alternate app and bare calls so both see the same machine load (the CPU is shared)."""
    for _ in range(warmup):
        app(), bare()
    samples = {"app": [], "bare": []}
    for _ in range(repeats):
        for name, fn in (("app", app), ("bare", bare)):
            start = time.perf_counter()
            fn()
            samples[name].append((time.perf_counter() - start) * 1000)
    return {name: _summary(values) for name, values in samples.items()}


def _summary(values: list[float]) -> dict:
    values = sorted(values)
    return {"median_ms": round(statistics.median(values), 2), "p90_ms": round(values[int(0.9 * (len(values) - 1))], 2)}


def folder_throughput(engine, app_run, bare, session, images: list[Path], chunk: int = 50) -> dict:
    """Images per second over the whole folder, app and bare alternating by chunks of 50."""
    app_s = bare_s = 0.0
    failed = 0
    for i in range(0, len(images), chunk):
        part = images[i : i + chunk]
        start = time.perf_counter()
        failed += len(run_batch(engine, part, app_run).failures)
        app_s += time.perf_counter() - start
        start = time.perf_counter()
        for path in part:
            bare(session, path)
        bare_s += time.perf_counter() - start
    app_ips, bare_ips = len(images) / app_s, len(images) / bare_s
    return {
        "images": len(images),
        "failed": failed,
        "app_images_per_s": round(app_ips, 1),
        "bare_images_per_s": round(bare_ips, 1),
        "app_vs_bare": round(app_ips / bare_ips, 3),
    }


def bench_model(task: str, images: list[Path], repeats: int) -> dict:
    entry = ModelRegistry().default(task)
    engine = open_registry_engine(entry)
    session = bare_session(entry.path)
    probe = photo_dir() / ("coffee.png" if task == "classify" else "astronaut.png")
    prepared = engine.prepare(probe)
    feed = {engine.spec.input.name: prepared.tensor}
    app_run = (lambda p: engine.run(p, 5)) if task == "classify" else (lambda p: engine.run(p, 0.3, 0.5))
    app_one = (lambda: engine.classify(probe, 5)) if task == "classify" else (lambda: engine.detect(probe, 0.3, 0.5))
    bare = bare_classify if task == "classify" else bare_detect

    latency_model = timed_pair(lambda: engine.infer(prepared), lambda: session.run(None, feed), repeats)
    latency_e2e = timed_pair(app_one, lambda: bare(session, probe), repeats)
    run_batch(engine, images[:10], app_run)  # warm the prefetch pool and caches
    folder = folder_throughput(engine, app_run, bare, session, images)
    engine.close()
    return {
        "model": entry.name,
        "input": f"{engine.spec.input.width}x{engine.spec.input.height}",
        "latency_model_only": latency_model,
        "latency_end_to_end": latency_e2e,
        "folder": folder,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "vision.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        images = make_folder(Path(folder), args.images)
        report = {
            "machine": {"platform": platform.platform(), "processor": platform.processor(), "cpus": __import__("os").cpu_count()},
            "onnxruntime": ort.__version__,
            "results": [bench_model(task, images, args.repeats) for task in ("classify", "detect")],
        }
    print(json.dumps(report, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
