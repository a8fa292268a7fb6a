"""Does the text say it? Numbers, amounts, dates and names in a written sentence checked against its sources.

One checker for Ask (an answer's sentence against the passages it cites) and Summarize (a summary's sentence
against the whole document). A claim is supported only where the source states the same thing:
- numbers by value, across formats ("90,000" = "90000" = "90 thousand"; "1.5 million" = "1,500,000",
  "1.5万" = "15000"), with their currency when the sentence names one ("$1.5 million" is not "1.5 million
  euros") and their percent sign;
- dates as (year, month, day): "2 February 2024" is not "12 February 2024", "February 2024" is;
  "2024年2月12日" = "12 February 2024" = "2024-02-12";
- names: capitalised words and runs of them in English ("Aurelia Seven", "Acme Widgets Ltd"), quoted text
  and company names in Chinese, and, where a Chinese question asks for a name (谁, 叫什么, 名字…), whatever
  new the answer says beside the question's own words.
The rules lean to "not in the documents": a true sentence flagged costs a reader a look at the quote; an
invented figure beside a real citation costs a business its trust.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from desktop_app.core.documents.segmenting import is_cjk, reader_form, sentence_spans

MONTHS = {name: number for number, names in enumerate([
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
    ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
    ("december", "dec")], 1) for name in names}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[5-9]|2\d)\d\d)"
DATES = [re.compile(p, re.IGNORECASE) for p in (
    rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b",
    rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b",
    rf"\b{_YEAR}-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)\b",
    rf"\b{_YEAR}/(?P<month>[01]?\d)/(?P<day>[0-3]?\d)\b",
    rf"{_YEAR}\s*年\s*(?P<month>[01]?\d)\s*月\s*(?P<day>[0-3]?\d)\s*[日号]",
    rf"{_YEAR}\s*年\s*(?P<month>[01]?\d)\s*月",
    rf"\b{_MONTH}\s+{_YEAR}\b",
    rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b",
    rf"\b{_MONTH}\s+{_DAY}\b(?![\d,])",
    r"(?<!\d)(?P<month>[01]?\d)\s*月\s*(?P<day>[0-3]?\d)\s*[日号]",
)]
NUMERIC_DATE = re.compile(r"\b(?P<a>[0-3]?\d)[./](?P<b>[0-3]?\d)[./](?P<year>(?:1[5-9]|2\d)\d\d)\b")

SCALES = {"thousand": 10**3, "k": 10**3, "million": 10**6, "m": 10**6, "mn": 10**6, "billion": 10**9,
          "bn": 10**9, "b": 10**9, "trillion": 10**12, "千": 10**3, "万": 10**4, "百万": 10**6, "亿": 10**8}
CURRENCIES = {"$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "美元": "USD",
              "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "欧元": "EUR",
              "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP", "英镑": "GBP",
              "¥": "CNY", "￥": "CNY", "cny": "CNY", "rmb": "CNY", "yuan": "CNY", "元": "CNY", "人民币": "CNY",
              "块": "CNY", "chf": "CHF", "francs": "CHF", "jpy": "JPY", "yen": "JPY", "日元": "JPY"}
_CURRENCY_BEFORE = r"(?P<cur1>us\$|[$€£¥￥]|usd|eur|gbp|cny|rmb|chf|jpy|人民币)?\s*"
_CURRENCY_AFTER = r"\s*(?P<cur2>美元|欧元|英镑|日元|元|块|dollars?|euros?|pounds?|yuan|francs|yen|usd|eur|gbp|cny|rmb|chf|jpy)?"
_SCALE = r"(?:\s*(?P<scale>thousand|million|billion|trillion|百万|千|万|亿)|(?P<short>k|m|mn|bn|b)\b)?"
NUMBER = re.compile(
    _CURRENCY_BEFORE + r"(?<![A-Za-z0-9_.,])(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?(?![\d])" + _SCALE
    + r"(?P<percent>\s*(?:%|％|percent\b|per\s+cent\b))?" + _CURRENCY_AFTER, re.IGNORECASE)
NUMBER_WORDS = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                           "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
NUMBER_WORDS.update({"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                     "ninety": 90, "hundred": 100})
# "one" is a pronoun as often as a number ("no one", "one of them"): it is not read as one
WORD_NUMBER = re.compile(r"\b(" + "|".join(w for w in NUMBER_WORDS if w != "one") + r")\b", re.IGNORECASE)
CHINESE_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
# Chinese numerals are read as numbers only before a unit that makes them one ("三千五百元", "二月十二日")
CHINESE_NUMERAL = re.compile(r"[〇零一二两三四五六七八九十百千]+(?=[万亿]?(?:元|年|月|日|号|岁|天|倍|美元|欧元|英镑|%|％))")
MARKERS = re.compile(r"\[\d{1,3}\]")
LIST_MARKER = re.compile(r"^\s*(?:[-*+•]|\(?\d{1,3}[.)、]|[一二三四五六七八九十]{1,3}、)\s*")  # "3. ", "4) ", "- " open list items

# capitalised words that start sentences or stand for no one in particular
COMMON = set("""a an the this that these those there here it its it's they them their he she his her we our you your
i i'm i've my me yes no not and or but so if then when while where which who whom whose what why how as at by for
from in into of on onto to with without about after before during since until within per than also however overall
moreover therefore thus hence because although though both either neither each every all any some many most much
more few several such only just even still yet again according based total answer question document documents
passage passages source sources text page pages part parts section line lines note notes summary in-text
monday tuesday wednesday thursday friday saturday sunday mr mrs ms dr st mt no. yes, finally first second third
next last later earlier today tomorrow yesterday one two three four five six seven eight nine ten""".split())
CAPITALISED = re.compile(r"[A-Z][\w'’&.-]*|[A-Z]{2,}")
NAME_JOINERS = {"of", "de", "van", "von", "der", "da", "di", "la", "le", "&", "and", "the"}
QUOTED = re.compile(r"[“「『《\"]([^”」』》\"\n]{1,40})[”」』》\"]")
CHINESE_ORGANISATION = re.compile(r"(?:^|(?<=[由是与和向给被为在从对将的，、：:“「]))(?:(?![由是与和向给被为在从对将的])[\u4e00-\u9fff]){2,16}?"
                                  r"(?:有限责任公司|股份有限公司|有限公司|公司|集团|银行|大学|医院|学校|委员会)")
ASKS_FOR_NAME = re.compile(r"谁|叫什么|名字|名称|哪家|哪个|哪位|什么人|什么公司")
CHINESE_FILLER = set("的是了在和有这那个艘位名叫做为称其它他她们就也都将被把从与及或等于对中上下里一此该")


@dataclass(frozen=True)
class Claim:
    kind: str  # "number", "date" or "name"
    text: str  # as the sentence writes it
    value: tuple = ()

    def to_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text}


@dataclass
class SentenceCheck:
    sentence: str
    start: int  # offsets in the checked text
    end: int
    missing: list[Claim] = field(default_factory=list)

    @property
    def supported(self) -> bool:
        return not self.missing

    def to_dict(self) -> dict:
        return {"sentence": self.sentence, "not_in_source": [c.text for c in self.missing]}


@dataclass(frozen=True)
class _Number:
    value: Decimal
    currency: str | None
    percent: bool


class Evidence:
    """What a source says, indexed once: its numbers, dates and words, for any number of claims."""

    def __init__(self, text: str):
        self.text = _normalized(text)
        self.folded = _fold(self.text)
        self.words = _fold(unicodedata.normalize("NFKC", text))  # names are matched as written: "七号" stays
        self.dates = [date for readings, _ in _dates(self.text) for date in readings]
        self.numbers = _numbers(self.text, raw_too=True)
        self.currencies = {c for n in self.numbers if n.currency for c in [n.currency]}
        self.currencies |= {code for word, code in CURRENCIES.items() if _has_word(self.folded, word)}

    def supports(self, claim: Claim) -> bool:
        if claim.kind == "date":  # "12/02/2024" reads two ways: either may be the one meant
            return any(_same_date(reading, date) for reading in claim.value for date in self.dates)
        if claim.kind == "number":
            return self._has_number(*claim.value)
        return _has_phrase(self.words, _fold(claim.text))

    def _has_number(self, value: Decimal, currency: str | None, percent: bool) -> bool:
        for number in self.numbers:
            if number.value != value or (percent and not number.percent):
                continue
            if currency is None or number.currency == currency or (number.currency is None and currency in self.currencies):
                return True
        return False


def claims_in(sentence: str, question: str = "") -> list[Claim]:
    """The numbers, amounts, dates and names a sentence states ([n] markers aside)."""
    sentence = LIST_MARKER.sub("", sentence)
    text = _normalized(MARKERS.sub(" ", sentence))
    claims: list[Claim] = []
    dates = _dates(text)
    for readings, span in dates:
        claims.append(Claim("date", text[span[0]:span[1]], readings))
    blanked = _blank(text, [span for _, span in dates])
    for match in NUMBER.finditer(blanked):
        number = _number(match)
        if number is not None:
            claims.append(Claim("number", match.group(0).strip(), (number.value, number.currency, number.percent)))
    for match in WORD_NUMBER.finditer(blanked):
        claims.append(Claim("number", match.group(0), (Decimal(NUMBER_WORDS[match.group(1).lower()]), None, False)))
    claims += [Claim("name", name) for name in _names(unicodedata.normalize("NFKC", sentence), question)]
    return claims


def check_sentence(sentence: str, evidence: Evidence, question: str = "", ignore: tuple[str, ...] = ()) -> list[Claim]:
    """The claims of ``sentence`` its evidence does not state; ``ignore``: phrases that are no claim (a cited
    passage's "page 37", the document's name)."""
    for phrase in ignore:
        if phrase:
            sentence = re.sub(re.escape(phrase), " ", sentence, flags=re.IGNORECASE)
    missing: dict[str, Claim] = {}
    for claim in claims_in(sentence, question):
        if claim.text not in missing and not evidence.supports(claim):
            missing[claim.text] = claim
    return list(missing.values())


def check_text(text: str, evidence: Evidence, question: str = "", ignore: tuple[str, ...] = ()) -> list[SentenceCheck]:
    """Each sentence of ``text`` (a summary) with what its evidence does not state."""
    checks = []
    for start, end in sentence_spans(text):
        sentence = reader_form(text[start:end])
        checks.append(SentenceCheck(sentence, start, end, check_sentence(sentence, evidence, question, ignore)))
    return checks


WORD_SUPPORT = 0.6  # a written sentence must take at least this share of its words from its sources
FILLER_WORDS = COMMON | set("""is are was were be been being has have had do does did will would can could should may might
must shall said says say called named cost costs costing its it's also very about more most less least passage passages
according cited quote quoted""".split())


def word_support(sentence: str, evidence: Evidence, question: str = "") -> float:
    """The share of a sentence's own words (English words, Chinese characters; filler aside) that its sources or
    its question use: a small model's fluent nonsense beside a real citation takes few."""
    text = _fold(unicodedata.normalize("NFKC", MARKERS.sub(" ", sentence)))
    source = evidence.words + " " + _fold(unicodedata.normalize("NFKC", question))
    units = [w for w in re.findall(r"[^\W\d_]{3,}", text) if not is_cjk(w[0]) and w not in FILLER_WORDS]
    units += [c for c in text if is_cjk(c) and c not in CHINESE_FILLER and not unicodedata.category(c).startswith("P")]
    if not units:
        return 1.0
    found = sum(1 for unit in units if (unit in source if is_cjk(unit[0]) else _stem_in(unit, source)))
    return found / len(units)


def _stem_in(word: str, text: str) -> bool:
    stem = word if len(word) <= 4 else word[: max(4, len(word) - 3)]
    return re.search(r"(?<![^\W_])" + re.escape(stem), text) is not None


# numbers and dates


def _normalized(text: str) -> str:
    """Full-width digits and signs as ASCII, Chinese numerals before a unit as digits."""
    text = unicodedata.normalize("NFKC", text).replace("\ufffe", "")
    return CHINESE_NUMERAL.sub(lambda m: str(_chinese_number(m.group(0))), text)


def _chinese_number(numeral: str) -> int:
    if not any(c in CHINESE_UNITS for c in numeral):  # "二〇二四" is read digit by digit
        return int("".join(str(CHINESE_DIGITS[c]) for c in numeral))
    total, digit = 0, 0
    for char in numeral:
        if char in CHINESE_DIGITS:
            digit = CHINESE_DIGITS[char]
        else:
            total += (digit or 1) * CHINESE_UNITS[char]
            digit = 0
    return total + digit


def _numbers(text: str, raw_too: bool = False) -> list[_Number]:
    found = []
    for match in NUMBER.finditer(text):
        number = _number(match)
        if number is None:
            continue
        found.append(number)
        if raw_too:  # "1.5 million" also says 1.5; "12 February 2024" says 12 and 2024
            found.append(_Number(_decimal(match.group("int"), match.group("frac")), None, False))
    if raw_too:
        found += [_Number(Decimal(NUMBER_WORDS[m.group(1).lower()]), None, False) for m in WORD_NUMBER.finditer(text)]
    return found


def _number(match: re.Match) -> _Number | None:
    value = _decimal(match.group("int"), match.group("frac"))
    if value is None:
        return None
    scale = (match.group("scale") or match.group("short") or "").lower()
    value *= SCALES.get(scale, 1)
    currency = match.group("cur1") or match.group("cur2")
    return _Number(value.normalize(), CURRENCIES.get((currency or "").lower()), bool(match.group("percent")))


def _decimal(integer: str, fraction: str | None) -> Decimal | None:
    try:
        return Decimal(integer.replace(",", "") + ("." + fraction if fraction else "")).normalize()
    except InvalidOperation:
        return None


def _dates(text: str) -> list[tuple[tuple, tuple[int, int]]]:
    """(its readings: (year, month, day) with None for a part not given, span) of every date, longest forms
    first."""
    found: list[tuple[tuple, tuple[int, int]]] = []
    taken: list[tuple[int, int]] = []
    for pattern in DATES:
        for match in pattern.finditer(text):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            groups = match.groupdict()
            month = groups.get("month")
            month = MONTHS.get(month.lower().rstrip(".")) if month and not month.isdigit() else int(month) if month else None
            date = (_int(groups.get("year")), month, _int(groups.get("day")))
            if _valid(date):
                found.append(((date,), match.span()))
                taken.append(match.span())
    for match in NUMERIC_DATE.finditer(text):
        if any(a < match.end() and match.start() < b for a, b in taken):
            continue
        a, b, year = int(match.group("a")), int(match.group("b")), int(match.group("year"))
        readings = tuple(d for d in dict.fromkeys([(year, b, a), (year, a, b)]) if _valid(d))  # day/month, month/day
        if readings:
            found.append((readings, match.span()))
        taken.append(match.span())
    return found


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def _valid(date: tuple) -> bool:
    _, month, day = date
    return (month is None or 1 <= month <= 12) and (day is None or 1 <= day <= 31)


def _same_date(claimed: tuple, stated: tuple) -> bool:
    """Every part the claim gives is the source's; a source that leaves out the year does not confirm one."""
    return all(c is None or c == s for c, s in zip(claimed, stated))


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


# names


def _names(sentence: str, question: str) -> list[str]:
    text = MARKERS.sub(" ", sentence)
    names = _english_names(text)
    names += [m.group(1).strip() for m in QUOTED.finditer(text) if m.group(1).strip()]
    names += [m.group(0) for m in CHINESE_ORGANISATION.finditer(text)]
    if question and ASKS_FOR_NAME.search(question) and any(is_cjk(c) for c in text):
        names += _new_chinese_words(text, question)
    return names


def _english_names(text: str) -> list[str]:
    words = list(re.finditer(r"[\w'’&.-]+", text))
    names, run = [], []
    for index, word in enumerate(words):
        token = word.group(0).strip(".")
        capital = bool(CAPITALISED.fullmatch(token)) and not any(is_cjk(c) for c in token)
        if capital or (run and token.lower() in NAME_JOINERS and index + 1 < len(words)
                       and CAPITALISED.fullmatch(words[index + 1].group(0))):
            run.append((word, token))
            continue
        names += _name_of(text, run)
        run = []
    return names + _name_of(text, run)


def _name_of(text: str, run: list) -> list[str]:
    while run and run[0][1].lower().strip("'’") in COMMON | NAME_JOINERS:  # "The", "According" begin sentences
        run = run[1:]
    if len(run) == 1 and not text[: run[0][0].start()].strip(" \"“'‘(") and not run[0][1].isupper():
        return []  # one capitalised word opening the sentence ("Prices rose") may be any word
    while run and run[-1][1].lower() in NAME_JOINERS:
        run = run[:-1]
    if not run or all(token.lower() in MONTHS or token.upper() in ("USD", "EUR", "GBP", "CNY", "RMB") for _, token in run):
        return []
    name = text[run[0][0].start():run[-1][0].end()].rstrip(".")
    return [re.sub(r"['’]s$", "", name)]


def _new_chinese_words(text: str, question: str) -> list[str]:
    """Runs of Chinese an answer adds to its question ("极光七号" in "港务长的船叫做极光七号"), filler aside."""
    asked = set(question)
    runs, current = [], ""
    for char in text:
        if is_cjk(char) and char not in asked and char not in CHINESE_FILLER and not unicodedata.category(char).startswith("P"):
            current += char
        else:
            if len(current) >= 2:
                runs.append(current)
            current = ""
    return runs + [current] if len(current) >= 2 else runs


# matching


def _fold(text: str) -> str:
    """Lower case, one space for any whitespace, none beside a Chinese character, curly apostrophes straight."""
    text = re.sub(r"\s+", " ", text.lower().replace("’", "'"))
    return re.sub(r"(?<=[\u3000-\u9fff]) | (?=[\u3000-\u9fff])", "", text)


def _has_phrase(folded_text: str, phrase: str) -> bool:
    if not phrase:
        return True
    if any(is_cjk(c) for c in phrase):
        return phrase in folded_text
    return re.search(r"(?<![\w])" + re.escape(phrase) + r"(?![\w])", folded_text) is not None


def _has_word(folded_text: str, word: str) -> bool:
    return _has_phrase(folded_text, word) if word.isalpha() and word.isascii() else word in folded_text
