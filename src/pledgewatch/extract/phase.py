"""Pledge versus delivery: the phase of a stance, read from its evidence sentence.

The Kiel Ukraine Support Tracker keeps apart what a country has announced, what it has
committed, and what it has actually handed over; a board that mixes "will send" with "has
sent" overstates the help. `phase_of` gives each stance one of PHASES from the cues of
lexicons/phases.yaml, which also documents how a phase is chosen when several cues match
(the trigger's clause, negation, then the furthest stage: withdrawn > delivered > pledged >
announced).

It is a pure function of the sentence: no parse, so it costs a few regex scans per stance.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pydantic import field_validator, model_validator

from pledgewatch.ingest.decode import fold_typography
from pledgewatch.lexicons import _Strict, _load, _validated
from pledgewatch.model import STANCES

PHASES: tuple[str, ...] = ("announced", "pledged", "delivered", "withdrawn", "unknown")

_CUE_PHASES = PHASES[:-1]  # every phase but "unknown" has cues
# How far before a cue a negator is looked for (characters).
_NEGATION_REACH = 80
_WHITESPACE = re.compile(r"\s")


def _compiles(values: list[str]) -> list[str]:
    for value in values:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"pattern {value[:60]!r}: {exc}") from None
    return values


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
    attach_chars: int

    @field_validator("ignore", "negators", "fillers", "boundaries", "asides")
    @classmethod
    def _patterns_compile(cls, values: list[str]) -> list[str]:
        return _compiles(values)

    @model_validator(mode="after")
    def _consistent(self) -> PhaseFile:
        if sorted(self.precedence) != sorted(_CUE_PHASES):
            raise ValueError(f"precedence must order exactly {list(_CUE_PHASES)}")
        if set(self.cues) != set(_CUE_PHASES):
            raise ValueError(f"cues must have exactly the groups {list(_CUE_PHASES)}")
        for patterns in self.cues.values():
            _compiles(patterns)
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
        attach_chars=data.attach_chars,
    )


def _normalise(sentence: str, ignore: re.Pattern[str]) -> str:
    """ASCII quotes and dashes, one space per whitespace character, idioms blanked: the
    same length as `sentence`, so the trigger's offsets still hold."""
    text = _WHITESPACE.sub(" ", fold_typography(sentence))
    return ignore.sub(lambda m: " " * len(m.group()), text)


def _window(text: str, span: tuple[int, int] | None,
            r: _Rules) -> tuple[int, int, list[tuple[int, int]]]:
    """The trigger's clause: (start, end, asides to leave out). Without a span: the whole
    sentence minus its asides."""
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
    for match in r.asides.finditer(text, lo, hi):
        a, b = match.start(), min(match.end(), hi)
        if span is not None:
            if a <= span[0] and span[1] <= b:
                return a, b, []  # the trigger sits in the aside: the aside is its clause
            if 0 <= a - span[1] <= r.attach_chars:
                continue  # the aside describes the trigger ("F-16s, the first of which ...")
        excluded.append((a, b))
    return lo, hi, excluded


def _cue_phases(text: str, lo: int, hi: int, excluded: list[tuple[int, int]],
                r: _Rules) -> tuple[set[str], bool]:
    """Phases of the cues in text[lo:hi] outside `excluded`, negated ones dropped; and
    whether any cue (negated or not) was seen at all."""
    found: set[str] = set()
    seen = False
    for phase, regex in r.cues:
        for match in regex.finditer(text, lo, hi):
            if any(a <= match.start() < b for a, b in excluded):
                continue
            seen = True
            before = text[max(lo, match.start() - _NEGATION_REACH):match.start()]
            if r.negated.search(before):
                continue
            found.add(phase)
            break  # one live cue per phase is enough
    return found, seen


def phase_of(sentence: str, stance: str, trigger_span: tuple[int, int] | None = None) -> str:
    """The phase of a stance (one of PHASES) from its evidence sentence.

    Args:
        sentence: the evidence sentence, as in the record (typography is folded here).
        stance: the record's stance (one of model.STANCES); only a commitment has a phase,
            and a refusal or paused commitment can only be "withdrawn" (see phases.yaml).
        trigger_span: character offsets of the contribution trigger in `sentence`, when known:
            the cues of the trigger's own clause are read first.
    Returns:
        "announced", "pledged", "delivered", "withdrawn" or "unknown".
    Raises:
        ValueError: for a stance that is not in model.STANCES, or a span outside the sentence.
    """
    r = rules()
    if stance not in r.allowed:
        raise ValueError(f"unknown stance {stance!r}")
    allowed = r.allowed[stance]
    if not allowed or not sentence:
        return "unknown"
    if trigger_span is not None:
        start, end = trigger_span
        if not 0 <= start <= end <= len(sentence):
            raise ValueError(f"trigger span {trigger_span!r} outside a sentence of "
                             f"{len(sentence)} characters")
    text = _normalise(sentence, r.ignore)
    lo, hi, excluded = _window(text, trigger_span, r)
    found, seen = _cue_phases(text, lo, hi, excluded, r)
    if not seen and trigger_span is not None:
        # Nothing in the trigger's clause ("...; the troops will be based in the west"):
        # the main clause of the sentence speaks for it.
        lo, hi, excluded = _window(text, None, r)
        found, _ = _cue_phases(text, lo, hi, excluded, r)
    found &= allowed
    if not found:
        return "unknown"
    return min(found, key=r.rank.__getitem__)


__all__ = ["PHASES", "PhaseFile", "phase_of", "rules"]
