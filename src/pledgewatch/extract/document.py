"""From a source document to its segments and stance records: the function everything calls.

`extract_document` is pure (text and date in, records out; no store, no network). It splits the
page into segments and sentences with a cheap tokenizer, keeps only sentences that can hold a
stance (a contribution trigger and something that can name an actor) plus the sentences that
introduce people, and runs the statistical parser only on those.
"""
from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pledgewatch.extract.phase import phase_of
from pledgewatch.extract.stances import (
    MISSION_KINDS, DiscourseState, SentenceAnalyzer, analyze_sentence, could_hold_stance,
    names_a_contribution, update_state)
from pledgewatch.extract.stances import lexicon as stances_lexicon
from pledgewatch.ingest.dates import dateline_date, implied_date, normalise_date
from pledgewatch.ingest.boilerplate import blank_boilerplate
from pledgewatch.ingest.decode import fold_typography
from pledgewatch.ingest.dedupe import fingerprint
from pledgewatch.ingest.language import detect_language
from pledgewatch.ingest.segment import is_headline, segment_text
from pledgewatch.model import DocumentResult, Segment, SourceDocument, Stance
from pledgewatch.nlp.gazetteer import gazetteer
from pledgewatch.nlp.people import role_words
from pledgewatch.nlp.pipeline import load_parser, load_splitter
from pledgewatch.settings import (
    DOCUMENT_BATCH, MAX_SENTENCE_CHARS, MAX_TOKEN_CHARS, PARSE_BATCH_SIZE, SPLIT_PIECE_CHARS)


@dataclass(slots=True)
class Sentence:
    """A sentence of a segment: offsets into the segment text and its paragraph number."""

    start: int
    end: int
    paragraph: int
    selected: bool = False  # the cheap filter says it can hold a stance or introduces people
    parse: bool = False


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of `text`: paragraphs split on newlines, then the rule-based sentencizer.

    Over-long sentences (a page without punctuation) are cut into windows so that parsing
    cost stays bounded.
    """
    splitter = load_splitter()
    sentences: list[Sentence] = []
    offset = 0
    for number, line in enumerate(text.split("\n")):
        for piece_start, piece in _pieces(line):
            doc = splitter(fold_typography(piece))
            base = offset + piece_start
            for sent in doc.sents:
                start, end = base + sent.start_char, base + sent.end_char
                stripped = text[start:end]
                start += len(stripped) - len(stripped.lstrip())
                end -= len(stripped) - len(stripped.rstrip())
                while end - start > MAX_SENTENCE_CHARS:
                    cut = text.rfind(" ", start, start + MAX_SENTENCE_CHARS)
                    cut = cut if cut > start else start + MAX_SENTENCE_CHARS
                    sentences.append(Sentence(start, cut, number))
                    start = cut + 1 if text[cut:cut + 1] == " " else cut
                if end > start:
                    sentences.append(Sentence(start, end, number))
        offset += len(line) + 1
    return sentences


_LONG_RUN = re.compile(r"\S{%d,}" % MAX_TOKEN_CHARS)


def _pieces(line: str) -> Iterator[tuple[int, str]]:
    """The line in pieces the tokenizer can take: at most SPLIT_PIECE_CHARS, cut at spaces,
    and no run without spaces longer than MAX_TOKEN_CHARS (spaCy's affix search is quadratic
    in such runs, and attacker text can be 20,000 apostrophes)."""
    if not line.strip():
        return
    start = 0
    while start < len(line):
        end = min(len(line), start + SPLIT_PIECE_CHARS)
        if end < len(line):
            space = line.rfind(" ", start, end)
            end = space + 1 if space > start else end
        chunk = line[start:end]
        run = _LONG_RUN.search(chunk)
        if run:  # cut before the run, then the run in bounded slices
            if run.start() > 0:
                yield start, chunk[:run.start()]
            yield start + run.start(), chunk[run.start():run.start() + MAX_TOKEN_CHARS]
            start += run.start() + MAX_TOKEN_CHARS
            continue
        if chunk.strip():
            yield start, chunk
        start = end


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
    r"|[A-Z][a-z]{2,20}(?:/[A-Z][a-z]{2,20})?,\s*\d{1,2}\s+[A-Z][a-z]{2,9}\s+\d{4}\s*\([^()\n]{1,40}\)"
    r"|\d{1,2}[:.]\d{2}(?:\s*[A-Z]{2,4})?)"
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


class _QuoteTracker:
    """Whether a position lies inside a quotation opened earlier in its paragraph, for
    positions visited in increasing order (a running count, linear in the text)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0
        self.open = False

    def inside(self, position: int) -> bool:
        """Quotation state at `position` (positions must not decrease)."""
        chunk = fold_typography(self.text[self.position:position])
        newline = chunk.rfind("\n")
        if newline >= 0:
            self.open = False
            chunk = chunk[newline + 1:]
        self.open ^= chunk.count('"') % 2 == 1
        self.position = position
        return self.open


def _introduces_person(text: str) -> bool:
    role, _ = role_words(text)
    return role is not None


_ASKED = re.compile(r"\b(?:ask(?:s|ed|ing)?|question(?:s|ed)?)\b[^.?!]{0,40}?\b(?:whether|if)\b",
                    re.IGNORECASE)


@dataclass(slots=True)
class _SegmentPlan:
    segment: Segment
    text: str
    sentences: list[Sentence]


@dataclass(slots=True)
class _DocumentPlan:
    result: DocumentResult
    segments: list[_SegmentPlan]
    text: str
    _names: set[str] | None = None

    @property
    def names(self) -> set[str]:
        """Capitalised words of the running text (computed only when a headline is parsed)."""
        if self._names is None:
            self._names = names_in_running_text(fold_typography(self.text))
        return self._names


def _leading_title_lines(seg_text: str) -> int:
    """Length of the title block: the leading lines that end without sentence punctuation
    (headline, sub-headline, source line). Editors write these; the body carries the
    statements. A teaser keeps its headline: it is all the teaser has."""
    end = 0
    for line in seg_text.split("\n"):
        stripped = fold_typography(line).strip()
        if stripped and (stripped[-1] in ".!?\"'" or len(stripped.split()) > 40):
            break
        end += len(line) + 1
    return end if end < len(seg_text) else 0


_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _plan(source: SourceDocument, default_date: str | None, parse_all: bool) -> _DocumentPlan:
    # A lone surrogate (possible from an API caller, not from a UTF-8 file) cannot be encoded;
    # U+FFFD keeps the length, so offsets stay valid.
    text = _LONE_SURROGATE.sub("\ufffd", source.text)
    published = normalise_date(source.date) or normalise_date(default_date)
    result = DocumentResult(id=source.id, source=source.source, title=source.title,
                            published=published, fingerprint=fingerprint(text), url=source.url,
                            author=source.author)
    plan = _DocumentPlan(result, [], text)
    language = detect_language(text)
    if language != "en":
        result.skipped = f"not English (detected language: {language})"
        return plan
    # Boilerplate lines (cookie banners, "Read more", bylines, captions) become spaces: the
    # same length, so every offset still points into the source text.
    text = plan.text = blank_boilerplate(text)
    result.segments = [copy.copy(s) for s in source.segments] if source.segments \
        else segment_text(text, source.title)
    if result.segments and result.title is None:
        result.title = result.segments[0].title
    for segment in result.segments:
        if segment.date is None and segment.kind == "article":
            segment.date = dateline_date(text[segment.start:segment.end], published)
    gaz = gazetteer()
    for segment in result.segments:
        seg_text = text[segment.start:segment.end]
        # A segment that names no contribution cannot hold a stance: it is not even split.
        sentences = split_sentences(seg_text) \
            if parse_all or names_a_contribution(seg_text) else []
        if segment.kind == "article":
            skip = _leading_title_lines(seg_text)
            sentences = [s for s in sentences if s.start >= skip]
        # "the summit" can stand for the coalition only in a segment that names it
        coalition = bool(sentences) and _names_coalition(seg_text)
        candidate_seen = False
        for sentence in reversed(sentences):
            body = seg_text[sentence.start:sentence.end]
            mentions = gaz.find(body)
            candidate = could_hold_stance(body, mentions, coalition_named=coalition)
            # A sentence that only introduces a person matters if a candidate follows it.
            sentence.selected = candidate or (
                candidate_seen and bool(mentions) and _introduces_person(body))
            candidate_seen = candidate_seen or candidate
            sentence.parse = sentence.selected or parse_all
        plan.segments.append(_SegmentPlan(segment, seg_text, sentences))
    return plan


def extract_document(source: SourceDocument, *, default_date: str | None = None,
                     parse_all: bool = False) -> DocumentResult:
    """Segments and stance records of one document.

    Args:
        source: the document (text, id, optional title/date/url).
        default_date: the date of the document when the source gives none (YYYY-MM-DD).
        parse_all: parse and analyse every sentence, not only those the cheap filter selects
            (for the benchmark and the equivalence test: the records must be the same).
    Returns:
        A DocumentResult; non-English documents come back with `skipped` set and no records.
    """
    return next(iter(extract_documents([source], default_date=default_date,
                                       parse_all=parse_all)))


def extract_documents(sources: Iterable[SourceDocument], *, default_date: str | None = None,
                      parse_all: bool = False) -> Iterator[DocumentResult]:
    """`extract_document` over a stream of documents.

    Documents are planned (segmented, filtered) a batch at a time and the selected sentences
    of the whole batch go through one `nlp.pipe`, so the parser works on full batches; memory
    stays bounded by DOCUMENT_BATCH documents whatever the stream's length.
    """
    nlp = load_parser()
    batch: list[_DocumentPlan] = []
    for source in sources:
        batch.append(_plan(source, default_date, parse_all))
        if len(batch) >= DOCUMENT_BATCH:
            yield from _run_batch(nlp, batch)
            batch = []
    if batch:
        yield from _run_batch(nlp, batch)


def _run_batch(nlp, plans: list[_DocumentPlan]) -> Iterator[DocumentResult]:
    jobs = [(plan, seg, sentence) for plan in plans for seg in plan.segments
            for sentence in seg.sentences if sentence.parse]
    texts = (_parse_text(seg.text[s.start:s.end], plan.names) for plan, seg, s in jobs)
    parsed = {id(sentence): doc for (_p, _s, sentence), doc in
              zip(jobs, nlp.pipe(texts, batch_size=PARSE_BATCH_SIZE))}
    for plan in plans:
        for seg in plan.segments:
            _analyze_segment(plan, seg, parsed)
        yield plan.result


def _analyze_segment(plan: _DocumentPlan, seg: _SegmentPlan, parsed: dict) -> None:
    """Walk a segment's sentences in order, carrying the discourse state.

    The state is updated the same way whether or not the run parses every sentence: cheap
    updates (mission named, question asked) from every sentence, parse-based ones (people,
    focus country, speaker) only from selected sentences. A sentence that is parsed but not
    selected (parse_all) is analysed on a copy of the state, so that it cannot change what
    later sentences find: that is what makes the filtered and full runs comparable.
    """
    lex = stances_lexicon()
    state = DiscourseState()
    question: str | None = None
    quotes = _QuoteTracker(seg.text)
    seen_up_to = 0
    for sentence in seg.sentences:
        body = seg.text[sentence.start:sentence.end]
        if not state.coalition_named:  # the title block counts: it names what the story is
            state.coalition_named = _names_coalition(seg.text[seen_up_to:sentence.start])
            seen_up_to = sentence.start
        state.question_contribution = question
        state.open_quote = quotes.inside(sentence.start)
        doc = parsed.get(id(sentence))
        if doc is not None:
            sentence_state = state if sentence.selected else copy.deepcopy(state)
            analyzer = SentenceAnalyzer(doc, sentence_state)
            found = analyze_sentence(analyzer)
            if sentence.selected:
                update_state(analyzer, found)
            _record(plan, seg, sentence, body, doc, found)
        named = [lex.trigger_for(m.group()) for m in lex.trigger_re.finditer(body)]
        missions = [t.contribution for t in named if t and t.contribution in MISSION_KINDS]
        if missions:
            state.last_mission = missions[-1]
        question = missions[-1] if missions and _ASKED.search(body) else None


def _names_coalition(text: str) -> bool:
    """Cheap test: does `text` name the coalition itself (a strong membership trigger)?"""
    lex = stances_lexicon()
    for match in lex.trigger_re.finditer(text):
        entry = lex.trigger_for(match.group())
        if entry and entry.contribution == "coalition_membership" and not entry.weak:
            return True
    return False


def _record(plan: _DocumentPlan, seg: _SegmentPlan, sentence: Sentence, evidence: str, doc,
            found) -> None:
    result, segment = plan.result, seg.segment
    shift = len(doc.text) - len(evidence)  # a HEADLINE_PREFIX, if any
    # The sentence's own "on Monday" wins over its dateline (already the segment's date).
    reference = segment.date or result.published
    date = implied_date(blank_dateline(evidence), reference) or reference
    for raw in found:
        quantity = raw.quantity
        trigger = None
        if raw.trigger is not None:
            start, end = raw.trigger[0] - shift, raw.trigger[1] - shift
            trigger = (start, end) if 0 <= start < end <= len(evidence) else None
        result.stances.append(Stance(
            country=raw.country, contribution=raw.contribution, stance=raw.stance,
            evidence=evidence, start=sentence.start, end=sentence.end, segment=segment.index,
            quantity=seg.text[sentence.start + quantity.start - shift:
                              sentence.start + quantity.end - shift] if quantity else None,
            quantity_value=quantity.value if quantity else None,
            quantity_unit=quantity.unit if quantity else None,
            speaker=raw.speaker.name if raw.speaker else None,
            speaker_role=raw.speaker.role if raw.speaker else None,
            date=date, confidence=raw.confidence,
            phase=phase_of(evidence, raw.stance, trigger)))


__all__ = ["extract_document", "extract_documents", "fingerprint", "split_sentences", "Segment"]
