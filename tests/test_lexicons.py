"""Every lexicon file loads through its schema, and every pattern is sane."""
from __future__ import annotations

import re
import time

import pytest

from pledgewatch import lexicons
from pledgewatch.errors import LexiconError
from pledgewatch.extract.stances import lexicon
from pledgewatch.model import CONTRIBUTIONS


def test_all_lexicons_load():
    assert len(lexicons.countries()) > 190
    assert {t.contribution for t in lexicons.triggers()} == set(CONTRIBUTIONS)
    assert lexicons.cues().cues and lexicons.cues().predicates
    assert "UKR" in lexicons.roles().non_actors
    assert any(p.name == "Emmanuel Macron" for p in lexicons.known_people())
    assert "co-chair" in lexicons.tokens().keep_whole
    assert "summit" in lexicons.words().meeting_nouns


def test_known_people_countries_are_in_the_gazetteer():
    codes = {c.code for c in lexicons.countries()}
    assert all(p.country in codes for p in lexicons.known_people())


def test_cue_patterns_compile_and_stay_fast_on_hostile_text():
    hostile = ("rule " * 4000) + ("not " * 4000) + ("a" * 20000)
    for regex, cue in lexicon().cues:
        start = time.perf_counter()
        regex.findall(hostile)
        assert time.perf_counter() - start < 0.5, cue.pattern


def test_trigger_regex_is_bounded_on_hostile_text():
    start = time.perf_counter()
    lexicon().trigger_re.findall("air " * 20000 + "-" * 20000)
    assert time.perf_counter() - start < 1.0


def test_schema_rejects_unknown_keys():
    with pytest.raises(Exception):
        lexicons.Cue.model_validate({"pattern": "x", "stance": "committed", "typo": 1})
    with pytest.raises(Exception):
        lexicons.Trigger.model_validate({"phrase": "x", "contribution": "tanks"})


def test_broken_lexicon_file_is_a_one_line_error(monkeypatch, tmp_path):
    (tmp_path / "roles.yaml").write_text("official: [a\n", encoding="utf-8")
    monkeypatch.setattr(lexicons, "LEXICON_DIR", tmp_path)
    lexicons.roles.cache_clear()
    try:
        with pytest.raises(LexiconError) as error:
            lexicons.roles()
        assert "roles.yaml" in str(error.value) and "\n" not in str(error.value).strip()
    finally:
        lexicons.roles.cache_clear()
