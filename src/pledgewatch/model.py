"""The records that flow through pledgewatch: one definition of each, used everywhere.

The extractor, the CLI, and later the store and the API all speak in these dataclasses, so
that a field added here is a field added to every output. `to_dict()` gives the JSON shape of
DESIGN.md section 3.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

CONTRIBUTIONS: tuple[str, ...] = (
    "troops", "peacekeeping", "weapons", "air_defence", "intelligence", "logistics",
    "training", "funding", "coalition_membership", "security_guarantee", "other",
)

# Pledge versus delivery (the Kiel Ukraine Support Tracker's distinction).
PHASES: tuple[str, ...] = ("announced", "pledged", "delivered", "withdrawn", "unknown")

# The precedence of DESIGN.md: when several stances apply to one claim, the first wins.
STANCES: tuple[str, ...] = (
    "ruled_out", "not_ruled_out", "reconsidering", "uncertain", "conditional",
    "considering", "leading", "committed",
)


def strongest_stance(candidates: set[str] | list[str]) -> str | None:
    """Pick the stance that DESIGN.md's precedence puts first among `candidates`."""
    for stance in STANCES:
        if stance in candidates:
            return stance
    return None


@dataclass(slots=True)
class Quantity:
    """An amount as written ("over 10,000 soldiers") with its parsed value and unit."""

    text: str
    value: float | None = None
    unit: str | None = None
    start: int = 0
    end: int = 0


@dataclass(slots=True)
class Stance:
    """One claim about one country's own position on one contribution."""

    country: str
    contribution: str
    stance: str
    evidence: str
    start: int
    end: int
    segment: int = 0
    quantity: str | None = None
    quantity_value: float | None = None
    quantity_unit: str | None = None
    target: str = "UKR"
    speaker: str | None = None
    speaker_role: str | None = None
    date: str | None = None
    confidence: float = 0.5
    # Pledge versus delivery, as the Kiel Ukraine Support Tracker separates them: announced,
    # pledged, delivered, withdrawn or unknown (read from the evidence sentence).
    phase: str = "unknown"

    def key(self) -> tuple[str, str, str]:
        """The triple the evaluation scores."""
        return (self.country, self.contribution, self.stance)


@dataclass(slots=True)
class Event:
    """A PLOVER-coded political event (filled by the event coder of a later issue)."""

    event_type: str
    actor: str | None
    recipient: str | None
    evidence: str
    start: int
    end: int
    segment: int = 0
    mode: str | None = None
    context: str | None = None
    date: str | None = None
    location: str | None = None
    confidence: float = 0.5


@dataclass(slots=True)
class Segment:
    """A self-contained part of a page: the main article or one teaser item."""

    index: int
    kind: str  # "article" | "teaser"
    title: str | None
    start: int
    end: int
    date: str | None = None


@dataclass(slots=True)
class ReadProblem:
    """An input item that could not be read (a malformed JSONL line, a page that timed out),
    with where it was and why: it becomes a failed entry, and the rest of the batch goes on."""

    source: str
    id: str
    reason: str


@dataclass(slots=True)
class SourceDocument:
    """A text as read from a source, before extraction."""

    id: str
    text: str
    source: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    author: str | None = None
    # Segments a structured reader already knows (an HTML page's article and related items),
    # as offsets into `text`. None: the extractor segments the plain text itself.
    segments: list[Segment] | None = None


@dataclass(slots=True)
class DocumentResult:
    """Everything extraction found in one document, or the reason it was skipped."""

    id: str
    source: str
    title: str | None
    published: str | None
    fingerprint: str
    segments: list[Segment] = field(default_factory=list)
    stances: list[Stance] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    skipped: str | None = None
    url: str | None = None
    author: str | None = None
    # The id of the earlier document this one repeats (same or nearly the same text): a
    # syndicated wire story is one story with several sources, so it is not extracted again.
    duplicate_of: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of DESIGN.md section 3 (optional keys only when set)."""
        data = asdict(self)
        for key in ("skipped", "url", "author", "duplicate_of"):
            if data[key] is None:
                del data[key]
        return data
