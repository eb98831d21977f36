"""Page furniture in scraped text: cookie banners, share bars, bylines, captions, "Read more".

A plain-text page copied from a news site keeps these lines, and each one is a trap for the
extractor: a byline looks like a speaker, a caption ("Pictured: Macron with troops") like a
claim, a "Read also: UK to send troops" like the article's own news. `blank_boilerplate`
replaces such lines with spaces instead of deleting them, so that every character offset into
the text (evidence spans, segments) stays valid for the original.

What counts as boilerplate is data: lexicons/boilerplate.yaml. A line counts only when the
whole stripped line matches and it is short, so a sentence that merely starts like furniture
("By sending troops, Britain would...", "Photo opportunities aside, ...") is kept.
"""
from __future__ import annotations

import re
from functools import lru_cache

from pledgewatch import lexicons

# Bullet and separator marks a scraped menu or share bar puts around its words.
_MARKS = " \t\f\v\u00a0•·*▪►»«|–—-_=~"


@lru_cache(maxsize=1)
def _matcher() -> tuple[re.Pattern[str], int]:
    """One alternation of every pattern (case flags scoped per pattern), and the length cap."""
    spec = lexicons.boilerplate()
    parts = [f"(?:{pattern})" if item.case_sensitive else f"(?i:{pattern})"
             for pattern, item in spec.expanded()]
    return re.compile("|".join(parts)), spec.max_line_chars


def is_boilerplate(line: str) -> bool:
    """True when the whole line (without surrounding spaces and bullets) is page furniture."""
    regex, max_chars = _matcher()
    stripped = line.strip(_MARKS)
    if not stripped or len(stripped) > max_chars:
        return False
    return regex.fullmatch(stripped) is not None


def blank_boilerplate(text: str) -> str:
    """`text` with every boilerplate line replaced by spaces: same length, same newlines."""
    lines = text.split("\n")
    changed = False
    for number, line in enumerate(lines):
        if line.strip() and is_boilerplate(line):
            lines[number] = " " * len(line)
            changed = True
    return "\n".join(lines) if changed else text
