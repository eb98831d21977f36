"""Dates in a sentence or dateline, turned into ISO dates.

`explicit_date` reads calendar dates written in full ("April 28, 2025", "28 April 2025",
"2025-04-28", "20.12.2025"). `implied_date` also resolves what needs a reference date, the
publication date: a year-less date ("March 6", as datelines write it) and relative expressions
("on Wednesday", "yesterday", "last week", "three days ago"), with dateparser. A stance gets the
day its sentence says it was stated, not only the day the article appeared.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MONTH_RE = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_PATTERNS = [
    re.compile(_MONTH_RE + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH_RE + r",?\s+(?P<year>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>\d\d)-(?P<day>\d\d)\b"),
    re.compile(r"\b(?P<day>\d\d)[./-](?P<mnum>\d\d)[./-](?P<year>(?:19|20)\d\d)\b"),
]


def explicit_date(text: str) -> str | None:
    """The first explicit calendar date in `text` as YYYY-MM-DD, or None."""
    best: tuple[int, str] | None = None
    for pattern in _PATTERNS:
        for match in pattern.finditer(text[:20000]):
            parts = match.groupdict()
            month = (_MONTHS.get(parts["month"].lower().rstrip("."))
                     if parts.get("month") else int(parts["mnum"]))
            try:
                value = date(int(parts["year"]), month or 0, int(parts["day"])).isoformat()
            except ValueError:
                continue
            if best is None or match.start() < best[0]:
                best = (match.start(), value)
            break
    return best[1] if best else None


def normalise_date(value: str | None) -> str | None:
    """Accept YYYY-MM-DD (or a longer ISO timestamp, or a written date) and return YYYY-MM-DD."""
    if not value:
        return None
    value = value.strip()
    match = re.match(r"^((?:19|20)\d\d)-(\d\d)-(\d\d)", value)
    if match:
        try:
            return date(*map(int, match.groups())).isoformat()
        except ValueError:
            return None
    return explicit_date(value)


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_NUMBER_WORDS = r"(?:\d{1,2}|a|one|two|three|four|five|six|seven|eight|nine|ten|a few|several)"
# One bounded alternation: every branch is a fixed phrase or a short number, no nested repeats.
_RELATIVE = re.compile(
    r"\b(?P<expr>(?:(?i:last)\s+)?(?:" + "|".join(_WEEKDAYS) + r")(?!\s+[A-Z])"
    r"|(?i:yesterday|today|last\s+(?:week|month))"
    r"|" + _NUMBER_WORDS + r"\s+(?:days?|weeks?|months?)\s+ago"
    r"|" + _MONTH_RE.replace("?P<month>", "?:") + r"\s+\d{1,2}(?:st|nd|rd|th)?(?![\d,])(?!\s+(?:19|20)\d\d)"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH_RE.replace("?P<month>", "?:") + r"(?!,?\s+(?:19|20)\d\d))\b")
# A weekday after these words points forward ("will meet on Friday"), which dateparser's
# preference for the past would get wrong: such sentences keep the publication date.
_FUTURE_BEFORE = re.compile(r"\b(?:will|shall|'ll|next|until|till|by|from|starting|scheduled|"
                            r"expected|due|plans?\s+to|going\s+to)\b[^.;]{0,40}$", re.IGNORECASE)
# Where a relative expression is looked for: the start of a sentence holds its time adverbials.
RELATIVE_SEARCH_CHARS = 600


@lru_cache(maxsize=4096)
def _resolve(expression: str, reference: str) -> str | None:
    import dateparser

    base = datetime.fromisoformat(reference)
    weekday = expression.split()[-1].capitalize()
    if weekday in _WEEKDAYS and not expression.lower().startswith("last") \
            and _WEEKDAYS.index(weekday) == base.weekday():
        return reference  # "on Thursday" in Thursday's paper is that day
    parsed = dateparser.parse(expression, languages=["en"], settings={
        "RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False})
    if parsed is None or parsed.date() > base.date():
        return None
    return parsed.date().isoformat()


def relative_date(text: str, reference: str | None) -> str | None:
    """The date a relative or year-less expression in `text` stands for, given the
    reference (publication) date; None without a reference or an expression."""
    if not reference:
        return None
    window = text[:RELATIVE_SEARCH_CHARS]
    for match in _RELATIVE.finditer(window):
        if _FUTURE_BEFORE.search(window[max(0, match.start() - 60):match.start()]):
            continue
        resolved = _resolve(" ".join(match.group("expr").split()), reference)
        if resolved:
            return resolved
    return None


def implied_date(text: str, reference: str | None) -> str | None:
    """The date `text` says it is about: a full date, else a relative or year-less date
    resolved against `reference`, else None."""
    return explicit_date(text) or relative_date(text, reference)


_MONTH_NOGROUP = _MONTH_RE.replace("?P<month>", "?:")
# "LONDON, March 6 (AFP) -", "Kyiv, 6 March -": a place, a comma, a day without a year.
_DATELINE = re.compile(
    r"(?m)^[ \t]*[A-Z][A-Za-z.'/ -]{1,40},[ \t]*(?P<expr>" + _MONTH_NOGROUP + r"[ \t]+\d{1,2}"
    r"|\d{1,2}[ \t]+" + _MONTH_NOGROUP + r")\b(?!,?[ \t]*(?:19|20)\d\d)")
DATELINE_SEARCH_CHARS = 400


def dateline_date(text: str, reference: str | None) -> str | None:
    """The date of a segment's dateline: written in full, or year-less and resolved against
    the reference date ("LONDON, March 6 (AFP) -" in a 2025 paper is 2025-03-06)."""
    head = text[:DATELINE_SEARCH_CHARS]
    full = explicit_date(head)
    if full or not reference:
        return full
    match = _DATELINE.search(head)
    return _resolve(" ".join(match.group("expr").split()), reference) if match else None
