"""Amounts in news copy: "over 10,000 soldiers", "thousands of troops", "EUR 2 billion".

A bounded regex finds the amount phrase; the value and unit are parsed from it so the board
can add up pledges. Units are grouped into kinds so an amount only attaches to a contribution
it can measure (money to funding, people to troops).
"""
from __future__ import annotations

import re

from pledgewatch.model import Quantity

_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9,
          "m": 1e6, "mn": 1e6, "k": 1e3}
_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
                 "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
                 "a dozen": 12, "dozens": 24, "hundreds": 200, "thousands": 2000,
                 "tens of thousands": 20000}
_CURRENCY = {"$": "USD", "us$": "USD", "usd": "USD", "dollars": "USD", "dollar": "USD",
             "€": "EUR", "eur": "EUR", "euros": "EUR", "euro": "EUR", "£": "GBP", "gbp": "GBP",
             "pounds": "GBP", "pounds sterling": "GBP", "kroner": "NOK", "krone": "NOK",
             "danish kroner": "DKK", "norwegian kroner": "NOK", "swedish kronor": "SEK",
             "kronor": "SEK", "crowns": "NOK", "norwegian crowns": "NOK", "danish crowns": "DKK",
             "swedish crowns": "SEK", "sek": "SEK", "dkk": "DKK", "nok": "NOK", "yen": "JPY",
             "chf": "CHF", "swiss francs": "CHF", "zloty": "PLN", "pln": "PLN", "c$": "CAD",
             "a$": "AUD", "nz$": "NZD", "cad": "CAD", "aud": "AUD"}
PEOPLE_UNITS = ("soldiers", "troops", "personnel", "peacekeepers", "servicemen", "service members",
                "instructors", "trainers", "military planners", "planners", "officers", "men")
_PEOPLE = "|".join(re.escape(u) for u in PEOPLE_UNITS)
_ITEMS = (r"(?:(?-i:[A-Z])[\w/-]{0,30}\s+){0,3}?(?:air[- ]defen[cs]e\s+)?(?:systems?|batteries|battery|units?|"
          r"missiles?|interceptors|launchers|tanks|jets|aircraft|drones|howitzers|shells|rounds|"
          r"vehicles|brigades?|battalions?)")
# Bounded digit runs, never starting inside a longer number: a run of 20,000 digits must not
# make the pattern backtrack at every position (attacker-controlled text).
_NUM = r"(?<![\d.,])(?:\d{1,3}(?:[,.]\d{3}){1,5}|\d{1,12}(?:\.\d{1,4})?)(?![\d])"
_QUAL = r"(?:(?:over|more than|up to|about|around|approximately|nearly|almost|at least|some|roughly|an estimated|a further|another)\s+)?"
_SCALE_RE = r"(?:\s*(?:thousand|million|billion|trillion|bn|mn|m|k)\b)?"
_CUR_PREFIX = r"(?:US\$|C\$|A\$|NZ\$|\$|€|£|EUR\s?|USD\s?|GBP\s?)"
_CUR_SUFFIX = (r"(?:\s+(?:danish kroner|norwegian kroner|swedish kronor|pounds sterling|dollars|"
               r"norwegian crowns|danish crowns|swedish crowns|crowns|euros|euro|pounds|kroner|krone|kronor|yen|zloty|swiss francs|EUR|USD|GBP|SEK|DKK|NOK|CHF|PLN))")
_WORDS = r"\b(?:" + "|".join(sorted((re.escape(w) for w in _WORD_NUMBERS), key=len,
                                     reverse=True)) + r")"

QUANTITY_RE = re.compile(
    r"(?P<money>" + _QUAL + _CUR_PREFIX + r"(?:" + _NUM + r")" + _SCALE_RE + r"|"
    + _QUAL + r"(?:" + _NUM + r")" + _SCALE_RE + _CUR_SUFFIX + r")"
    r"|(?P<people>" + _QUAL + r"(?:(?:" + _NUM + r")" + _SCALE_RE + r"|(?:" + _WORDS + r")(?: of)?)"
    r"\s+(?:(?-i:[A-Z])[\w-]{0,30}\s+){0,4}?(?:" + _PEOPLE + r")\b)"
    r"|(?P<items>" + _QUAL + r"(?:" + _NUM + r"|" + _WORDS + r")(?: of)?\s+(?:its |their |the )?" + _ITEMS + r"\b)",
    re.IGNORECASE)


def _number(text: str) -> float | None:
    lowered = text.lower()
    match = re.search(_NUM, text)
    if match:
        raw = match.group()
        if re.fullmatch(r"\d{1,3}(?:[,.]\d{3})+", raw):
            raw = re.sub(r"[,.]", "", raw)
        value = float(raw)
        scale = re.match(r"\s*(thousand|million|billion|trillion|bn|mn|m|k)\b",
                         lowered[match.end():match.end() + 12])
        if scale:
            value *= _SCALE[scale.group(1)]
        return value
    for word in sorted(_WORD_NUMBERS, key=len, reverse=True):
        if re.search(r"\b" + re.escape(word) + r"\b", lowered):
            return float(_WORD_NUMBERS[word])
    return None


def _currency(text: str) -> str | None:
    lowered = text.lower()
    for prefix in ("us$", "c$", "a$", "nz$", "$", "€", "£"):
        if prefix in lowered:
            return _CURRENCY[prefix]
    code = re.match(r"(?:\w+\s+)*?(eur|usd|gbp)(?=\s?\d)", lowered)
    if code:
        return _CURRENCY[code.group(1)]  # "EUR2 billion"
    for name in sorted(_CURRENCY, key=len, reverse=True):
        if re.search(r"\b" + re.escape(name) + r"\b", lowered):
            return _CURRENCY[name]
    return None


# Every amount has a digit or a number word; most sentences have neither, and the cheap test
# spares them the full pattern.
_MAY_HAVE_AMOUNT = re.compile(r"\d|\b(?:" + _WORDS + r")\b", re.IGNORECASE)
_MAY_HAVE_MONEY = re.compile(r"[$€£]|\b(?:EUR|USD|GBP|SEK|DKK|NOK|CHF|PLN|euros?|dollars?|pounds|"
                             r"kroner|krone|kronor|crowns|yen|zloty|francs)\b", re.IGNORECASE)


def may_mention_money(text: str) -> bool:
    """Cheap test: could `text` contain a sum of money?"""
    return bool(_MAY_HAVE_MONEY.search(text))


def find_quantities(text: str) -> list[Quantity]:
    """Every amount phrase in `text`, with value and unit where they can be read."""
    found = []
    if not _MAY_HAVE_AMOUNT.search(text):
        return found
    for match in QUANTITY_RE.finditer(text[:100_000]):
        phrase = match.group().strip()
        start = match.start() + (len(match.group()) - len(match.group().lstrip()))
        if match.group("money"):
            unit = _currency(phrase)
        elif match.group("people"):
            unit = "personnel"
        else:
            unit = "items"
        found.append(Quantity(phrase, _number(phrase), unit, start, start + len(phrase)))
    return found


def is_money(quantity: Quantity) -> bool:
    """True when the amount is a sum of money (its unit is a currency code)."""
    return quantity.unit not in (None, "personnel", "items")
