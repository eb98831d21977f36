"""Small pieces of extraction: amounts, dates, datelines, segments, headline truecasing."""
from __future__ import annotations

from pledgewatch.extract.document import blank_dateline, split_sentences, truecase_headline
from pledgewatch.extract.quantities import find_quantities
from pledgewatch.ingest.dates import explicit_date, normalise_date
from pledgewatch.ingest.segment import segment_text


def test_amounts_with_values_and_units():
    found = {q.text: (q.value, q.unit) for q in find_quantities(
        "It sent over 10,000 soldiers, EUR 2 billion, $275 million and two Patriot batteries, "
        "plus 85 billion crowns and thousands of troops.")}
    assert found["over 10,000 soldiers"] == (10000.0, "personnel")
    assert found["EUR 2 billion"] == (2e9, "EUR")
    assert found["$275 million"] == (2.75e8, "USD")
    assert found["two Patriot batteries"] == (2.0, "items")
    assert found["85 billion crowns"] == (8.5e10, "NOK")
    assert found["thousands of troops"] == (2000.0, "personnel")


def test_no_amount_in_plain_text():
    assert find_quantities("Romania will not send troops.") == []


def test_explicit_dates():
    assert explicit_date("On April 28, 2025, Ukraine's former president") == "2025-04-28"
    assert explicit_date("Berlin, 29 May 2025 (dpa/MIA) - Germany") == "2025-05-29"
    assert explicit_date("16:35 20.12.2025") == "2025-12-20"
    assert explicit_date("on Tuesday") is None
    assert normalise_date("2025-03-06T10:00:00Z") == "2025-03-06"
    assert normalise_date("2025-02-30") is None


def test_dateline_is_blanked_with_offsets_kept():
    for text, rest in [("LISBON, March 19 (AFP) - Portugal would", "Portugal would"),
                       ("RAMSTEIN, Germany (AP) - Britain and", "Britain and"),
                       ("Berlin, 29 May 2025 (dpa/MIA) - Germany is", "Germany is")]:
        blanked = blank_dateline(text)
        assert len(blanked) == len(text) and blanked.strip() == rest
    assert blank_dateline("NATO - it said") == "NATO - it said"


def test_headline_truecasing_keeps_countries_and_names():
    cased = truecase_headline("UK Reconsiders Troop Deployment, Meets Putin", {"Putin"})
    assert cased == "UK reconsiders troop deployment, meets Putin"


def test_teasers_need_a_run_of_two():
    page = ("Big Headline Here\n\nBody one. Body two.\n\nTeaser Headline One\nA lede sentence "
            "with several words in it.\n\nTeaser Headline Two\nAnother lede sentence with words.")
    kinds = [s.kind for s in segment_text(page)]
    assert kinds == ["article", "teaser", "teaser"]
    single = "Title Line\n\nBody one.\n\nSub Heading Here\nA paragraph with several words in it."
    assert [s.kind for s in segment_text(single)] == ["article"]


def test_sentences_respect_paragraphs_and_offsets():
    text = "Romania said no. It will not send troops.\nBulgaria is undecided."
    sentences = split_sentences(text)
    assert [text[s.start:s.end] for s in sentences] == [
        "Romania said no.", "It will not send troops.", "Bulgaria is undecided."]
    assert [s.paragraph for s in sentences] == [0, 0, 1]
