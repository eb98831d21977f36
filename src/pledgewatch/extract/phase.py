"""Pledge versus delivery: the phase of a stance, read from its evidence sentence.

The Kiel Ukraine Support Tracker keeps apart what a country has announced, what it has
committed, and what it has actually handed over; a board that mixes "will send" with "has
sent" overstates the help. `phase_of` gives each stance one of PHASES from the cues of
lexicons/phases.yaml, which also documents how a phase is chosen when several cues match
(the trigger's own clause; negated cues dropped; a withdrawal wins; else the cue that governs
the trigger, raised to a later stage when a later cue takes the trigger back up).

It is a pure function of the sentence: no parse, so it costs a few regex scans per stance.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pydantic import field_validator, model_validator

from pledgewatch.ingest.decode import fold_typography
from pledgewatch.lexicons import _check_regexes, _Strict, _load, _validated
from pledgewatch.model import STANCES

PHASES: tuple[str, ...] = ("announced", "pledged", "delivered", "withdrawn", "unknown")

_CUE_PHASES = PHASES[:-1]  # every phase but "unknown" has cues
# How far before a cue a negator is looked for (characters).
_NEGATION_REACH = 80
# How far after the trigger a cue can still have it as its subject (characters).
_PREDICATE_REACH = 80
# Evidence sentences are at most settings.MAX_SENTENCE_CHARS long; of a longer text only this
# much around the trigger (or from the start) is read, so the cost stays bounded.
_MAX_READ = 4_000
_WHITESPACE = re.compile(r"\s")


class PhaseFile(_Strict):
    """lexicons/phases.yaml: phase cues and the rules that choose among them (documented
    there)."""

    precedence: list[str]
    stance_phases: dict[str, list[str]]
    cues: dict[str, list[str]]
    ignore: list[str]
    negators: list[str]
    fillers: list[str]
    boundaries: list[str]
    asides: list[str]
    anaphora: list[str]
    own_predicate: str
    attach_chars: int

    @field_validator("ignore", "negators", "fillers", "boundaries", "asides", "anaphora")
    @classmethod
    def _patterns_compile(cls, values: list[str]) -> list[str]:
        return _check_regexes(values)

    @field_validator("own_predicate")
    @classmethod
    def _pattern_compiles(cls, value: str) -> str:
        return _check_regexes([value])[0]

    @model_validator(mode="after")
    def _consistent(self) -> PhaseFile:
        if sorted(self.precedence) != sorted(_CUE_PHASES):
            raise ValueError(f"precedence must order exactly {list(_CUE_PHASES)}")
        if set(self.cues) != set(_CUE_PHASES):
            raise ValueError(f"cues must have exactly the groups {list(_CUE_PHASES)}")
        for patterns in self.cues.values():
            _check_regexes(patterns)
        if set(self.stance_phases) != set(STANCES):
            raise ValueError(f"stance_phases must list every stance {list(STANCES)}")
        for stance, phases in self.stance_phases.items():
            unknown = set(phases) - set(_CUE_PHASES)
            if unknown:
                raise ValueError(f"stance_phases.{stance}: unknown phases {sorted(unknown)}")
        if self.attach_chars < 0:
            raise ValueError("attach_chars must be >= 0")
        return self


@dataclass(frozen=True, slots=True)
class _Rules:
    """phases.yaml compiled once per process."""

    cues: tuple[tuple[str, re.Pattern[str]], ...]  # (phase, one alternation per phase)
    rank: dict[str, int]
    allowed: dict[str, frozenset[str]]
    ignore: re.Pattern[str]
    negated: re.Pattern[str]
    boundaries: re.Pattern[str]
    asides: re.Pattern[str]
    anaphora: re.Pattern[str]
    own_predicate: re.Pattern[str]
    attach_chars: int


def _alternation(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


@lru_cache(maxsize=1)
def rules() -> _Rules:
    """The phase lexicon, validated against PhaseFile and compiled (once per process)."""
    data: PhaseFile = _validated("phases.yaml", PhaseFile, _load("phases.yaml"))
    flags = re.IGNORECASE
    return _Rules(
        cues=tuple((phase, re.compile(rf"\b(?:{_alternation(data.cues[phase])})\b", flags))
                   for phase in data.precedence),
        rank={phase: i for i, phase in enumerate(data.precedence)},
        allowed={s: frozenset(p) for s, p in data.stance_phases.items()},
        ignore=re.compile(rf"\b(?:{_alternation(data.ignore)})\b", flags),
        negated=re.compile(rf"(?:{_alternation(data.negators)})"
                           rf"(?:\s+(?:{_alternation(data.fillers)})\b)*\s*$", flags),
        boundaries=re.compile(_alternation(data.boundaries), flags),
        asides=re.compile(_alternation(data.asides), flags),
        anaphora=re.compile(_alternation(data.anaphora), flags),
        own_predicate=re.compile(data.own_predicate, flags),
        attach_chars=data.attach_chars,
    )


@dataclass(frozen=True, slots=True)
class _Cue:
    """A live (not negated) phase cue in the trigger's window."""

    phase: str
    start: int
    end: int
    attached: bool  # inside an aside that describes the trigger


@dataclass(frozen=True, slots=True)
class _Window:
    """The part of the sentence whose cues can bear on the trigger."""

    start: int
    end: int
    excluded: tuple[tuple[int, int], ...] = ()  # asides about something else
    attached: tuple[tuple[int, int], ...] = ()  # asides that describe the trigger


def _normalise(sentence: str, ignore: re.Pattern[str]) -> str:
    """ASCII quotes and dashes, one space per whitespace character, idioms blanked: the
    same length as `sentence`, so the trigger's offsets still hold."""
    text = _WHITESPACE.sub(" ", fold_typography(sentence))
    return ignore.sub(lambda m: " " * len(m.group()), text)


def _window(text: str, span: tuple[int, int] | None, r: _Rules) -> _Window:
    """The trigger's clause, its unrelated asides left out; without a span, the main clause
    (the whole sentence minus its asides)."""
    lo, hi = 0, len(text)
    if span is not None:
        start, end = span
        for match in r.boundaries.finditer(text):
            if match.end() <= start:
                lo = max(lo, match.end())
            elif match.start() >= end:
                hi = min(hi, match.start())
                break
    excluded: list[tuple[int, int]] = []
    attached: list[tuple[int, int]] = []
    for match in r.asides.finditer(text, lo, hi):
        a, b = match.start(), min(match.end(), hi)
        if span is not None:
            if a <= span[0] and span[1] <= b:
                return _Window(a, b)  # the trigger sits in the aside: it is its clause
            if 0 <= a - span[1] <= r.attach_chars:
                attached.append((a, b))  # "F-16s, the first of which arrived ..."
                continue
        excluded.append((a, b))
    return _Window(lo, hi, tuple(excluded), tuple(attached))


def _cues(text: str, window: _Window, r: _Rules) -> tuple[list[_Cue], bool]:
    """The live cues of the window, in text order; and whether it held any cue at all
    (a negated one included: "has not delivered" says something, so no fallback)."""
    live: list[_Cue] = []
    seen = False
    for phase, regex in r.cues:
        for match in regex.finditer(text, window.start, window.end):
            where = match.start()
            if any(a <= where < b for a, b in window.excluded):
                continue
            seen = True
            if r.negated.search(text, max(window.start, where - _NEGATION_REACH), where):
                continue
            live.append(_Cue(phase, where, match.end(),
                             any(a <= where < b for a, b in window.attached)))
    live.sort(key=lambda c: (c.start, c.end))
    return live, seen


def _takes_up(text: str, cue: _Cue, span: tuple[int, int], end: int, r: _Rules) -> bool:
    """Does a cue after the trigger speak of the trigger itself (see phases.yaml, 5c)?"""
    if cue.attached or (cue.start - span[1] <= _PREDICATE_REACH and
                        r.own_predicate.fullmatch(text, span[1], cue.start)):
        return True
    return r.anaphora.match(text, cue.end, end) is not None


def _choose(text: str, cues: list[_Cue], span: tuple[int, int] | None, end: int,
            allowed: frozenset[str], r: _Rules) -> str:
    """One phase from the live cues, by the rules of phases.yaml (step 5)."""
    cues = [c for c in cues if c.phase in allowed]
    if not cues:
        return "unknown"
    def first(found: list[_Cue]) -> str:
        return min((c.phase for c in found), key=r.rank.__getitem__)
    if span is None:
        return first(cues)
    if any(c.phase == "withdrawn" for c in cues):
        return "withdrawn"
    before = [c for c in cues if c.start < span[0]]
    after = [c for c in cues if c.start >= span[0]]
    if not before:
        return first(after)
    nearest = max(c.end for c in before)
    phase = first([c for c in before if c.end == nearest])
    later = [c for c in after if r.rank[c.phase] < r.rank[phase] and
             _takes_up(text, c, span, end, r)]
    return first(later) if later else phase


def _clip(sentence: str, span: tuple[int, int] | None
          ) -> tuple[str, tuple[int, int] | None]:
    """At most _MAX_READ characters of an over-long text: around the trigger, else the start
    (cut at spaces, so no word is split)."""
    if span is None:
        cut = sentence.rfind(" ", 0, _MAX_READ)
        return sentence[:cut if cut > 0 else _MAX_READ], None
    centre = (span[0] + span[1]) // 2
    lo = max(0, min(span[0], centre - _MAX_READ // 2))
    hi = min(len(sentence), max(span[1], centre + _MAX_READ // 2))
    if lo > 0:
        space = sentence.find(" ", lo, span[0])
        lo = space + 1 if space >= 0 else lo
    if hi < len(sentence):
        space = sentence.rfind(" ", span[1], hi)
        hi = space if space >= 0 else hi
    return sentence[lo:hi], (span[0] - lo, span[1] - lo)


def phase_of(sentence: str, stance: str, trigger_span: tuple[int, int] | None = None) -> str:
    """The phase of a stance (one of PHASES) from its evidence sentence.

    Args:
        sentence: the evidence sentence, as in the record (typography is folded here).
        stance: the record's stance (one of model.STANCES); only a commitment has a phase,
            and a refusal or paused commitment can only be "withdrawn" (see phases.yaml).
        trigger_span: character offsets of the contribution trigger in `sentence`, when known:
            the cues of the trigger's own clause are read, the one governing it first.
    Returns:
        "announced", "pledged", "delivered", "withdrawn" or "unknown".
    Raises:
        ValueError: for a stance that is not in model.STANCES, or a span outside the sentence.
    """
    r = rules()
    if stance not in r.allowed:
        raise ValueError(f"unknown stance {stance!r}")
    allowed = r.allowed[stance]
    if trigger_span is not None:
        start, end = trigger_span
        if not 0 <= start <= end <= len(sentence):
            raise ValueError(f"trigger span {trigger_span!r} outside a sentence of "
                             f"{len(sentence)} characters")
    if not allowed or not sentence:
        return "unknown"
    if len(sentence) > _MAX_READ:
        sentence, trigger_span = _clip(sentence, trigger_span)
    text = _normalise(sentence, r.ignore)
    window = _window(text, trigger_span, r)
    cues, seen = _cues(text, window, r)
    if not seen and trigger_span is not None:
        # Nothing in the trigger's clause ("...; the troops will be based in the west"):
        # the main clause of the sentence speaks for it.
        window = _window(text, None, r)
        cues, _ = _cues(text, window, r)
        trigger_span = None
    return _choose(text, cues, trigger_span, window.end, allowed, r)


__all__ = ["PHASES", "PhaseFile", "phase_of", "rules"]
