"""llama-bench's explicit ggml threadpool for an engine's context, bound with ctypes from the libraries
llama-cpp-python already loaded (0.3.36 does not bind llama_attach_threadpool or ggml_threadpool_new).

A benchmark aid to measure whether the threadpool closes the decode gap to llama-bench; the engine does not
use it (no measured gain on the shared 2-core machine, see the closing note of issue 15).
"""

from __future__ import annotations

import ctypes
from pathlib import Path

GGML_MAX_N_THREADS = 512  # ggml.h


class ThreadpoolParams(ctypes.Structure):
    _fields_ = [
        ("cpumask", ctypes.c_bool * GGML_MAX_N_THREADS),
        ("n_threads", ctypes.c_int),
        ("prio", ctypes.c_int),
        ("poll", ctypes.c_uint32),  # 0: no polling .. 100: spin; llama-bench's default is 50
        ("strict_cpu", ctypes.c_bool),
        ("paused", ctypes.c_bool),
    ]


def _libs():
    import llama_cpp

    lib = Path(llama_cpp.__file__).parent / "lib"
    base, cpu, llama = (ctypes.CDLL(str(lib / name)) for name in ("libggml-base.so", "libggml-cpu.so", "libllama.so"))
    base.ggml_threadpool_params_init.argtypes = [ctypes.POINTER(ThreadpoolParams), ctypes.c_int]
    cpu.ggml_threadpool_new.argtypes = [ctypes.POINTER(ThreadpoolParams)]
    cpu.ggml_threadpool_new.restype = ctypes.c_void_p
    cpu.ggml_threadpool_free.argtypes = [ctypes.c_void_p]
    llama.llama_attach_threadpool.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    llama.llama_detach_threadpool.argtypes = [ctypes.c_void_p]
    return base, cpu, llama


class AttachedThreadpool:
    """Attach a ggml threadpool (n_threads, poll) to an engine's context; detach and free on exit."""

    def __init__(self, engine, n_threads: int, poll: int = 50):
        self._base, self._cpu, self._llama = _libs()
        params = ThreadpoolParams()
        self._base.ggml_threadpool_params_init(ctypes.byref(params), n_threads)
        params.poll = poll
        self._ctx = ctypes.c_void_p(ctypes.cast(engine._ctx.ctx, ctypes.c_void_p).value)
        self._pool = self._cpu.ggml_threadpool_new(ctypes.byref(params))
        if not self._pool:
            raise RuntimeError(f"ggml_threadpool_new failed for {n_threads} threads")

    def __enter__(self) -> "AttachedThreadpool":
        self._llama.llama_attach_threadpool(self._ctx, self._pool, None)
        return self

    def __exit__(self, *exc) -> None:
        self._llama.llama_detach_threadpool(self._ctx)
        self._cpu.ggml_threadpool_free(self._pool)
