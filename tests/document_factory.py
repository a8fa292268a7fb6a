"""Write small real documents (PDF, DOCX, HTML, text in several encodings) for tests and benchmarks."""

from __future__ import annotations

import random
from pathlib import Path

TOPICS = ["river", "bridge", "library", "harvest", "railway", "market", "school", "orchard", "harbour", "mill"]


def english_paragraphs(count: int, seed: int = 0, sentences: int = 6) -> list[str]:
    """Distinct, readable paragraphs: each names its own number so tests can find it in a chunk."""
    rng = random.Random(seed)
    paragraphs = []
    for i in range(count):
        topic = TOPICS[i % len(TOPICS)]
        lines = [f"Paragraph {i} is about the {topic} of Millbrook."]
        for j in range(sentences - 1):
            noun = rng.choice(TOPICS)
            lines.append(f"In year {1900 + rng.randrange(120)} the council spent {rng.randrange(5, 500)} pounds on the {noun} (note {i}.{j}).")
        paragraphs.append(" ".join(lines))
    return paragraphs


def chinese_paragraphs(count: int) -> list[str]:
    return [
        f"第{i}段讲的是米尔布鲁克镇的{['河流', '桥梁', '图书馆', '收成', '铁路'][i % 5]}。"
        f"镇议会在第{i}次会议上讨论了预算！居民们提出了很多问题；最后大家同意了这个方案。"
        for i in range(count)
    ]


def write_pdf(path: Path, pages: list[str]) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    pdf.output(str(path))
    return path


def write_scanned_pdf(path: Path, pages: int = 2) -> Path:
    """Pages that hold only a picture: what a scanner without OCR produces."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (400, 200), "white")
    ImageDraw.Draw(image).rectangle((20, 20, 380, 180), outline="black", width=4)
    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
        pdf.image(image, x=10, y=10, w=180)
    pdf.output(str(path))
    return path


def write_encrypted_pdf(path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 8, "A confidential report.")
    pdf.set_encryption(owner_password="owner", user_password="user")
    pdf.output(str(path))
    return path


def write_docx(path: Path) -> Path:
    """A report with a title, two heading levels, a list and a table."""
    import docx

    document = docx.Document()
    document.add_heading("Annual Report", level=0)
    document.add_heading("Introduction", level=1)
    document.add_paragraph("Millbrook grew by four percent this year.")
    document.add_heading("Finances", level=2)
    document.add_paragraph("Spending stayed within the budget.")
    document.add_paragraph("Roads", style="List Bullet")
    table = document.add_table(rows=3, cols=2)
    for row, values in zip(table.rows, [("Item", "Cost"), ("Bridge", "1200"), ("School", "800")]):
        for cell, value in zip(row.cells, values):
            cell.text = value
    document.add_heading("Outlook", level=1)
    document.add_paragraph("Next year the town plans a new library.")
    document.save(str(path))
    return path


HTML_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Town news</title>
<style>body { color: red; }</style><script>var secret = "do not show";</script></head>
<body>
<nav><a href="/">Home</a></nav>
<h1>Millbrook &amp; its river</h1>
<p>The river   flooded
in <b>March</b>.</p>
<h2>Repairs</h2>
<ul><li>New bridge</li><li>Stronger banks</li></ul>
<table><tr><th>Year</th><th>Cost</th></tr><tr><td>2024</td><td>1200</td></tr></table>
<p>Caf&eacute; owners were pleased.<br>Everyone agreed.</p>
<noscript>Enable JavaScript</noscript>
</body></html>
"""


def write_html(path: Path, html: str = HTML_PAGE, encoding: str = "utf-8") -> Path:
    path.write_bytes(html.encode(encoding))
    return path


def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


CONTRACT_PARTIES = ["Acme Widgets Ltd", "Borealis Trading GmbH", "Cedar Lane Bakery", "Delta Freight Co", "Evergreen Florists",
                    "Fjord Analytics AS", "Granite Builders Inc", "Harbour Light Cafe", "Iris Dental Clinic", "Juniper Software BV"]


def contract_values(count: int = 10, seed: int = 7) -> list[dict]:
    """Known field values for ``count`` generated service contracts."""
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        month, day = rng.randrange(1, 13), rng.randrange(1, 29)
        rows.append({
            "party": CONTRACT_PARTIES[i % len(CONTRACT_PARTIES)],
            "start date": f"2025-{month:02d}-{day:02d}",
            "end date": f"{2026 + rng.randrange(3)}-{month:02d}-{day:02d}",
            "amount": f"EUR {rng.randrange(1, 99)},{rng.randrange(100, 999)}.00",
            "notice period": f"{rng.choice([30, 60, 90])} days",
        })
    return rows


def contract_text(values: dict, number: int) -> str:
    return (
        f"SERVICE AGREEMENT No. {number}\n\n"
        f"This agreement is made between Hearth Supplies Ltd (the Provider) and {values['party']} (the Client).\n\n"
        f"The agreement starts on {values['start date']} and ends on {values['end date']}.\n\n"
        f"The Client pays a total fee of {values['amount']}, invoiced monthly.\n\n"
        f"Either party may end the agreement with {values['notice period']} written notice.\n\n"
        "The Provider delivers office supplies to the Client's premises every week. "
        "Complaints are answered within five working days."
    )


def write_contracts(folder: Path, count: int = 10, seed: int = 7, kind: str = "txt") -> list[tuple[Path, dict]]:
    """A folder of generated contracts (TXT, or PDF with kind="pdf") and the values each one holds."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number, values in enumerate(contract_values(count, seed), 1):
        text = contract_text(values, number)
        path = folder / f"contract-{number:02d}.{kind}"
        if kind == "pdf":
            write_pdf(path, [text])
        else:
            write_text(path, text)
        written.append((path, values))
    return written


def write_cjk_pdf(path: Path, pages: list[list[str]]) -> Path:
    """A PDF of Chinese lines (one list of lines a page) in the non-embedded Adobe-GB1 font STSong-Light:
    PDF readers (PDFium included) map its codes to text through their built-in CMaps, so no CJK font file is
    needed on this machine to write or to read it."""
    objects: list[bytes] = [b""] * 5
    font, descendant, descriptor = 3, 4, 5
    objects[font - 1] = (b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
                         b"/DescendantFonts [4 0 R] >>")
    objects[descendant - 1] = (b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo "
                               b"<< /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 5 0 R /DW 1000 >>")
    objects[descriptor - 1] = (b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -200 1000 900] "
                               b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>")
    kids = []
    for lines in pages:
        ops = [b"BT /F1 12 Tf 16 TL 40 800 Td"] + [b"<" + line.encode("utf-16-be").hex().encode() + b"> Tj T*"
                                                  for line in lines] + [b"ET"]
        stream = b"\n".join(ops)
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                       b"/Contents %d 0 R >>" % (len(objects)))
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def wrap_cjk(text: str, width: int = 36) -> list[str]:
    """Chinese text cut into lines of about ``width`` characters, as a page's layout wraps it: anywhere between
    Chinese characters, never inside a number or a Latin word."""
    lines = []
    while len(text) > width:
        cut = width
        while cut > 1 and text[cut - 1].isascii() and text[cut].isascii() and not text[cut].isspace():
            cut -= 1
        lines.append(text[:cut])
        text = text[cut:]
    return lines + [text] if text else lines


# the grounding set: facts planted on known pages of long PDFs, for Ask's recall and its answers' grounding

ENGLISH_FACTS = [  # (fact, question, the answer as the fact writes it), {} filled per document
    ("The harbour master's own boat is called {name}.", "What is the harbour master's boat called?", "{name}"),
    ("The library plans to replace the boiler in {year} at an esti-\nmated cost of {amount} dollars.",
     "How much will the boiler replacement cost?", "{amount}"),
    ("The new roof of the town hall was ap-\nproved on {day} February 2024 after a long debate.",
     "When was the new roof of the town hall approved?", "{day} February 2024"),
    ("The bakery on Mill Lane is owned by {person}.", "Who owns the bakery on Mill Lane?", "{person}"),
    ("The annual rent of the covered market hall is {rent} pounds.", "What is the annual rent of the market hall?",
     "{rent}"),
    ("The railway bridge was painted by {company} in the spring.", "Which company painted the railway bridge?",
     "{company}"),
    ("The school orchestra now has {count} members and a new conductor.", "How many members does the school orchestra have?",
     "{count}"),
    ("The oldest pear tree in the orchard was planted in {old}.", "When was the oldest pear tree in the orchard planted?",
     "{old}"),
]
CHINESE_FACTS = [
    ("港务长自己的船叫做“{name}”。", "港务长的船叫什么名字？", "{name}"),
    ("图书馆更换锅炉的预计费用为人民币 {amount}.00 元。", "图书馆更换锅炉的费用是多少？", "{amount}.00"),
    ("新屋顶于2024年2月{day}日获得批准。", "新屋顶是什么时候获得批准的？", "2024年2月{day}日"),
    ("面包店的老板是{person}。", "面包店的老板是谁？", "{person}"),
    ("学校合唱团共有{count}名成员。", "学校合唱团有多少名成员？", "{count}"),
    ("铁路桥由{company}负责粉刷。", "哪家公司负责粉刷铁路桥？", "{company}"),
    ("果园里最老的梨树种于{old}年。", "果园里最老的梨树是哪一年种的？", "{old}"),
]
ENGLISH_VALUES = [
    {"name": "Aurelia Seven", "year": 2024, "amount": "90,000", "rent": "4,800", "day": 12, "person": "Clara Whitfield",
     "company": "Northgate Coatings Ltd", "count": 48, "old": 1887},
    {"name": "Morning Wren", "year": 2025, "amount": "14,500", "rent": "26,300", "day": 3, "person": "Tobias Renner",
     "company": "Halden Brothers Ltd", "count": 36, "old": 1902},
    {"name": "Silver Heron", "year": 2026, "amount": "310,000", "rent": "1,950", "day": 21, "person": "Edith Marlowe",
     "company": "Kestrel Works Ltd", "count": 57, "old": 1865},
    {"name": "Quiet Gannet", "year": 2027, "amount": "7,250", "rent": "11,400", "day": 9, "person": "Rufus Abernathy",
     "company": "Brightwater Paints Ltd", "count": 23, "old": 1911},
]
CHINESE_VALUES = [
    {"name": "极光七号", "amount": "3,560", "day": 12, "person": "王秀兰", "company": "北方建设有限公司", "count": 48, "old": 1887},
    {"name": "晨星号", "amount": "12,800", "day": 3, "person": "李建国", "company": "东海涂料有限公司", "count": 36, "old": 1902},
    {"name": "白鹭号", "amount": "96,400", "day": 21, "person": "陈美玲", "company": "长江油漆有限公司", "count": 57, "old": 1865},
]


def grounding_set(folder: Path, english: int = 4, chinese: int = 3, pages: int = 30, chinese_pages: int = 20) -> list[dict]:
    """PDFs with facts planted on known pages (wrapped lines, some hyphenated by hand in English; Chinese in a
    non-embedded CJK font) and one question per fact: {"path", "question", "page", "answer", "language"}."""
    folder.mkdir(parents=True, exist_ok=True)
    questions = []
    for number, values in enumerate(ENGLISH_VALUES[:english]):
        texts = english_paragraphs(pages, seed=number, sentences=5)
        planted = _plant(texts, ENGLISH_FACTS, values, number, " ")
        path = write_pdf(folder / f"town-{number + 1}.pdf", texts)
        questions += [dict(q, path=path, language="en") for q in planted]
    for number, values in enumerate(CHINESE_VALUES[:chinese]):
        paragraphs = chinese_paragraphs(chinese_pages * 6)
        texts = ["".join(paragraphs[i * 6 : i * 6 + 6]) for i in range(chinese_pages)]
        planted = _plant(texts, CHINESE_FACTS, values, number, "")
        path = write_cjk_pdf(folder / f"镇志-{number + 1}.pdf", [wrap_cjk(text) for text in texts])
        questions += [dict(q, path=path, language="zh") for q in planted]
    return questions


def _plant(texts: list[str], facts: list[tuple[str, str, str]], values: dict, seed: int, joiner: str) -> list[dict]:
    """Each fact into the middle of its own page (known, spread over the document)."""
    rng = random.Random(100 + seed)
    pages = rng.sample(range(1, len(texts)), len(facts))
    planted = []
    for (fact, question, answer), page in zip(facts, pages):
        middle = len(texts[page]) // 2
        cut = texts[page].find(". " if joiner else "。", middle) + (2 if joiner else 1)
        texts[page] = texts[page][:cut] + fact.format(**values) + joiner + texts[page][cut:]
        planted.append({"question": question, "page": page + 1, "answer": answer.format(**values).replace("-\n", ""),
                        "fact": fact.format(**values).replace("-\n", "")})
    return planted
