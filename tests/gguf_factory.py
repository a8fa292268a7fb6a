"""Write tiny random-weight llama GGUFs for fast tests (a few hundred KB, loads in milliseconds)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

CHATML = (
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)
SPECIAL = ["<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>"]
LETTERS = [chr(c) for c in range(ord("a"), ord("z") + 1)]
WORDS = ["▁", "▁the", "▁is", "▁of", "▁Paris", "▁France", "▁capital", "▁hello", "."] + LETTERS + ["▁" + c for c in LETTERS]


def write_tiny_llama(
    path: Path,
    *,
    n_embd: int = 64,
    n_layer: int = 2,
    n_head: int = 4,
    n_ff: int = 128,
    context_length: int = 512,
    chat_template: str | None = CHATML,
    architecture: str = "llama",
    seed: int = 0,
    duplicate_token: bool = False,
    f16: bool = False,
) -> Path:
    """duplicate_token writes a vocabulary llama.cpp rejects with an abort (a GGML_ASSERT);
    f16 stores the weight matrices as F16 (half the bytes read per token), norms stay F32."""
    import gguf

    rng = np.random.default_rng(seed)
    words = WORDS + ["▁the"] if duplicate_token else WORDS
    tokens = SPECIAL + [f"<0x{b:02X}>" for b in range(256)] + words
    types = [gguf.TokenType.UNKNOWN, gguf.TokenType.CONTROL, gguf.TokenType.CONTROL]
    types += [gguf.TokenType.CONTROL, gguf.TokenType.CONTROL] + [gguf.TokenType.BYTE] * 256
    types += [gguf.TokenType.NORMAL] * len(words)
    scores = [0.0] * (len(SPECIAL) + 256) + [-float(i) for i in range(len(words))]
    n_vocab = len(tokens)

    writer = gguf.GGUFWriter(str(path), architecture)
    writer.add_name("tiny-test-llama")
    writer.add_context_length(context_length)
    writer.add_embedding_length(n_embd)
    writer.add_block_count(n_layer)
    writer.add_feed_forward_length(n_ff)
    writer.add_head_count(n_head)
    writer.add_head_count_kv(n_head)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_rope_dimension_count(n_embd // n_head)
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_F16 if f16 else gguf.LlamaFileType.ALL_F32)
    writer.add_tokenizer_model("llama")
    writer.add_token_list(tokens)
    writer.add_token_scores(scores)
    writer.add_token_types(types)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(4)  # <|im_end|> ends a chat turn
    writer.add_unk_token_id(0)
    writer.add_add_bos_token(True)
    if chat_template:
        writer.add_chat_template(chat_template)

    def tensor(name: str, *shape: int, scale: float = 0.02) -> None:
        if f16:  # float32 draws: a model of hundreds of MB is written in seconds
            writer.add_tensor(name, (rng.standard_normal(shape, dtype=np.float32) * scale).astype(np.float16))
        else:
            writer.add_tensor(name, (rng.standard_normal(shape) * scale).astype(np.float32))

    tensor("token_embd.weight", n_vocab, n_embd)
    writer.add_tensor("output_norm.weight", np.ones(n_embd, dtype=np.float32))
    tensor("output.weight", n_vocab, n_embd)
    for i in range(n_layer):
        writer.add_tensor(f"blk.{i}.attn_norm.weight", np.ones(n_embd, dtype=np.float32))
        writer.add_tensor(f"blk.{i}.ffn_norm.weight", np.ones(n_embd, dtype=np.float32))
        for part in ("attn_q", "attn_k", "attn_v", "attn_output"):
            tensor(f"blk.{i}.{part}.weight", n_embd, n_embd)
        tensor(f"blk.{i}.ffn_gate.weight", n_ff, n_embd)
        tensor(f"blk.{i}.ffn_up.weight", n_ff, n_embd)
        tensor(f"blk.{i}.ffn_down.weight", n_embd, n_ff)

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return Path(path)
