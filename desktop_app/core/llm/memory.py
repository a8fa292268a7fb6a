"""What a GGUF model needs in memory, and a refusal before llama.cpp allocates what is not there.

``check_gguf_fits`` is called by ``LlamaEngine.load`` before llama.cpp allocates
anything: it estimates weights + KV cache + compute buffers for the requested context
and refuses with an explanation rather than letting the machine swap or the app die.

The estimate (fitted to llama.cpp's own buffer reports, see ``estimate_gguf_memory``):
- weights: the GGUF file size (mmap'd; resident once touched),
- KV cache: n_ctx * n_layer * n_head_kv * (key_length + value_length) * 2 bytes (f16),
- compute buffer reserve: llama.cpp reserves the worst case for one micro-batch, the larger
  of the logits (n_vocab * n_ubatch * 4) and the attention scores (n_ctx * n_ubatch * n_head * 4,
  without flash attention), plus activations; chat touches little of it on the CPU, so there it
  counts toward the peak, not the typical figure,
- on the GPU, flash attention (llama.cpp's "auto" turns it on for CUDA and Metal) replaces the
  scores by an f16 mask (n_ctx * n_ubatch * 2), and the CUDA runtime itself takes about
  560 MiB per process (525-590 MiB measured with nvidia-smi on an H100, CUDA 13; see
  tests/core/llm/test_memory.py::test_vram_estimate_matches_h100_measurements),
- overhead: vocabulary, threads, output buffer (about 8 MB + 200 bytes per vocabulary entry).
A safety margin of 1 GiB per device is kept free, as llama.cpp's ``--fit`` does.
"""

from __future__ import annotations

import platform
from dataclasses import asdict, dataclass
from pathlib import Path

from desktop_app.core import system
from desktop_app.core.errors import InsufficientMemory
from desktop_app.core.llm.gguf_info import GGUFInfo, read_gguf_info
from desktop_app.core.texts import joined, translate

GiB = system.GiB
MiB = system.MiB
MARGIN_BYTES = system.MARGIN_BYTES
KV_BYTES_PER_ELEMENT = 2  # f16 cache, llama.cpp's default
DEFAULT_UBATCH = 512
# CUDA context, cuBLAS handles and pools: not in llama.cpp's buffer reports, but real VRAM.
# Apple GPUs share system memory and need no separate context reserve of this size.
GPU_RUNTIME_BYTES = 0 if platform.system() == "Darwin" else 560 * MiB


@dataclass
class MemoryEstimate:
    n_ctx: int
    gpu_layers: int  # layers on the GPU (0: CPU only)
    weights_bytes: int
    kv_cache_bytes: int
    compute_bytes: int  # worst-case compute buffer llama.cpp reserves on the CPU
    overhead_bytes: int
    gpu_compute_bytes: int  # compute buffer on the GPU (flash attention), 0 without offload
    gpu_runtime_bytes: int  # CUDA context and libraries, 0 without offload
    ram_bytes: int  # expected resident memory after load (weights + KV + overhead on the CPU side)
    ram_peak_bytes: int  # with the full compute reserve touched
    vram_bytes: int
    ram_available_bytes: int
    vram_available_bytes: int
    margin_bytes: int = MARGIN_BYTES

    @property
    def fits_ram(self) -> bool:
        return self.ram_peak_bytes + self.margin_bytes <= self.ram_available_bytes

    @property
    def fits_vram(self) -> bool:
        return self.vram_bytes == 0 or self.vram_bytes + self.margin_bytes <= self.vram_available_bytes

    @property
    def fits(self) -> bool:
        return self.fits_ram and self.fits_vram

    def to_json(self) -> dict:
        return {**asdict(self), "fits": self.fits}


def _offload_fraction(info: GGUFInfo, gpu_layers, supported: bool) -> tuple[int, float]:
    if not supported or gpu_layers in (0, "0"):
        return 0, 0.0
    if gpu_layers in ("auto", None, "", -1, "-1"):
        layers = info.block_count
    else:
        layers = min(int(gpu_layers), info.block_count)
    total = max(info.block_count, 1)
    return layers, max(0.0, layers / total)


def estimate_gguf_memory(
    path_or_info: Path | str | GGUFInfo,
    n_ctx: int | None = None,
    gpu_layers: int | str = 0,
    n_ubatch: int = DEFAULT_UBATCH,
    gpu_offload_supported: bool | None = None,
    ram_available: int | None = None,
    vram_available: int | None = None,
) -> MemoryEstimate:
    info = path_or_info if isinstance(path_or_info, GGUFInfo) else read_gguf_info(path_or_info)
    train_ctx = info.context_length or 4096
    ctx = max(64, min(n_ctx or train_ctx, train_ctx))  # as LlamaEngine caps it
    ubatch = min(n_ubatch, ctx)
    if gpu_offload_supported is None:
        gpu_offload_supported = system.llama_capabilities()[0] if gpu_layers not in (0, "0") else False
    layers, fraction = _offload_fraction(info, gpu_layers, gpu_offload_supported)
    weights = info.size_bytes
    kv = ctx * info.kv_bytes_per_token(KV_BYTES_PER_ELEMENT)
    logits = info.vocab_size * ubatch * 4
    scores = ctx * ubatch * max(info.head_count, 1) * 4
    mask = ctx * ubatch * 2
    activations = 16 * ubatch * info.embedding_length * 4
    compute = max(logits, scores) + activations
    gpu_compute = max(logits, mask) + activations if layers else 0
    runtime = GPU_RUNTIME_BYTES if layers else 0
    overhead = 8 * MiB + 200 * info.vocab_size
    on_cpu = 1.0 - fraction
    host_buffers = mask if layers else 0  # pinned host copy of the mask llama.cpp keeps when offloading
    ram = int(weights * on_cpu + kv * on_cpu + overhead + host_buffers)
    vram = int(weights * fraction + kv * fraction + gpu_compute + runtime) if layers else 0
    ram_peak = ram + (0 if layers else compute)
    if vram_available is None:
        vram_available = _vram_available() if layers else 0
    return MemoryEstimate(
        n_ctx=ctx,
        gpu_layers=layers,
        weights_bytes=weights,
        kv_cache_bytes=kv,
        compute_bytes=compute,
        overhead_bytes=overhead,
        gpu_compute_bytes=gpu_compute,
        gpu_runtime_bytes=runtime,
        ram_bytes=ram,
        ram_peak_bytes=ram_peak,
        vram_bytes=vram,
        ram_available_bytes=system.available_ram() if ram_available is None else ram_available,
        vram_available_bytes=vram_available,
    )


def _vram_available() -> int:
    gpus = system.nvidia_gpus()
    if gpus:
        return sum(g.memory_free_bytes for g in gpus)  # llama.cpp splits layers across devices
    apple = system.apple_gpus()
    return apple[0].memory_free_bytes if apple else 0


def check_gguf_fits(path: Path | str, n_ctx: int | None, gpu_layers: int | str = 0, n_ubatch: int = DEFAULT_UBATCH) -> MemoryEstimate:
    """The estimate, or InsufficientMemory with what to change. Called by LlamaEngine.load."""
    estimate = estimate_gguf_memory(path, n_ctx, gpu_layers, n_ubatch)
    if not estimate.fits:
        raise InsufficientMemory(explain_shortfall(Path(path).name, estimate))
    return estimate


def _gb(n: int) -> str:
    return f"{n / GiB:.1f} GB"


def explain_shortfall(name: str, e: MemoryEstimate) -> str:
    on_gpu = not e.fits_vram
    need = (e.vram_bytes if on_gpu else e.ram_peak_bytes) + e.margin_bytes
    have = e.vram_available_bytes if on_gpu else e.ram_available_bytes
    where = translate("ModelErrors", "GPU memory") if on_gpu else translate("ModelErrors", "memory")
    buffers = e.gpu_compute_bytes + e.gpu_runtime_bytes if on_gpu else e.compute_bytes + e.overhead_bytes
    suggestions = []
    if e.n_ctx > 2048 and e.kv_cache_bytes + e.compute_bytes > (need - e.margin_bytes) // 3:
        suggestions.append(translate("ModelErrors", "a shorter context (for example {n} tokens)").fill(
            n=max(2048, e.n_ctx // 4)))
    if on_gpu:
        suggestions.append(translate("ModelErrors", "fewer GPU layers"))
    suggestions.append(translate("ModelErrors", "a smaller quantization (for example Q4_K_M instead of Q8_0) or a "
                                                "smaller model"))
    if not on_gpu:
        suggestions.append(translate("ModelErrors", "closing other programs"))
    return translate(
        "ModelErrors", "{name} needs about {need} of {where} with a context of {n_ctx} tokens (weights {weights}, "
        "context cache {cache}, working buffers {buffers}, 1 GB kept free), but only {have} is available. "
        "Try: {suggestions}.").fill(
        name=name, need=_gb(need), where=where, n_ctx=e.n_ctx, weights=_gb(e.weights_bytes),
        cache=_gb(e.kv_cache_bytes), buffers=_gb(buffers), have=_gb(have),
        suggestions=joined(suggestions))
