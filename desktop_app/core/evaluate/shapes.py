"""The prompt/generation shapes LocalScore (llamafile's benchmark, localscore.cpp) times, and clipping to a context."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.core.evaluate.errors import BadShape
from desktop_app.core.texts import translate


@dataclass(frozen=True)
class Shape:
    prompt: int  # tokens read
    generate: int  # tokens written
    use: str = ""

    @property
    def key(self) -> str:
        return f"{self.prompt}/{self.generate}"


# LocalScore's nine tests: (prompt tokens, generated tokens) and the work each stands for, in its order.
# Checked against get_baseline_test_configs() in localscore/localscore.cpp, Mozilla-Ocho/llamafile
# (commit 4f13b86304b2bf626766ef5e38cc5efbbc01464d); the uses paraphrase its comments.
LOCALSCORE_SHAPES = (
    Shape(1024, 16, "title generation (64:1)"),
    Shape(4096, 256, "content summarization (16:1)"),
    Shape(2048, 256, "lots of code to fix (8:1)"),
    Shape(2048, 768, "standard code chat (3:1)"),
    Shape(1024, 1024, "code back and forth (1:1)"),
    Shape(1280, 3072, "reasoning over code (1:3)"),
    Shape(384, 1152, "code generation with back and forth (1:3)"),
    Shape(64, 1024, "code generation, ideation (1:16)"),
    Shape(16, 1536, "questions, storytelling, reasoning (1:96)"),
)
# The default run, sized so the four default models take under two minutes on a 2-core machine:
# LocalScore's first shape as it is (a long prompt, a short answer: prompt speed and time to first token)
# and its chat shapes clipped to 512/128 (a system prompt and question, a paragraph of answer: generation
# speed at the context depth of an ordinary chat turn; 128 tokens are enough for a steady rate). Dropping
# 2048/256 costs about two thirds of the time; LocalScore's nine remain the thorough preset.
QUICK_SHAPES = (LOCALSCORE_SHAPES[0], Shape(512, 128, "a chat turn (4:1), LocalScore's chat shapes clipped"))
DEFAULT_REPS = 2  # after an untimed warm-up; the report shows the spread, 'localscore' users can raise it
PRESETS = {"quick": QUICK_SHAPES, "localscore": LOCALSCORE_SHAPES}
MIN_PROMPT = 16  # below this a clipped shape no longer measures prompt processing


def parse_shapes(text: str) -> list[Shape]:
    """'quick', 'localscore' or a comma list of PROMPT/GEN (e.g. '1024/16,16/1536')."""
    text = (text or "quick").strip()
    if text in PRESETS:
        return list(PRESETS[text])
    shapes = []
    for part in text.split(","):
        try:
            prompt, generate = (int(v) for v in part.strip().split("/"))
        except ValueError:
            raise BadShape(translate("EvaluateErrors", "'{value}' is not a shape; write PROMPT/GEN "
                                                       "such as 1024/16, or 'quick' or 'localscore'.").fill(value=part.strip())) from None
        if prompt < 1 or generate < 1:
            raise BadShape(translate("EvaluateErrors", "'{value}': both token counts must be at "
                                                       "least 1.").fill(value=part.strip()))
        known = next((s for s in LOCALSCORE_SHAPES if (s.prompt, s.generate) == (prompt, generate)), None)
        shapes.append(known or Shape(prompt, generate))
    return shapes


def clip_to_context(shape: Shape, n_ctx: int) -> Shape | None:
    """The shape as it fits ``n_ctx`` (the prompt shortened), or None when it cannot fit at all."""
    if shape.prompt + shape.generate + 1 <= n_ctx:
        return shape
    prompt = n_ctx - shape.generate - 1
    if prompt < min(MIN_PROMPT, shape.prompt):
        return None
    return Shape(prompt, shape.generate, shape.use)
