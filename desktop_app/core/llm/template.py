"""Chat templates: the one embedded in the GGUF, or a clearly labelled fallback.

Embedded templates are rendered by llama-cpp-python's Jinja2ChatFormatter, which
uses a sandboxed Jinja environment (templates come from downloaded files).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

from desktop_app.core.errors import ModelLoadError
from desktop_app.core.texts import translate

log = logging.getLogger(__name__)

# ChatML is the most common format among instruction-tuned GGUFs.
FALLBACK_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)
FALLBACK_STOPS = ("<|im_end|>", "<|im_start|>")
# An embedded template is tried once in the probe child under these limits: a template from a
# downloaded file can loop for hours (nested range(100000)) or build gigabytes ('x' * 10**9).
RENDER_LIMIT_S = 5
RENDER_MEMORY_BYTES = 512 * 1024 * 1024
MAX_TRIAL_PROMPT_CHARS = 1_000_000


@dataclass
class ChatTemplate:
    source: str  # "embedded" or "fallback"
    formatter: object
    bos_text: str
    eos_text: str
    add_bos_by_default: bool
    note: str = ""  # why the embedded template was set aside, for the user

    @property
    def stop_strings(self) -> tuple[str, ...]:
        stops = tuple(s for s in (self.eos_text,) if s)
        return stops + FALLBACK_STOPS if self.source == "fallback" else stops

    @property
    def add_bos(self) -> bool:
        # The rendered prompt carries its own BOS when the template writes bos_token.
        return self.add_bos_by_default and self.source == "fallback"

    def render(self, messages: list[dict]) -> str:
        try:
            return self.formatter(messages=messages).prompt
        except Exception as exc:  # noqa: BLE001 - Jinja raises many types
            # `from None`: a template's error message can quote the conversation, and a chained
            # cause would carry it into the log's traceback
            raise ModelLoadError(
                translate("ModelErrors", "The model's chat template failed on this conversation "
                                         "({name}). Start a new conversation or choose another model.").fill(name=type(exc).__name__)
            ) from None


def load_chat_template(metadata: dict, token_text: Callable[[int], str], problem: str | None = None) -> ChatTemplate:
    """``problem``: what the probe child found when it tried the embedded template (None: it rendered)."""
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    bos_text = _special_text(metadata, "tokenizer.ggml.bos_token_id", token_text)
    eos_text = _special_text(metadata, "tokenizer.ggml.eos_token_id", token_text)
    add_bos = metadata.get("tokenizer.ggml.add_bos_token", "true").lower() != "false"
    template = metadata.get("tokenizer.chat_template")
    note = ""
    if template and problem:
        log.warning("embedded chat template set aside: it %s", problem)
        note = f"The model's own chat template was not used: it {problem}. Hearth uses a generic (ChatML) one."
    elif template:
        try:
            formatter = Jinja2ChatFormatter(template=template, eos_token=eos_text, bos_token=bos_text)
            formatter(messages=[{"role": "user", "content": "test"}])
            return ChatTemplate("embedded", formatter, bos_text, eos_text, add_bos)
        except Exception as exc:  # a broken template in a downloaded file must not stop the load
            # the type only: a template's error message can quote the conversation
            log.warning("embedded chat template unusable (%s); using the ChatML fallback", type(exc).__name__)
            note = f"The model's own chat template was not used: it fails to render ({type(exc).__name__}). Hearth uses a generic (ChatML) one."
    formatter = Jinja2ChatFormatter(template=FALLBACK_TEMPLATE, eos_token=eos_text, bos_token=bos_text)
    return ChatTemplate("fallback", formatter, bos_text, eos_text, add_bos, note)


def template_problem(template: str, bos_text: str = "", eos_text: str = "") -> str | None:
    """Render once under a time and a memory limit; None when fine, else what went wrong.

    Runs in the probe child only (it sets an alarm and lowers the data limit of its process).
    """
    import signal

    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    try:
        import resource
    except ImportError:  # Windows: no alarm and no data limit; the probe's own timeout still applies
        return _render_problem(Jinja2ChatFormatter, template, bos_text, eos_text)

    def too_slow(*_):
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, too_slow)
    limits = resource.getrlimit(resource.RLIMIT_DATA)
    in_use = _data_bytes_in_use()
    try:
        if in_use is not None and limits[1] == resource.RLIM_INFINITY:
            resource.setrlimit(resource.RLIMIT_DATA, (in_use + RENDER_MEMORY_BYTES, limits[1]))
        signal.alarm(RENDER_LIMIT_S)
        formatter = Jinja2ChatFormatter(template=template, eos_token=eos_text, bos_token=bos_text)
        prompt = formatter(messages=[{"role": "user", "content": "test"}]).prompt
    except TimeoutError:
        return f"takes longer than {RENDER_LIMIT_S} s to render"
    except MemoryError:
        return f"needs more than {RENDER_MEMORY_BYTES // 2**20} MB to render"
    except Exception as exc:  # noqa: BLE001 - Jinja raises many types; the message may quote input
        return f"fails to render ({type(exc).__name__})"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_DATA, limits)
    if len(prompt) > MAX_TRIAL_PROMPT_CHARS:
        return f"turns a one-word message into {len(prompt):,} characters"
    return None


def _render_problem(formatter_class, template: str, bos_text: str, eos_text: str) -> str | None:
    try:
        formatter_class(template=template, eos_token=eos_text, bos_token=bos_text)(messages=[{"role": "user", "content": "test"}])
    except Exception as exc:  # noqa: BLE001 - as above
        return f"fails to render ({type(exc).__name__})"
    return None


def _data_bytes_in_use() -> int | None:
    """VmData of this process (Linux); elsewhere the data limit is not applied."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


def _special_text(metadata: dict, key: str, token_text: Callable[[int], str]) -> str:
    try:
        return token_text(int(metadata[key]))
    except (KeyError, ValueError):
        return ""
