"""GGUF memory estimates against real resident memory, and refusing loads that will not fit."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from desktop_app.core import system
from desktop_app.core.errors import InsufficientMemory
from desktop_app.core.llm import memory
from desktop_app.core.llm.engine import LlamaEngine, LoadOptions
from desktop_app.core.llm.gguf_info import read_gguf_info


def test_estimate_follows_the_kv_formula(tiny_gguf):
    info = read_gguf_info(tiny_gguf)
    short = memory.estimate_gguf_memory(info, 128, 0, ram_available=2**34)
    long = memory.estimate_gguf_memory(info, 512, 0, ram_available=2**34)
    per_token = 2 * 2 * 64 * 2  # layers * (k + v) * (heads_kv * head_dim) * f16
    assert long.kv_cache_bytes - short.kv_cache_bytes == (512 - 128) * per_token
    assert memory.estimate_gguf_memory(info, 100_000, 0, ram_available=2**34).n_ctx == 512  # capped like the engine


def test_gpu_offload_moves_memory_to_vram(default_chat_model):
    info = read_gguf_info(default_chat_model)
    cpu = memory.estimate_gguf_memory(info, 4096, 0, ram_available=2**34)
    gpu = memory.estimate_gguf_memory(info, 4096, "auto", gpu_offload_supported=True, ram_available=2**34, vram_available=2**34)
    half = memory.estimate_gguf_memory(info, 4096, 15, gpu_offload_supported=True, ram_available=2**34, vram_available=2**34)
    assert cpu.vram_bytes == 0 and gpu.gpu_layers == 30 and half.gpu_layers == 15
    assert gpu.ram_bytes < half.ram_bytes < cpu.ram_bytes
    short = memory.estimate_gguf_memory(info, 4096, "auto", gpu_offload_supported=True, ram_available=2**34, vram_available=2**20)
    assert short.fits_ram and not short.fits_vram
    assert "fewer GPU layers" in memory.explain_shortfall("m.gguf", short)


def test_refusal_explains_and_suggests(default_chat_model, monkeypatch):
    monkeypatch.setattr(system, "available_ram", lambda: 600 * 2**20)
    with pytest.raises(InsufficientMemory) as caught:
        memory.check_gguf_fits(default_chat_model, 8192, 0)
    message = str(caught.value)
    assert "needs about" in message and "only 0.6 GB is available" in message
    assert "shorter context" in message and "smaller quantization" in message


def test_engine_load_refuses_before_llama_cpp_allocates(tiny_gguf, monkeypatch):
    monkeypatch.setattr(system, "available_ram", lambda: 10 * 2**20)
    engine = LlamaEngine()
    with pytest.raises(InsufficientMemory):
        engine.load(tiny_gguf, LoadOptions(n_ctx=512, probe=False))
    assert not engine.loaded


MEASURE = """
import json, sys, psutil, llama_cpp
from desktop_app.core.llm.engine import LlamaEngine, LoadOptions, ChatMessage, SamplingParams
process = psutil.Process()
before = process.memory_info().rss
engine = LlamaEngine()
engine.load(sys.argv[1], LoadOptions(n_ctx=int(sys.argv[2]), n_threads=2, check_memory=False, probe=False))
engine.chat([ChatMessage("user", "Hello")], SamplingParams(max_tokens=4, temperature=0))
print(json.dumps({"rss_delta": process.memory_info().rss - before}))
"""


@pytest.mark.slow
@pytest.mark.parametrize("n_ctx", [2048, 8192])
def test_estimate_is_within_25_percent_of_resident_memory(default_chat_model, n_ctx):
    """Measured in a fresh process: RSS after load and a short reply, minus RSS before load."""
    done = subprocess.run([sys.executable, "-c", MEASURE, str(default_chat_model), str(n_ctx)],
                          capture_output=True, text=True, timeout=300, check=True)
    measured = json.loads(done.stdout.strip().splitlines()[-1])["rss_delta"]
    estimate = memory.estimate_gguf_memory(default_chat_model, n_ctx, 0)
    ratio = estimate.ram_bytes / measured
    assert 0.75 <= ratio <= 1.25, f"estimate {estimate.ram_bytes / 1e6:.0f} MB vs measured {measured / 1e6:.0f} MB"
    assert estimate.ram_peak_bytes >= measured  # the refusal threshold is never below what load really uses


@pytest.mark.slow
def test_estimate_holds_for_another_shape(tmp_path):
    """A synthetic F32 model with full multi-head attention and a tiny vocabulary: other proportions than SmolLM2."""
    from gguf_factory import write_tiny_llama

    path = write_tiny_llama(tmp_path / "mid.gguf", n_embd=512, n_layer=8, n_head=8, n_ff=1536, context_length=8192)
    done = subprocess.run([sys.executable, "-c", MEASURE, str(path), "4096"], capture_output=True, text=True, timeout=300, check=True)
    measured = json.loads(done.stdout.strip().splitlines()[-1])["rss_delta"]
    ratio = memory.estimate_gguf_memory(path, 4096, 0).ram_bytes / measured
    assert 0.75 <= ratio <= 1.25, ratio


# Measured on an NVIDIA H100 (CUDA 13.0, driver 580) with llama.cpp as vendored in llama-cpp-python
# 0.3.36, built with GGML_CUDA for sm_90, running llama-lookup -c N -ngl L on gguf_factory models:
# peak per-process VRAM from nvidia-smi (MiB). Flash attention was "auto" (on).
# (model shape, file size, n_ctx, gpu layers) -> measured MiB
H100_MEASURED = [
    ((256, 4, 4, 512), 11_164_704, 4096, 99, 584),
    ((256, 4, 4, 512), 11_164_704, 32768, 99, 764),
    ((1024, 8, 16, 2816), 413_761_632, 4096, 99, 1136),
    ((1024, 8, 16, 2816), 413_761_632, 16384, 99, 1468),
    ((1024, 8, 16, 2816), 413_761_632, 16384, 4, 1018),
]


@pytest.mark.parametrize("shape, size, n_ctx, layers, measured_mib", H100_MEASURED)
def test_vram_estimate_matches_h100_measurements(shape, size, n_ctx, layers, measured_mib, monkeypatch):
    from desktop_app.core.llm.gguf_info import GGUFInfo

    monkeypatch.setattr(memory, "GPU_RUNTIME_BYTES", 560 * 2**20)  # the CUDA figure, also on macOS runners
    n_embd, n_layer, n_head, n_ff = shape
    head_dim = n_embd // n_head
    info = GGUFInfo("synthetic", 3, "llama", "tiny", 0, None, "F32", 32768, n_layer, n_embd, n_ff,
                    n_head, n_head, head_dim, head_dim, 322, None, True, 0, size)
    estimate = memory.estimate_gguf_memory(info, n_ctx, layers, gpu_offload_supported=True,
                                             ram_available=2**36, vram_available=2**36)
    ratio = estimate.vram_bytes / (measured_mib * 2**20)
    assert 0.9 <= ratio <= 1.1, f"estimate {estimate.vram_bytes / 2**20:.0f} MiB vs measured {measured_mib} MiB"
