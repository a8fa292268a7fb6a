"""Core's translatable sentences read as English everywhere and keep what the UI needs to translate them."""

from __future__ import annotations

import copy
import json
import pickle

from desktop_app.core import texts
from desktop_app.core.evaluate.language import verdicts
from desktop_app.core.evaluate.machine import load_note


def test_a_filled_text_is_the_english_sentence():
    text = texts.translate("Ctx", "{n} images in {t:.1f} s").fill(n=3, t=1.25)
    assert text == "3 images in 1.2 s"
    assert json.dumps({"step": text}) == '{"step": "3 images in 1.2 s"}'
    assert (text.context, text.template, text.values) == ("Ctx", "{n} images in {t:.1f} s", {"n": 3, "t": 1.25})


def test_a_text_survives_copies_and_pickles_with_its_template():
    text = texts.translate("Ctx", "run {i} of {n}").fill(i=1, n=2)
    for other in (copy.deepcopy(text), pickle.loads(pickle.dumps(text))):
        assert isinstance(other, texts.Text) and other == text
        assert other.template == "run {i} of {n}" and other.values == {"i": 1, "n": 2}


def test_evaluate_verdicts_and_notes_are_translatable_texts():
    for sentence in verdicts(prompt_tps=300.0, gen_tps=40.0) + verdicts(prompt_tps=20.0, gen_tps=2.0) + [load_note(60.0)]:
        assert isinstance(sentence, texts.Text) and sentence.context.startswith("Evaluate")
        assert "{" not in sentence  # every placeholder was filled
