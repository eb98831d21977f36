"""The extractor's mechanisms, one sentence each (sentences written for these tests).

Each case pins one rule of DESIGN.md or docs/extraction.md; the accuracy gate measures them
together on whole passages.
"""
from __future__ import annotations

import pytest

from pledgewatch.extract.document import extract_document
from pledgewatch.model import SourceDocument


def triples(text: str) -> set[tuple[str, str, str]]:
    result = extract_document(SourceDocument(id="t", text=text, source="test"))
    return {s.key() for s in result.stances}


@pytest.mark.parametrize("text, expected", [
    # negation scope and double negation
    ("Denmark will not send troops to Ukraine, the defence minister said.",
     {("DNK", "troops", "ruled_out")}),
    ("Austria did not rule out joining a peacekeeping mission in Ukraine.",
     {("AUT", "peacekeeping", "not_ruled_out")}),
    # a negated hedge is a refusal; "no decision yet" is not
    ("Spain is not considering sending troops to Ukraine.", {("ESP", "troops", "ruled_out")}),
    ("No decision has been taken on whether Swedish troops would join the force.",
     {("SWE", "troops", "uncertain")}),
    # conditions versus time
    ("Poland would send air defence systems if the United States backed the mission.",
     {("POL", "air_defence", "conditional")}),
    ("Estonia will deploy troops to Ukraine once a ceasefire is in place.",
     {("EST", "troops", "committed")}),
    # capitals: metonym as subject, meeting place otherwise
    ("Rome will not send soldiers to Ukraine.", {("ITA", "troops", "ruled_out")}),
    ("At talks in London, Norway pledged 500 million euros in funding for Ukraine.",
     {("NOR", "funding", "committed")}),
    # people with roles
    ("Italian Prime Minister Giorgia Meloni ruled out sending Italian troops.",
     {("ITA", "troops", "ruled_out")}),
    # pronouns within a paragraph
    ("Finland joined the coalition of the willing in March. It has also pledged to train "
     "Ukrainian engineers.",
     {("FIN", "coalition_membership", "committed"), ("FIN", "training", "committed")}),
    # one sentence, several countries; leading
    ("Britain and France will lead a multinational force of 20,000 troops in Ukraine.",
     {("GBR", "troops", "leading"), ("FRA", "troops", "leading")}),
    # one government's claim about another is not that country's stance
    ("French President Emmanuel Macron said Britain would lead the naval mission.", set()),
    ("Ukrainian President Volodymyr Zelensky said Germany would send more Patriots.", set()),
    # opposition politicians do not speak for the government
    ("Opposition leader Jan Novak said the Czech Republic should send troops.", set()),
    # a paused commitment
    ("The Netherlands has paused deliveries of F-16 ammunition to Ukraine.",
     {("NLD", "weapons", "reconsidering")}),
])
def test_rule(text: str, expected: set[tuple[str, str, str]]):
    assert triples(text) == expected


def test_curly_and_straight_quotes_find_the_same():
    straight = triples('Romania\'s president said: "We will not send troops to Ukraine."')
    curly = triples("Romania’s president said: “We will not send troops to Ukraine.”")
    assert straight == curly == {("ROU", "troops", "ruled_out")}


def test_non_english_text_is_skipped_with_a_reason():
    result = extract_document(SourceDocument(
        id="de", source="test",
        text="Deutschland wird keine Soldaten in die Ukraine schicken, sagte der Kanzler am "
             "Dienstag in Berlin. Die Regierung prüft weitere Hilfen."))
    assert result.stances == [] and result.skipped.startswith("not English")
