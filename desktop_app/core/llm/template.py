"""Chat templates: the one embedded in the GGUF, or a clearly labelled fallback.

Embedded templates are rendered by llama-cpp-python's Jinja2ChatFormatter, which
uses a sandboxed Jinja environment (templates come from downloaded files).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

log = logging.getLogger(__name__)

# ChatML is the most common format among instruction-tuned GGUFs.
FALLBACK_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)
FALLBACK_STOPS = ("<|im_end|>", "<|im_start|>")


@dataclass
class ChatTemplate:
    source: str  # "embedded" or "fallback"
    formatter: object
    bos_text: str
    eos_text: str
    add_bos_by_default: bool

    @property
    def stop_strings(self) -> tuple[str, ...]:
        stops = tuple(s for s in (self.eos_text,) if s)
        return stops + FALLBACK_STOPS if self.source == "fallback" else stops

    @property
    def add_bos(self) -> bool:
        # The rendered prompt carries its own BOS when the template writes bos_token.
        return self.add_bos_by_default and self.source == "fallback"

    def render(self, messages: list[dict]) -> str:
        return self.formatter(messages=messages).prompt


def load_chat_template(metadata: dict, token_text: Callable[[int], str]) -> ChatTemplate:
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    bos_text = _special_text(metadata, "tokenizer.ggml.bos_token_id", token_text)
    eos_text = _special_text(metadata, "tokenizer.ggml.eos_token_id", token_text)
    add_bos = metadata.get("tokenizer.ggml.add_bos_token", "true").lower() != "false"
    template = metadata.get("tokenizer.chat_template")
    if template:
        try:
            formatter = Jinja2ChatFormatter(template=template, eos_token=eos_text, bos_token=bos_text)
            formatter(messages=[{"role": "user", "content": "test"}])
            return ChatTemplate("embedded", formatter, bos_text, eos_text, add_bos)
        except Exception as exc:  # a broken template in a downloaded file must not stop the load
            log.warning("embedded chat template unusable (%s); using the ChatML fallback", exc)
    formatter = Jinja2ChatFormatter(template=FALLBACK_TEMPLATE, eos_token=eos_text, bos_token=bos_text)
    return ChatTemplate("fallback", formatter, bos_text, eos_text, add_bos)


def _special_text(metadata: dict, key: str, token_text: Callable[[int], str]) -> str:
    try:
        return token_text(int(metadata[key]))
    except (KeyError, ValueError):
        return ""
