"""Boilerplate lines are blanked (same length, newlines kept); real sentences never are."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from conftest import SEED

from pledgewatch import lexicons
from pledgewatch.ingest.boilerplate import blank_boilerplate, is_boilerplate

try:  # Python 3.11+: the regex parser behind `re`
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

DEV_ARTICLES = Path("/work/shared/dev/articles")

BOILERPLATE = {
    "cookie": ["We use cookies to improve your experience on our site.", "Accept all cookies",
               "Manage preferences", "This website uses cookies to personalise content and ads.",
               "By continuing to use this site you agree to our use of cookies."],
    "read_more": ["Read more", "Read more »", "READ MORE:",
                  "Read also: UK reconsiders troop deployment",
                  "READ MORE: Britain and France to lead a reassurance force", "Related:",
                  "Related: Romania rules out troops", "See also: Poland's logistics hub"],
    "section_label": ["Most read", "Related articles", "You may also like", "More stories"],
    "share": ["Share this article", "Share on Facebook", "Share", "Facebook Twitter WhatsApp Email",
              "  • Share on X", "Email this article"],
    "follow": ["Follow us on Twitter", "Follow us on X and Instagram"],
    "newsletter": ["Sign up for our newsletter", "Subscribe to our daily briefing", "Subscribe"],
    "advertisement": ["Advertisement", "ADVERTISEMENT", "Story continues below advertisement"],
    "navigation": ["Skip to content", "Skip to main content"],
    "copyright": ["All rights reserved", "© 2025 The Northern Ledger Ltd. All rights reserved.",
                  "© 2025 Northern Ledger", "Copyright 2025 Reuters", "Copyright © The Ledger"],
    "byline": ["By John Smith", "By John Smith and Jane Doe, Reuters", "By Staff Reporter",
               "BY JOHN SMITH", "By Jean-Luc O'Neill in Kyiv", "By Łukasz Nowak",
               "Reporting by Andrew Gray; Editing by Sharon Singleton"],
    "caption": ["Photo: Reuters", "(Photo by John Smith/AFP)", "Image: Getty Images",
                "File photo: French President Emmanuel Macron in Paris, March 6, 2025.",
                "Pictured: Keir Starmer at Lancaster House",
                "Leaders arrive at Lancaster House / Reuters",
                "Emmanuel Macron at the Elysee Palace (AFP)", "Getty Images", "REUTERS/John Smith",
                "AFP via Getty Images", "Image source, Getty Images", "Source: UNIAN",
                "Macron speaks in Paris on March 6, 2025. REUTERS/Gonzalo Fuentes"],
    "timestamp": ["Updated 10:32 GMT", "Last updated: 10:32 GMT", "Updated 2 hours ago"],
}

SENTENCES = [
    "By sending troops, Britain would weaken its own defences.",
    "Read more about why Romania ruled out troops in our explainer on the coalition's plans.",
    "Photo opportunities aside, France said it will lead.",
    "By Friday, Britain will decide whether to send troops.",
    "Subscribers to the plan include Britain and France.",
    "Copyright laws were not discussed at the summit.",
    "Poland will not send troops, Tusk said (AFP)",
    "Sharing intelligence is part of the deal, officials said.",
    "Following the summit, France said it would lead the air mission.",
    "Romania will not send troops.",
    "UK Reconsiders Troop Deployment to Ukraine, Shifting Focus to Military Training",
    "Exclusive: Germany to halve aid, sources tell Reuters",
    "By Land and Sea: How Europe Plans a Ukraine Force",
    "(c) the deployment of troops to Ukraine after a ceasefire",
    "Watching the talks closely, Japan said it may join.",
    "Home Secretary says UK will help",
    # dated lines stay: on a plain-text page they may be the article's only date
    "Posted Jul 2, 2025 7:52 AM CDT",
    "Updated: March 6, 2025 10:32 GMT",
    "16:35 20.12.2025",
]


@pytest.mark.parametrize("line", [line for lines in BOILERPLATE.values() for line in lines])
def test_boilerplate_line_is_recognised(line):
    assert is_boilerplate(line), line


@pytest.mark.parametrize("line", SENTENCES)
def test_sentence_is_not_boilerplate(line):
    assert not is_boilerplate(line), line


def test_every_kind_in_the_lexicon_is_tested():
    kinds = {item.kind for item in lexicons.boilerplate().patterns}
    assert kinds == set(BOILERPLATE)


def test_blanking_keeps_length_newlines_and_offsets():
    lines = ["Romania Rules Out Troops", "By John Smith", "", "Romania will not send troops.",
             "Share on Facebook", "Photo opportunities aside, France said it will lead.",
             "Advertisement", "Updated 10:32 GMT", "Poland will remain the logistics hub."]
    text = "\n".join(lines)
    blanked = blank_boilerplate(text)
    assert len(blanked) == len(text)
    assert [i for i, ch in enumerate(blanked) if ch == "\n"] == \
        [i for i, ch in enumerate(text) if ch == "\n"]
    out = blanked.split("\n")
    for original, result in zip(lines, out):
        if is_boilerplate(original):
            assert result == " " * len(original)
        else:
            assert result == original
    assert out[3] == "Romania will not send troops." and out[5].startswith("Photo opportunities")
    assert "John Smith" not in blanked and "Facebook" not in blanked


def test_seed_page_is_unchanged():
    text = SEED.read_text(encoding="utf-8")
    assert blank_boilerplate(text) == text


def test_untouched_text_is_returned_as_is():
    text = "Britain will send troops.\n\nFrance will lead the air mission.\n"
    assert blank_boilerplate(text) is text
    assert blank_boilerplate("") == ""


def test_long_lines_are_never_boilerplate():
    limit = lexicons.boilerplate().max_line_chars
    line = "We use cookies " + "and more " * (limit // 9 + 1)
    assert len(line) > limit and not is_boilerplate(line)


@pytest.mark.skipif(not DEV_ARTICLES.is_dir(), reason="development corpus not present")
def test_dev_articles_lose_no_sentences():
    """Blanking the real articles removes furniture only: no blanked line reads as a sentence
    (the corpus is read in place, never copied)."""
    for path in sorted(DEV_ARTICLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        blanked = blank_boilerplate(text)
        assert len(blanked) == len(text)
        for line, result in zip(text.split("\n"), blanked.split("\n")):
            if result != line:
                stripped = line.strip()
                assert not (stripped.endswith((".", '"', "”")) and len(stripped.split()) >= 8), \
                    f"{path.name}: blanked a sentence: {stripped[:80]!r}"


# --------------------------------------------------------------------------- the lexicon

def _unbounded(pattern: str) -> list[str]:
    """The repeats of a regex that have no upper bound (`*`, `+`, `{n,}`)."""
    found: list[str] = []
    repeats = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT}
    if hasattr(sre_constants, "POSSESSIVE_REPEAT"):
        repeats.add(sre_constants.POSSESSIVE_REPEAT)

    def walk(parsed) -> None:
        for op, av in parsed:
            if op in repeats:
                if av[1] == sre_constants.MAXREPEAT:
                    found.append(str(op))
                walk(av[2])
            elif op is sre_constants.SUBPATTERN:
                walk(av[-1])
            elif op is sre_constants.BRANCH:
                for branch in av[1]:
                    walk(branch)
            elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
                walk(av[1])
            elif op is getattr(sre_constants, "ATOMIC_GROUP", None):
                walk(av)

    walk(sre_parse.parse(pattern))
    return found


def test_checker_finds_unbounded_repeats():
    assert _unbounded(r"a+b") and _unbounded(r"(?:x|y*)") and _unbounded(r"a{2,}")
    assert not _unbounded(r"a{0,5}(?:b|c{1,3})")


def test_every_boilerplate_pattern_is_bounded():
    for pattern, item in lexicons.boilerplate().expanded():
        assert not _unbounded(pattern), item.pattern


def test_every_html_pattern_is_bounded():
    spec = lexicons.html()
    for pattern in (*spec.teaser_containers, *spec.teaser_headings, *spec.navigation,
                    *spec.furniture, *spec.lede_classes):
        assert not _unbounded(pattern), pattern


@pytest.mark.parametrize("line", [
    "a" * 300, "By " + "John " * 59, "Share " * 50, "x/" * 150, "(" * 150 + "AFP",
    "By " + ("A" * 30 + " ") * 9, ("Photo by " * 34)[:300], "a " * 150,
    "We use cookies" + " x" * 143, "read more: " * 27, "© " * 150, ("John Smith and " * 20)[:300],
])
def test_hostile_lines_are_fast(line):
    start = time.perf_counter()
    for _ in range(20):
        is_boilerplate(line)
    assert time.perf_counter() - start < 0.2


def test_big_text_is_fast():
    text = "Britain will send troops to Ukraine, officials said on Thursday.\n" * 30000
    start = time.perf_counter()
    assert blank_boilerplate(text) == text
    assert time.perf_counter() - start < 3.0


def test_schema_rejects_typos_and_bad_patterns():
    with pytest.raises(Exception):
        lexicons.BoilerplatePattern.model_validate({"kind": "x", "pattern": "a", "typo": 1})
    with pytest.raises(Exception):
        lexicons.BoilerplateFile.model_validate(
            {"max_line_chars": 200, "patterns": [{"kind": "x", "pattern": "(unclosed"}]})
    with pytest.raises(Exception):
        lexicons.BoilerplateFile.model_validate(
            {"max_line_chars": 200, "patterns": [{"kind": "x", "pattern": "{{nope}}"}]})
    with pytest.raises(Exception):
        lexicons.HtmlFile.model_validate({**lexicons.html().model_dump(), "typo": []})
    with pytest.raises(Exception):
        lexicons.HtmlFile.model_validate({**lexicons.html().model_dump(),
                                          "teaser_containers": ["(bad"]})


def test_fragments_expand():
    spec = lexicons.BoilerplateFile.model_validate({
        "max_line_chars": 50, "fragments": {"a": "x{{b}}", "b": "y"},
        "patterns": [{"kind": "k", "pattern": "{{a}}z"}]})
    assert [pattern for pattern, _ in spec.expanded()] == ["xyz"]
    assert re.fullmatch(spec.expanded()[0][0], "xyz")
