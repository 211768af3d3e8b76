"""Cut text into articles, headers, sections and passages.

Parts:

* ``split_articles`` — a compilation (第一篇 … 第五篇) becomes one article each.
* ``split_header`` — the opening lines of an article: title lines, the
  occasion line (——在…会议上的工作报告), date and byline lines, then the body.
* ``paragraphs`` — wrapped lines joined back into paragraphs (OCR and
  newspaper layouts break lines mid-sentence), headings recognised
  (一、 （一） 1、 ■ 第X章 第X节), law articles (第X条) kept whole.
* ``passages`` — paragraphs grouped into retrieval units: tiny ones merged,
  long ones cut at sentence ends, each with its section heading as context and
  its offset in the article text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.text.sentences import sentence_spans, sentences

NUMERAL = "一二三四五六七八九十百零〇两"
_ARTICLE_MARK = re.compile(rf"^第[{NUMERAL}\d]+篇\s*[:：]?\s*(.*)$")
_TERMINAL = tuple('。！？!?；;：:…”」』"）)')

# (level, pattern) — level 1 is the outermost.
_HEADINGS = (
    (1, re.compile(rf"^第[{NUMERAL}\d]+[编部分]\s*")),
    (1, re.compile(rf"^第[{NUMERAL}\d]+章(?![节的中])(?=\s|$|[^。，,]{{1,20}}$)")),
    (1, re.compile(rf"^[{NUMERAL}]+\s*[、．.]")),
    (1, re.compile(r"^[■◆●★▲]")),
    (2, re.compile(rf"^第[{NUMERAL}\d]+节(?![的中])(?=\s|$|[^。，,]{{1,20}}$)")),
    (2, re.compile(rf"^[（(][{NUMERAL}]+[）)]")),
    (3, re.compile(r"^\d{1,2}\s*[、．]\s*\S")),
    (3, re.compile(r"^\d{1,2}\.(?!\d)\s*\S")),
    (3, re.compile(rf"^第[{NUMERAL}]+[，,、]")),
)
_LAW_ARTICLE = re.compile(rf"^(第[{NUMERAL}\d]+条)(?:之[{NUMERAL}]+)?\s*")
_LAW_ITEM = re.compile(rf"^[（(][{NUMERAL}\d]+[）)]")
_MAX_HEADING = 60
_MIN_PASSAGE = 60
_MAX_PASSAGE = 480
_TARGET_PASSAGE = 320

_DATE_LINE = re.compile(r"(?:19|20)\d{2}\s*(?:年\s*\d{1,2}\s*月|[-/.]\d{1,2}[-/.]\d{1,2})")
_BYLINE = re.compile(
    r"(记者|通讯员|作者|来源|编辑|责任编辑|电话|本报|字体|阅读|发布时间|发布日期|浏览|点击|摄影|供稿|撰稿)"
)
_NAME_LINE = re.compile(r"^[\u4e00-\u9fff](?:\s*[\u4e00-\u9fff]){1,3}$")
_SALUTATION = re.compile(r"^(各位|同志们|尊敬的|亲爱的)[^。]{0,30}[：:]$")


@dataclass(frozen=True)
class Header:
    """What an article says about itself before its body starts."""

    title_lines: tuple[str, ...]
    occasion: str  # ——在…会议上的工作报告
    date_lines: tuple[str, ...]
    bylines: tuple[str, ...]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of body text with its heading path."""

    text: str
    section: str
    is_heading: bool = False
    law_article: str = ""


@dataclass(frozen=True)
class PassageSpan:
    """A retrieval unit: text, its section path and where it starts in the article text."""

    ordinal: int
    section: str
    text: str
    start: int


def split_articles(lines: list[str]) -> list[tuple[str, list[str]]]:
    """Split a compilation at 第X篇 markers; return (title from marker, lines) per article."""
    marks = [index for index, line in enumerate(lines) if _ARTICLE_MARK.match(line)]
    if len(marks) < 2:
        return [("", lines)]
    articles = []
    preface = lines[: marks[0]]
    if sum(len(line) for line in preface) > 200:
        articles.append(("", preface))
    for number, start in enumerate(marks):
        end = marks[number + 1] if number + 1 < len(marks) else len(lines)
        title = _ARTICLE_MARK.match(lines[start]).group(1).strip()
        articles.append((title, lines[start + 1 : end]))
    return articles


def heading_level(line: str) -> int:
    """Return the heading level of a line (1 outermost), 0 if it is not a heading."""
    if len(line) > _MAX_HEADING * 2:
        return 0
    for level, pattern in _HEADINGS:
        if pattern.match(line) and len(_first_sentence(line)) <= _MAX_HEADING:
            return level
    return 0


def _is_body_start(line: str) -> bool:
    return (
        len(line) > 60
        or (line.endswith(("。", "！", "？")) and (len(line) > 25 or bool(re.search(r"[，,；;]", line))))
        or bool(_SALUTATION.match(line))
        or heading_level(line) > 0
        or bool(_LAW_ARTICLE.match(line))
    )


def split_header(lines: list[str], *, max_lines: int = 10) -> tuple[Header, list[str]]:
    """Separate an article's opening lines (title, occasion, date, byline) from its body."""
    titles, dates, bylines = [], [], []
    occasion = ""
    index = 0
    while index < min(len(lines), max_lines):
        line = lines[index]
        if _is_body_start(line):
            break
        if line.startswith(("——", "—", "--")):
            occasion = line.lstrip("—- ")
        elif _DATE_LINE.search(line) and len(line) <= 50:
            dates.append(line)
        elif _BYLINE.search(line) and len(line) <= 60 or (titles and _NAME_LINE.match(line)):
            bylines.append(line)
        else:
            titles.append(line)
        index += 1
    if index >= len(lines) and len(titles) > 1:
        # Nothing looked like a body (a short note): the first line is the title, the rest is text.
        return Header(tuple(titles[:1]), occasion, tuple(dates), tuple(bylines)), lines[lines.index(titles[1]) :]
    if index >= len(lines) and titles:
        # A single line is both the title and the text: never lose it.
        return Header(tuple(titles), occasion, tuple(dates), tuple(bylines)), list(titles)
    return Header(tuple(titles), occasion, tuple(dates), tuple(bylines)), lines[index:]


def _first_sentence(line: str) -> str:
    """Return the first sentence of a line, its end mark included (the whole line when it has none)."""
    spans = sentence_spans(line, at_line_ends=False)
    return line[: spans[0][1]] if spans else ""


def _split_heading_line(line: str) -> tuple[str, str]:
    """Split '（一）标题。正文…' into heading and the body that follows on the same line."""
    heading = _first_sentence(line)
    rest = line[len(heading) :]
    if rest.strip() and len(heading) <= _MAX_HEADING:
        return heading.strip(), rest.strip()
    return line, ""


def _is_law(lines: list[str]) -> bool:
    return sum(1 for line in lines if _LAW_ARTICLE.match(line)) >= 3


def paragraphs(lines: list[str]) -> list[Paragraph]:
    """Join wrapped lines into paragraphs and attach the heading path to each."""
    law = _is_law(lines)
    stack: dict[int, str] = {}
    result: list[Paragraph] = []
    buffer = ""
    article_label = ""
    previous_heading = False

    def section() -> str:
        parts = [stack[level] for level in sorted(stack)]
        if article_label:
            parts.append(article_label)
        return " › ".join(parts)

    def flush() -> None:
        nonlocal buffer
        if buffer:
            result.append(Paragraph(buffer, section(), law_article=article_label))
            buffer = ""

    for line in lines:
        if not line:
            continue
        level = heading_level(line)
        if law and level >= 2 and _LAW_ITEM.match(line):
            level = 0  # （一） inside a law article is an item, not a heading
        article = _LAW_ARTICLE.match(line) if law else None
        if article:
            flush()
            article_label = article.group(1)
            buffer = line
            previous_heading = False
            continue
        if level:
            flush()
            heading, rest = _split_heading_line(line)
            for deeper in [key for key in stack if key >= level]:
                del stack[deeper]
            stack[level] = heading
            article_label = ""
            result.append(Paragraph(heading, section(), is_heading=True))
            buffer = rest
            previous_heading = not rest
            if rest and rest.endswith(_TERMINAL):
                flush()
            continue
        if law and article_label:
            buffer = f"{buffer}\n{line}" if buffer else line
            continue
        if buffer and buffer.endswith(_TERMINAL):
            flush()
        short_title = (
            len(line) <= 25 and not previous_heading and not buffer and not re.search(r"[，,。；;：:、]", line)
        )
        if short_title:
            result.append(Paragraph(line, section(), is_heading=True))
            previous_heading = True
            continue
        buffer += line
        previous_heading = False
    flush()
    return result


def _cut_long(text: str) -> list[str]:
    """Cut a long paragraph at sentence ends into pieces of about the target length."""
    if len(text) <= _MAX_PASSAGE:
        return [text]
    pieces, current = [], ""
    for sentence in sentences(text, at_line_ends=False):
        if current and len(current) + len(sentence) > _TARGET_PASSAGE:
            pieces.append(current)
            current = ""
        current += sentence
    if current:
        pieces.append(current)
    # A single sentence longer than the limit is cut at a comma, then hard.
    final = []
    for piece in pieces:
        while len(piece) > _MAX_PASSAGE * 2:
            cut = max(piece.rfind("，", 0, _MAX_PASSAGE), piece.rfind(",", 0, _MAX_PASSAGE))
            cut = cut + 1 if cut > _MIN_PASSAGE else _MAX_PASSAGE
            final.append(piece[:cut])
            piece = piece[cut:]
        final.append(piece)
    return final


def article_text(items: list[Paragraph]) -> str:
    """Return the display text of an article body: one paragraph per line."""
    return "\n".join(item.text for item in items)


def passages(items: list[Paragraph]) -> list[PassageSpan]:
    """Group paragraphs into passages with offsets into ``article_text(items)``."""
    spans: list[PassageSpan] = []
    offset = 0
    pending: list[tuple[int, str]] = []  # (start, text) of paragraphs waiting to be merged
    pending_section = ""

    def emit(section: str, start: int, text: str) -> None:
        spans.append(PassageSpan(len(spans), section, text, start))

    def flush_pending() -> None:
        nonlocal pending
        if pending:
            start = pending[0][0]
            text = "\n".join(part for _, part in pending)
            emit(pending_section, start, text)
            pending = []

    only_headings = False  # pending holds headings only: they open the next passage
    for item in items:
        start = offset
        offset += len(item.text) + 1
        if item.is_heading:
            # A heading is text too: it opens the passage that follows it.
            if not only_headings:
                flush_pending()
            pending.append((start, item.text))
            pending_section = item.section
            only_headings = True
            continue
        if item.law_article and only_headings:
            pending = []  # a law article starts at 第X条; its 章/节 headings are in its section path
        if pending and item.section != pending_section and not only_headings:
            flush_pending()
        pieces = _cut_long(item.text)
        if len(pieces) > 1:
            if pending and sum(len(text) for _, text in pending) <= _MIN_PASSAGE * 2:
                pieces[0] = "\n".join([*(text for _, text in pending), pieces[0]])
                start = pending[0][0]
                pending = []
            flush_pending()
            only_headings = False
            piece_start = start
            for piece in pieces:
                emit(item.section, piece_start, piece)
                piece_start += len(piece)
            continue
        pending.append((start, item.text))
        pending_section = item.section
        only_headings = False
        if sum(len(text) for _, text in pending) >= _MIN_PASSAGE:
            flush_pending()
    flush_pending()
    return spans
