"""What engines take and return: load options, chat messages, model facts and generation results.

Shared by the local engine (LlamaEngine), remote engines (core/remote) and everything that drives them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Callable

OnText = Callable[[str], None]


@dataclass
class LoadOptions:
    n_ctx: int = 4096  # capped by the model's training context
    gpu_layers: str | int = "auto"  # "auto", 0 or a layer count
    n_threads: int = 0  # 0: the cores other programs leave free, measured before and during each call (threads.py)
    n_batch: int = 512  # tokens per llama_decode call while reading a prompt
    n_ubatch: int = 0  # tokens per compute pass inside one call; 0: the same as n_batch
    flash_attn: str = "auto"  # "auto" (llama.cpp decides per device), "on" or "off"
    check_memory: bool = True
    probe: bool = True  # read the header in a child process first (malformed files can abort llama.cpp)


class StopReason(StrEnum):
    """Why a generation ended; the values are what JSON outputs and stored stats say."""

    STOP = "stop"  # end of turn or a stop string
    LENGTH = "length"  # max_tokens reached
    CONTEXT = "context"  # the context window is full
    CANCELLED = "cancelled"


@dataclass
class ChatMessage:
    role: str  # "system", "user" or "assistant"
    content: str


@dataclass
class ModelInfo:
    path: Path
    name: str
    architecture: str
    description: str
    n_params: int
    n_ctx: int
    n_ctx_train: int
    n_layers: int
    gpu_layers: int
    gpu_offload_supported: bool
    template_source: str  # "embedded" or "fallback"
    template_note: str = ""  # why the model's own template was set aside, when it was
    metadata: dict = field(default_factory=dict, repr=False)


@dataclass
class GenerationStats:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0  # prompt tokens reused from the KV cache
    ttft_s: float = 0.0
    prompt_tokens_per_s: float = 0.0
    tokens_per_s: float = 0.0
    total_s: float = 0.0
    context_used: int = 0
    n_ctx: int = 0
    stop_reason: StopReason = StopReason.STOP
    dropped_messages: int = 0  # oldest turns left out to fit the context
    seed: int | None = None
    speculative: bool = False  # prompt-lookup drafts were tried for this reply
    decode_steps: int = 0  # reply tokens the model chose itself, one forward pass each (drafts accepted ride along)
    draft_tokens: int = 0  # drafted tokens checked by batched decodes
    accepted_tokens: int = 0  # drafted tokens that matched the model's own choice
    tokens_per_step: float = 0.0  # reply tokens per forward pass: 1.0 without speculation
    threads: int = 0  # CPU threads llama.cpp computed with at the end (0: not a local engine)
    others_cores: float | None = None  # other programs' CPU use then, in cores (None: a fixed thread count)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class GenerationResult:
    text: str
    stats: GenerationStats
