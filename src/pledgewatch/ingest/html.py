"""Read an HTML news page into a `SourceDocument`: title, article body, teasers, metadata.

The text is composed in the shape of a plain-text page (examples/coalition-page.txt): the
title, a blank line, the body paragraphs one per line, then one "headline\\nlede" block per
related story. The extractor therefore sees the same thing whether a page arrives as HTML or as
copied text, and the HTML reader hands over the segments it knows from the markup instead of
leaving them to be guessed from blank lines.

The main text comes from trafilatura, which is good at finding the article and dropping
menus, footers and comments, but drops the "Related" and "Most read" lists whole. Those lists
matter here (a teaser "UK reconsiders troop deployment" is a stance of its own), so they are
found with lxml from class/id and heading patterns (lexicons/html.yaml), turned into teaser
segments, and removed from the tree before trafilatura reads it, so no teaser is read twice.

The page is attacker-controlled: its size is capped, script/style content is removed before
anything reads text, every loop over the tree has a cap, and whatever a parser raises becomes
an `InputError` with a one-line reason.
"""
from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from pledgewatch import lexicons
from pledgewatch.errors import InputError
from pledgewatch.ingest.boilerplate import is_boilerplate
from pledgewatch.ingest.dates import normalise_date
from pledgewatch.model import Segment, SourceDocument
from pledgewatch.settings import MAX_DOCUMENT_CHARS, MAX_INPUT_BYTES

# trafilatura and htmldate log "discarding data" and the like; without a handler Python would
# print those on stderr, where the CLI promises one line per error.
for _logger in ("trafilatura", "htmldate"):
    logging.getLogger(_logger).addHandler(logging.NullHandler())

# Elements looked at when searching for teaser lists and furniture (a page with more is
# hostile or generated; the rest of it is still read by trafilatura).
MAX_SCANNED_ELEMENTS = 200_000
MAX_CONTAINERS = 300
MAX_ANCHORS_PER_CONTAINER = 300
MAX_URL_CHARS = 2048
MAX_AUTHOR_CHARS = 200
# Pages longer than this (characters) skip trafilatura's second opinion (its readability and
# jusText fallbacks), which doubles the time on a big page and is only needed on small ones.
FAST_EXTRACTION_CHARS = 1_000_000

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_INLINE = {"a", "span", "em", "strong", "b", "i", "u", "small", "sup", "sub", "abbr", "cite",
           "time", "mark", "q", "label", "font", "code"}
_BLOCK = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "section", "article", "aside",
          "header", "footer", "main", "nav", "figure", "figcaption", "blockquote", "table",
          "tr", "td", "th", "br", "hr", "form", "address", "pre", *_HEADINGS}
# What may follow a teaser heading inside an article body and still be its list.
_LISTS = {"ul", "ol", "dl", "div", "section", "nav"}
_LANDMARK_ROLES = {"navigation", "banner", "contentinfo", "search", "dialog", "alertdialog",
                   "menu", "menubar"}
_HIDDEN_STYLE = re.compile(r"display\s{0,3}:\s{0,3}none|visibility\s{0,3}:\s{0,3}hidden")
_ARTICLE_MARKERS = etree.XPath("//main | //*[@itemprop='articleBody']")
# Fewer characters of paragraphs than this in one element: no element is taken for the body.
MIN_BODY_CHARS = 200
_WORDISH = re.compile(r"[^\W\d_]")
_HTML_TAG = re.compile(r"<(?:!doctype\s{1,20}html|html|head|body|div|p|article|main|section|"
                       r"title|meta|h[1-6]|span|a|table|ul|ol|header|nav|br|img|script)\b",
                       re.IGNORECASE)
_FEED_TAG = re.compile(r"<(?:rss|feed|rdf:rdf|channel)\b", re.IGNORECASE)


@dataclass(slots=True)
class _Teaser:
    headline: str
    lede: str | None
    date: str | None


@dataclass(frozen=True, slots=True)
class _Patterns:
    teaser: re.Pattern[str]
    heading: re.Pattern[str]
    navigation: re.Pattern[str]
    furniture: re.Pattern[str]
    lede: re.Pattern[str]


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    spec = lexicons.html()

    def any_of(patterns: list[str]) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)

    return _Patterns(any_of(spec.teaser_containers), any_of(spec.teaser_headings),
                     any_of(spec.navigation), any_of(spec.furniture), any_of(spec.lede_classes))


def _not_html_reason(head: str) -> str | None:
    """Why the start of a text is not an HTML page (JSON, a feed, no markup), or None."""
    start = head.lstrip("\ufeff \t\r\n")[:4096]
    if start[:1] in ("{", "["):
        return "looks like JSON, not an HTML page"
    if _FEED_TAG.search(start) and not re.search(r"<html\b", start, re.IGNORECASE):
        return "looks like an RSS/Atom feed, not an HTML page"
    if not _HTML_TAG.search(head[:65536]):
        return "no HTML markup found (not an HTML page)"
    return None


def looks_like_html(head: str) -> bool:
    """True when the start of a text (its first few KB) reads as an HTML page."""
    return _not_html_reason(head) is None


def _words(text: str) -> int:
    return sum(1 for token in text.split() if _WORDISH.search(token))


def _clean(text: str | None) -> str:
    return " ".join(text.split()) if text else ""


def _cut(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > limit // 2 else cut


def _marks(element: Any) -> str:
    """The lower-case class and id of an element (capped: attributes are attacker text)."""
    return f"{element.get('class', '')[:300]} {element.get('id', '')[:100]}".lower().strip()


def _is_element(node: Any) -> bool:
    return isinstance(node.tag, str)


def _text(element: Any, skip: set[Any] | None = None, limit: int = 5000) -> str:
    """Visible text of an element, blocks separated by spaces, without the `skip` subtrees."""
    parts: list[str] = []
    size = 0
    skipping = None
    for event, node in etree.iterwalk(element, events=("start", "end")):
        if skipping is not None:
            if node is skipping and event == "end":
                skipping = None
                if node.tail:
                    parts.append(node.tail)
            continue
        tag = node.tag if isinstance(node.tag, str) else ""
        if event == "start":
            if skip and node in skip and node is not element:
                skipping = node
                continue
            if tag in _BLOCK:
                parts.append(" ")
            if tag and node.text:
                parts.append(node.text)
                size += len(node.text)
        else:
            if tag in _BLOCK:
                parts.append(" ")
            if node is not element and node.tail:
                parts.append(node.tail)
                size += len(node.tail)
        if size > limit:
            break
    return _clean("".join(parts))


_TITLE_OPEN = re.compile(r"<title\b[^>]{0,200}>", re.IGNORECASE)


def _close_title(html: str) -> str:
    """Close a <title> that is never closed: its content is raw text up to "</title>", so
    without one the whole page would become the title (browsers show an empty page too, but
    the markup after the title line is plainly the page)."""
    opened = _TITLE_OPEN.search(html, 0, 65536)
    if opened is None or re.search(r"</title\s{0,5}>", html, re.IGNORECASE):
        return html
    end = html.find("<", opened.end())
    return html if end < 0 else html[:end] + "</title>" + html[end:]


def _parse(html: str, name: str) -> Any:
    html = _close_title(html)
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True,
                                  no_network=True, collect_ids=False)
    data = html.replace("\x00", "").encode("utf-8", "replace")
    try:
        tree = lxml.html.document_fromstring(data, parser=parser)
    except (etree.LxmlError, ValueError) as exc:
        reason = str(exc).splitlines()[0][:100] if str(exc) else type(exc).__name__
        raise InputError(f"{name}: not readable as HTML ({reason})") from None
    if tree is None:
        raise InputError(f"{name}: no article text found in the HTML page")
    return tree


def _is_teaser_list(element: Any, patterns: _Patterns) -> bool:
    """A flat list of teasers (<h3><a>headline</a></h3><p>lede</p>...) also holds many
    paragraphs, but it is named like one or has a story link for every other paragraph."""
    marks = _marks(element)
    if marks and patterns.teaser.search(marks):
        return True
    min_words = lexicons.html().min_headline_words
    paragraphs = links = 0
    for child in element:
        if child.tag == "p":
            paragraphs += 1
        elif child.tag in _HEADINGS or child.tag == "a":
            links += any(_words(_text(a, limit=600)) >= min_words for a in child.iter("a"))
    return links * 2 >= paragraphs > 0


def _article_path(tree: Any, patterns: _Patterns) -> set[Any]:
    """The elements that must never be removed: the one whose own paragraphs hold the most
    text (the story body), <main> and articleBody, and all their ancestors. Broken markup can
    make a share bar or an unclosed header swallow the whole story; it then stays."""
    scores: dict[Any, int] = {}
    for count, paragraph in enumerate(tree.iter("p")):
        parent = paragraph.getparent()
        if count >= MAX_SCANNED_ELEMENTS or parent is None:
            break
        scores[parent] = scores.get(parent, 0) + len(_text(paragraph, limit=5000))
    anchors = list(_ARTICLE_MARKERS(tree))[:20]
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    for parent, score in ranked[:20]:
        if score < MIN_BODY_CHARS:
            break
        if not _is_teaser_list(parent, patterns):
            anchors.append(parent)
            break
    protected: set[Any] = set()
    for node in anchors:
        protected.add(node)
        protected.update(node.iterancestors())
    return protected


def _inside(element: Any, tags: set[str]) -> bool:
    return any(parent.tag in tags for parent in element.iterancestors())


def _in_navigation(element: Any, patterns: _Patterns) -> bool:
    for node in (element, *element.iterancestors()):
        if node.tag == "nav" or node.get("role") in ("navigation", "menu", "menubar"):
            return True
        marks = _marks(node)
        if marks and patterns.navigation.search(marks):
            return True
    return False


def _elements(tree: Any) -> list[Any]:
    found = []
    for node in tree.iter():
        if _is_element(node):
            found.append(node)
            if len(found) >= MAX_SCANNED_ELEMENTS:
                break
    return found


def _teaser_containers(tree: Any, patterns: _Patterns, protected: set[Any]) -> list[Any]:
    """Outermost elements that hold a list of other stories, outside navigation."""
    candidates: list[Any] = []
    for node in _elements(tree):
        if node.tag in _INLINE or node.tag in ("html", "head", "body", "main"):
            continue
        marks = _marks(node)
        if node.tag == "aside" or (marks and patterns.teaser.search(marks)):
            candidates.append(node)
        elif node.tag in _HEADINGS and patterns.heading.fullmatch(_text(node, limit=200)):
            parent = node.getparent()
            if parent is not None and parent not in protected:
                candidates.append(parent)
            else:  # a heading inside the article body: the list is what follows it
                candidates.append(node)
                for sibling in node.itersiblings():
                    if sibling.tag not in _LISTS or next(sibling.iter("a"), None) is None:
                        break
                    candidates.append(sibling)
        if len(candidates) >= MAX_CONTAINERS:
            break
    chosen = set()
    for node in candidates:
        if node in chosen or node in protected or _inside(node, {"p"}):
            continue
        if _in_navigation(node, patterns):
            continue
        chosen.add(node)
    return [node for node in candidates
            if node in chosen and not any(a in chosen for a in node.iterancestors())]


def _teaser_items(container: Any, patterns: _Patterns) -> list[_Teaser]:
    """One teaser per linked story in a container: its headline and first summary line."""
    spec = lexicons.html()
    anchors: list[tuple[Any, str]] = []
    for anchor in container.iter("a"):
        if _words(_text(anchor, limit=600)) >= spec.min_headline_words:
            anchors.append((anchor, anchor.get("href") or f"#{len(anchors)}"))
            if len(anchors) >= MAX_ANCHORS_PER_CONTAINER:
                break
    # The item of a story is the largest element around its link that links to no other
    # story (a card holds the story's image link, kicker link, headline link and lede).
    hrefs_below: dict[Any, set[str]] = {}
    for anchor, href in anchors:
        for node in (anchor, *anchor.iterancestors()):
            hrefs_below.setdefault(node, set()).add(href)
            if node is container:
                break
    items: list[_Teaser] = []
    seen_items: set[Any] = set()
    for anchor, _href in anchors:
        item = anchor
        for node in anchor.iterancestors():
            if len(hrefs_below.get(node, ())) != 1:
                break
            item = node
            if node is container:
                break
        if item in seen_items:
            continue
        seen_items.add(item)
        teaser = _teaser_of(item, anchor, container, patterns)
        if teaser:
            items.append(teaser)
    return items


def _is_hidden(node: Any) -> bool:
    """Hidden from the reader by the markup itself (a hostile page hides text there)."""
    style = node.get("style", "")[:300].lower()
    return (node.get("hidden") is not None or node.get("aria-hidden") == "true"
            or bool(style and _HIDDEN_STYLE.search(style)))


def _is_lede_node(node: Any, patterns: _Patterns) -> bool:
    return _is_element(node) and not _is_hidden(node) and (node.tag == "p" or bool(
        (marks := _marks(node)) and patterns.lede.search(marks)))


def _teaser_of(item: Any, anchor: Any, container: Any, patterns: _Patterns) -> _Teaser | None:
    """The headline (first long enough heading, else the link text) and the lede (first
    summary paragraph) of one item; None when the headline is not one."""
    spec = lexicons.html()
    heading = next((h for h in item.iter(*_HEADINGS)
                    if _words(_text(h, limit=600)) >= spec.min_headline_words), None)
    ledes = [node for node in item.iter() if _is_lede_node(node, patterns)]
    following = item.getnext() if item is not container else None
    if following is not None and _is_lede_node(following, patterns) and not any(
            _words(_text(a, limit=600)) >= spec.min_headline_words
            for a in following.iter("a")):
        ledes.append(following)  # a flat list: <h3><a>headline</a></h3><p>lede</p>...
    if heading is not None:
        headline_node = heading
        headline = _text(heading, limit=600)
    else:
        headline_node = anchor
        headline = _text(anchor, skip=set(ledes), limit=600)
    if not spec.min_headline_words <= _words(headline) <= spec.max_headline_words:
        return None
    if len(headline) > spec.max_headline_chars or is_boilerplate(headline):
        return None
    lede = None
    above = set(headline_node.iterancestors())
    for node in ledes:
        if node is headline_node or node in above:
            continue
        if any(parent is headline_node for parent in node.iterancestors()):
            continue
        text = _text(node, limit=2 * spec.max_lede_chars)
        if _words(text) >= 4 and text.casefold() != headline.casefold() \
                and not is_boilerplate(text):
            lede = _cut(text, spec.max_lede_chars)
            break
    when = None
    for stamp in item.iter("time"):
        when = normalise_date(stamp.get("datetime") or _text(stamp, limit=100))
        if when:
            break
    return _Teaser(headline, lede, when)


def _find_teasers(tree: Any, title: str | None, protected: set[Any]
                  ) -> tuple[list[_Teaser], list[Any]]:
    """The teasers of the page (deduplicated, capped) and the containers they came from."""
    patterns = _patterns()
    spec = lexicons.html()
    teasers: list[_Teaser] = []
    seen = {title.casefold()} if title else set()
    remove: list[Any] = []
    for container in _teaser_containers(tree, patterns, protected):
        items = _teaser_items(container, patterns) if len(teasers) < spec.max_teasers else []
        # A lone <aside> without stories is a pull quote or a fact box: it stays for
        # trafilatura to judge. A block named "related" goes either way.
        if items or container.tag != "aside":
            remove.append(container)
        for teaser in items:
            key = teaser.headline.casefold()
            if key in seen or len(teasers) >= spec.max_teasers:
                continue
            seen.add(key)
            teasers.append(teaser)
    return teasers, remove


def _prune_furniture(tree: Any, protected: set[Any]) -> None:
    """Remove navigation, banners, share bars and the like, unless they hold the article."""
    patterns = _patterns()
    furniture_tags = set(lexicons.html().furniture_tags)
    doomed: list[Any] = []
    walk = etree.iterwalk(tree, events=("start",))
    for count, (_event, node) in enumerate(walk):
        if count >= MAX_SCANNED_ELEMENTS:
            break
        if not _is_element(node) or node.tag in ("html", "body", "head"):
            continue
        marks = _marks(node)
        if not (node.tag in furniture_tags
                or node.get("role") in _LANDMARK_ROLES
                or _is_hidden(node)
                or (marks and patterns.furniture.search(marks))):
            continue
        if node.tag != "figcaption" and (node in protected or _inside(node, {"p"})):
            continue
        doomed.append(node)
        walk.skip_subtree()  # whatever is inside goes with it
    for node in doomed:
        if node.getparent() is not None:
            node.drop_tree()


def _drop_tags(tree: Any) -> None:
    tags = lexicons.html().drop_tags
    for node in [n for n in tree.iter(*tags)]:
        if node.getparent() is not None:
            node.drop_tree()  # keeps the tail text, which belongs to the parent


def _metadata(tree: Any, url: str | None) -> Any | None:
    """trafilatura's metadata (title, author, canonical URL, htmldate's publication date)."""
    from trafilatura import extract_metadata

    params = {"original_date": True, "extensive_search": False,
              "max_date": date.today().isoformat()}
    try:
        return extract_metadata(copy.deepcopy(tree), default_url=url, date_config=params,
                                extensive=False)
    except Exception:  # noqa: BLE001 - metadata is optional; a parser bug must not end the page
        return None


def _body_paragraphs(tree: Any, url: str | None, name: str, fast: bool) -> list[str]:
    """The article's paragraphs as trafilatura finds them (lists give one line per item)."""
    from trafilatura import bare_extraction

    try:
        document = bare_extraction(tree, url=url, fast=fast, with_metadata=False,
                                   include_comments=False, include_tables=False,
                                   include_images=False, include_links=False,
                                   favor_precision=True)
    except Exception as exc:  # noqa: BLE001 - whatever trafilatura raises is a bad page
        raise InputError(f"{name}: the HTML page could not be read "
                         f"({type(exc).__name__})") from None
    body = getattr(document, "body", None) if document is not None else None
    if body is None:
        return []
    for line_break in body.iter("lb"):
        line_break.tail = " " + (line_break.tail or "")
    paragraphs: list[str] = []
    for block in body:
        if not _is_element(block) or block.tag in ("table", "graphic"):
            continue
        parts = block.findall("item") if block.tag == "list" else [block]
        for part in parts:
            text = _clean(etree.tostring(part, method="text", encoding=str, with_tail=False))
            if text:
                paragraphs.append(text)
    return paragraphs


def _http_url(value: str | None, base: str | None) -> str | None:
    """An absolute http(s) URL, or None (a canonical link may be relative or javascript:)."""
    value = _clean(value)
    if not value or len(value) > MAX_URL_CHARS:
        return None
    try:
        if base:
            value = urljoin(base, value)
        parts = urlsplit(value)
    except ValueError:  # "http://[oops/": an invalid IPv6 host
        return None
    return value if parts.scheme in ("http", "https") and parts.netloc else None


def _canonical(tree: Any, url: str | None) -> str | None:
    """The page's own URL from <link rel="canonical"> or og:url, made absolute."""
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            found = _http_url(link.get("href"), url)
            if found:
                return found
    for meta in tree.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() == "og:url":
            found = _http_url(meta.get("content"), url)
            if found:
                return found
    return None


def _page_title(meta: Any, tree: Any) -> str | None:
    """The metadata title, else the first <h1>, else <title>; never a section label (a page
    without a title of its own would otherwise be titled "More stories")."""
    title = _clean(getattr(meta, "title", None))
    if title and (is_boilerplate(title) or _patterns().heading.fullmatch(title)):
        title = ""
    if not title:
        heading = next(iter(tree.iter("h1")), None)
        title = _text(heading, limit=1000) if heading is not None else ""
    if not title:
        node = tree.find(".//title")
        title = _clean(node.text_content()) if node is not None else ""
    return _cut(title, lexicons.html().max_headline_chars) or None


def _compose(title: str | None, body: list[str], teasers: list[_Teaser]
             ) -> tuple[str, list[Segment]]:
    """The page text and its segments; every segment's offsets cut exactly its block.

    The article segment's date is left to the extractor, which reads its dateline (also the
    year-less kind) against the document date; a teaser's date is its item's <time>."""
    pieces: list[str] = []
    pos = 0

    def add(block: str) -> tuple[int, int] | None:
        nonlocal pos
        gap = 2 if pieces else 0
        if pos + gap + len(block) > MAX_DOCUMENT_CHARS:
            return None
        if gap:
            pieces.append("\n\n")
        pieces.append(block)
        pos += gap + len(block)
        return pos - len(block), pos

    kept: list[str] = []
    size = len(title or "") + 2
    for paragraph in body:
        if size + len(paragraph) + 1 > MAX_DOCUMENT_CHARS:
            room = MAX_DOCUMENT_CHARS - size - 1
            if not kept and room > 0:
                kept.append(_cut(paragraph, room))
            break
        kept.append(paragraph)
        size += len(paragraph) + 1
    article = "\n\n".join(part for part in (title or "", "\n".join(kept)) if part)
    span = add(article) if article else (0, 0)
    start, end = span or (0, 0)
    segments = [Segment(0, "article", title, start, end, None)]
    for teaser in teasers:
        block = teaser.headline + (f"\n{teaser.lede}" if teaser.lede else "")
        span = add(block)
        if span is None:
            break
        segments.append(Segment(len(segments), "teaser", teaser.headline, *span, teaser.date))
    return "".join(pieces), segments


def html_document(html: str, name: str, *, doc_id: str, url: str | None = None
                  ) -> SourceDocument:
    """Read a decoded HTML page (`name` is its source, for messages) into a document with
    its article and teaser segments, or raise InputError saying why it has no article."""
    if len(html) > MAX_INPUT_BYTES:
        raise InputError(f"{name}: larger than the {MAX_INPUT_BYTES // 1_048_576} MB limit "
                         "for one page")
    if not html.strip():
        raise InputError(f"{name}: empty input")
    reason = _not_html_reason(html)
    if reason:
        raise InputError(f"{name}: {reason}")
    tree = _parse(html, name)
    meta = _metadata(tree, url)
    try:
        work = copy.deepcopy(tree)
        _drop_tags(work)
        title = _page_title(meta, work)
        protected = _article_path(work, _patterns())
        teasers, containers = _find_teasers(work, title, protected)
        for container in containers:
            if container.getparent() is not None:
                container.drop_tree()
        _prune_furniture(work, protected)
    except Exception as exc:  # noqa: BLE001 - a hostile tree must end as one line, not a trace
        raise InputError(f"{name}: the HTML page could not be read "
                         f"({type(exc).__name__})") from None
    repeated = {title.casefold()} if title else set()
    for teaser in teasers:
        repeated.add(teaser.headline.casefold())
        if teaser.lede:
            repeated.add(teaser.lede.casefold())
    fast = len(html) > FAST_EXTRACTION_CHARS
    body = [p for p in _body_paragraphs(work, url, name, fast)
            if p.casefold() not in repeated and not is_boilerplate(p)]
    if not body and not teasers:
        raise InputError(f"{name}: no article text found in the HTML page")
    doc_date = normalise_date(getattr(meta, "date", None))
    text, segments = _compose(title, body, teasers)
    author = _cut(_clean(getattr(meta, "author", None)), MAX_AUTHOR_CHARS) or None
    return SourceDocument(
        id=doc_id, text=text, source=name, title=title, date=doc_date,
        url=(_canonical(tree, url) or _http_url(getattr(meta, "url", None), url)
             or _http_url(url, None) or url),
        author=author, segments=segments)
