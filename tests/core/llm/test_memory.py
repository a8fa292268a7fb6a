"""GGUF memory estimates against real resident memory, and refusing loads that will not fit."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from desktop_app.core import system
from desktop_app.core.errors import InsufficientMemory
from desktop_app.core.llm import memory, native_log
from desktop_app.core.llm.engine import LlamaEngine
from desktop_app.core.llm.types import LoadOptions
from desktop_app.core.llm.gguf_info import GGUFInfo, read_gguf_info

MiB = 2**20
# SmolLM2-135M-Instruct Q4_1 as read_gguf_info describes the bundled file: its shape without needing the file
SMOLLM2 = GGUFInfo("SmolLM2-135M-Instruct.Q4_1.gguf", 3, "llama", "SmolLM2", 134_515_008, "135M", "Q4_1", 8192,
                   30, 576, 1536, 9, 3, 64, 64, 49152, "apache-2.0", True, 272, 98_362_432)


def test_estimate_follows_the_kv_formula(tiny_gguf):
    info = read_gguf_info(tiny_gguf)
    short = memory.estimate_gguf_memory(info, 128, 0, ram_available=2**34)
    long = memory.estimate_gguf_memory(info, 512, 0, ram_available=2**34)
    per_token = 2 * 2 * 64 * 2  # layers * (k + v) * (heads_kv * head_dim) * f16
    assert long.kv_cache_bytes - short.kv_cache_bytes == (512 - 128) * per_token
    assert memory.estimate_gguf_memory(info, 100_000, 0, ram_available=2**34).n_ctx == 512  # capped like the engine


def test_gpu_offload_moves_memory_to_vram():
    info = SMOLLM2
    cpu = memory.estimate_gguf_memory(info, 4096, 0, ram_available=2**34)
    gpu = memory.estimate_gguf_memory(info, 4096, "auto", gpu_offload_supported=True, ram_available=2**34, vram_available=2**34)
    half = memory.estimate_gguf_memory(info, 4096, 15, gpu_offload_supported=True, ram_available=2**34, vram_available=2**34)
    assert cpu.vram_bytes == 0 and gpu.gpu_layers == 30 and half.gpu_layers == 15
    assert gpu.ram_bytes < half.ram_bytes < cpu.ram_bytes
    short = memory.estimate_gguf_memory(info, 4096, "auto", gpu_offload_supported=True, ram_available=2**34, vram_available=2**20)
    assert short.fits_ram and not short.fits_vram
    assert "fewer GPU layers" in memory.explain_shortfall("m.gguf", short)


def test_refusal_explains_and_suggests(monkeypatch):
    monkeypatch.setattr(system, "available_ram", lambda: 600 * 2**20)
    monkeypatch.setattr(memory, "read_gguf_info", lambda path: SMOLLM2)  # the header only, not the 98 MB file
    with pytest.raises(InsufficientMemory) as caught:
        memory.check_gguf_fits(SMOLLM2.path, 8192, 0)
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
from desktop_app.core.llm.engine import LlamaEngine
from desktop_app.core.sampling import SamplingParams
from desktop_app.core.llm.types import ChatMessage, LoadOptions
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


# A regression lock, not a validation: these five points are the ones the VRAM formula was fitted to,
# and the test pins GPU_RUNTIME_BYTES to the same 560 MiB the code hard-codes, so they can only catch a
# change that moves the estimate away from its own calibration. The independent check is
# test_vram_parts_match_llama_cpp_buffer_reports_for_an_unfitted_shape below.
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


def _llama_cpp_buffer_reports(path, n_ctx: int) -> dict[str, float]:
    """MiB per buffer as llama.cpp logs them when it creates a context with flash attention (CPU backend)."""
    import llama_cpp

    with native_log.capture() as captured:
        model = llama_cpp.Llama(str(path), n_ctx=n_ctx, n_ubatch=memory.DEFAULT_UBATCH, n_gpu_layers=0,
                                flash_attn=True, n_threads=1, verbose=False)
    model.close()
    text = "".join(line for _, line in captured.lines)
    found = re.findall(r"CPU(?:_Mapped)? +(model|KV|compute) buffer size = +([0-9.]+) MiB", text)
    return {kind: float(mib) for kind, mib in found}


@pytest.fixture(scope="module")
def unfitted_model(tmp_path_factory):
    """A shape none of the H100 points has (6 layers of 384, 6 heads, 16k training context)."""
    from gguf_factory import write_tiny_llama

    return write_tiny_llama(tmp_path_factory.mktemp("gguf") / "unfitted.gguf", n_embd=384, n_layer=6, n_head=6,
                            n_ff=1024, context_length=16384)


@pytest.mark.parametrize("n_ctx", [2048, 8192])
def test_vram_parts_match_llama_cpp_buffer_reports_for_an_unfitted_shape(unfitted_model, n_ctx, monkeypatch):
    """Not a VRAM measurement (none can be taken without a GPU): llama.cpp's own buffer sizes for the
    parts of the VRAM formula, on the CPU backend with flash attention on as CUDA's "auto" does: the
    model buffer (weights), the KV cache and the compute buffer. The CUDA runtime is left out (set to 0)."""
    reported = _llama_cpp_buffer_reports(unfitted_model, n_ctx)
    assert set(reported) == {"model", "KV", "compute"}, reported
    monkeypatch.setattr(memory, "GPU_RUNTIME_BYTES", 0)
    estimate = memory.estimate_gguf_memory(unfitted_model, n_ctx, "auto", gpu_offload_supported=True,
                                           ram_available=2**36, vram_available=2**36)
    assert estimate.gpu_layers == 6 and estimate.n_ctx == n_ctx
    assert estimate.kv_cache_bytes / MiB == pytest.approx(reported["KV"], abs=0.01)
    measured = (reported["model"] + reported["KV"] + reported["compute"]) * MiB
    ratio = estimate.vram_bytes / measured
    assert 0.9 <= ratio <= 1.1, f"estimate {estimate.vram_bytes / MiB:.1f} MiB vs llama.cpp's buffers {measured / MiB:.1f} MiB"
