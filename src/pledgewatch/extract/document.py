"""From a source document to its segments and stance records: the function everything calls.

`extract_document` is pure (text and date in, records out; no store, no network). It splits the
page into segments and sentences with a cheap tokenizer, keeps only sentences that can hold a
stance (a contribution trigger and something that can name an actor) plus the sentences that
introduce people, and runs the statistical parser only on those.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pledgewatch.extract.stances import (
    DiscourseState, SentenceAnalyzer, analyze_sentence, could_hold_stance, update_state)
from pledgewatch.ingest.dates import explicit_date, normalise_date
from pledgewatch.ingest.decode import fold_typography
from pledgewatch.ingest.language import detect_language
from pledgewatch.ingest.segment import is_headline, segment_text
from pledgewatch.model import DocumentResult, Segment, SourceDocument, Stance
from pledgewatch.nlp.gazetteer import gazetteer
from pledgewatch.nlp.people import role_words
from pledgewatch.nlp.pipeline import load_parser, load_splitter
from pledgewatch.settings import MAX_SENTENCE_CHARS, PARSE_BATCH_SIZE


@dataclass(slots=True)
class Sentence:
    """A sentence of a segment: offsets into the segment text and its paragraph number."""

    start: int
    end: int
    paragraph: int
    parse: bool = False


def fingerprint(text: str) -> str:
    """SHA-256 of the text with typography and whitespace normalised (the document id of
    DESIGN.md, stable across curly/straight quotes and re-wrapped lines)."""
    normal = re.sub(r"\s+", " ", fold_typography(text)).strip().lower()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of `text`: paragraphs split on newlines, then the rule-based sentencizer.

    Over-long sentences (a page without punctuation) are cut into windows so that parsing
    cost stays bounded.
    """
    splitter = load_splitter()
    sentences: list[Sentence] = []
    offset = 0
    for number, line in enumerate(text.split("\n")):
        if line.strip():
            doc = splitter(fold_typography(line))
            for sent in doc.sents:
                start, end = offset + sent.start_char, offset + sent.end_char
                stripped = text[start:end]
                start += len(stripped) - len(stripped.lstrip())
                end -= len(stripped) - len(stripped.rstrip())
                while end - start > MAX_SENTENCE_CHARS:
                    cut = text.rfind(" ", start, start + MAX_SENTENCE_CHARS)
                    cut = cut if cut > start else start + MAX_SENTENCE_CHARS
                    sentences.append(Sentence(start, cut, number))
                    start = cut + 1
                if end > start:
                    sentences.append(Sentence(start, end, number))
        offset += len(line) + 1
    return sentences


_WORD_RE = re.compile(r"[A-Za-z][a-z]+")
# A capitalised word after a lower-case word or a comma, in running text: a name.
_MID_SENTENCE_NAME = re.compile(r"(?<=[a-z,] )[A-Z][a-z]+")


def names_in_running_text(text: str) -> set[str]:
    """Words the document capitalises mid-sentence outside headlines: probably names."""
    names: set[str] = set()
    for line in text.split("\n"):
        if not is_headline(line):
            names.update(_MID_SENTENCE_NAME.findall(line[:20000]))
    return names


def truecase_headline(text: str, names: set[str]) -> str:
    """Lower-case the common words of a Title Case headline (same length, offsets kept).

    The parser reads "UK Reconsiders Troop Deployment" as one long name; "UK reconsiders troop
    deployment" parses as a sentence. Country names and words that the rest of the document
    capitalises mid-sentence (names such as "Putin") keep their capitals.
    """
    covered = {i for m in gazetteer().find(text) for i in range(m.start, m.end)}
    out = list(text)
    for match in _WORD_RE.finditer(text):
        if match.start() not in covered and match.group() not in names:
            out[match.start()] = out[match.start()].lower()
    return "".join(out)


# Headlines drop the article: "UK reconsiders troop deployment" parses as one noun phrase,
# "The UK reconsiders troop deployment" as a sentence. Names usually written with "the".
_THE_NAMES = re.compile(r"^(?:U\.?K\.?|U\.?S\.?|EU|UAE|United (?:Kingdom|States)|Netherlands|"
                        r"Czech Republic|Philippines|Kremlin|Pentagon|White House)\b")
HEADLINE_PREFIX = "The "


# "LISBON, March 19 (AFP) - ", "RAMSTEIN, Germany (AP) - ", "Berlin, 29 May 2025 (dpa) - ":
# a dateline is not part of the sentence and confuses the parser.
DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Z.'/ -]{2,40}?(?:,\s*(?:[A-Z][a-z]{2,9}\.?\s+\d{1,2}|[A-Z][a-z]{2,20}))?"
    r"(?:\s*\([^()\n]{1,40}\))?"
    r"|[A-Z][a-z]{2,20}(?:/[A-Z][a-z]{2,20})?,\s*\d{1,2}\s+[A-Z][a-z]{2,9}\s+\d{4}\s*\([^()\n]{1,40}\))"
    r"\s*[-:]{1,2}\s+(?=[A-Z\"'])")


def blank_dateline(text: str) -> str:
    """Replace a leading dateline with spaces (same length, so offsets hold)."""
    match = DATELINE.match(text)
    if not match or not re.search(r"[A-Z]{3}|\(|\d", match.group()):
        return text
    return " " * match.end() + text[match.end():]


def _parse_text(text: str, names: set[str]) -> str:
    """The text the parser sees for a sentence: folded typography, no dateline; a headline is
    truecased and, where its subject lacks its article, gets HEADLINE_PREFIX (offsets shift)."""
    folded = blank_dateline(fold_typography(text))
    if not is_headline(folded):
        return folded
    folded = truecase_headline(folded, names)
    return HEADLINE_PREFIX + folded if _THE_NAMES.match(folded) else folded


def _inside_quote(text: str, position: int) -> bool:
    """True if `position` lies inside a quotation opened earlier in its paragraph."""
    paragraph_start = text.rfind("\n", 0, position) + 1
    return fold_typography(text[paragraph_start:position]).count('"') % 2 == 1


def _introduces_person(text: str) -> bool:
    role, _ = role_words(text)
    return role is not None


def _select(segment_text_: str, sentences: list[Sentence], parse_all: bool) -> None:
    gaz = gazetteer()
    for index, sentence in enumerate(sentences):
        text = segment_text_[sentence.start:sentence.end]
        if parse_all:
            sentence.parse = True
            continue
        mentions = gaz.find(text)
        if could_hold_stance(text, mentions):
            sentence.parse = True
            # The sentence before gives "he"/"it" their referent.
            if index and sentences[index - 1].paragraph == sentence.paragraph:
                sentences[index - 1].parse = True
        elif mentions and _introduces_person(text):
            sentence.parse = True


def extract_document(source: SourceDocument, *, default_date: str | None = None,
                     parse_all: bool = False) -> DocumentResult:
    """Segments and stance records of one document.

    Args:
        source: the document (text, id, optional title/date/url).
        default_date: the date of the document when the source gives none (YYYY-MM-DD).
        parse_all: parse every sentence instead of only candidates (for benchmarks and the
            equivalence test; the records must be the same).
    Returns:
        A DocumentResult; non-English documents come back with `skipped` set and no records.
    """
    return next(iter(extract_documents([source], default_date=default_date,
                                       parse_all=parse_all)))


def extract_documents(sources: Iterable[SourceDocument], *, default_date: str | None = None,
                      parse_all: bool = False) -> Iterator[DocumentResult]:
    """`extract_document` over a stream of documents (the parser is loaded once)."""
    for source in sources:
        yield _extract_one(source, default_date, parse_all)


def _extract_one(source: SourceDocument, default_date: str | None,
                 parse_all: bool) -> DocumentResult:
    text = source.text
    published = normalise_date(source.date) or normalise_date(default_date)
    result = DocumentResult(id=source.id, source=source.source, title=source.title,
                            published=published, fingerprint=fingerprint(text), url=source.url)
    language = detect_language(text)
    if language != "en":
        result.skipped = f"not English (detected language: {language})"
        return result
    result.segments = segment_text(text, source.title)
    if result.segments and result.title is None:
        result.title = result.segments[0].title
    nlp = load_parser()
    names = names_in_running_text(fold_typography(text))
    for segment in result.segments:
        seg_text = text[segment.start:segment.end]
        sentences = split_sentences(seg_text)
        if segment.kind == "article" and segment.title and \
                seg_text.startswith(segment.title) and "\n" in seg_text:
            # An article's headline is the editor's summary of the story, not an attributed
            # statement; the body carries the statements (a teaser's headline is kept: it is
            # all the teaser has).
            sentences = [s for s in sentences if s.start >= len(segment.title)]
        _select(seg_text, sentences, parse_all)
        chosen = [s for s in sentences if s.parse]
        docs = nlp.pipe((_parse_text(seg_text[s.start:s.end], names) for s in chosen),
                        batch_size=PARSE_BATCH_SIZE)
        state = DiscourseState()
        for sentence, doc in zip(chosen, docs):
            state.open_quote = _inside_quote(seg_text, sentence.start)
            analyzer = SentenceAnalyzer(doc, state)
            found = analyze_sentence(analyzer)
            update_state(analyzer, found)
            evidence = seg_text[sentence.start:sentence.end]
            shift = len(doc.text) - len(evidence)  # a HEADLINE_PREFIX, if any
            date = explicit_date(evidence) or segment.date or published
            seen: set[tuple[str, str, str]] = set()
            for raw in found:
                key = (raw.country, raw.contribution, raw.stance)
                if key in seen:
                    continue
                seen.add(key)
                quantity = raw.quantity
                result.stances.append(Stance(
                    country=raw.country, contribution=raw.contribution, stance=raw.stance,
                    evidence=evidence, start=sentence.start, end=sentence.end,
                    segment=segment.index,
                    quantity=seg_text[sentence.start + quantity.start - shift:
                                      sentence.start + quantity.end - shift] if quantity else None,
                    quantity_value=quantity.value if quantity else None,
                    quantity_unit=quantity.unit if quantity else None,
                    speaker=raw.speaker.name if raw.speaker else None,
                    speaker_role=raw.speaker.role if raw.speaker else None,
                    date=date, confidence=raw.confidence))
    return result


__all__ = ["extract_document", "extract_documents", "fingerprint", "split_sentences", "Segment"]
