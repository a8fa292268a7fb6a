"""Opening a GGUF in llama.cpp, and the checks before it: the file itself, the memory it needs, the GPU layers."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core import paths
from desktop_app.core.errors import ModelLoadError
from desktop_app.core.llm import memory, native_log
from desktop_app.core.llm.probe import explain_load_failure
from desktop_app.core.llm.types import LoadOptions
from desktop_app.core.texts import translate

GGUF_MAGIC = b"GGUF"
MIN_GGUF_BYTES = 32


def resolve_gpu_layers(requested: str | int, supported: bool) -> int:
    """'auto' offloads every layer when the build can, otherwise none."""
    if requested in ("auto", None, ""):
        return -1 if supported else 0
    layers = int(requested)
    return layers if supported else 0


def check_gguf_file(path: Path) -> None:
    """Cheap checks that turn llama.cpp's silent failures into plain sentences."""
    problem = paths.model_file_problem(path)
    if problem:
        raise ModelLoadError(problem)
    size = path.stat().st_size
    with open(path, "rb") as handle:
        magic = handle.read(4)
    if magic != GGUF_MAGIC:
        raise ModelLoadError(
            translate("ModelErrors", "{name} is not a GGUF model file. Hearth's chat needs a .gguf "
                                     "file (for example from a 'GGUF' repository on Hugging Face).").fill(name=path.name)
        )
    if size < MIN_GGUF_BYTES:
        raise ModelLoadError(translate("ModelErrors", "{name} is truncated ({size} bytes). Download "
                                                      "it again.").fill(name=path.name, size=size))


def check_memory(path: Path, options: LoadOptions) -> None:
    """Refuse loads that will not fit (InsufficientMemory says what to change)."""
    memory.check_gguf_fits(path, options.n_ctx, options.gpu_layers)


@dataclass
class OpenedContext:
    """A llama.cpp model and its context; ``stack.close()`` frees both."""

    stack: ExitStack
    model: object  # llama_cpp._internals.LlamaModel
    ctx: object  # llama_cpp._internals.LlamaContext
    n_ctx: int
    n_ctx_train: int
    gpu_layers: int
    gpu_offload_supported: bool


def open_context(path: Path, options: LoadOptions, threads: int) -> OpenedContext:
    """Load the weights and create a context computing with ``threads`` threads (the engine changes that per
    call: threads.py); llama.cpp's own complaints become one ModelLoadError sentence."""
    import llama_cpp
    from llama_cpp import _internals

    supported = bool(llama_cpp.llama_supports_gpu_offload())
    gpu_layers = resolve_gpu_layers(options.gpu_layers, supported)
    stack = ExitStack()
    model_params = llama_cpp.llama_model_default_params()
    model_params.n_gpu_layers = 0x7FFFFFFF if gpu_layers < 0 else gpu_layers
    with native_log.capture() as captured:
        try:
            # verbose=True: llama-cpp-python's verbose=False points the whole process's stdout and stderr at
            # /dev/null while it loads (every thread's output is lost, and two loads at once can leave them
            # there for good); llama.cpp's own log goes through native_log instead
            model = _internals.LlamaModel(path_model=str(path), params=model_params, verbose=True)
        except ValueError as exc:
            raise ModelLoadError(explain_load_failure(path, captured.errors())) from exc
    stack.callback(model.close)
    n_ctx_train = model.n_ctx_train()
    n_ctx = max(64, min(options.n_ctx or n_ctx_train, n_ctx_train))
    ctx_params = llama_cpp.llama_context_default_params()
    ctx_params.n_ctx = n_ctx
    ctx_params.n_batch = min(options.n_batch, n_ctx)
    ctx_params.n_ubatch = min(options.n_ubatch or options.n_batch, ctx_params.n_batch)
    ctx_params.flash_attn_type = {
        "on": llama_cpp.LLAMA_FLASH_ATTN_TYPE_ENABLED, "off": llama_cpp.LLAMA_FLASH_ATTN_TYPE_DISABLED
    }.get(options.flash_attn, llama_cpp.LLAMA_FLASH_ATTN_TYPE_AUTO)
    ctx_params.n_threads = ctx_params.n_threads_batch = threads
    ctx_params.no_perf = True
    with native_log.capture() as captured:
        try:
            ctx = _internals.LlamaContext(model=model, params=ctx_params, verbose=True)
        except ValueError as exc:
            stack.close()
            detail = "; ".join(captured.errors()) or "llama.cpp could not allocate it"
            raise ModelLoadError(
                translate("ModelErrors", "Could not create a {n_ctx}-token context for {name} "
                                         "({detail}). Try a shorter context length or fewer GPU "
                                         "layers.").fill(n_ctx=n_ctx, name=path.name, detail=detail)
            ) from exc
    stack.callback(ctx.close)
    return OpenedContext(stack, model, ctx, n_ctx, n_ctx_train, gpu_layers, supported)
