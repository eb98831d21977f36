"""Find mentions of countries and IGOs in text: names, demonyms, capitals, institutions.

One compiled regex over the gazetteer (longest alternative first, case-sensitive, whole words)
runs over typographically folded text, so it is cheap enough for the pre-parse filter and gives
character offsets that map onto spaCy tokens afterwards.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pledgewatch import lexicons
from pledgewatch.ingest.decode import fold_typography


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of text that names an actor."""

    start: int
    end: int
    code: str
    kind: str  # name | demonym | capital | institution
    ambiguous: bool = False
    possessive: bool = False


@dataclass(frozen=True, slots=True)
class _Entry:
    code: str
    kind: str
    ambiguous: bool


class Gazetteer:
    """Regex-backed lookup of actor names (built once; see `gazetteer()`)."""

    def __init__(self, entries: list[lexicons.CountryEntry]) -> None:
        index: dict[str, _Entry] = {}
        for entry in entries:
            ambiguous = {fold_typography(a) for a in entry.ambiguous}
            for kind, surfaces in (("name", entry.aliases), ("demonym", entry.demonyms),
                                   ("capital", entry.capitals),
                                   ("institution", entry.institutions)):
                for surface in surfaces:
                    folded = fold_typography(surface)
                    index.setdefault(folded, _Entry(entry.code, kind, folded in ambiguous))
                    # "the Netherlands" is also written "Netherlands"; "The Hague" stays whole.
        self._index = index
        self.names = {entry.code: entry.name for entry in entries}
        self.kinds = {entry.code: entry.kind for entry in entries}
        alternatives = sorted(index, key=len, reverse=True)
        self._regex = re.compile(
            r"(?<![\w.-])(?:" + "|".join(map(re.escape, alternatives)) + r")(?![\w-])")

    def find(self, text: str) -> list[Mention]:
        """All mentions in `text` (already folded, or folded here: offsets are unchanged)."""
        folded = fold_typography(text)
        mentions = []
        for match in self._regex.finditer(folded):
            entry = self._index[match.group()]
            possessive = folded.startswith("'s", match.end()) or (
                folded.startswith("'", match.end()) and match.group().endswith("s"))
            mentions.append(Mention(match.start(), match.end(), entry.code, entry.kind,
                                    entry.ambiguous, possessive))
        return mentions

    def lookup(self, surface: str) -> str | None:
        """The code for an exact surface form, if any."""
        entry = self._index.get(fold_typography(surface))
        return entry.code if entry else None


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer."""
    return Gazetteer(lexicons.countries())
