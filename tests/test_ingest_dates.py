"""Dates a sentence implies: written in full, year-less in a dateline, or relative."""
from __future__ import annotations

import pytest

from pledgewatch.ingest.dates import dateline_date, implied_date, relative_date

THURSDAY = "2025-03-06"


@pytest.mark.parametrize("sentence,expected", [
    ("Macron said on Wednesday that France would send troops.", "2025-03-05"),
    ("On Thursday, Starmer said Britain would lead the force.", "2025-03-06"),
    ("Officials said yesterday that Romania would not send soldiers.", "2025-03-05"),
    ("Romania ruled out troops last week.", "2025-02-27"),
    ("Germany said three days ago it was considering the plan.", "2025-03-03"),
    ("Italy announced the package last month.", "2025-02-06"),
    ("Today the UK said it is reconsidering.", "2025-03-06"),
    ("At the December 20 summit, Norway pledged funding.", "2024-12-20"),
    ("Speaking on April 28, 2025, Diaconescu ruled out troops.", "2025-04-28"),
])
def test_relative_and_year_less_dates_resolve_against_the_publication(sentence, expected):
    assert implied_date(sentence, THURSDAY) == expected


@pytest.mark.parametrize("sentence", [
    "Leaders will meet in Paris on Friday to discuss the force.",  # forward-looking
    "The Sunday Times reported that Britain is reconsidering.",      # a name, not a day
    "Britain said it would lead a peacekeeping force.",              # no date at all
    "Ministers are expected to decide by Monday.",
])
def test_no_date_where_the_sentence_implies_none(sentence):
    assert relative_date(sentence, THURSDAY) is None


def test_relative_dates_need_a_reference():
    assert implied_date("Officials said yesterday that Romania would not.", None) is None
    assert implied_date("Officials said on 6 March 2025 that Romania would not.", None) \
        == "2025-03-06"


def test_datelines_with_and_without_year():
    assert dateline_date("Title\n\nLONDON, March 4 (AFP) - Britain said", THURSDAY) \
        == "2025-03-04"
    assert dateline_date("LONDON, March 6, 2025 (BSS/AFP) - Britain said", None) \
        == "2025-03-06"
    assert dateline_date("Kyiv, 6 March - Ukraine said", THURSDAY) == "2025-03-06"
    # a year-less dateline after the reference is last year's
    assert dateline_date("OSLO, December 30 (NTB) - Norway said", THURSDAY) == "2024-12-30"
    assert dateline_date("Britain said on Monday it would lead.", THURSDAY) is None


def test_hostile_text_is_searched_in_bounded_time():
    import time

    text = "on " * 50_000 + "Monday " * 20_000
    started = time.perf_counter()
    relative_date(text, THURSDAY)
    assert time.perf_counter() - started < 2.0
