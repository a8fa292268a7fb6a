"""How a reply is sampled: the one set of fields and defaults for settings, chat, summaries and the CLI."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass
class SamplingParams:
    temperature: float = 0.7
    top_p: float = 0.95
    top_k: int = 40
    repeat_penalty: float = 1.1
    max_tokens: int = 512
    seed: int = -1  # -1: a new random seed for every reply
    ignore_eos: bool = False  # benchmarks: always generate max_tokens, as llama-bench does

    @property
    def greedy(self) -> bool:
        return self.temperature <= 0

    @classmethod
    def from_dict(cls, raw: dict) -> "SamplingParams":
        known = {k: raw[k] for k in cls.__dataclass_fields__ if k in raw}
        return cls(**known)

    def to_dict(self) -> dict:
        return asdict(self)
