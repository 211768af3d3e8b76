"""Take the main text, title, date and author out of a saved web page.

Parts: ``_parse`` (BeautifulSoup with lxml) → ``flatten`` (``indexer.ingest.htmllines``: one walk that
skips scripts, styles, form controls, comments and hidden elements, and gives the text as lines, each
knowing its link characters, plus every block element as the ranges of its children) → ``_furniture``
(blocks whose class or id names page furniture: nav, footer, comment, related, share ...) → ``_choose`` (the run of
one block's children whose lines weigh most: prose counts for; link lists, furniture, site notices and
short unpunctuated lines against; a post's time stamp ends a run, and of several posts the first of a
fair size wins) → ``_trim`` (no non-prose at the ends, but a document's closing signature stays) →
``_dedupe`` (a block repeated whole comes out once) → the kept lines, one paragraph per line.
``_title``, ``_date`` and ``_author`` read what the page says about itself around the chosen text.
Word's "save as web page" output has no menus, so its whole body is kept. Pages too large to parse, or
that BeautifulSoup cannot walk, fall back to ``_plain_text``, a linear regular-expression tag stripper,
so ``extract`` never raises on bad HTML.
"""

from __future__ import annotations

import html as html_entities
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass

from bs4 import BeautifulSoup
from bs4.builder import ParserRejectedMarkup

from indexer.ingest.htmllines import Block, Line, collapse, flatten

PARSER = "lxml"
# Parsing costs about a second per million characters (several on tag-dense pages); larger pages are only
# stripped of their tags.
_MAX_PARSED_CHARS = 4_000_000
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class HtmlText:
    """What a web page says: its title, main text (one paragraph per line), date and author."""

    title: str
    text: str
    date: str
    author: str


# A block named as furniture is trusted unless it holds nearly all the page's prose (a misnamed wrapper).
_FURNITURE_MAX_SHARE = 0.9
# Site notices, never an article's text: copyright, licence numbers, reprint terms, complaint lines.
_NOTICE = re.compile(
    r"版权所有(?![者人])|版权声明|免责声明|copyright|©|all rights reserved|icp[备证]|icp许可|公网安备|"
    r"(?:不得|禁止|严禁|擅自)(?:转载|复制|摘编|镜像)|转载请注明|如需转载|违法和不良信息|举报(?:电话|邮箱)",
    re.I,
)
_NOTICE_MAX_CHARS = 300
_NOTICE_COST = 3.0
# A date with a time of day on a line of its own: the header or footer of a post.
_STAMP = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s*\d{1,2}\s*[:：]\s*\d{2}")
# A line whose linked characters pass this share is a link (menus, related articles with their dates).
_LINK_SHARE = 0.4
# Short unpunctuated lines cost this much per character: little, as headings and captions sit inside
# articles. In table cells they cost nothing: schedules, lists and data tables are text too.
_SHORT_LINE_COST = 0.3
_SHORT_CELL_COST = 0.0
# Of posts split by time stamps, the first is the page's own if it has this share of the largest's weight.
_FIRST_POST_SHARE = 0.25
_FIRST_POST_MIN = 150
# A document's closing signature: up to three short lines ending in a line that is only a date.
_SIGNATURE_LINES = 3
_SIGNATURE_CHARS = 30
_DATE_LINE = re.compile(r"(?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|(?:19|20)\d\d([-/.])\d{1,2}\1\d{1,2}")
# Lists in documents repeat a few lines (each major's exam subjects); a block repeated for phones is longer.
_REPEAT_LINES = 6
# Bylines and dates are looked for this many lines above the text.
_HEADER_LINES = 15
_WORD_GENERATOR = re.compile(r"Microsoft Word|Word\.Document", re.I)
_WORD_SECTION = re.compile(r"(?:Word)?Section\d+")


def extract(html: str) -> HtmlText:
    """Return the title, main text, date and author of an HTML page; degrade to the whole page's text."""
    if not html or not html.strip():
        return HtmlText("", "", "", "")
    # Lone surrogates (text decoded with surrogateescape) cannot reach lxml, which encodes to UTF-8.
    html = _SURROGATE.sub("\ufffd", html)
    if len(html) > _MAX_PARSED_CHARS:
        return HtmlText("", _plain_text(html), "", "")
    try:
        soup = _parse(html)
        meta = _head_meta(soup)
        word_export = _is_word_export(soup, meta)
        lines, blocks = flatten(soup)
    except (RecursionError, ParserRejectedMarkup):
        return HtmlText("", _plain_text(html), "", "")
    if word_export:
        furniture = [False] * len(lines)
        start, end = 0, len(lines)
    else:
        furniture = _furniture(lines, blocks)
        start, end = _trim(lines, furniture, _choose(lines, furniture, blocks))
    kept = _dedupe(
        [
            line
            for line, is_furniture in zip(lines[start:end], furniture[start:end], strict=True)
            if word_export or (not is_furniture and not _is_link(line) and not _is_notice(line))
        ]
    )
    # Bylines and dates sit just above the text or in its first and last lines.
    header = lines[max(0, start - _HEADER_LINES) : start]
    if word_export and not meta.get("title") and kept and kept[0].chars <= 60:
        # A Word document without a <title> starts with its title; its headings are chapters.
        title = kept[0].text
    else:
        title = _title(meta, lines, header)
    return HtmlText(
        title=title,
        text="\n".join(line.text for line in kept),
        date=_date(header, kept, meta, lines),
        author=_author([*header, *kept[:5], *kept[-5:], *lines[end : end + 10]], meta),
    )


def _parse(html: str) -> BeautifulSoup:
    """Return the parsed page; BeautifulSoup's warnings about what it was given are not for us."""
    with warnings.catch_warnings():
        # Pages that start with <?xml, or that look like a file name, are still HTML to us.
        warnings.simplefilter("ignore")
        return BeautifulSoup(html, PARSER)


def _head_meta(soup: BeautifulSoup) -> dict[str, str]:
    """Return the page's <meta> values by lower-cased name or property, and its <title> as ``title``."""
    meta = {}
    for tag in soup.find_all("meta"):
        key = str(tag.get("name") or tag.get("property") or tag.get("itemprop") or "").lower()
        content = collapse(str(tag.get("content") or ""))
        if key and content:
            meta.setdefault(key, content)
    if soup.title is not None:
        meta["title"] = collapse(soup.title.get_text())
    return meta


def _is_word_export(soup: BeautifulSoup, meta: dict[str, str]) -> bool:
    """Return whether the page is Word's "save as web page" output, which is all document and no menus."""
    if _WORD_GENERATOR.search(meta.get("generator", "") + " " + meta.get("progid", "")):
        return True
    if soup.html is not None and "urn:schemas-microsoft-com:office:word" in soup.html.attrs.values():
        return True
    first = soup.body.find(True, recursive=False) if soup.body is not None else None
    return (
        first is not None
        and first.name == "div"
        and any(_WORD_SECTION.fullmatch(name) for name in first.get("class", ()))
    )


def _is_link(line: Line) -> bool:
    return line.link_chars > _LINK_SHARE * line.chars


def _is_prose(line: Line) -> bool:
    return not _is_link(line) and (line.punctuation > 0 or line.chars - line.link_chars - line.url_chars >= 40)


def _is_notice(line: Line) -> bool:
    return line.chars <= _NOTICE_MAX_CHARS and bool(_NOTICE.search(line.text))


def _is_stamp(line: Line) -> bool:
    return not _is_prose(line) and bool(_STAMP.search(line.text))


def _furniture(lines: list[Line], blocks: list[Block]) -> list[bool]:
    """Return, per line, whether it sits in a block named as furniture."""
    prose = [0]
    for line in lines:
        prose.append(prose[-1] + (line.chars - line.link_chars if _is_prose(line) else 0))
    limit = prose[-1] * _FURNITURE_MAX_SHARE
    nesting = [0] * (len(lines) + 1)
    for block in blocks:
        if block.furniture_name and prose[block.end] - prose[block.start] <= limit:
            nesting[block.start] += 1
            nesting[block.end] -= 1
    furniture, open_count = [], 0
    for index in range(len(lines)):
        open_count += nesting[index]
        furniture.append(open_count > 0)
    return furniture


def _weight(line: Line, *, furniture: bool) -> float:
    """Return how much a line argues for the block holding it being the main text."""
    if _is_notice(line):
        return -_NOTICE_COST * line.chars
    if furniture or _is_link(line):
        return -line.chars
    if _is_prose(line):
        return line.chars - line.link_chars
    return -(_SHORT_CELL_COST if line.cell else _SHORT_LINE_COST) * (line.chars - line.link_chars)


_Segment = tuple[float, int, int]


def _choose(lines: list[Line], furniture: list[bool], blocks: list[Block]) -> tuple[int, int]:
    """Return the range of lines, a run of one block's children, that weighs most."""
    count = len(lines)
    weights, stamps = [0.0], [0]
    for line, is_furniture in zip(lines, furniture, strict=True):
        weights.append(weights[-1] + _weight(line, furniture=is_furniture))
        stamps.append(stamps[-1] + _is_stamp(line))
    # first_prose[i]: the first prose line at or after i; after_prose[i]: one past the last prose line before i.
    first_prose, after_prose = [count] * (count + 1), [0] * (count + 1)
    for index in range(count - 1, -1, -1):
        first_prose[index] = index if _is_prose(lines[index]) else first_prose[index + 1]
    for index in range(count):
        after_prose[index + 1] = index + 1 if _is_prose(lines[index]) else after_prose[index]

    def one_text(start: int, end: int) -> bool:
        # A time stamp between two stretches of prose splits them: a thread's posts are separate texts.
        low, high = first_prose[start], after_prose[end]
        return low >= high or stamps[high] == stamps[low]

    all_segments = [_segments(block, weights, one_text) for block in blocks]
    best = max((segment for segments in all_segments for segment in segments), default=(0.0, 0, 0))
    # Posts split by time stamps (a thread, a blog's front page): the first of a fair size is the page's
    # own. Look among the runs of the smallest block that holds the best run and others beside it.
    siblings = min(
        (
            segments
            for segments in all_segments
            if len(segments) > 1 and any(start <= best[1] and best[2] <= end for _, start, end in segments)
        ),
        key=lambda segments: segments[-1][2] - segments[0][1],
        default=[],
    )
    for score, start, end in siblings:
        if end <= best[1] and score >= max(_FIRST_POST_SHARE * best[0], _FIRST_POST_MIN):
            return start, end
    return best[1], best[2]


def _segments(block: Block, weights: list[float], one_text: Callable[[int, int], bool]) -> list[_Segment]:
    """Return the (score, start, end) runs of the block's children that weigh most, one per stretch."""
    # Kadane's maximum-sum run: an article followed by link lists in the same table cell is found without
    # them. A run restarts where its sum drops to nothing or where it would join two posts.
    segments = []
    run_start, run_score, top = 0, 0.0, (0.0, 0, 0)
    for start, end in block.children:
        weight = weights[end] - weights[start]
        if run_score <= 0 or not one_text(run_start, end):
            if top[0] > 0:
                segments.append(top)
            run_start, run_score, top = start, weight, (0.0, 0, 0)
        else:
            run_score += weight
        if run_score > top[0] and one_text(run_start, end):
            top = (run_score, run_start, end)
    if top[0] > 0:
        segments.append(top)
    return segments


def _trim(lines: list[Line], furniture: list[bool], chosen: tuple[int, int]) -> tuple[int, int]:
    """Return the chosen range without non-prose lines at its ends.

    Kept: headings just above the first prose line, and a document's closing signature (issuer and date,
    吉林省人民政府 / 2022年1月27日) after the last.
    """
    start, end = chosen
    while start < end and _weight(lines[start], furniture=furniture[start]) <= 0:
        start += 1
    while end > start and _weight(lines[end - 1], furniture=furniture[end - 1]) <= 0:
        end -= 1
    while start > chosen[0] and lines[start - 1].heading and not furniture[start - 1]:
        start -= 1
    for index in range(end, min(end + _SIGNATURE_LINES, len(lines))):
        if furniture[index] or _is_link(lines[index]) or lines[index].chars > _SIGNATURE_CHARS:
            break
        if _DATE_LINE.fullmatch(lines[index].text):
            end = index + 1
            break
    return start, end


def _dedupe(lines: list[Line]) -> list[Line]:
    """Return lines without a run repeated whole (pages that carry a header twice, one copy for phones)."""
    texts = [line.text for line in lines]
    seen: set[tuple[str, ...]] = set()
    repeated = [False] * len(lines)
    for index in range(len(texts) - _REPEAT_LINES + 1):
        shingle = tuple(texts[index : index + _REPEAT_LINES])
        if shingle in seen and len(set(shingle)) > 1:
            repeated[index : index + _REPEAT_LINES] = [True] * _REPEAT_LINES
        seen.add(shingle)
    return [line for line, is_repeated in zip(lines, repeated, strict=True) if not is_repeated]


# Separators between an article title and site or channel names in <title>: _ | ｜ -- — – :: », " - ", and a
# hyphen next to a Chinese character (标题-搜狐财经, but not SK-II).
_TITLE_SEPARATORS = re.compile(
    r"\s*(?:_+|\|+|｜|--+|—+|–|::|»|\s-\s|(?<=[\u4e00-\u9fff）)》”])-|-(?=[\u4e00-\u9fff（(《“]))\s*"
)


def _title(meta: dict[str, str], lines: list[Line], header: list[Line]) -> str:
    """Return the article title: a heading <title> holds, else a header line it holds, else <title> cleaned."""
    titles = [meta[key] for key in ("og:title", "twitter:title", "title") if meta.get(key)]
    segments = [segment for segment in _TITLE_SEPARATORS.split(titles[0]) if segment.strip()] if titles else []
    cleaned = max(segments, key=len, default="")
    if segments and any(line.heading and line.text == segments[0] for line in lines):
        return segments[0]
    for group in ([line for line in lines if line.heading], header):
        held = [line.text for line in group if len(line.text) >= 4 and any(line.text in title for title in titles)]
        # Site and channel names are headings too; the article's title is most of <title>.
        if held and 2 * len(max(held, key=len)) >= len(cleaned):
            return max(held, key=len)
    if cleaned:
        return cleaned
    headings = [line.text for line in header[::-1] if line.heading] or [line.text for line in lines if line.heading]
    return headings[0] if headings else ""


_DATE = re.compile(
    r"(?:19|20)\d\d(?:\s*([-/.])\s*\d{1,2}\s*\1\s*\d{1,2}|\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
    r"(?:\s*\d{1,2}\s*[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?)?"
)
_META_DATES = ("article:published_time", "publishdate", "pubdate", "publish_date", "date", "dc.date")


def _date(header: list[Line], kept: list[Line], meta: dict[str, str], lines: list[Line]) -> str:
    """Return the publication date as written: just above the text, at its top, in <meta>, at its end, anywhere."""
    for line in [*header[::-1], *kept[:3]]:
        match = _DATE.search(line.text)
        if match:
            return match.group(0).strip()
    for key in _META_DATES:
        if meta.get(key):
            return meta[key]
    for line in [*kept[-3:][::-1], *lines]:
        match = _DATE.search(line.text)
        if match:
            return match.group(0).strip()
    return ""


_NAME = r"(?:[\u4e00-\u9fff·]{2,4}|[A-Za-z][\w.&@-]{1,30})"
_NAME_END = r"(?=$|[\s）)\]】,，。;；|]|摄|发自)"
_BYLINES = (
    # A label, then a colon or a space (作者：张三, 记者 张三), or right after a bracket (（记者张三）), or 文/张三.
    re.compile(
        r"(?:(?<=[（(【\[])(?:记\s*者|作\s*者|通讯员)|"
        r"(?:作\s*者|撰\s*文|执\s*笔人?|记\s*者|通讯员|发[布表帖]人|楼\s*主)(?=[:：\s])|"
        r"(?:^|(?<=\s))文\s*[/／])\s*[:：]?\s*"
        rf"({_NAME}(?:[ 、，,]{_NAME})*){_NAME_END}"
    ),
    # Forum and blog footers: 张三 发表于 2005-9-15, 本贴由张三于…发表, … by 张三.
    re.compile(rf"(?:^|(?<=\s))({_NAME})\s*发表于"),
    re.compile(rf"本[贴帖文]由\s*({_NAME})\s*于"),
    re.compile(rf"\bby\s+({_NAME}){_NAME_END}", re.I),
)
_EDITOR = re.compile(rf"(?:责任编辑|编\s*辑)\s*[:：]\s*({_NAME}){_NAME_END}")
# <meta name=author> often names the site or its software rather than a person.
_NOT_A_PERSON = re.compile(r"team|inc\b|corp|ltd|powered|discuz|网络|网站|公司", re.I)


def _author(near: list[Line], meta: dict[str, str]) -> str:
    """Return the byline's name(s), else <meta name=author>, else the editor's name."""
    for pattern in _BYLINES:
        for line in near:
            for match in pattern.finditer(line.text):
                # In prose a byline sits in brackets, （记者 张三）; elsewhere it is a short line of its own.
                before = line.text[max(0, match.start() - 1) : match.start()]
                if not _is_prose(line) or before in ("（", "(", "【", "["):
                    return match.group(1).strip()
    author = meta.get("author", "")
    if author and not _NOT_A_PERSON.search(author):
        return author
    for line in near:
        match = _EDITOR.search(line.text)
        if match:
            return match.group(1).strip()
    return ""


_RAW_TEXT_OPEN = re.compile(r"<!--|<(script|style|noscript|template|textarea)\b", re.I)
_RAW_TEXT_CLOSE = {
    name: re.compile(rf"</{name}\b[^<>]*>", re.I) for name in ("script", "style", "noscript", "template", "textarea")
}
_COMMENT_CLOSE = re.compile(r"-->")
# [^<>] and not [^>]: on a page of unclosed "<" these stay linear.
_LINE_BREAK_TAG = re.compile(r"<(?:br|/?p|/?div|/?li|/?tr|/?h[1-6])\b[^<>]*>", re.I)
_TAG = re.compile(r"<[^<>]*>")


def _plain_text(html: str) -> str:
    """Return the whole page's text with tags stripped by regular expressions (no parser, no recursion)."""
    kept, position = [], 0
    while opener := _RAW_TEXT_OPEN.search(html, position):
        kept.append(html[position : opener.start()])
        closer = _RAW_TEXT_CLOSE[opener.group(1).lower()] if opener.group(1) else _COMMENT_CLOSE
        closing = closer.search(html, opener.end())
        # An unclosed script or comment runs to the end of the page, as in a browser.
        position = closing.end() if closing else len(html)
    kept.append(html[position:])
    text = _TAG.sub(" ", _LINE_BREAK_TAG.sub("\n", " ".join(kept)))
    return "\n".join(line for line in (collapse(raw) for raw in html_entities.unescape(text).split("\n")) if line)
