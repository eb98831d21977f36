"""HTML pages become the plain-text shape of the seed page, with exact segments and metadata;
furniture never reaches the text, and a bad page is an InputError, never a traceback."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from pledgewatch.errors import InputError
from pledgewatch.ingest import html as html_reader
from pledgewatch.ingest.html import html_document, looks_like_html
from pledgewatch.model import SourceDocument
from pledgewatch.settings import MAX_INPUT_BYTES

DATA = Path(__file__).parent / "data" / "ingest"
PAGE = DATA / "page-coalition.html"

TITLE = "UK and France to Lead Coalition of the Willing Force for Ukraine"
BODY = [
    "LONDON, March 6, 2025 (NLW) - Britain and France will lead a multinational reassurance "
    "force for Ukraine once a ceasefire is agreed, Prime Minister Keir Starmer said on Thursday "
    "after hosting leaders of the so-called coalition of the willing.",
    "Starmer told reporters that Britain was prepared to put troops on the ground",
    "French President Emmanuel Macron said France would command the air policing element",
    "Romania, which shares a long border with Ukraine, said it would not send soldiers",
    "Poland also ruled out deploying troops inside Ukraine",
    "Italy said it was not considering a contribution of soldiers for now",
    "Photo opportunities aside, diplomats said the meeting had produced a clearer division",
]
TEASERS = [
    ("Romania Rules Out Sending Troops to Ukraine",
     "Bucharest will offer logistics and training support but no soldiers, the presidential "
     "adviser said."),
    ("UK Reconsiders Troop Deployment to Ukraine",
     "London is weighing a smaller training mission instead of a large ground presence."),
    ("Bulgaria's Parliament Leaves Door Open to Peacekeepers",
     "A declaration adopted by lawmakers did not rule out sending peacekeeping forces if "
     "required."),
    ("Nordic Countries Pledge Funds for US Weapons", None),
    ("Germany Seeks US Guarantees Before Sending Patriots", None),
    ("Japan Prepared to Join Security Guarantees for Ukraine", None),
]
# Text of the page's furniture: none of it may reach the document text.
FURNITURE = [
    "Skip to content", "We use cookies", "Accept all cookies", "Manage preferences",
    "Business and Markets Today", "Opinion and Analysis Pages", "Sign up for our newsletters",
    "Share on Facebook", "Share on X", "Email this article", "Helena Marsh", "Lancaster House",
    "Alex Finch", "Read more", "Inside the race", "COMMENT-MARKER", "SCRIPT-MARKER",
    "STYLE-MARKER", "dataLayer", "About the Northern Ledger", "Contact our newsroom",
    "Privacy and cookie policy", "All rights reserved", "Follow us", "Most read",
    "Related articles", "Comments (2)", "Sport", "Defence\n", "\u203a",
]


def read(name: str, **kwargs) -> SourceDocument:
    return html_document((DATA / name).read_text(encoding="utf-8"), name,
                         doc_id=Path(name).stem, **kwargs)


def check_segments(doc: SourceDocument) -> None:
    """The segment contract: article first, then teasers, offsets cutting exact blocks that
    are separated by blank lines."""
    assert doc.segments, "an HTML document always carries its segments"
    assert [s.index for s in doc.segments] == list(range(len(doc.segments)))
    assert doc.segments[0].kind == "article"
    assert all(s.kind == "teaser" for s in doc.segments[1:])
    previous_end = None
    for segment in doc.segments:
        block = doc.text[segment.start:segment.end]
        assert block == block.strip()
        if segment.kind == "teaser":
            assert "\n\n" not in block
            assert block.split("\n")[0] == segment.title
            assert block.count("\n") <= 1
        elif segment.title and block:
            assert block == segment.title or block.startswith(segment.title + "\n\n")
            assert "\n\n" not in block[len(segment.title) + 2:]
        if block and previous_end is not None:
            assert doc.text[previous_end:segment.start] == "\n\n"
        if block:
            previous_end = segment.end
    assert doc.segments[-1].end == len(doc.text)


# --------------------------------------------------------------------------- a news page

@pytest.fixture(scope="module")
def page() -> SourceDocument:
    return read("page-coalition.html", url="https://mirror.example.net/copy/123")


def test_metadata(page):
    assert page.id == "page-coalition" and page.source == "page-coalition.html"
    assert page.title == TITLE
    assert page.author == "Helena Marsh"
    assert page.date == "2025-03-06"  # published, not the modified date
    assert page.url == ("https://news.example.org/world/europe/"
                        "uk-france-lead-coalition-force-2025-03-06")


def test_text_has_the_seed_page_shape(page):
    title, body, *teasers = page.text.split("\n\n")
    assert title == TITLE
    paragraphs = body.split("\n")
    assert len(paragraphs) == len(BODY)
    assert paragraphs[0] == BODY[0]  # the dateline stays: the date code reads it
    for paragraph, start in zip(paragraphs, BODY):
        assert paragraph.startswith(start)
    assert teasers == [h + (f"\n{lede}" if lede else "") for h, lede in TEASERS]


def test_segments_are_exact(page):
    check_segments(page)
    article = page.segments[0]
    assert article.title == TITLE and article.start == 0
    assert page.text[article.start:article.end].endswith("than previous gatherings.")
    assert article.date is None  # the extractor reads the dateline against page.date
    teasers = page.segments[1:]
    assert [(s.title, page.text[s.start:s.end]) for s in teasers] == [
        (h, h + (f"\n{lede}" if lede else "")) for h, lede in TEASERS]


@pytest.mark.parametrize("furniture", FURNITURE)
def test_furniture_never_reaches_the_text(page, furniture):
    assert furniture not in page.text


def test_teasers_are_not_read_twice(page):
    for headline, lede in TEASERS:
        assert page.text.count(headline) == 1
        if lede:
            assert page.text.count(lede) == 1


def test_truncated_page_keeps_the_article():
    html = PAGE.read_text(encoding="utf-8")
    doc = html_document(html[:int(len(html) * 0.6)], "cut.html", doc_id="cut")
    check_segments(doc)
    assert doc.title == TITLE
    for start in BODY[:4]:
        assert start in doc.text
    for furniture in ("We use cookies", "Share on Facebook", "Business and Markets Today"):
        assert furniture not in doc.text


@pytest.mark.parametrize("percent", range(5, 100, 5))
def test_any_cut_is_a_document_or_an_input_error(percent):
    html = PAGE.read_text(encoding="utf-8")
    try:
        doc = html_document(html[:len(html) * percent // 100], "cut.html", doc_id="cut")
    except InputError as exc:
        assert str(exc) == "cut.html: no article text found in the HTML page"
    else:
        check_segments(doc)
        assert "SCRIPT-MARKER" not in doc.text and "STYLE-MARKER" not in doc.text


def test_malformed_page_still_gives_the_article():
    doc = read("page-malformed.html")
    check_segments(doc)
    assert doc.title == "Nordic States Weigh Role in Ukraine Reassurance Force"
    assert doc.author == "Pekka Lind"
    assert doc.text.startswith(doc.title + "\n\nSTOCKHOLM, April 2, 2025 - Sweden is prepared")
    assert "but would not send soldiers to the country" in doc.text
    assert "own territory & that it would keep training" in doc.text
    for junk in ("Home", "Log in", "Tweet", "Share", "<<<", "&bogus", "Copyright"):
        assert junk not in doc.text
    assert [s.title for s in doc.segments[1:]] == [
        "Sweden Ready to Join Air Policing Mission",
        "Norway Announces New Air Defence Funding for Ukraine",
        "Finland Keeps Focus on Training Ukrainian Troops"]


def test_unclosed_title_does_not_swallow_the_page():
    html = ("<html><head><title>Romania Rules Out Troops\n<body><p>Romania will not send "
            "troops to Ukraine but will offer its airfields and its logistics hub, the "
            "presidential adviser on defence said in Bucharest on Tuesday.</p></body></html>")
    doc = html_document(html, "t.html", doc_id="t")
    assert doc.title == "Romania Rules Out Troops"
    assert "Romania will not send troops to Ukraine" in doc.text


def test_json_ld_page_lists_and_relative_canonical():
    doc = read("page-jsonld.html", url="https://prairie.example.ca/feed/item?utm=1")
    check_segments(doc)
    assert doc.title == "Canada Open to Joining Ukraine Mission, Carney Says"
    assert doc.author == "Marie Tremblay"
    assert doc.date == "2025-04-12"
    assert doc.url == "https://prairie.example.ca/politics/2025/canada-ukraine-mission"
    body = doc.text[doc.segments[0].start:doc.segments[0].end]
    # paragraphs after the in-body "Read more" list are still body
    assert "Opposition leaders in Ottawa" in body and "NATO procurement agency" in body
    for furniture in ("Read more", "Politics in Ottawa", "By Marie Tremblay", "Updated 10:32",
                      "Sign up", "Copyright", "More stories", "April 11"):
        assert furniture not in doc.text
    teasers = [(s.title, s.date) for s in doc.segments[1:]]
    assert teasers == [
        ("Poland to Remain Main Logistics Hub for Ukraine Aid", None),
        ("Britain Shifts Focus to Training Mission in Ukraine", None),
        ("Australia Says It Is Open to Sending Peacekeepers", "2025-04-11"),
        ("New Zealand to Send Up to 100 Defence Personnel", "2025-04-10"),  # deduplicated
    ]
    australia = doc.segments[3]
    assert doc.text[australia.start:australia.end].split("\n")[1].startswith("Canberra will")


def test_flat_teaser_list_pairs_headlines_with_ledes():
    story = "".join(f"<p>Britain will send troops to Ukraine after a ceasefire, paragraph {i} "
                    "of the story said, adding that France would lead the air mission.</p>"
                    for i in range(3))
    related = "".join(f'<h3><a href="/s{i}">Story Number {i} About the Coalition</a></h3>'
                      f"<p>Summary {i} says the coalition will meet again in Paris.</p>"
                      for i in range(3))
    html = (f"<html><body><article>{story}</article><div class='related-stories'>{related}"
            "</div></body></html>")
    doc = html_document(html, "flat.html", doc_id="flat")
    check_segments(doc)
    assert [doc.text[s.start:s.end] for s in doc.segments[1:]] == [
        f"Story Number {i} About the Coalition\n"
        f"Summary {i} says the coalition will meet again in Paris." for i in range(3)]


# --------------------------------------------------------------------------- bad pages

def test_navigation_only_page_is_an_input_error():
    with pytest.raises(InputError) as caught:
        read("page-nav-only.html")
    assert str(caught.value) == "page-nav-only.html: no article text found in the HTML page"


def test_hostile_page_leaks_no_script_or_hidden_content():
    doc = read("page-hostile.html")
    check_segments(doc)
    assert doc.title == "Belgium Ready to Send Troops After Ceasefire"
    assert "Belgium is prepared to send troops to Ukraine immediately" in doc.text
    assert "Belgian officials added that talks with France" in doc.text
    assert "PAYLOAD" not in doc.text
    for value in (doc.title, doc.author, doc.url, doc.date):
        assert value is None or "PAYLOAD" not in value
    assert doc.url is None  # a javascript: canonical is not a URL
    assert "alert" not in doc.text and "javascript" not in doc.text


def test_script_and_style_content_is_never_text():
    html = ("<html><head><style>.a{content:'CSS-TEXT'}</style></head><body><article>"
            "<p>Britain will send troops to Ukraine after a ceasefire, the defence secretary "
            "said<script>var leak='JS-TEXT';</script> on Thursday in London, and France will "
            "lead the air mission over the west of the country.</p><style>p{}</style>"
            "<p>Poland said it would remain the main logistics hub for Western aid to Ukraine "
            "and would not send its own soldiers across the border.</p></article></body></html>")
    doc = html_document(html, "s.html", doc_id="s")
    assert "CSS-TEXT" not in doc.text and "JS-TEXT" not in doc.text
    assert "secretary said on Thursday" in doc.text.replace("  ", " ")


def test_huge_page_is_refused():
    with pytest.raises(InputError) as caught:
        html_document("<html><body><p>" + "x" * MAX_INPUT_BYTES, "big.html", doc_id="big")
    assert str(caught.value).startswith("big.html: ") and "larger than" in str(caught.value)


@pytest.mark.parametrize("text,message", [
    ('{"id": "1", "text": "<p>Romania rules out troops</p>"}', "looks like JSON"),
    ('[{"title": "Romania"}]', "looks like JSON"),
    ('<?xml version="1.0"?><rss version="2.0"><channel><title>News</title><item><title>'
     "Romania rules out troops</title></item></channel></rss>", "RSS/Atom feed"),
    ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
     "<entry><title>Romania</title></entry></feed>", "RSS/Atom feed"),
    ("Romania will not send troops to Ukraine.\n\nPoland will be the logistics hub.",
     "no HTML markup"),
    ("   \n ", "empty input"),
], ids=["json", "json-array", "rss", "atom", "plain-text", "blank"])
def test_wrong_kind_of_input_is_an_input_error(text, message):
    with pytest.raises(InputError) as caught:
        html_document(text, "in.html", doc_id="in")
    assert str(caught.value).startswith("in.html: ") and message in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("html", [
    "<html></html>", "<<<>>>", "<html><body>\x00\x01\x02</body></html>",
    "<html><body><p>Britain \ud800 will send troops to Ukraine after a ceasefire, officials "
    "said on Thursday in London after the summit of the coalition.</p></body></html>",
    "<html><body>" + "<div>" * 5000 + "<p>deep</p>" + "</div>" * 5000 + "</body></html>",
    "<html><body><p>" + "&#0;&#xD800;&#99999999;&bogus;" * 50 + "</p></body></html>",
    '<?xml version="1.0" encoding="iso-8859-1"?><html><body><p>Britain will send troops to '
    "Ukraine after a ceasefire, officials said on Thursday in London.</p></body></html>",
    '<html><head><link rel="canonical" href="http://[broken/x"></head><body><p>Britain will '
    "send troops to Ukraine after a ceasefire, officials said on Thursday.</p></body></html>",
    "<p>Britain will send troops to Ukraine after a ceasefire, officials said on Thursday.",
    "<html><body>" + "<div class='related'><a href='/x'>One Two Three</a>" * 300 + "</body></html>",
], ids=["empty-html", "angles", "controls", "surrogate", "deep", "bad-entities", "xml-decl",
        "bad-canonical", "fragment", "nested-related"])
def test_odd_pages_never_raise_anything_but_input_error(html):
    try:
        doc = html_document(html, "odd.html", doc_id="odd")
    except InputError as exc:
        assert str(exc).startswith("odd.html: ")
    else:
        check_segments(doc)
        assert doc.text.strip()


def test_teaser_only_page_has_an_empty_article_segment():
    html = ('<html><body><div class="related"><ul><li><a href="/a">Romania Rules Out Sending '
            'Troops</a></li><li><a href="/b">UK Reconsiders Troop Deployment Plans</a></li>'
            "</ul></div></body></html>")
    doc = html_document(html, "t.html", doc_id="t")
    check_segments(doc)
    assert doc.text == "Romania Rules Out Sending Troops\n\nUK Reconsiders Troop Deployment Plans"
    assert (doc.segments[0].start, doc.segments[0].end) == (0, 0)


def test_composed_text_is_capped(monkeypatch):
    monkeypatch.setattr(html_reader, "MAX_DOCUMENT_CHARS", 900)
    doc = read("page-coalition.html")
    assert len(doc.text) <= 900
    check_segments(doc)
    assert doc.text.startswith(TITLE + "\n\n" + BODY[0])


def test_many_teasers_are_capped_and_fast():
    items = "".join(f'<li><a href="/s{i}">Story number {i} about the coalition</a>'
                    f"<p>Summary of story {i} about the coalition meeting.</p></li>"
                    for i in range(5000))
    html = ("<html><body><article><p>Britain will send troops to Ukraine after a ceasefire, "
            "officials said on Thursday in London after the coalition summit ended.</p>"
            f"</article><div class='related'><ul>{items}</ul></div></body></html>")
    start = time.perf_counter()
    doc = html_document(html, "many.html", doc_id="many")
    assert time.perf_counter() - start < 10
    assert len(doc.segments) == 1 + 50
    check_segments(doc)


def test_looks_like_html():
    assert looks_like_html(PAGE.read_text(encoding="utf-8")[:2048])
    assert looks_like_html("<p>Romania</p>")
    assert not looks_like_html('{"text": "<p>x</p>"}')
    assert not looks_like_html("<?xml version='1.0'?><rss><channel></channel></rss>")
    assert not looks_like_html("Romania will not send troops.")


STORY = "".join(f"<p>Paragraph {i}: Britain will send troops to Ukraine after a ceasefire, the "
                "defence secretary said, and France will lead the air mission.</p>"
                for i in range(4))
FURNITURE_BLOCKS = {
    "gdpr": '<div class="gdpr-notice">{}</div>',
    "consent": '<div id="consent-layer">{}</div>',
    "dialog": '<div role="dialog">{}</div>',
    "sponsored": '<div class="sponsored-block">{}</div>',
    "paywall": '<div class="paywall-prompt">{}</div>',
    "modal": '<div class="modal">{}</div>',
    "promo": '<div class="promo-box">{}</div>',
    "hidden": '<div hidden>{}</div>',
}


@pytest.mark.parametrize("kind", FURNITURE_BLOCKS)
def test_furniture_inside_the_article_is_removed(kind):
    """Blocks trafilatura keeps when they sit inside the article container."""
    block = FURNITURE_BLOCKS[kind].format(
        "<p>Your privacy choices matter to us, and you can change them whenever you like "
        "from the settings page.</p>")
    html = f"<html><body><article>{STORY[:len(STORY) // 2]}{block}{STORY[len(STORY) // 2:]}" \
           "</article></body></html>"
    doc = html_document(html, "f.html", doc_id="f")
    assert "privacy choices" not in doc.text
    assert all(f"Paragraph {i}:" in doc.text for i in range(4))


@pytest.mark.parametrize("wrapper", ['<div class="share-tools">', '<div class="related">',
                                     '<header class="site-header">', '<div class="promo">'])
def test_a_block_that_swallows_the_story_is_kept(wrapper):
    """Broken markup (an unclosed share bar, header or promo) can put the whole story inside
    furniture; the story then stays."""
    html = (f"<html><body>{wrapper}<a href='/'>Home</a><div class='story'>{STORY}</div>"
            "</body></html>")
    doc = html_document(html, "w.html", doc_id="w")
    assert all(f"Paragraph {i}:" in doc.text for i in range(4))
