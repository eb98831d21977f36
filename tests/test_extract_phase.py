"""Phase of a stance (announced / pledged / delivered / withdrawn / unknown) from its sentence.

The sentences are invented in the style of coalition-of-the-willing and Ukraine support news;
each case names its contribution trigger, whose offsets are passed as `trigger_span`.
"""
from __future__ import annotations

import time

import pytest

from pledgewatch.errors import LexiconError
from pledgewatch.extract import phase as phase_module
from pledgewatch.extract.phase import PHASES, PhaseFile, phase_of, rules
from pledgewatch.model import STANCES


def span(sentence: str, trigger: str) -> tuple[int, int]:
    start = sentence.index(trigger)
    return start, start + len(trigger)


# (sentence, stance, trigger, expected phase)
CASES = [
    # delivered
    ("Germany has delivered three Patriot systems to Ukraine since 2023.",
     "committed", "Patriot systems", "delivered"),
    ("Sweden has sent 50 CV90 infantry fighting vehicles to Kyiv, the defence ministry said.",
     "committed", "infantry fighting vehicles", "delivered"),
    ("The first Norwegian F-16 jets arrived in Ukraine on Tuesday.",
     "committed", "F-16 jets", "delivered"),
    ("Canada has already supplied Ukraine with 40 armoured vehicles.",
     "committed", "armoured vehicles", "delivered"),
    ("Dutch instructors are training Ukrainian pilots in Romania.",
     "committed", "pilots", "delivered"),
    ("Britain has trained more than 50,000 Ukrainian recruits under Operation Interflex.",
     "committed", "Ukrainian recruits", "delivered"),
    ("Denmark completed the delivery of its Caesar howitzers in March.",
     "committed", "howitzers", "delivered"),
    ("The Czech-led initiative has since delivered 1.5 million artillery shells to Ukraine.",
     "committed", "artillery shells", "delivered"),
    ("Berlin handed over the last IRIS-T battery to Kyiv last week.",
     "committed", "IRIS-T battery", "delivered"),
    ("Lithuanian ammunition were shipped to Ukraine through Poland.",
     "committed", "ammunition", "delivered"),
    ("Norway disbursed the first NOK 5 billion of its budget support in January.",
     "committed", "budget support", "delivered"),
    # pledged
    ("France will send up to 2,000 troops to Ukraine once a ceasefire is signed, Macron said.",
     "committed", "troops", "pledged"),
    ("Japan pledged $4.5 billion in financial aid to Ukraine on Monday.",
     "committed", "financial aid", "pledged"),
    ("The Netherlands has agreed to provide a further 20 drones to Ukraine.",
     "committed", "drones", "pledged"),
    ("Belgium is ready to send its troops to Ukraine immediately after a ceasefire.",
     "committed", "troops", "pledged"),
    ("Prime Minister Kristersson vowed that Sweden would contribute air policing.",
     "committed", "air policing", "pledged"),
    ("Finland has offered mine clearance teams for the Black Sea.",
     "committed", "mine clearance", "pledged"),
    ("Australia promised a further A$100 million in military aid.",
     "committed", "military aid", "pledged"),
    ("The UK is committed to leading a reassurance force in Ukraine.",
     "leading", "reassurance force", "pledged"),
    ("Greece has announced a EUR 20 million contribution to the PURL initiative.",
     "committed", "contribution", "pledged"),
    ("The additional Patriot interceptors will be delivered by the end of the year.",
     "committed", "Patriot interceptors", "pledged"),
    ("France announced it will send Mirage jets to Ukraine.",
     "committed", "Mirage jets", "pledged"),
    # announced
    ("Spain announced plans to join a multinational force in Ukraine.",
     "committed", "multinational force", "announced"),
    ("Estonia intends to contribute a company of soldiers to the reassurance force.",
     "committed", "soldiers", "announced"),
    ("Britain and France unveiled a proposal for a European air shield over Ukraine.",
     "committed", "air shield", "announced"),
    ("Romania is preparing to host a coordination hub for the coalition's logistics.",
     "committed", "logistics", "announced"),
    ("France, Britain and Ukraine signed a Declaration of Intent on the deployment of "
     "multinational forces.", "committed", "multinational forces", "announced"),
    # withdrawn
    ("Britain withdrew its offer of troops after the talks collapsed.",
     "reconsidering", "troops", "withdrawn"),
    ("The Pentagon has halted shipments of artillery ammunition to Ukraine.",
     "reconsidering", "artillery ammunition", "withdrawn"),
    ("Slovakia cancelled its pledge of air defence missiles in October.",
     "reconsidering", "air defence missiles", "withdrawn"),
    ("The new government suspended military aid to Ukraine pending a review.",
     "reconsidering", "military aid", "withdrawn"),
    ("The Netherlands pulled out of the training mission in Poland.",
     "ruled_out", "training mission", "withdrawn"),
    ("Italy reversed its pledge to send minehunters to the Black Sea.",
     "reconsidering", "minehunters", "withdrawn"),
    # negation
    ("Germany has not delivered the Taurus cruise missiles Kyiv asked for.",
     "committed", "Taurus cruise missiles", "unknown"),
    ("Portugal did not pledge any troops at the Paris summit.",
     "committed", "troops", "unknown"),
    ("The Belgian F-16 jets never arrived in Ukraine.",
     "committed", "F-16 jets", "unknown"),
    # promised but never delivered: still a pledge, the delivery is negated
    ("The promised F-16 jets never arrived in Ukraine.",
     "committed", "F-16 jets", "pledged"),
    ("Washington hasn\u2019t sent the air defence systems yet.",
     "committed", "air defence systems", "unknown"),
    ("No Patriot systems have been delivered so far, officials said.",
     "committed", "Patriot systems", "unknown"),
    # mixed cues
    ("Denmark pledged 19 F-16 jets in 2023 and has already delivered six of them.",
     "committed", "F-16 jets", "delivered"),
    ("Germany pledged four IRIS-T systems but has not delivered them yet.",
     "committed", "IRIS-T systems", "pledged"),
    ("Norway pledged NASAMS launchers, the first of which arrived in Ukraine in June.",
     "committed", "NASAMS launchers", "delivered"),
    ("Canada, which has already trained 40,000 Ukrainian soldiers, pledged to send "
     "instructors to Kyiv.", "committed", "instructors", "pledged"),
    ("Canada, which has already trained 40,000 Ukrainian soldiers, pledged to send "
     "instructors to Kyiv.", "committed", "Ukrainian soldiers", "delivered"),
    ("Germany pledged troops for the reassurance force and has delivered air defence to Kyiv.",
     "committed", "troops", "pledged"),
    ("Germany pledged troops for the reassurance force and has delivered air defence to Kyiv.",
     "committed", "air defence", "delivered"),
    ("Sweden has delivered Archer howitzers, while Finland pledged heavy artillery.",
     "committed", "heavy artillery", "pledged"),
    ("The weapons, pledged by Latvia in March, arrived in Ukraine on Monday.",
     "committed", "weapons", "delivered"),
    ("After Britain delivered Storm Shadow missiles, France pledged SCALP missiles.",
     "committed", "SCALP missiles", "pledged"),
    ("Poland will not send troops, but will play a key role in providing logistics.",
     "committed", "logistics", "pledged"),
    ("Washington resumed deliveries of weapons to Ukraine after a two-week pause.",
     "committed", "weapons", "delivered"),
    # not a commitment: no phase
    ("Italy ruled out sending troops to Ukraine.", "ruled_out", "troops", "unknown"),
    ("Austria is considering joining a peacekeeping mission.",
     "considering", "peacekeeping mission", "unknown"),
    ("It is too early to say whether Latvia will send troops.", "uncertain", "troops", "unknown"),
    ("Spain would deploy soldiers if a ceasefire is agreed.", "conditional", "soldiers", "unknown"),
    ("Merz said he would not rule out delivering Taurus missiles.",
     "not_ruled_out", "Taurus missiles", "unknown"),
    ("Germany is reviewing further deliveries of Leopard tanks it had pledged.",
     "reconsidering", "Leopard tanks", "unknown"),
    ("Greece will not send troops to Ukraine, Mitsotakis said.", "ruled_out", "troops", "unknown"),
    # idioms and no cue
    ("Macron sent a clear signal that French troops are ready to deploy.",
     "committed", "troops", "pledged"),
    ("Starmer arrived in Kyiv to discuss air defence with Zelensky.",
     "committed", "air defence", "unknown"),
    ("Lithuania supports Ukraine with intelligence sharing.",
     "committed", "intelligence sharing", "unknown"),
    ("UK troops could be deployed after a ceasefire is announced.",
     "committed", "troops", "unknown"),
]


@pytest.mark.parametrize("sentence,stance,trigger,expected", CASES,
                         ids=[f"{i:02d}-{c[3]}" for i, c in enumerate(CASES)])
def test_phase_of_with_trigger(sentence, stance, trigger, expected):
    assert phase_of(sentence, stance, span(sentence, trigger)) == expected


def test_enough_cases_for_every_phase():
    assert len(CASES) >= 40
    assert {c[3] for c in CASES} == set(PHASES)


@pytest.mark.parametrize("sentence,expected", [
    ("Germany pledged Patriot systems last year and has already delivered two of them.",
     "delivered"),
    ("Germany pledged Patriot systems but has not delivered them.", "pledged"),
    ("France announced it will send 2,000 troops.", "pledged"),
    ("Spain announced plans to send troops after a ceasefire.", "announced"),
    ("Britain, which delivered Storm Shadow missiles last year, pledged to send troops.",
     "pledged"),
    ("Hungary halted the transit of weapons it had promised to let through.", "withdrawn"),
    ("The minister spoke about Ukraine's defence needs.", "unknown"),
])
def test_phase_of_without_trigger_reads_the_main_clause(sentence, expected):
    assert phase_of(sentence, "committed") == expected


def test_typography_and_offsets():
    sentence = "Germany hasn\u2019t delivered the IRIS\u2013T systems \u2014 it pledged them."
    assert phase_of(sentence, "committed", span(sentence, "IRIS\u2013T systems")) == "pledged"
    assert phase_of("", "committed") == "unknown"


def test_bad_arguments_are_errors():
    with pytest.raises(ValueError):
        phase_of("Poland will send troops.", "maybe")
    with pytest.raises(ValueError):
        phase_of("Poland will send troops.", "committed", (10, 400))
    with pytest.raises(ValueError):
        phase_of("Poland will send troops.", "committed", (12, 5))


def test_every_stance_has_a_phase_rule():
    assert set(rules().allowed) == set(STANCES)
    for stance in STANCES:
        assert phase_of("Poland has delivered troops.", stance) in PHASES


def test_schema_rejects_unknown_keys_and_phases():
    data = phase_module._load("phases.yaml")
    PhaseFile.model_validate(data)
    with pytest.raises(Exception):
        PhaseFile.model_validate({**data, "typo": 1})
    with pytest.raises(Exception):
        PhaseFile.model_validate({**data, "precedence": ["withdrawn", "delivered", "pledged"]})
    with pytest.raises(Exception):
        PhaseFile.model_validate({**data, "cues": {**data["cues"], "shipped": ["x"]}})
    with pytest.raises(Exception):
        PhaseFile.model_validate({**data, "negators": ["(unclosed"]})


def test_broken_phase_lexicon_is_a_one_line_error(monkeypatch, tmp_path):
    from pledgewatch import lexicons
    (tmp_path / "phases.yaml").write_text("precedence: [a\n", encoding="utf-8")
    monkeypatch.setattr(lexicons, "LEXICON_DIR", tmp_path)
    rules.cache_clear()
    try:
        with pytest.raises(LexiconError) as error:
            rules()
        assert "phases.yaml" in str(error.value)
    finally:
        monkeypatch.undo()
        rules.cache_clear()
    assert rules().rank["withdrawn"] == 0


HOSTILE_FRAGMENTS = (
    "has not delivered pledged will send , which if no troops have been withdrew and France "
    "pledged ; after the pause the first of which arrived them n't never any could be be be "
    "delivered announced a $ 40,000 , the first of which ")


def _hostile_texts() -> list[str]:
    cues = (HOSTILE_FRAGMENTS * (200_000 // len(HOSTILE_FRAGMENTS) + 1))[:200_000]
    return [cues, "a" * 200_000, " " * 200_000, "," * 200_000, "will " * 40_000,
            "no " * 70_000 + "delivered", "if " * 70_000 + "delivered", "1," * 100_000]


def test_every_pattern_is_linear_on_200k_characters_of_cue_fragments():
    r = rules()
    patterns = [regex for _phase, regex in r.cues] + [
        r.ignore, r.boundaries, r.asides, r.anaphora, r.own_predicate]
    for text in _hostile_texts():
        for regex in patterns:
            started = time.perf_counter()
            for match in regex.finditer(text):
                pass
            assert time.perf_counter() - started < 2.0, regex.pattern[:80]
        started = time.perf_counter()
        r.negated.search(text[-2_000:])
        r.anaphora.match(text, 0)
        r.own_predicate.fullmatch(text)
        assert time.perf_counter() - started < 2.0


def test_phase_of_is_fast_on_hostile_text():
    for text in _hostile_texts():
        started = time.perf_counter()
        assert phase_of(text, "committed") in PHASES
        middle = len(text) // 2
        assert phase_of(text, "committed", (middle, middle + 5)) in PHASES
        assert time.perf_counter() - started < 2.0


def test_long_text_is_read_around_the_trigger():
    filler = "The talks went on for hours. " * 500
    sentence = filler + "Britain has delivered Challenger tanks to Ukraine. " + filler
    assert phase_of(sentence, "committed", span(sentence, "Challenger tanks")) == "delivered"
