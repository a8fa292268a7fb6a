"""Sentences as a reader sees them: lines a page wrapped (or hyphenated) are joined before splitting, in
English and Chinese, and every sentence still points at its own page or lines."""

from __future__ import annotations

from document_factory import write_cjk_pdf, write_pdf, write_text, wrap_cjk

from desktop_app.core.documents.citations import find_passage, locate
from desktop_app.core.documents.load import load_document
from desktop_app.core.documents.segmenting import join_wrapped_lines, reader_form, sentence_spans, sentences

FILLER = ("In year 1962 the council spent 212 pounds on the harbour and the roads around it, and the "
          "mayor said that the works went well. ")
BOILER = "The library plans to replace the boiler in 2024 at an esti-\nmated cost of 90,000 dollars."


def test_a_pdf_sentence_wrapped_and_hyphenated_by_the_layout_is_read_whole_on_its_page(tmp_path):
    document = load_document(write_pdf(tmp_path / "minutes.pdf", [FILLER * 3, FILLER * 2 + BOILER + "\nBudget\nNext."]))
    whole = "The library plans to replace the boiler in 2024 at an estimated cost of 90,000 dollars."
    assert whole in sentences(document.text)  # one sentence: fpdf wrapped it, and "esti-" was hyphenated
    start = document.text.index(whole)
    assert locate(document, start, start + len(whole)).label == "page 2"
    assert "Budget" in sentences(document.text)  # a short heading line stays a line of its own
    assert "\ufffe" not in document.text and "esti" not in document.text.replace("estimated", "")


def test_a_chinese_pdf_wrapped_mid_sentence_joins_without_a_space(tmp_path):
    page = "第一页讲的是米尔布鲁克镇的河流。镇议会讨论了预算。港务长自己的船叫做“极光七号”。金额为人民币 3,560.00 元，日期是2024年2月12日。"
    document = load_document(write_cjk_pdf(tmp_path / "zh.pdf", [["第一页。"], wrap_cjk(page, 30)]))
    said = sentences(document.text)
    assert "港务长自己的船叫做“极光七号”。" in said
    assert "金额为人民币 3,560.00 元，日期是2024年2月12日。" in said
    start = document.text.index("港务长")
    assert locate(document, start, start + 5).label == "page 2"


def test_a_hard_wrapped_text_file_keeps_its_line_numbers_and_reads_sentences_whole(tmp_path):
    text = ("Minutes of the meeting\n\nThe committee approved the new roof of the town library on 12\n"
            "February 2024, after a long debate about its cost and its colour.\n- item one\n- item two\n")
    document = load_document(write_text(tmp_path / "minutes.txt", text))
    assert document.text.count("\n") == text.strip().count("\n")  # the loader keeps every line of a text file
    spans = sentence_spans(document.text)
    said = [reader_form(document.text[a:b]) for a, b in spans]
    approved = "The committee approved the new roof of the town library on 12 February 2024, after a long debate about its cost and its colour."
    assert said == ["Minutes of the meeting", approved, "- item one", "- item two"]
    a, b = spans[1]
    assert locate(document, a, b).label == "lines 3-4"
    assert find_passage(document.text, "on 12 February 2024, after a long debate") == (a, b) or \
        find_passage(document.text, approved) == (a, b)


def test_lists_short_lines_and_tables_are_not_joined():
    text = "Acme Widgets Ltd\n12 High Street\nLondon\n\n| Item | Cost |\n| Bridge | 1200 |\n"
    assert join_wrapped_lines(text) == text
    wide = "The council met today to talk about the roads, the bridge and the harbour\n1. Buy paper\n2. Print it"
    assert join_wrapped_lines(wide) == wide


def test_abbreviations_decimals_and_closing_quotes_stay_inside_their_sentence():
    assert sentences("Mr. Smith paid $1.5 million to the U.S. office. Version 3.14 shipped.") == [
        "Mr. Smith paid $1.5 million to the U.S. office.", "Version 3.14 shipped."]
    assert sentences("他问：“多少钱？”店主说：“五十元。”然后走了。") == ["他问：“多少钱？”", "店主说：“五十元。”", "然后走了。"]
    assert sentences("1. Buy paper. 2. Print the report.") == ["1. Buy paper.", "2. Print the report."]


def test_a_soft_hyphen_between_capitals_stays_a_hyphen():
    assert join_wrapped_lines("the Anglo\ufffeSaxon era and a long\ufffeterm plan") == "the Anglo-Saxon era and a longterm plan"
