"""Resolution: from every stored statement to "who commits what" now, since when, and where
sources disagree; and each country's history of positions.

The rule (issue 4): a (country, contribution)'s current stance is its most recent dated
statement. Statements count by the date their sentence implies, else their document's date;
undated statements are older than any dated one. Several statements on the latest date are
weighed by the number of sources behind them, then by DESIGN.md's stance precedence (a
refusal outweighs a hedge). Statements of the same period (DISAGREEMENT_WINDOW_DAYS before
the latest one) that say something else make the entry "disputed". `as_of` replays the board
with only what was known by that date.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from pledgewatch.model import STANCES
from pledgewatch.settings import DISAGREEMENT_WINDOW_DAYS

# Stances that do not contradict each other: leading a mission is committing to it.
_COMPATIBLE = {frozenset({"leading", "committed"})}


@dataclass(slots=True)
class Statement:
    """One stored stance, as the board sees it."""

    country: str
    contribution: str
    stance: str
    phase: str
    when: str | None
    document_id: str
    sources: int
    evidence: str
    speaker: str | None = None
    speaker_role: str | None = None
    quantity: str | None = None
    url: str | None = None
    source: str | None = None
    title: str | None = None
    confidence: float = 0.5
    stance_id: int | None = None
    segment: int = 0
    start: int = 0
    end: int = 0

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Statement:
        return cls(country=row["country"], contribution=row["contribution"],
                   stance=row["stance"], phase=row.get("phase") or "unknown",
                   when=row.get("when"), document_id=row["document_id"],
                   sources=int(row.get("sources") or 1), evidence=row["evidence"],
                   speaker=row.get("speaker"), speaker_role=row.get("speaker_role"),
                   quantity=row.get("quantity"), url=row.get("url"), source=row.get("source"),
                   title=row.get("title"), confidence=float(row.get("confidence") or 0.5),
                   stance_id=row.get("id"), segment=row.get("segment") or 0,
                   start=row.get("start") or 0, end=row.get("end") or 0)


@dataclass(slots=True)
class BoardEntry:
    """The current position of one country on one contribution."""

    country: str
    contribution: str
    stance: str
    phase: str
    date: str | None
    sources: int  # distinct sources behind the current stance in its period
    statements: int  # all statements on this (country, contribution)
    speaker: str | None
    speaker_role: str | None
    evidence: str
    quantity: str | None
    url: str | None
    source: str | None
    document_id: str
    disputed: bool
    other_stances: list[str] = field(default_factory=list)  # what the same period also says
    stance_id: int | None = None  # the stored statement shown (its evidence)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _sort_key(statement: Statement) -> tuple:
    return (statement.when is not None, statement.when or "", statement.stance_id or 0)


def _period(statements: list[Statement]) -> list[Statement]:
    """The statements of the latest period: dated within the window before the latest date
    (or, if nothing is dated, all of them)."""
    latest = _day(statements[-1].when)
    if latest is None:
        return statements
    start = latest - timedelta(days=DISAGREEMENT_WINDOW_DAYS)
    return [s for s in statements if (_day(s.when) or date.min) >= start]


def _support(statements: Iterable[Statement]) -> int:
    """Sources behind a set of statements: each document's sources once."""
    per_document: dict[str, int] = {}
    for s in statements:
        per_document[s.document_id] = max(per_document.get(s.document_id, 0), s.sources)
    return sum(per_document.values())


def resolve(statements: Iterable[Statement]) -> list[BoardEntry]:
    """The board: one entry per (country, contribution), sorted by country then contribution."""
    groups: dict[tuple[str, str], list[Statement]] = defaultdict(list)
    for statement in statements:
        groups[(statement.country, statement.contribution)].append(statement)
    entries = []
    for (country, contribution), group in sorted(groups.items()):
        group.sort(key=_sort_key)
        latest_when = group[-1].when
        latest = [s for s in group if s.when == latest_when]
        by_stance: dict[str, list[Statement]] = defaultdict(list)
        for s in latest:
            by_stance[s.stance].append(s)
        current = max(by_stance, key=lambda st: (_support(by_stance[st]),
                                                 -STANCES.index(st)))
        backing = by_stance[current]
        best = max(backing, key=lambda s: (s.speaker is not None, s.confidence,
                                           s.stance_id or 0))
        period = _period(group)
        agreeing = [s for s in period if s.stance == current]
        others = sorted({s.stance for s in period if s.stance != current
                         and frozenset({s.stance, current}) not in _COMPATIBLE},
                        key=STANCES.index)
        phase = next((s.phase for s in reversed(agreeing) if s.phase != "unknown"), "unknown")
        entries.append(BoardEntry(
            country=country, contribution=contribution, stance=current, phase=phase,
            date=latest_when, sources=_support(agreeing), statements=len(group),
            speaker=best.speaker, speaker_role=best.speaker_role, evidence=best.evidence,
            quantity=next((s.quantity for s in reversed(agreeing) if s.quantity), None),
            url=best.url, source=best.source, document_id=best.document_id,
            disputed=bool(others), other_stances=others, stance_id=best.stance_id))
    return entries


@dataclass(slots=True)
class Change:
    """One step of a country's history on one contribution."""

    contribution: str
    date: str | None
    stance: str
    previous: str | None  # the stance before (None for the first statement)
    phase: str
    speaker: str | None
    evidence: str
    url: str | None
    source: str | None
    statements: int  # statements with this stance in a row

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def history(statements: Iterable[Statement]) -> dict[str, list[Change]]:
    """Per contribution, the positions in time order, one Change each time the stance
    changes (repeats of the same stance add to its statement count)."""
    groups: dict[str, list[Statement]] = defaultdict(list)
    for statement in statements:
        groups[statement.contribution].append(statement)
    timeline: dict[str, list[Change]] = {}
    for contribution, group in sorted(groups.items()):
        group.sort(key=_sort_key)
        changes: list[Change] = []
        for s in group:
            if changes and changes[-1].stance == s.stance:
                changes[-1].statements += 1
                continue
            changes.append(Change(contribution=contribution, date=s.when, stance=s.stance,
                                  previous=changes[-1].stance if changes else None,
                                  phase=s.phase, speaker=s.speaker, evidence=s.evidence,
                                  url=s.url, source=s.source, statements=1))
        timeline[contribution] = changes
    return timeline


def summarise_history(changes: list[Change]) -> str:
    """"2025-02-17 considering -> 2025-04-30 committed" (undated steps say "undated")."""
    return " -> ".join(f"{c.date or 'undated'} {c.stance}" for c in changes)
