"""The instructions sent for each step of a summary, in the language the summary is written in.

Small models follow the language of the instruction far better than an
instruction to switch language, so Chinese summaries get Chinese prompts.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGE_NAMES = {
    "en": "English",
    "zh": "Chinese",
    "ja": "Japanese",
    "ko": "Korean",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "ru": "Russian",
    "nl": "Dutch",
}
ZH_ALIASES = {"zh", "zh_cn", "zh-cn", "zh_tw", "zh-tw", "chinese", "中文", "简体中文", "繁體中文"}


def language_name(code_or_name: str) -> str:
    return LANGUAGE_NAMES.get(code_or_name.lower(), code_or_name)


@dataclass(frozen=True)
class PromptSet:
    language: str  # code ("en", "zh") or a name the user typed ("French")
    system: str
    tokens_per_word: float  # English words, or Chinese characters

    def answer_tokens(self, words: int) -> int:
        return int(self.units(words) * self.tokens_per_word) + 32

    def words_for_tokens(self, tokens: float) -> float:
        return tokens / self.tokens_per_word

    def units(self, words: int) -> int:
        return words

    def map(self, name, part, parts, section, words, focus, text) -> str:
        raise NotImplementedError

    def single(self, name, words, style, focus, text) -> str:
        raise NotImplementedError

    def reduce(self, name, words, style, focus, partials, final) -> str:
        raise NotImplementedError

    # Ask and Extract: every chunk read with the question or the fields

    ask_system = ""
    extract_system = ""

    def ask_map(self, name, where, question, text) -> str:
        raise NotImplementedError

    def ask_merge(self, question, findings: list[tuple[int, str, str]]) -> str:
        """``findings``: (number, where, passage) in document order."""
        raise NotImplementedError

    def extract(self, name, fields: list[str], text) -> str:
        raise NotImplementedError


class EnglishPrompts(PromptSet):
    """English instructions; the answer language is named explicitly."""

    def _language_line(self) -> str:
        if self.language in ("und", ""):
            return "Write in the same language as the text."
        return f"Write in {language_name(self.language)}."

    def _form(self, style: str, words: int) -> str:
        if style == "bullets":
            return f"as bullet points (each line starting with '- '), about {words} words in total"
        return f"as one or more paragraphs of plain prose, about {words} words"

    @staticmethod
    def _focus(focus: str) -> str:
        return f" Pay particular attention to this question: {focus.strip()}" if focus.strip() else ""

    def map(self, name, part, parts, section, words, focus, text) -> str:
        where = f' (section "{section}")' if section else ""
        return (
            f'Part {part} of {parts} of the document "{name}"{where}:\n\n{text}\n\n---\n'
            f"Summarize the part above in at most {words} words as short bullet points. "
            f"Keep names, numbers, dates and conclusions.{self._focus(focus)} {self._language_line()}"
        )

    def single(self, name, words, style, focus, text) -> str:
        return (
            f'The document "{name}":\n\n{text}\n\n---\n'
            f"Summarize the document above {self._form(style, words)}. "
            f"Keep the main points, names, numbers and conclusions.{self._focus(focus)} {self._language_line()}"
        )

    def reduce(self, name, words, style, focus, partials, final) -> str:
        joined = "\n\n".join(f"Part {i}:\n{p}" for i, p in enumerate(partials, 1))
        goal = "the whole document" if final else "these parts together"
        return (
            f'Summaries of consecutive parts of the document "{name}":\n\n{joined}\n\n---\n'
            f"Combine the summaries above into one summary of {goal} {self._form(style, words)}. "
            f"Keep the order of the document and do not repeat yourself.{self._focus(focus)} "
            f"{self._language_line()}"
        )


    ask_system = (
        "You find answers in documents. Copy sentences exactly as they stand in the text; "
        "never add facts that are not in it."
    )
    extract_system = (
        "You extract values from documents. Copy each value exactly as it is written in the text; "
        "use null when the text does not state it."
    )

    def ask_map(self, name, where, question, text) -> str:
        return (
            f'From "{name}" ({where}):\n\n{text}\n\n---\nQuestion: {question.strip()}\n'
            "Copy the one sentence of the text above that answers the question. "
            "If the text does not answer it, write NONE."
        )

    def ask_merge(self, question, findings) -> str:
        joined = "\n".join(f"[{n}] ({where}) {passage}" for n, where, passage in findings)
        return (
            f"Passages found in the documents:\n\n{joined}\n\n---\nQuestion: {question.strip()}\n"
            "Answer the question in one to three sentences using only the passages above. "
            "After each sentence put the number of the passage it comes from, like [1]. "
            f"{self._language_line()}"
        )

    def extract(self, name, fields, text) -> str:
        listed = ", ".join(fields)
        return (
            f'From "{name}":\n\n{text}\n\n---\nFill in these fields from the text above: {listed}. '
            "Copy each value exactly as written in the text. Use null for a field the text does not state."
        )


class ChinesePrompts(PromptSet):
    """Chinese instructions; length is counted in characters (字)."""

    def units(self, words: int) -> int:
        return chars_for_words(words)

    def _form(self, style: str, words: int) -> str:
        chars = chars_for_words(words)
        if style == "bullets":
            return f"用要点列表（每行以“- ”开头）写，总共约{chars}字"
        return f"用连贯的段落写，约{chars}字"

    @staticmethod
    def _focus(focus: str) -> str:
        return f"请特别关注这个问题：{focus.strip()}" if focus.strip() else ""

    def map(self, name, part, parts, section, words, focus, text) -> str:
        where = f"（章节：{section}）" if section else ""
        return (
            f"文档《{name}》的第{part}部分（共{parts}部分）{where}：\n\n{text}\n\n---\n"
            f"请用中文概括上面这一部分，不超过{words}字，用简短的要点列出，保留人名、数字、日期和结论。"
            f"{self._focus(focus)}"
        )

    def single(self, name, words, style, focus, text) -> str:
        return (
            f"文档《{name}》：\n\n{text}\n\n---\n"
            f"请用中文总结上面的文档，{self._form(style, words)}。保留要点、人名、数字和结论。{self._focus(focus)}"
        )

    def reduce(self, name, words, style, focus, partials, final) -> str:
        joined = "\n\n".join(f"第{i}部分：\n{p}" for i, p in enumerate(partials, 1))
        goal = "整篇文档" if final else "这几部分"
        return (
            f"文档《{name}》连续各部分的摘要：\n\n{joined}\n\n---\n"
            f"请把上面的摘要合并成一份{goal}的中文总结，{self._form(style, words)}。按原文顺序，不要重复。"
            f"{self._focus(focus)}"
        )


    ask_system = "你负责在文档中查找答案。按原文逐字摘录句子，不要添加原文没有的事实。"
    extract_system = "你负责从文档中提取信息。每个值都按原文逐字摘录；原文没有写明的字段填 null。"

    def ask_map(self, name, where, question, text) -> str:
        return (
            f"文档《{name}》（{where}）：\n\n{text}\n\n---\n问题：{question.strip()}\n"
            "请逐字摘录上文中回答这个问题的那一句话。如果上文没有回答这个问题，请写 NONE。"
        )

    def ask_merge(self, question, findings) -> str:
        joined = "\n".join(f"[{n}]（{where}）{passage}" for n, where, passage in findings)
        return (
            f"在文档中找到的段落：\n\n{joined}\n\n---\n问题：{question.strip()}\n"
            "请只根据上面的段落，用一到三句中文回答这个问题，每句话后面注明出处段落的编号，例如 [1]。"
        )

    def extract(self, name, fields, text) -> str:
        listed = "、".join(fields)
        return (
            f"文档《{name}》：\n\n{text}\n\n---\n请根据上文填写这些字段：{listed}。"
            "每个值都按原文逐字摘录；原文没有写明的字段填 null。"
        )


def chars_for_words(words: int) -> int:
    """An English word carries about as much as 1.8 Chinese characters."""
    return max(10, int(round(words * 1.8, -1)))


ENGLISH_SYSTEM = (
    "You summarize documents faithfully. Use only facts stated in the text; "
    "do not add opinions or information that is not there."
)
CHINESE_SYSTEM = "你是一个忠实的文档摘要助手。只使用原文中的事实，不要添加原文没有的信息或评论。"


def prompts_for(requested: str, document_language: str) -> PromptSet:
    """``requested`` is "auto" (use the document's language), a code or a language name."""
    target = document_language if requested in ("", "auto", None) else requested.strip()
    if target.lower() in ZH_ALIASES:
        # byte-level tokenizers spend about two tokens per Chinese character
        return ChinesePrompts("zh", CHINESE_SYSTEM, tokens_per_word=2.0)
    return EnglishPrompts(target, ENGLISH_SYSTEM, tokens_per_word=1.5)
