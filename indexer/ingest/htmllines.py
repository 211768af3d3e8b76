"""A parsed web page as lines of text and the block elements that hold them.

Parts: ``flatten`` (one iterative walk over the whole document that skips scripts, styles, form
controls, comments and hidden elements: ``_is_skipped``) → a ``_Flattener`` gathers the text into
``Line``s, each knowing its link characters, URL characters and punctuation, and every block element
into a ``Block`` of the ranges of its children, flagged when its tag, class or id names page furniture
(``_has_furniture_name``: nav, footer, comment, related, share …). ``collapse`` folds whitespace.
``indexer.ingest.htmltext`` chooses the main text from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, NavigableString, Tag


@dataclass(frozen=True)
class Line:
    """One line of text: the characters between two block boundaries."""

    text: str
    chars: int
    link_chars: int
    url_chars: int
    punctuation: int
    heading: bool
    cell: bool


@dataclass(frozen=True)
class Block:
    """A block element: its lines [start, end), its children (blocks and loose lines) as ranges, its names."""

    start: int
    end: int
    children: tuple[tuple[int, int], ...]
    furniture_name: bool


def _words(text: str) -> frozenset[str]:
    """Return the whitespace-separated words of a list as a set."""
    return frozenset(text.split())


_SKIPPED_TAGS = _words(
    "script style noscript template iframe frame frameset object embed applet svg math canvas audio video "
    "map select option textarea button input label head title link meta xml"
)
_BLOCK_TAGS = _words(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr html legend li main menu nav ol p pre section summary "
    "table tbody td tfoot th thead tr ul caption"
)
_HEADING_TAGS = _words("h1 h2 h3 h4 h5 h6")
_FURNITURE_TAGS = frozenset(("nav", "aside", "footer"))
_PUNCTUATION = frozenset("，。！？；、,!?;")
_URL = re.compile(r"(?:https?://|www\.)[\w./?%&=:;,#~+@-]+", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


# Words of class and id names that mark page furniture, whole (``ad``) or inside a word (``topnav``).
_FURNITURE_WORDS = _words(
    "ad ads adv banner foot side bread crumb crumbs hot rank ranking tag tags links login search pager "
    "popup modal cookie subscribe sponsor widget toolbar social sharing pinglun tuijian xgxw xgwz xglj"
)
_FURNITURE_STEMS = re.compile(r"nav|menu|footer|sidebar|breadcrumb|copyright|comment|share|related|recommend|advert")
_NAME_WORD = re.compile(r"[a-z0-9]+")
_CAMEL_CASE = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _is_skipped(tag: Tag) -> bool:
    """Return whether the element is never text: scripts, styles, form controls, media, hidden elements."""
    if tag.name in _SKIPPED_TAGS or tag.has_attr("hidden"):
        return True
    style = tag.get("style")
    return bool(style) and bool(_HIDDEN_STYLE.search(str(style)))


def _has_furniture_name(tag: Tag) -> bool:
    """Return whether the element's tag, class or id says menu, footer, comments, related links and the like."""
    if tag.name in _FURNITURE_TAGS:
        return True
    names = " ".join([*tag.get("class", ()), str(tag.get("id", ""))])
    for word in _NAME_WORD.findall(_CAMEL_CASE.sub(" ", names).lower()):
        if word in _FURNITURE_WORDS or _FURNITURE_STEMS.search(word):
            return True
    return False


class _Flattener:
    """One walk's output: the text gathered into lines, and every block element as the ranges of its children.

    ``text`` adds a string to the line being gathered; ``open`` and ``close`` take an element's start
    and end (a block or <br> ends the line; a link, <pre>, heading or table cell is counted while open);
    ``end_line`` turns the gathered text into lines; ``finish`` returns the lines and the blocks.
    """

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.blocks: list[Block] = []
        self._parts: list[str] = []
        self._link_parts: list[str] = []
        self._depth = {"link": 0, "pre": 0, "heading": 0, "cell": 0}
        # The children of every block element still open, innermost last; a new line lands in the innermost.
        self._open_children: list[list[tuple[int, int]]] = [[]]

    def text(self, string: NavigableString) -> None:
        """Add a string to the line being gathered."""
        self._parts.append(string)
        if self._depth["link"]:
            self._link_parts.append(string)

    def open(self, tag: Tag) -> tuple[int, list[str], bool]:
        """Start an element; return what ``close`` needs: the first line, the counters raised, a furniture name."""
        is_block = tag.name in _BLOCK_TAGS
        if is_block or tag.name == "br":
            self.end_line()
        counters = _counters(tag)
        for key in counters:
            self._depth[key] += 1
        if is_block:
            self._open_children.append([])
        return len(self.lines), counters, is_block and _has_furniture_name(tag)

    def close(self, tag: Tag, opened: tuple[int, list[str], bool]) -> None:
        """End an element opened with ``open``; a block that holds lines becomes a block of them."""
        start, counters, furniture_name = opened
        if tag.name in _BLOCK_TAGS or tag.name == "br":
            self.end_line()
        for key in counters:
            self._depth[key] -= 1
        if tag.name in _BLOCK_TAGS:
            children = self._open_children.pop()
            if len(self.lines) > start:
                self.blocks.append(Block(start, len(self.lines), tuple(children), furniture_name))
                self._open_children[-1].append((start, len(self.lines)))

    def end_line(self) -> None:
        """Turn the text gathered since the last block boundary into a line (one per line inside <pre>)."""
        text = "".join(self._parts)
        link_chars = len("".join("".join(self._link_parts).split()))
        self._parts.clear()
        self._link_parts.clear()
        for piece in text.split("\n") if self._depth["pre"] else [text]:
            piece = collapse(piece)
            if piece:
                self._add_line(piece, link_chars)
                link_chars = 0

    def _add_line(self, piece: str, link_chars: int) -> None:
        chars = len(piece) - piece.count(" ")
        # Web addresses are neither prose nor punctuation (their dots, commas and question marks).
        words = _URL.sub("", piece)
        url_chars = len(piece) - len(words)
        punctuation = sum(char in _PUNCTUATION for char in words)
        self._open_children[-1].append((len(self.lines), len(self.lines) + 1))
        self.lines.append(
            Line(
                piece,
                chars,
                min(chars, link_chars),
                url_chars,
                punctuation,
                heading=self._depth["heading"] > 0,
                cell=self._depth["cell"] > 0,
            )
        )

    def finish(self) -> tuple[list[Line], list[Block]]:
        """End the last line; return the lines and the blocks, the whole page a block of its loose lines."""
        self.end_line()
        if self._open_children[0]:
            self.blocks.append(Block(0, len(self.lines), tuple(self._open_children[0]), False))
        return self.lines, self.blocks


def _counters(tag: Tag) -> list[str]:
    """Return what an element counts as while it is open: a link, <pre>, a heading or a table cell."""
    if tag.name == "a" and tag.has_attr("href"):
        return ["link"]
    if tag.name == "pre":
        return ["pre"]
    if tag.name in _HEADING_TAGS:
        return ["heading"]
    if tag.name in ("td", "th"):
        return ["cell"]
    return []


def flatten(soup: BeautifulSoup) -> tuple[list[Line], list[Block]]:
    """Return the page's lines in reading order and every block element with its children's ranges."""
    flattener = _Flattener()
    # The whole document, not soup.body: broken pages leave text after a stray </body> or </html>.
    # An explicit stack, not recursion: pages nested thousands of levels deep must not hit the limit.
    stack: list[tuple[object, tuple | None]] = [(soup, None)]
    while stack:
        node, opened = stack.pop()
        if opened is not None:
            flattener.close(node, opened)
        elif type(node) is NavigableString:
            flattener.text(node)
        # Comments, CDATA, doctypes and processing instructions are NavigableString subclasses: skipped.
        elif isinstance(node, Tag) and not _is_skipped(node):
            stack.append((node, flattener.open(node)))
            stack.extend((child, None) for child in reversed(node.contents))
    return flattener.finish()


def collapse(text: str) -> str:
    """Return text with every run of whitespace made one space, none at the ends."""
    return " ".join(text.split())
