import pytest

from desktop_app.core.evaluate.quality import text


def test_normalise_folds_case_width_punctuation_and_space():
    assert text.normalise("  Ｈｅｌｌｏ,   WORLD！ ") == "hello world"
    assert text.normalise("答案是：４２。") == "答案是42"
    assert text.normalise("答案 是 42") == "答案是42"  # no stray spaces between Chinese characters
    assert text.normalise("３．５％") == "3 5"


def test_chinese_full_width_answers_match_half_width_expected():
    assert text.exact_match("４２。", "42")
    assert text.exact_match("北京，", "北京")
    assert text.contains("答案是：北京。", "北京")
    assert not text.contains("答案是上海", "北京")


def test_contains_is_on_word_edges_for_latin_text():
    assert text.contains("The capital is Paris.", "paris")
    assert not text.contains("The answer is 142", "42")


def test_bleu_and_chrf_match_sacrebleus_documented_example():
    # sacrebleu's README: BLEU = 48.53, chrF2 = 59.73 on this system output and two reference sets
    refs = [["The dog bit the man.", "It was not unexpected.", "The man bit him first."],
            ["The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."]]
    hyps = ["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."]
    assert text.corpus_bleu(hyps, refs) == pytest.approx(48.53, abs=0.005)
    assert text.corpus_chrf(hyps, refs) == pytest.approx(59.73, abs=0.005)


def test_rouge_matches_rouge_scores_documented_example():
    # rouge-score's README example; by hand: 6 shared stemmed unigrams of 8 and 9 -> F 12/17, LCS 5 -> F 10/17
    scores = text.rouge("The quick brown dog jumps on the log.", "The quick brown fox jumps over the lazy dog")
    assert scores["rouge1"] == pytest.approx(12 / 17)
    assert scores["rougeL"] == pytest.approx(10 / 17)


def test_chinese_rouge_is_on_characters():
    # 8 characters each, all shared: ROUGE-1 1.0; bigrams: 5 of 7 shared (中国 国的 的首 首都 北京)
    scores = text.rouge("北京是中国的首都。", "中国的首都是北京")
    assert scores["rouge1"] == pytest.approx(1.0)
    assert scores["rouge2"] == pytest.approx(5 / 7)


def test_perfect_and_empty_answers():
    perfect = text.answer_scores("Paris", "Paris")
    assert perfect == {"exact": 1.0, "contains": 1.0, "chrf": pytest.approx(100.0), "bleu": pytest.approx(100.0)}
    empty = text.answer_scores("", "Paris")
    assert empty["exact"] == empty["contains"] == 0.0 and empty["chrf"] == 0.0


def test_needs_review_when_scores_disagree():
    assert text.needs_review(text.answer_scores("After a long and careful think about everything we discussed today, the answer is plainly Paris", "Paris"))
    assert not text.needs_review(text.answer_scores("Paris", "Paris"))
    assert text.needs_review(text.answer_scores("12,500 dollars", "12500 dollars"))
