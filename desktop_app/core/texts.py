"""English sentences that the UI can show translated.

Core is Qt-free, so it cannot translate. It returns ``Text``: a ``str`` holding the English (logs, the
CLI and the reports read it as before) that also keeps its context, template and values, so the UI can
look the template up in the app's translations and fill it in again (``ui.texts.translated``).
Templates are written as ``texts.translate("Context", "template")``, the shape of
``QCoreApplication.translate``, so ``pyside6-lupdate`` extracts them from core as it does from ui.
"""

from __future__ import annotations


class Text(str):
    """The English sentence, with what is needed to translate it later."""

    context: str
    template: str
    values: dict

    def __new__(cls, context: str, template: str, values: dict | None = None) -> "Text":
        values = dict(values or {})
        obj = super().__new__(cls, template.format(**values) if values else template)
        obj.context, obj.template, obj.values = context, template, values
        return obj

    def fill(self, **values) -> "Text":
        """The same template with these values in its ``{placeholders}``."""
        return Text(self.context, self.template, {**self.values, **values})

    def __reduce__(self):  # pickles (and copies) as a Text, not as a plain str
        return (Text, (self.context, self.template, self.values))


def translate(context: str, template: str) -> Text:
    """Mark ``template`` for translation under ``context``; fill its placeholders with ``.fill(...)``."""
    return Text(context, template)


def joined(parts: list[str], separator: str = "; ") -> Text:
    """Sentences or phrases joined into one Text; each part that is a Text is still translated on its own."""
    names = [f"part{i}" for i in range(len(parts))]
    return Text("", separator.join("{" + name + "}" for name in names), dict(zip(names, parts)))
