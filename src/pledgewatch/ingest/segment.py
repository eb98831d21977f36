"""Cut a plain-text page into its main article and its teaser items.

Scraped news pages end with "more stories": blocks of a headline line and a one-sentence lede.
Each teaser is its own segment so that a teaser's stance ("UK reconsiders troop deployment")
is attributed to the teaser and never mixed with the main article's pronouns and speakers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pledgewatch.ingest.dates import dateline_date
from pledgewatch.model import Segment

_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n+")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# Small words that stay lower-case in a headline.
_HEADLINE_SMALL = {"a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for",
                   "by", "with", "from", "as", "into", "over", "after", "is", "its", "it"}
MAX_HEADLINE_WORDS = 25
MIN_TEASERS = 2


@dataclass(slots=True)
class _Block:
    start: int
    end: int
    lines: list[tuple[int, int]]  # (start, end) of each non-empty line


def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    pos = 0
    for match in [*_BLOCK_SPLIT.finditer(text), None]:
        end = match.start() if match else len(text)
        lines = []
        offset = pos
        for line in text[pos:end].split("\n"):
            stripped = line.strip()
            if stripped:
                lead = len(line) - len(line.lstrip())
                lines.append((offset + lead, offset + lead + len(stripped)))
            offset += len(line) + 1
        if lines:
            blocks.append(_Block(lines[0][0], lines[-1][1], lines))
        pos = match.end() if match else len(text)
    return blocks


def is_headline(line: str) -> bool:
    """A short line without final punctuation whose words are mostly capitalised."""
    line = line.strip()
    if not line or line[-1] in ".!?;:," or len(line) > 200:
        return False
    words = _WORD.findall(line)
    if not 2 <= len(words) <= MAX_HEADLINE_WORDS:
        return False
    content = [w for w in words if w.lower() not in _HEADLINE_SMALL]
    if not content:
        return False
    capitalised = sum(1 for w in content if w[0].isupper())
    return capitalised / len(content) >= 0.6


def is_title_line(line: str) -> bool:
    """A first line that reads as a title: short, no sentence-final punctuation. News sites
    write titles in Title Case and in sentence case alike."""
    line = line.strip()
    return bool(line) and line[-1] not in ".!?;:,\"'”’" and 2 <= len(_WORD.findall(line)) <= MAX_HEADLINE_WORDS


def _is_teaser(block: _Block, text: str) -> bool:
    if len(block.lines) != 2:
        return False
    head = text[slice(*block.lines[0])]
    lede = text[slice(*block.lines[1])]
    return is_headline(head) and len(_WORD.findall(lede)) >= 5 and not is_headline(lede)


def segment_text(text: str, title: str | None = None) -> list[Segment]:
    """Segments of a plain-text page: the article first, then one per trailing teaser.

    A run of at least two headline+lede blocks at the end of the page is read as teasers; a
    single such block could be an ordinary paragraph with a sub-heading, so it stays in the
    article.
    """
    blocks = _blocks(text)
    if not blocks:
        return []
    teaser_from = len(blocks)
    while teaser_from > 1 and _is_teaser(blocks[teaser_from - 1], text):
        teaser_from -= 1
    if len(blocks) - teaser_from < MIN_TEASERS:
        teaser_from = len(blocks)
    article = blocks[:teaser_from]
    segments: list[Segment] = []
    first_line = text[slice(*article[0].lines[0])]
    has_body = len(article) > 1 or len(article[0].lines) > 1
    article_title = title or (first_line if has_body and is_title_line(first_line) else None)
    start, end = article[0].start, article[-1].end
    segments.append(Segment(0, "article", article_title, start, end,
                            dateline_date(text[start:end], None)))
    for block in blocks[teaser_from:]:
        head = text[slice(*block.lines[0])]
        segments.append(Segment(len(segments), "teaser", head, block.start, block.end, None))
    return segments
