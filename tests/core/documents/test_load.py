"""Text extraction from real files written by the libraries users' documents come from."""

from __future__ import annotations

import codecs
import os

import pytest
from document_factory import (
    chinese_paragraphs,
    english_paragraphs,
    write_docx,
    write_encrypted_pdf,
    write_html,
    write_pdf,
    write_scanned_pdf,
    write_text,
)

from desktop_app.core.documents import load as load_module
from desktop_app.core.documents.load import (
    decode_text,
    document_from_text,
    guess_language,
    load_document,
)
from desktop_app.core.errors import UnsupportedDocument


def test_multi_page_pdf_keeps_pages_in_order(tmp_path):
    pages = ["\n\n".join(english_paragraphs(2, seed=p)) for p in range(3)]
    doc = load_document(write_pdf(tmp_path / "report.pdf", pages))
    assert doc.format == "pdf"
    assert doc.pages == 3
    assert doc.language == "en"
    positions = [doc.text.index(f"Paragraph {i} is about") for i in (0, 1)]
    assert positions == sorted(positions)
    assert doc.text.count("Paragraph 0 is about the river") == 3  # one per page
    assert "\f" not in doc.text and "\r" not in doc.text
    assert doc.chars == len(doc.text)


def test_scanned_pdf_without_text_layer_suggests_ocr(tmp_path):
    with pytest.raises(UnsupportedDocument, match=r"no text layer.*OCR"):
        load_document(write_scanned_pdf(tmp_path / "scan.pdf"))


def test_encrypted_pdf_is_refused_plainly(tmp_path):
    with pytest.raises(UnsupportedDocument, match="password-protected"):
        load_document(write_encrypted_pdf(tmp_path / "secret.pdf"))


@pytest.mark.parametrize("name", ["garbage.pdf", "garbage.docx"])
def test_garbage_bytes_with_a_document_extension(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(os.urandom(4096))
    with pytest.raises(UnsupportedDocument, match="not a readable"):
        load_document(path)


def test_zip_that_is_not_a_word_document(tmp_path):
    import zipfile

    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a document")
    with pytest.raises(UnsupportedDocument, match="not a readable Word document"):
        load_document(path)


def test_docx_headings_lists_and_tables_in_reading_order(tmp_path):
    doc = load_document(write_docx(tmp_path / "annual.docx"))
    assert doc.format == "docx"
    assert doc.pages is None
    text = doc.text
    assert text.startswith("# Annual Report")
    assert "# Introduction" in text and "## Finances" in text
    assert "- Roads" in text
    assert "| Item | Cost |" in text and "| Bridge | 1200 |" in text
    assert text.index("## Finances") < text.index("| Bridge | 1200 |") < text.index("# Outlook")
    assert [(s.title, s.level) for s in doc.sections] == [
        ("Annual Report", 1),
        ("Introduction", 1),
        ("Finances", 2),
        ("Outlook", 1),
    ]
    budget_at = text.index("Spending stayed")
    assert doc.section_at(budget_at).title == "Finances"


def test_html_visible_text_only(tmp_path):
    doc = load_document(write_html(tmp_path / "news.html"))
    text = doc.text
    assert "do not show" not in text and "color: red" not in text and "Enable JavaScript" not in text
    assert "# Millbrook & its river" in text
    assert "The river flooded in March." in text
    assert "## Repairs" in text and "- New bridge" in text and "- Stronger banks" in text
    assert "Café owners were pleased.\nEveryone agreed." in text
    assert "2024" in text and "1200" in text
    assert [s.title for s in doc.sections] == ["Millbrook & its river", "Repairs"]


def test_html_in_a_declared_legacy_charset(tmp_path):
    html = '<html><head><meta charset="gbk"></head><body><h1>新闻</h1><p>河水在三月泛滥。</p></body></html>'
    doc = load_document(write_html(tmp_path / "news.htm", html, encoding="gbk"))
    assert "# 新闻" in doc.text and "河水在三月泛滥。" in doc.text
    assert doc.language == "zh"


@pytest.mark.parametrize(
    "encoding, expected",
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16-le"),  # no BOM: found by charset-normalizer
        ("gb18030", "gb18030"),
    ],
)
def test_chinese_text_in_common_encodings(tmp_path, encoding, expected):
    text = "\n\n".join(chinese_paragraphs(5))
    doc = load_document(write_text(tmp_path / "notes.txt", text, encoding))
    assert codecs.lookup(doc.encoding).name == codecs.lookup(expected).name
    assert doc.text == text
    assert doc.language == "zh"


def test_markdown_sections(tmp_path):
    text = "# Plan\n\nIntro text.\n\n## Costs\nThe bridge costs 1200.\n\n### Notes ###\nNone."
    doc = load_document(write_text(tmp_path / "plan.md", text))
    assert doc.format == "markdown"
    assert [(s.title, s.level) for s in doc.sections] == [("Plan", 1), ("Costs", 2), ("Notes", 3)]


def test_windows_newlines_and_blank_runs_are_normalised(tmp_path):
    doc = load_document(write_text(tmp_path / "a.txt", "One.\r\n\r\n\r\n\r\nTwo.  \r\nThree."))
    assert doc.text == "One.\n\nTwo.\nThree."


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(UnsupportedDocument, match="empty"):
        load_document(path)


def test_whitespace_only_file(tmp_path):
    with pytest.raises(UnsupportedDocument, match="no text"):
        load_document(write_text(tmp_path / "blank.md", " \n\n\t \n"))


def sparse_file(path, size: int):
    with open(path, "wb") as handle:  # sparse: takes no disk space, but stat() says `size`
        handle.truncate(size)
    return path


def test_500_mb_file_is_refused_without_reading_it(tmp_path, monkeypatch):
    monkeypatch.setitem(load_module._EXTRACTORS, "pdf", lambda path: pytest.fail("the file was read"))
    path = sparse_file(tmp_path / "huge.pdf", 500 * 1024 * 1024)
    with pytest.raises(UnsupportedDocument, match=r"too large.*500 MB.*200 MB"):
        load_document(path)


def test_the_200_mb_limit_is_inclusive(tmp_path, monkeypatch):
    read: list[str] = []
    monkeypatch.setitem(load_module._EXTRACTORS, "pdf", lambda path: read.append(path.name) or ("Some text.", 1, None))
    assert load_document(sparse_file(tmp_path / "at.pdf", 200 * 1024 * 1024)).text == "Some text."
    with pytest.raises(UnsupportedDocument, match="too large"):
        load_document(sparse_file(tmp_path / "over.pdf", 200 * 1024 * 1024 + 1))
    assert read == ["at.pdf"]


def test_large_plain_text_has_a_lower_limit(tmp_path):
    path = tmp_path / "log.txt"
    with open(path, "wb") as handle:
        handle.truncate(100 * 1024 * 1024)
    with pytest.raises(UnsupportedDocument, match="too large"):
        load_document(path)


@pytest.mark.parametrize("name", ["sheet.xlsx", "photo.png", "README"])
def test_unsupported_extension(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"something")
    with pytest.raises(UnsupportedDocument, match="PDF, DOCX, HTML, TXT or Markdown"):
        load_document(path)


def test_missing_file(tmp_path):
    with pytest.raises(UnsupportedDocument, match="not found"):
        load_document(tmp_path / "nowhere.pdf")


def test_binary_bytes_named_txt(tmp_path):
    path = tmp_path / "program.txt"
    path.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(UnsupportedDocument, match="does not look like text"):
        load_document(path)


def test_latin1_text_is_not_mistaken_for_chinese():
    original = (
        "Le café était fermé ce matin. Nous sommes allés à la boulangerie près de l'église, où le pâtissier "
        "préparait des éclairs et des crêpes. Après le déjeuner, nous avons visité le musée. "
        "Über die Brücke gehen wir morgen früh, wenn es nicht regnet. Die Straße ist schön."
    )
    text, encoding = decode_text(original.encode("cp1252"))
    assert text == original
    assert encoding == "cp1252"


def test_pasted_text():
    doc = document_from_text("  Hello there. This is pasted.  ")
    assert doc.name == "Pasted text" and doc.format == "pasted"
    assert doc.text == "Hello there. This is pasted."
    with pytest.raises(UnsupportedDocument):
        document_from_text("   \n ")


@pytest.mark.parametrize(
    "text, language",
    [
        ("The council met and the budget was agreed for the year.", "en"),
        ("镇议会开会讨论了预算。The budget was agreed.", "zh"),
        ("今日は雨が降っています。明日は晴れるでしょう。", "ja"),
        ("오늘은 비가 옵니다. 내일은 맑겠습니다.", "ko"),
        ("Der Rat hat heute den Haushalt beschlossen und gefeiert.", "und"),
        ("12345 67890", "und"),
    ],
)
def test_language_guess_by_script(text, language):
    assert guess_language(text) == language


def test_find_indexing_locates_every_passage_from_offsets_built_once(tmp_path, monkeypatch):
    """Review bug 2: line_at counted newlines from offset 0 for every passage (16 MB took 343 s). The line
    offsets are now built once per document and searched by bisection; counting the builds catches a return
    to per-passage scanning without timing anything."""
    from desktop_app.core.documents.index import _passages

    builds = []
    real_array = load_module.array
    monkeypatch.setattr(load_module, "array", lambda *args: builds.append(args) or real_array(*args))
    paragraph = "The committee met on Tuesday to discuss the bridge. " * 12 + "\nIt agreed.\n\n\n"
    path = tmp_path / "minutes.txt"
    path.write_text("\n\n" + paragraph * 3000, encoding="utf-8")  # 1.9 MB, 9,000 kept lines, 6,000 passages
    document = load_document(path)
    passages = list(_passages(document))
    assert len(builds) == 1 and len(passages) == 6000
    for text, where, start, _ in passages[::97] + passages[-3:]:
        first = document.line_numbers[document.text.count("\n", 0, start)]
        last = document.line_numbers[document.text.count("\n", 0, start + len(text) - 1)]
        assert where == (f"line {first}" if first == last else f"lines {first}-{last}")
    assert passages[0][1] == "line 3" and passages[-1][1] == "lines 11999-12000"  # the leading blanks and runs counted


def test_markdown_sections_are_found_by_bisection():
    text = "\n\n".join(f"# Part {i}\n\nBody of part {i}." for i in range(1, 2001))
    document = load_module.document_from_text(text, "many.md")
    offsets = [s.offset for s in document.sections]
    assert document.section_at(0).title == "Part 1" and document.section_at(offsets[1500] + 5).title == "Part 1501"
    assert document.section_at(len(text)).title == "Part 2000"
    assert load_module.document_from_text("No heading here.", "x").section_at(3) is None
