"""Duplicate detection: syndicated copies are one story, different stories on a topic are not.

The texts are invented but shaped like the real thing: a wire story as three sites run it
(their own headline, dateline or standfirst, footer, line wrapping and quote marks), a short
wire story where the boilerplate weighs more, and two different Romania-and-troops stories
that share quotes and background paragraphs with the wire story.
"""
from __future__ import annotations

import textwrap

import pytest

from pledgewatch.ingest.dedupe import Deduplicator, Duplicate, fingerprint, shingle_words
from pledgewatch.settings import MIN_SHINGLES_FOR_NEAR, NEAR_DUPLICATE_THRESHOLD, SHINGLE_WORDS

QUOTE = ('"We are ready to contribute, within our means, to a reassurance force for Ukraine," '
         'Tilvar told reporters after a meeting of defence ministers in Bucharest. "Romania will '
         'not act alone, and it will not send soldiers without a decision of parliament."')

BORDER = ("Romania, which shares a 650-kilometre border with Ukraine, already hosts a NATO "
          "battlegroup led by France and the Mihail Kogalniceanu air base on the Black Sea coast, "
          "which the alliance is expanding into one of its largest in Europe. The country has "
          "also trained Ukrainian pilots on F-16 fighter jets at a centre near Fetesti.")

COALITION = ("The so-called coalition of the willing, a group of about 30 countries that has met "
             "several times since March, is trying to agree on the shape of a force that would "
             "deter Russia from attacking again after a ceasefire. Britain and France have said "
             "they are ready to put troops on the ground, while Poland has ruled out sending "
             "soldiers but offered logistical support.")

# The wire story (about 370 words), as the agency files it.
WIRE = "\n\n".join([
    "Romania is prepared to send troops to a multinational force that would help secure a "
    "ceasefire in Ukraine, Defence Minister Angel Tilvar said on Tuesday, but only if the "
    "mission has a clear mandate and American backing.",
    QUOTE,
    "The minister declined to say how many soldiers Romania could offer, saying the numbers "
    "would depend on the planning led by Britain and France. Officials familiar with the "
    "discussions said Bucharest was considering a contribution of several hundred troops, most "
    "of them engineers and logistics specialists, rather than combat units.",
    BORDER,
    "President Klaus Iohannis said last month that any deployment inside Ukraine would have to "
    "follow a durable peace agreement, and that Romania's first duty was to defend its own "
    "territory and airspace. Drone debris from Russian attacks on Ukrainian ports along the "
    "Danube has repeatedly fallen on Romanian soil.",
    COALITION,
    "Opposition lawmakers in Bucharest criticised the minister's remarks, saying the government "
    "had not consulted parliament. A vote on any mission abroad would need a majority in a "
    "joint session of both chambers.",
    "Russia has said it would regard any Western troops in Ukraine as a legitimate target.",
])

SHORT_WIRE = (
    "Estonia is ready to contribute an infantry company of up to 150 soldiers to a "
    "multinational force in Ukraine once a ceasefire is agreed, Prime Minister Kristen Michal "
    'said on Thursday. "Estonia is prepared to do its part, as we have done in Mali and Iraq," '
    "Michal told public broadcaster ERR. He said the contribution would need approval from "
    "parliament and would not reduce Estonia's own defences on its border with Russia.\n\n"
    "The Estonian government has spent more than 1 percent of its gross domestic product on "
    "military aid to Ukraine since 2022, more than almost any other country relative to the "
    "size of its economy. Defence Minister Hanno Pevkur said last week that the Baltic states "
    "would coordinate their contributions and that the planning was led by Britain and France. "
    "Latvia and Lithuania have not yet said whether they would send troops. Moscow has warned "
    "that foreign soldiers in Ukraine would be treated as a party to the conflict.")

# A different story on the same topic, a day later: it quotes the minister's two sentences
# and repeats the border clause, but it is about a draft law in parliament.
OTHER_STORY = "\n\n".join([
    "Romanian lawmakers clashed on Wednesday over a government plan that would let the country "
    "send troops abroad without a separate vote for each mission, a day after Defence Minister "
    "Angel Tilvar said Bucharest could join a reassurance force for Ukraine.",
    "The draft law, debated in the defence committee of the Chamber of Deputies, would allow "
    "the Supreme Council for National Defence to approve deployments of up to 500 soldiers for "
    "peacekeeping missions, with parliament informed afterwards. Critics say it would sideline "
    "the legislature at a time when the public is wary of being drawn into the war next door.",
    QUOTE.replace("Tilvar told reporters after a meeting of defence ministers in Bucharest",
                  "Tilvar had told reporters on Tuesday")
    + " Opposition deputies said the draft contradicted that promise.",
    '"The minister tells the press one thing and puts the opposite in the law," said George '
    "Simion, leader of the nationalist AUR party, which has campaigned against military aid to "
    "Ukraine. Social Democrat members of the committee, part of the governing coalition, said "
    "the text would be amended to keep a parliamentary vote for any mission on Ukrainian "
    "territory.",
    "Romania, which shares a 650-kilometre border with Ukraine, has so far limited its role to "
    "training, hosting allied forces and supplying a Patriot air defence system to Kyiv. A poll "
    "published this month by the INSCOP institute found that 61 percent of Romanians opposed "
    "sending troops to Ukraine, even after a peace agreement, while 28 percent were in favour.",
    "The committee is expected to vote on the draft next week before it goes to the full "
    "chamber. The Senate approved a similar text in March.",
    "Government officials said no decision on a contribution to the Ukraine force would be "
    "taken before the coalition's planners presented their proposals in June.",
])

# The agency's follow-up the next day: a new lead, two background paragraphs reused verbatim.
FOLLOW_UP = "\n\n".join([
    "Romania's defence minister faced calls to resign on Wednesday after opposition parties "
    "accused him of promising troops for Ukraine without consulting parliament, a day after he "
    "said Bucharest was ready to join a multinational force.",
    'Angel Tilvar told a news conference that he had made no commitment and that any '
    'deployment would be put to a vote. "I said we are ready to discuss a contribution. Nobody '
    'is sending soldiers tomorrow," he said. Prime Minister Marcel Ciolacu backed the minister '
    "and said the government would present its options to the defence committees of "
    "parliament before the summer.",
    BORDER,
    COALITION,
    "The row comes weeks before a presidential election rerun in which the war in Ukraine has "
    "been a central issue. Polls show most Romanians oppose sending soldiers to Ukraine, though "
    "a majority support the country's membership of NATO and the presence of allied troops on "
    "its soil.",
    "A spokesman for the Kremlin said on Wednesday that Russia was following the debate in "
    "Romania closely.",
])

CURLY = str.maketrans({"'": "\u2019"})


def curly(text: str) -> str:
    """Typographic quotes, as a CMS would print them."""
    out, opening = [], True
    for ch in text.translate(CURLY):
        if ch == '"':
            out.append("\u201c" if opening else "\u201d")
            opening = not opening
        else:
            out.append(ch)
    return "".join(out)


def rewrap(text: str, width: int) -> str:
    """Paragraphs re-wrapped at `width` columns, as a site's text export does."""
    return "\n\n".join(textwrap.fill(p, width) for p in text.split("\n\n"))


def as_agency(body: str, headline: str, dateline: str, credit: str) -> str:
    return f"{headline}\n\n{dateline} - {body}\n\n({credit})"


def as_news_site(body: str, headline: str, standfirst: str) -> str:
    return (f"{headline}\n{standfirst}\nPublished 13 May 2025, 14:02 | Updated 15:40\n\n"
            f"{curly(rewrap(body, 64))}\n\nReuters contributed to this report.\n"
            "Read more on our site: sign up for our morning newsletter and follow us on social "
            "media for the latest news from the region.")


def wire_copies() -> dict[str, str]:
    paragraphs = WIRE.split("\n\n")
    return {
        "agency": as_agency(WIRE, "Romania ready to send troops to Ukraine reassurance force, "
                                  "minister says", "BUCHAREST, May 13 (Reuters)",
                            "Reporting by Luiza Ilie; Editing by Andrew Heavens"),
        "site": as_news_site(WIRE, "Bucharest could deploy soldiers after a ceasefire in Ukraine",
                             "Defence minister says Romania will not act alone"),
        # an aggregator cuts the last two paragraphs and adds its own line
        "trimmed": "Romania open to Ukraine mission\n\n" + "\n\n".join(paragraphs[:-2])
                   + "\n\nRead more on our site.",
    }


def similarity(a: str, b: str) -> float:
    """The estimated Jaccard the Deduplicator sees between two texts."""
    dedupe = Deduplicator()
    return float((dedupe.minhash(a).hashvalues == dedupe.minhash(b).hashvalues).mean())


def true_jaccard(a: str, b: str) -> float:
    def grams(text: str) -> set[tuple[str, ...]]:
        words = shingle_words(text)
        return {tuple(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}
    x, y = grams(a), grams(b)
    return len(x & y) / len(x | y)


def word_count(text: str) -> int:
    return len(text.split())


def test_texts_are_article_sized():
    for text in (WIRE, SHORT_WIRE, OTHER_STORY, FOLLOW_UP):
        assert 150 <= word_count(text) <= 500


# --- fingerprint ---------------------------------------------------------------------------

def test_fingerprint_ignores_typography_whitespace_and_case():
    assert fingerprint(WIRE) == fingerprint(curly(rewrap(WIRE, 50)).upper())
    assert fingerprint(WIRE) != fingerprint(WIRE.replace("Tuesday", "Monday"))


def test_fingerprint_still_importable_from_document():
    from pledgewatch.extract import document
    assert document.fingerprint is fingerprint
    assert "fingerprint" in document.__all__


# --- exact ---------------------------------------------------------------------------------

def test_exact_duplicate_points_to_first_id():
    dedupe = Deduplicator()
    assert dedupe.check("a", WIRE) is None
    assert dedupe.check("b", curly(rewrap(WIRE, 70))) == Duplicate("a", "exact", 1.0)
    assert dedupe.check("c", WIRE) == Duplicate("a", "exact", 1.0)
    assert len(dedupe) == 1  # duplicates are not remembered


def test_same_id_same_text_is_exact_duplicate_of_itself():
    dedupe = Deduplicator()
    assert dedupe.check("a", SHORT_WIRE) is None
    assert dedupe.check("a", SHORT_WIRE) == Duplicate("a", "exact", 1.0)


def test_short_texts_get_exact_matching_only():
    teaser = "Romania ready to send troops to Ukraine force, minister says. Read more."
    other = "Romania ready to send troops to Ukraine force, president says. Read more."
    assert len(shingle_words(teaser)) - SHINGLE_WORDS + 1 < MIN_SHINGLES_FOR_NEAR
    dedupe = Deduplicator()
    assert dedupe.minhash(teaser) is None
    assert dedupe.check("t1", teaser) is None
    assert dedupe.check("t2", other) is None  # one word apart, but too short to judge
    assert dedupe.check("t3", teaser.upper()) == Duplicate("t1", "exact", 1.0)
    assert len(dedupe) == 2


# --- near: syndicated copies are one story -------------------------------------------------

@pytest.mark.parametrize("name", ["agency", "site", "trimmed"])
def test_syndicated_copies_are_near_duplicates(name):
    copy = wire_copies()[name]
    dedupe = Deduplicator()
    assert dedupe.check("wire", WIRE) is None
    found = dedupe.check(name, copy)
    assert found is not None and found.original == "wire" and found.kind == "near"
    assert found.similarity >= NEAR_DUPLICATE_THRESHOLD + 0.15  # not a borderline call
    assert len(dedupe) == 1


def test_copies_match_each_other_without_the_wire_original():
    copies = wire_copies()
    dedupe = Deduplicator()
    assert dedupe.check("site", copies["site"]) is None
    assert dedupe.check("agency", copies["agency"]).original == "site"
    assert dedupe.check("trimmed", copies["trimmed"]).original == "site"


def test_short_wire_story_with_site_boilerplate_is_near_duplicate():
    agency = as_agency(SHORT_WIRE, "Estonia offers up to 150 troops for Ukraine force",
                       "TALLINN, May 15 (AFP)", "AFP")
    site = as_news_site(SHORT_WIRE, "Estonia prepared to 'do its part' in Ukraine, Michal says",
                        "Prime minister says parliament must approve any deployment")
    dedupe = Deduplicator()
    assert dedupe.check("agency", agency) is None
    found = dedupe.check("site", site)
    assert found is not None and (found.original, found.kind) == ("agency", "near")
    assert found.similarity >= NEAR_DUPLICATE_THRESHOLD + 0.05


# --- near: different stories on the same topic are not ------------------------------------

@pytest.mark.parametrize("text", [OTHER_STORY, FOLLOW_UP], ids=["other-story", "follow-up"])
def test_different_stories_sharing_quotes_are_new(text):
    dedupe = Deduplicator()
    for name, copy in wire_copies().items():
        dedupe.check(name, copy)
    assert dedupe.check("wire", WIRE) is not None
    assert dedupe.check("new", text) is None
    assert len(dedupe) == 2
    assert similarity(WIRE, text) < NEAR_DUPLICATE_THRESHOLD - 0.15  # not a borderline call


def test_similarity_figures_separate_the_cases():
    """The gap the threshold sits in (the figures are quoted in settings.py)."""
    copies = wire_copies()
    same = [true_jaccard(WIRE, c) for c in copies.values()]
    different = [true_jaccard(WIRE, OTHER_STORY), true_jaccard(WIRE, FOLLOW_UP),
                 true_jaccard(OTHER_STORY, FOLLOW_UP)]
    assert min(same) > NEAR_DUPLICATE_THRESHOLD > max(different)
    for a, b in [(WIRE, copies["site"]), (WIRE, OTHER_STORY)]:
        assert abs(similarity(a, b) - true_jaccard(a, b)) < 0.15  # 128 permutations: se ~0.045


def test_most_similar_candidate_wins():
    paragraphs = WIRE.split("\n\n")
    first, last = "\n\n".join(paragraphs[:4]), "\n\n".join(paragraphs[3:])  # one shared
    dedupe = Deduplicator(threshold=0.4)
    assert dedupe.check("first", first) is None
    assert dedupe.check("last", last) is None
    # the whole story is near both halves, nearer the longer one (0.59 against 0.54)
    found = dedupe.check("wire", WIRE)
    assert found is not None and (found.original, found.kind) == ("last", "near")
    assert found.similarity == max(similarity(WIRE, first), similarity(WIRE, last))


def test_deterministic_across_instances():
    a, b = Deduplicator(), Deduplicator()
    assert (a.minhash(WIRE).hashvalues == b.minhash(WIRE).hashvalues).all()
    site = wire_copies()["site"]
    a.check("w", WIRE)
    b.check("w", WIRE)
    assert a.check("s", site) == b.check("s", site)


def test_minhash_computed_once_per_text(monkeypatch):
    calls = []
    original = Deduplicator.minhash

    def counting(self, text):
        calls.append(text)
        return original(self, text)

    monkeypatch.setattr(Deduplicator, "minhash", counting)
    dedupe = Deduplicator()
    dedupe.check("wire", WIRE)
    dedupe.check("site", wire_copies()["site"])
    assert len(calls) == 2
    dedupe.check("again", WIRE)  # exact: no MinHash needed
    assert len(calls) == 2


def test_lsh_layout_favours_recall_at_the_threshold():
    """LSH only proposes candidates (each is confirmed), so a missed pair costs more than an
    extra comparison: a pair right at the threshold must nearly always be proposed."""
    lsh = Deduplicator()._lsh
    proposed = 1 - (1 - NEAR_DUPLICATE_THRESHOLD ** lsh.r) ** lsh.b
    assert proposed >= 0.95


# --- memory: a bounded window ----------------------------------------------------------------

def test_window_forgets_the_oldest_story():
    stories = [WIRE, SHORT_WIRE, OTHER_STORY, FOLLOW_UP]
    dedupe = Deduplicator(window=3)
    for i, text in enumerate(stories):
        assert dedupe.check(f"s{i}", text) is None
        assert len(dedupe) == min(i + 1, 3)
    # s0 (the wire story) was forgotten: neither its text nor a copy is recognised any more
    assert dedupe.check("again", WIRE) is None
    # remembering it again pushed out the next oldest, s1; s2 and s3 are still there
    assert dedupe.check("short", SHORT_WIRE) is None  # pushes out s2
    assert dedupe.check("follow-up", FOLLOW_UP) == Duplicate("s3", "exact", 1.0)
    assert dedupe.check("copy", wire_copies()["site"]).original == "again"
    assert len(dedupe) == 3


def test_window_keeps_index_and_maps_bounded():
    dedupe = Deduplicator(window=5)
    words = WIRE.split()
    for i in range(40):
        text = f"story {i} " + " ".join(words[i % 7:]) + f" ending {i} " * 30
        dedupe.check(str(i), text * (1 + i % 2))
        assert len(dedupe) <= 5
    assert len(dedupe._exact) <= 5 and len(dedupe._lsh.keys.keys()) <= 5
    assert all(table.size() <= 5 for table in dedupe._lsh.hashtables)


def test_bad_arguments():
    with pytest.raises(ValueError):
        Deduplicator(window=0)
    with pytest.raises(ValueError):
        Deduplicator(threshold=0.0)


def test_huge_text_is_hashed_in_bounded_batches():
    text = WIRE * 400  # ~150,000 words, 1,000,000 characters
    dedupe = Deduplicator()
    assert dedupe.check("big", text) is None
    assert dedupe.check("big-copy", text + " Read more on our site.").original == "big"
