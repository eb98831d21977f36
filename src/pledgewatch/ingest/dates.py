"""Dates written out in full in a sentence or dateline, turned into ISO dates.

Only explicit calendar dates are read here ("April 28, 2025", "28 April 2025", "2025-04-28",
"20.12.2025"); relative dates ("on Tuesday") need a reference date and are left to the caller's
document date.
"""
from __future__ import annotations

import re
from datetime import date

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
