"""A GGUF's vocabulary and chat template without its weights (llama.cpp ``vocab_only``).

Counting a document's tokens needs the tokenizer, not the model: a vocab-only load
reads the header and vocabulary only (a few MB, tens of milliseconds) and has no
context, so it runs on any thread and never evicts the model Chat has loaded.
"""

from __future__ import annotations

import ctypes
import threading
from contextlib import ExitStack
from pathlib import Path

from desktop_app.core.errors import ModelLoadError
from desktop_app.core.llm import native_log, probe
from desktop_app.core.llm.loading import check_gguf_file
from desktop_app.core.llm.types import ChatMessage, ModelInfo
from desktop_app.core.llm.gguf_info import read_gguf_info
from desktop_app.core.llm.probe import explain_load_failure
from desktop_app.core.llm.template import ChatTemplate, load_chat_template
from desktop_app.core.texts import translate


class LlamaTokenizer:
    """Tokenize and render prompts as a LlamaEngine loaded with ``n_ctx`` would; no generation."""

    def __init__(self, path: Path | str, n_ctx: int = 4096, check: bool = True):
        import llama_cpp
        from llama_cpp import _internals

        path = Path(path)
        check_gguf_file(path)
        # the probe child tried the embedded template under limits; a template it set aside (one that loops for
        # hours or builds gigabytes) is never rendered here either: the engine's rule, the engine's fallback
        template_problem = probe.ensure_loadable(path) if check else None
        params = llama_cpp.llama_model_default_params()
        params.vocab_only = True
        params.n_gpu_layers = 0
        with native_log.capture() as captured:
            try:
                model = _internals.LlamaModel(path_model=str(path), params=params, verbose=True)  # not False: see engine.py
            except ValueError as exc:
                raise ModelLoadError(explain_load_failure(path, captured.errors())) from exc
        self._stack = ExitStack()
        self._stack.callback(model.close)
        self._model = model
        self._lock = threading.Lock()  # the piece buffer is shared
        self._piece_buffer = ctypes.create_string_buffer(256)
        metadata = model.metadata()
        self._template: ChatTemplate = load_chat_template(metadata, self._token_text, template_problem)
        header = read_gguf_info(path)  # a vocab-only model has no hyperparameters or tensors to ask
        n_ctx_train = header.context_length or 4096
        arch = metadata.get("general.architecture", "unknown")
        self.info = ModelInfo(
            path=path,
            name=metadata.get("general.name") or path.stem,
            architecture=arch,
            description=f"{arch} {header.quantization}",
            n_params=header.parameter_count,
            n_ctx=max(64, min(n_ctx or n_ctx_train, n_ctx_train)),  # as LlamaEngine caps it
            n_ctx_train=n_ctx_train,
            n_layers=int(metadata.get(f"{arch}.block_count", 0) or 0),
            gpu_layers=0,
            gpu_offload_supported=False,
            template_source=self._template.source,
            template_note=self._template.note,
            metadata=metadata,
        )

    def tokenize(self, text: str, add_bos: bool = False, special: bool = False) -> list[int]:
        if self._model is None:
            raise ModelLoadError(translate("ModelErrors", "The tokenizer was closed."))
        return self._model.tokenize(text.encode("utf-8"), add_bos, special)

    def count_tokens(self, text: str) -> int:
        return len(self.tokenize(text)) if text else 0

    def render(self, messages: list[ChatMessage]) -> str:
        return self._template.render([{"role": m.role, "content": m.content} for m in messages])

    def _token_text(self, token: int) -> str:
        import llama_cpp

        if token < 0:
            return ""
        with self._lock:
            buf = self._piece_buffer
            n = llama_cpp.llama_token_to_piece(self._model.vocab, token, buf, len(buf), 0, True)
            if n < 0:
                self._piece_buffer = buf = ctypes.create_string_buffer(-n)
                n = llama_cpp.llama_token_to_piece(self._model.vocab, token, buf, len(buf), 0, True)
            return buf.raw[:n].decode("utf-8", errors="replace")

    def close(self) -> None:
        self._stack.close()
        self._model = None

    def __enter__(self) -> "LlamaTokenizer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
