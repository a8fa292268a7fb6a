"""Text out of the documents people summarize: PDF, DOCX, HTML, TXT and Markdown.

Extraction leans on well-kept libraries: pypdfium2 (PDFium) for PDF, python-docx
for DOCX and the standard library's html.parser for HTML. Headings become
Markdown-style ``#`` lines so the chunker can split along the document's own
structure. Anything that cannot be read raises UnsupportedDocument with a
sentence the user can act on.
"""

from __future__ import annotations

import bisect
import codecs
from array import array
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from desktop_app.core.documents.segmenting import join_wrapped_lines
from desktop_app.core.errors import UnsupportedDocument

# Refuse before reading: a 500 MB file must never be pulled into memory.
MAX_FILE_BYTES = 200 * 1024 * 1024
# Plain text above this is almost certainly a log or a dump, not something to summarize.
MAX_TEXT_BYTES = 64 * 1024 * 1024
# A DOCX is a zip: its parts are checked uncompressed (declared, then actual) before python-docx
# reads them, so a small file that inflates to gigabytes (a zip bomb) is refused early.
MAX_DOCX_PART_BYTES = MAX_TEXT_BYTES
MAX_DOCX_TOTAL_BYTES = 512 * 1024 * 1024

FORMATS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "txt",
    ".text": "txt",
    ".md": "markdown",
    ".markdown": "markdown",
}
SUPPORTED_TEXT = "PDF, DOCX, HTML, TXT or Markdown"
HEADING_LINE = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


@dataclass(frozen=True)
class Section:
    title: str
    level: int  # 1 for a top-level heading
    offset: int  # character offset of the heading line in Document.text


@dataclass
class Document:
    name: str
    text: str
    format: str  # "pdf", "docx", "html", "txt", "markdown" or "pasted"
    pages: int | None = None  # PDF only: other formats have no fixed pages
    sections: list[Section] = field(default_factory=list)
    language: str = "und"  # "zh", "ja", "ko", "en" or "und" (undetermined)
    encoding: str | None = None  # for text files: the encoding that was detected
    path: Path | None = None
    page_starts: list[int] = field(default_factory=list)  # PDF: character offset where each page begins
    line_numbers: list[int] = field(default_factory=list)  # TXT: the file's 1-based line number of each text line
    # offsets where each line of ``text`` starts, and of each section: built once, searched by bisection, so
    # locating every passage of a 64 MB text costs a log each, not a count from offset 0 each
    _line_starts: array | None = field(default=None, init=False, repr=False, compare=False)
    _section_offsets: list[int] | None = field(default=None, init=False, repr=False, compare=False)

    def page_at(self, offset: int) -> int | None:
        """The 1-based PDF page holding a character offset (None for formats without pages)."""
        if not self.page_starts:
            return None
        return max(1, bisect.bisect_right(self.page_starts, offset))

    def line_at(self, offset: int) -> int | None:
        """The line of the original file holding a character offset (plain text only)."""
        if not self.line_numbers:
            return None
        index = bisect.bisect_right(self.line_starts(), max(0, offset)) - 1  # the newlines before offset
        return self.line_numbers[min(index, len(self.line_numbers) - 1)]

    def line_starts(self) -> array:
        if self._line_starts is None:
            starts, text = array("q", [0]), self.text
            position = text.find("\n")
            while position >= 0:
                starts.append(position + 1)
                position = text.find("\n", position + 1)
            self._line_starts = starts
        return self._line_starts

    @property
    def chars(self) -> int:
        return len(self.text)

    def section_at(self, offset: int) -> Section | None:
        """The heading in force at a character offset."""
        if self._section_offsets is None:
            self._section_offsets = [section.offset for section in self.sections]
        index = bisect.bisect_right(self._section_offsets, offset)
        return self.sections[index - 1] if index else None


def load_document(path: Path | str, max_bytes: int = MAX_FILE_BYTES) -> Document:
    path = Path(path).expanduser()
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        kind = f"'{path.suffix}' files" if path.suffix else "Files without an extension"
        raise UnsupportedDocument(f"{kind} cannot be summarized ({path.name}). Open a {SUPPORTED_TEXT} file.")
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise UnsupportedDocument(f"File not found: {path}") from None
    except OSError as exc:
        raise UnsupportedDocument(f"Cannot read {path.name}: {exc.strerror or exc}.") from None
    if not path.is_file():
        raise UnsupportedDocument(f"{path.name} is a folder, not a document.")
    if size == 0:
        raise UnsupportedDocument(f"{path.name} is empty.")
    limit = min(max_bytes, MAX_TEXT_BYTES) if fmt in ("txt", "markdown", "html") else max_bytes
    if size > limit:
        raise UnsupportedDocument(
            f"{path.name} is too large to summarize ({_mb(size)}; the limit is {_mb(limit)}). "
            "Split it into smaller files."
        )
    try:
        text, pages, encoding = _EXTRACTORS[fmt](path)
    except OSError as exc:
        raise UnsupportedDocument(f"Cannot read {path.name}: {exc.strerror or exc}.") from None
    page_starts: list[int] = []
    line_numbers: list[int] = []
    if fmt == "pdf":
        text, page_starts = _join_pages(text.split("\f"))
    elif fmt == "txt":
        text, line_numbers = _normalize_lines(text)
    else:
        text = normalize_text(text)
    if not text.strip():
        raise UnsupportedDocument(f"{path.name} contains no text to summarize.")
    return Document(
        name=path.name,
        text=text,
        format=fmt,
        pages=pages,
        sections=find_sections(text),
        language=guess_language(text),
        encoding=encoding,
        path=path,
        page_starts=page_starts,
        line_numbers=line_numbers,
    )


def _join_pages(pages: list[str]) -> tuple[str, list[int]]:
    """PDF pages normalised one by one, their wrapped lines joined (segmenting.join_wrapped_lines: a sentence
    is read whole, not cut where the page's line was full), and joined by a paragraph break, with where each
    begins, so an answer can cite the page its passage came from."""
    text, starts = "", []
    for page in pages:
        body = join_wrapped_lines(normalize_text(page))
        if body and text:
            text += "\n\n"
        starts.append(len(text))
        text += body
    return text, starts


def _normalize_lines(text: str) -> tuple[str, list[int]]:
    """normalize_text for plain text, keeping the file's line number of every line it keeps."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    kept: list[str] = []
    numbers: list[int] = []
    blank_run = 0
    for number, line in enumerate(text.split("\n"), 1):
        line = line.rstrip(" \t")
        if not line.strip():
            blank_run += 1
            if not kept or blank_run > 1:
                continue  # leading blanks and runs of blank lines collapse, as normalize_text does
        else:
            blank_run = 0
        kept.append(line)
        numbers.append(number)
    while kept and not kept[-1].strip():
        kept.pop()
        numbers.pop()
    return "\n".join(kept), numbers


def document_from_text(text: str, name: str = "Pasted text") -> Document:
    text = normalize_text(text)
    if not text.strip():
        raise UnsupportedDocument("There is no text to summarize.")
    return Document(name=name, text=text, format="pasted", sections=find_sections(text), language=guess_language(text))


# per-format extraction: each returns (text, pages or None, encoding or None)


def _extract_pdf(path: Path) -> tuple[str, int, None]:
    import pypdfium2 as pdfium

    try:
        # PDFium reads the file lazily from disk; nothing is loaded whole.
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise UnsupportedDocument(
                f"{path.name} is password-protected. Open it in a PDF reader, save an unprotected copy, "
                "and summarize that."
            ) from None
        raise UnsupportedDocument(f"{path.name} is not a readable PDF (it may be damaged or not a PDF at all).") from None
    try:
        pages = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            try:
                pages.append(textpage.get_text_range())
            finally:
                textpage.close()
                page.close()
    finally:
        pdf.close()
    if pages and not any(p.strip() for p in pages):
        raise UnsupportedDocument(
            f"{path.name} has no text layer: it looks like a scanned document ({len(pages)} page(s) of images). "
            "Run it through OCR software (for example OCRmyPDF) first, then summarize the result."
        )
    # a form feed marks page breaks; normalize_text turns it into a paragraph break
    return "\f".join(pages), len(pages), None


def _extract_docx(path: Path) -> tuple[str, None, None]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        check_docx_sizes(path)
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise UnsupportedDocument(
            f"{path.name} is not a readable Word document (.docx). It may be damaged, password-protected, "
            "or an older .doc file: save it as .docx and try again."
        ) from exc
    except Exception as exc:  # zipfile and lxml raise a zoo of types on garbage bytes
        if exc.__class__.__module__.split(".")[0] in ("zipfile", "lxml", "docx"):
            raise UnsupportedDocument(f"{path.name} is not a readable Word document (.docx); it may be damaged.") from exc
        raise
    blocks = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            blocks.append(_docx_table(item))
        else:
            blocks.append(_docx_paragraph(item))
    return "\n\n".join(b for b in blocks if b.strip()), None, None


def check_docx_sizes(path: Path) -> None:
    """Refuse a zip whose parts inflate past the limits; reading stops at the first byte over."""
    too_big = UnsupportedDocument(
        f"{path.name} expands to more than {_mb(MAX_DOCX_PART_BYTES)} of text or {_mb(MAX_DOCX_TOTAL_BYTES)} "
        "in all when unpacked; Hearth does not open it (it may be a zip bomb)."
    )
    check_zip_sizes(path, MAX_DOCX_PART_BYTES, MAX_DOCX_TOTAL_BYTES, too_big)


MAX_ZIP_MEMBERS = 10_000  # an Office file has tens of parts; the central directory of millions is read whole


def check_zip_sizes(path: Path, part_bytes: int, total_bytes: int, too_big: Exception,
                    parts: tuple[str, ...] = (".xml", ".rels")) -> None:
    """Raise ``too_big`` when the zip's XML parts (``parts``: name endings) inflate past ``part_bytes`` each or
    its members past ``total_bytes`` together: the declared sizes first, then what really comes out, read
    in 1 MB steps and stopped at the first byte over (a declared size can lie)."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS or sum(m.file_size for m in members) > total_bytes or any(
            m.file_size > part_bytes for m in members if m.filename.endswith(parts)
        ):
            raise too_big
        total = 0
        for member in members:
            if not member.filename.endswith(parts):
                continue
            actual = 0
            with archive.open(member) as stream:
                while chunk := stream.read(1 << 20):
                    actual += len(chunk)
                    total += len(chunk)
                    if actual > part_bytes or total > total_bytes:
                        raise too_big


def _docx_paragraph(paragraph) -> str:
    text = paragraph.text.strip()
    if not text:
        return ""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style == "Title":
        return f"# {text}"
    match = re.match(r"Heading (\d)", style)
    if match:
        return f"{'#' * min(int(match.group(1)), 6)} {text}"
    if style.startswith("List"):
        return f"- {text}"
    return text


def _docx_table(table) -> str:
    rows = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            value = " ".join(cell.text.split())
            if not cells or cells[-1] != value:  # merged cells repeat their text
                cells.append(value)
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


class _HTMLText(HTMLParser):
    """Visible text of an HTML page, with headings, paragraphs and list items kept apart."""

    SKIP = {"script", "style", "head", "noscript", "template", "svg", "iframe"}
    BLOCK = {
        "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "blockquote", "pre",
        "ul", "ol", "dl", "dt", "dd", "table", "tr", "form", "fieldset", "figure", "figcaption", "hr",
    }  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False
        self._pre = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.parts.append("\n\n" + "#" * int(tag[1]) + " ")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in ("td", "th"):
            self.parts.append(" | ")
        elif tag == "br":
            self.parts.append("\n")
        elif tag in self.BLOCK:
            self.parts.append("\n\n")
        if tag == "pre":
            self._pre += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
        elif tag in self.BLOCK or tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.parts.append("\n\n")
        if tag == "pre":
            self._pre = max(0, self._pre - 1)

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.parts.append(data if self._pre else re.sub(r"\s+", " ", data))

    def text(self) -> str:
        lines = (line.strip() for line in "".join(self.parts).split("\n"))
        return "\n".join(lines)


def _extract_html(path: Path) -> tuple[str, None, str]:
    raw = path.read_bytes()
    declared = re.search(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", raw[:4096], re.IGNORECASE)
    text, encoding = decode_text(raw, path.name, declared.group(1).decode("ascii") if declared else None)
    parser = _HTMLText()
    parser.feed(text)
    parser.close()
    body = parser.text()
    if not body.strip() and parser.title.strip():
        body = parser.title.strip()
    return body, None, encoding


def _extract_plain(path: Path) -> tuple[str, None, str]:
    text, encoding = decode_text(path.read_bytes(), path.name)
    return text, None, encoding


_EXTRACTORS = {
    "pdf": _extract_pdf,
    "docx": _extract_docx,
    "html": _extract_html,
    "txt": _extract_plain,
    "markdown": _extract_plain,
}


# encodings

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(raw: bytes, name: str = "the file", declared: str | None = None) -> tuple[str, str]:
    """Bytes to text: BOM, then a declared charset, UTF-8, BOM-less UTF-16, GB18030, then a guess."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return raw.decode(encoding, errors="replace"), encoding
    candidates = [declared] if declared else []
    candidates += ["utf-8", _bomless_utf16(raw)]
    for encoding in filter(None, candidates):
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if not _looks_binary(text):
            return text, encoding
    try:
        text = raw.decode("gb18030")
        if _mostly_cjk(text):
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # already installed with requests

    best = from_bytes(raw[: 1 << 20]).best()
    if best is not None:
        text = raw.decode(best.encoding, errors="replace")
        if not _looks_binary(text):
            return text, best.encoding
    raise UnsupportedDocument(f"{name} does not look like text (it may be a binary file with the wrong extension).")


def _bomless_utf16(raw: bytes) -> str | None:
    """UTF-16 without a BOM shows up as a NUL in every other byte of ASCII text."""
    sample = raw[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    if "\x00" in sample:
        return True
    controls = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v")
    return controls > 0.01 * max(1, len(sample))


def _mostly_cjk(text: str) -> bool:
    non_ascii = [c for c in text[:65536] if ord(c) > 127]
    if not non_ascii or _looks_binary(text):
        return False
    cjk = sum(1 for c in non_ascii if _is_cjk(c) or unicodedata.category(c).startswith("P"))
    return cjk >= 0.9 * len(non_ascii)


# normalising and structure


def normalize_text(text: str) -> str:
    """Unix newlines, page breaks as paragraph breaks, no runs of blank lines or trailing spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def find_sections(text: str) -> list[Section]:
    return [Section(m.group(2).strip(), len(m.group(1)), m.start()) for m in HEADING_LINE.finditer(text)]


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x2FA1F


def guess_language(text: str) -> str:
    """A coarse guess from the script: enough to answer in the document's language."""
    sample = text[:200_000]
    han = kana = hangul = latin = 0
    for char in sample:
        if char.isascii():
            latin += char.isalpha()
        elif _is_cjk(char):
            han += 1
        elif 0x3040 <= ord(char) <= 0x30FF:
            kana += 1
        elif 0xAC00 <= ord(char) <= 0xD7AF:
            hangul += 1
    # one CJK character carries about as much as a short Latin word (~4 letters)
    weighted = {"zh": han * 4, "ja": kana * 4, "ko": hangul * 3, "latin": latin}
    if kana and kana * 4 >= 0.2 * (han + kana) * 4:
        weighted["ja"] += weighted.pop("zh")
    best = max(weighted, key=weighted.get)
    if weighted[best] == 0:
        return "und"
    if best == "latin":
        return "en" if _looks_english(sample) else "und"
    return best


_ENGLISH_WORDS = {"the", "and", "of", "to", "is", "in", "that", "it", "for", "with", "as", "was", "on", "are", "this"}


def _looks_english(sample: str) -> bool:
    words = re.findall(r"[A-Za-z]+", sample[:20000].lower())
    if not words:
        return False
    return sum(1 for w in words if w in _ENGLISH_WORDS) >= 0.08 * len(words)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"
