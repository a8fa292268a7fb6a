"""The grounding checker on hand-made answers: every number, amount, date and name a sentence states must stand
in its sources. The two answers quoted in issue 21 come first."""

from __future__ import annotations

import pytest

from desktop_app.core.documents.ask import Finding, ground_answer, quotes_answer
from desktop_app.core.documents.citations import Location
from desktop_app.core.documents.grounding import Evidence, check_sentence, check_text

BOILER = "The library plans to replace the boiler in 2024 at an estimated cost of 90,000 dollars."
ROOF = "The council approved the new roof on 12 February 2024."
ZH = "港务长自己的船叫做“极光七号”。维修费用为人民币 3,560.00 元，日期是2024年2月12日。"


def missing(sentence: str, source: str, question: str = "") -> list[str]:
    return [claim.text for claim in check_sentence(sentence, Evidence(source), question)]


def test_the_two_invented_answers_of_the_issue_are_caught():
    assert missing("The library plans to replace the boiler in 2024 at an estimated cost of $1.5 million [1].", BOILER) \
        == ["$1.5 million"]
    assert missing("The council approved it on 2 February 2024, and it cost $5 million [1].", ROOF) == \
        ["2 February 2024", "$5 million"]


@pytest.mark.parametrize("sentence", [
    "It costs $90,000 [1].", "It costs 90000 dollars.", "The cost is 90 thousand dollars.", "It costs 90,000.",
    "The boiler will be replaced in 2024.", "The library plans to replace the boiler.",
])
def test_the_same_amount_in_another_format_is_supported(sentence):
    assert missing(sentence, BOILER) == []


@pytest.mark.parametrize("sentence, source, wrong", [
    ("It costs €90,000.", BOILER, "€90,000"),  # the document's currency is dollars
    ("It costs $1.5 million.", "The hall cost 1.5 million euros.", "$1.5 million"),
    ("Prices rose 4.5%.", "Version 4.5 was released.", "4.5%"),
    ("It costs 900,000 dollars.", BOILER, "900,000 dollars"),
    ("It was approved in 2023.", ROOF, "2023"),
])
def test_a_different_amount_currency_or_unit_is_not(sentence, source, wrong):
    assert missing(sentence, source) == [wrong]


def test_dates_match_by_day_month_and_year_in_any_format():
    for said in ("on 12 February 2024", "on February 12, 2024", "on 2024-02-12", "in February 2024", "on 12 Feb 2024",
                 "on 12/02/2024", "2024年2月12日"):
        assert missing(f"The council approved the roof {said}.", ROOF) == [], said
    assert missing("It was approved on 12 March 2024.", ROOF) == ["12 March 2024"]
    assert missing("It was approved on 12 February 2025.", ROOF) == ["12 February 2025"]
    assert missing("It was approved on 12 February 2024.", "It was approved on 12 February.") == ["12 February 2024"]


def test_chinese_amounts_dates_and_names():
    assert missing("维修费用是3560元。", ZH) == []
    assert missing("维修费用为三千五百六十元。", ZH) == []
    assert missing("日期是2024年2月12日。", ZH) == []
    assert missing("维修费用是人民币3,560元，日期是2024年2月2日。", ZH) == ["2024年2月2日"]
    assert missing("维修费用为 3,560 美元。", ZH) == ["3,560 美元"]
    assert missing("港务长的船叫“海风号”。", ZH) == ["海风号"]
    asked = "港务长的船叫什么名字？"
    assert missing("港务长的船叫做极光七号。", ZH, asked) == []
    assert missing("港务长的船叫做海风号。", ZH, asked) == ["海风号"]  # unquoted, but the question asks for a name
    assert missing("费用由北方建设有限公司承担。", ZH) == ["北方建设有限公司"]


def test_english_names_are_checked_and_sentence_openers_are_not_names():
    source = "The harbour master's own boat is called Aurelia Seven. Acme Widgets Ltd is the client."
    assert missing("The harbour master's boat is called Aurelia Seven [1].", source) == []
    assert missing("According to the document, the client is Acme Widgets Ltd.", source) == []
    assert missing("The boat is called Blue Star.", source) == ["Blue Star"]
    assert missing("The client is Borealis Trading GmbH.", source) == ["Borealis Trading GmbH"]
    assert missing("Mayor Jane Doe owns the boat.", source) == ["Mayor Jane Doe"]


def test_a_citations_own_page_label_and_the_documents_name_are_not_claims():
    evidence = Evidence(BOILER)
    said = "According to report-2023.pdf, page 12, it costs 90,000 dollars [1]."
    assert check_sentence(said, evidence, ignore=("page 12", "report-2023.pdf")) == []
    assert [c.text for c in check_sentence(said, evidence)] == ["2023", "12"]


def finding(passage: str, page: int) -> Finding:
    return Finding(0, Location("page", f"page {page}", page, 0, len(passage)), passage, score=1.0)


def test_an_answer_loses_its_unsupported_sentences_and_falls_back_to_the_quotes():
    kept = [finding(BOILER, 3), finding(ROOF, 5)]
    written = ("The boiler will cost 90,000 dollars [1]. It was approved on 2 February 2024 [2]. "
               "The library paid $1.5 million. [1]")
    answer, removed = ground_answer(written, kept, "What did the boiler cost?", "minutes.pdf")
    assert answer == "The boiler will cost 90,000 dollars [1]." and removed == 2
    # a sentence is checked against the passage it cites, not another one: 12 February 2024 is in [2], not [1]
    answer, removed = ground_answer("The roof was approved on 12 February 2024 [1].", kept, "q", "minutes.pdf")
    assert answer == "" and removed == 1
    assert quotes_answer(kept) == f"“{BOILER}” [1] “{ROOF}” [2]"
    # a small model numbers its one sentence as a list: the number goes, it is no part of the answer
    assert ground_answer("1. The boiler will cost 90,000 dollars [1]", kept, "q", "m.pdf") == (
        "The boiler will cost 90,000 dollars [1]", 0)


def test_a_list_items_number_is_not_a_claim():
    assert missing("3. The boiler will cost 90,000 dollars.", BOILER) == []
    assert missing("4) The boiler will cost 90,000 dollars in 2025.", BOILER) == ["2025"]


def test_a_summary_is_checked_sentence_by_sentence_against_the_whole_document():
    summary = "The library will replace its boiler for 90,000 dollars. The roof cost $2 million. 港务长的船叫“海风号”。"
    checks = check_text(summary, Evidence(BOILER + "\n" + ROOF + "\n" + ZH))
    assert [c.supported for c in checks] == [True, False, False]
    assert [c.text for c in checks[1].missing] == ["$2 million"]
    assert summary[checks[1].start:checks[1].end] == "The roof cost $2 million."
