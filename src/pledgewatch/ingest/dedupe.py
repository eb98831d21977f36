"""Duplicate detection: one wire story syndicated by ten sites is one story with ten sources.

Exact duplicates share a `fingerprint` (the SHA-256 of the normalised text). Near duplicates
(the same story under another headline, with a site's own first line or footer, re-wrapped,
with other quote marks) share most of their word shingles: a MinHash signature estimates the
Jaccard similarity of two shingle sets, an LSH index finds the few remembered stories worth
comparing, and the estimate confirms or rejects each (LSH has false positives).

A `Deduplicator` remembers only the last `window` new stories, so its memory stays flat over
a stream of millions of documents.
"""
from __future__ import annotations

import hashlib
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from pledgewatch.ingest.decode import fold_typography
from pledgewatch.settings import (
    DEDUPE_WINDOW, LSH_WEIGHTS, MIN_SHINGLES_FOR_NEAR, MINHASH_BATCH_SHINGLES,
    MINHASH_PERMUTATIONS, MINHASH_SEED, NEAR_DUPLICATE_THRESHOLD, SHINGLE_WORDS)


def fingerprint(text: str) -> str:
    """SHA-256 of the text with typography and whitespace normalised (the document id of
    DESIGN.md, stable across curly/straight quotes and re-wrapped lines)."""
    normal = re.sub(r"\s+", " ", fold_typography(text)).strip().lower()
    return hashlib.sha256(normal.encode("utf-8", "surrogatepass")).hexdigest()


# An apostrophe inside a word goes ("don't" and "dont" are one word); other punctuation
# separates words, so "troops," and "troops" are the same word.
_INNER_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_WORD = re.compile(r"[^\W_]+")


def shingle_words(text: str) -> list[str]:
    """The words shingles are made of: typography folded, lower-case, no punctuation."""
    return _WORD.findall(_INNER_APOSTROPHE.sub("", fold_typography(text).lower()))


def shingles(words: list[str], size: int = SHINGLE_WORDS) -> Iterator[bytes]:
    """Runs of `size` consecutive words, as bytes for hashing (repeats included: MinHash
    ignores them)."""
    for start in range(len(words) - size + 1):
        yield " ".join(words[start:start + size]).encode("utf-8", "surrogatepass")


@dataclass(slots=True, frozen=True)
class Duplicate:
    """Why a document is not a new story: it repeats the story of `original`."""

    original: str      # id of the first document seen with this text
    kind: str          # "exact" | "near"
    similarity: float  # 1.0 for exact; estimated Jaccard of the word shingles for near


@dataclass(slots=True)
class _Story:
    doc_id: str
    digest: str
    signature: np.ndarray | None  # MinHash values; None: too short for near matching


class Deduplicator:
    """Tells, document by document, whether a text repeats a story seen recently.

    Only new stories are remembered (a duplicate adds a source, not a story), at most
    `window` of them; when full, the oldest is forgotten (FIFO). So a story syndicated again
    after `window` newer stories counts as new: memory stays bounded whatever the stream.

    Ids are the caller's: checking the same id twice with the same text returns an exact
    Duplicate whose `original` is that id (the caller decides whether that is a re-read or
    an error); the same id with a different text is a new story, remembered under the same
    id again.
    """

    def __init__(self, *, threshold: float = NEAR_DUPLICATE_THRESHOLD,
                 num_perm: int = MINHASH_PERMUTATIONS, window: int = DEDUPE_WINDOW) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        if window < 1:
            raise ValueError(f"window must be at least 1, got {window}")
        self.threshold = threshold
        self.num_perm = num_perm
        self.window = window
        # One template: its permutations are drawn once and shared by every copy.
        self._template = MinHash(num_perm=num_perm, seed=MINHASH_SEED)
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=LSH_WEIGHTS)
        # LSH keys are our sequence numbers, not doc ids: ids may repeat.
        self._stories: dict[int, _Story] = {}
        self._exact: dict[str, int] = {}
        self._order: deque[int] = deque()
        self._next = 0

    def __len__(self) -> int:
        """Documents (new stories) currently remembered."""
        return len(self._stories)

    def check(self, doc_id: str, text: str) -> Duplicate | None:
        """None if `text` is a new story (now remembered as `doc_id`); otherwise the
        Duplicate naming the remembered story it repeats (`doc_id` is not remembered).

        Exact matches win over near ones; among near candidates the most similar wins (the
        oldest on a tie). Texts with fewer than MIN_SHINGLES_FOR_NEAR shingles are matched
        exactly only.
        """
        digest = fingerprint(text)
        seq = self._exact.get(digest)
        if seq is not None:
            return Duplicate(self._stories[seq].doc_id, "exact", 1.0)
        minhash = self.minhash(text)
        if minhash is not None:
            found = self._nearest(minhash)
            if found is not None:
                return found
        self._remember(doc_id, digest, minhash)
        return None

    def minhash(self, text: str) -> MinHash | None:
        """The MinHash of the text's word shingles, or None if it has fewer than
        MIN_SHINGLES_FOR_NEAR of them."""
        words = shingle_words(text)
        if len(words) - SHINGLE_WORDS + 1 < MIN_SHINGLES_FOR_NEAR:
            return None
        minhash = self._template.copy()
        batch: list[bytes] = []
        for shingle in shingles(words):
            batch.append(shingle)
            if len(batch) >= MINHASH_BATCH_SHINGLES:
                minhash.update_batch(batch)
                batch = []
        minhash.update_batch(batch)
        return minhash

    def _nearest(self, minhash: MinHash) -> Duplicate | None:
        best_seq, best = -1, -1.0
        values = minhash.hashvalues
        for seq in self._lsh.query(minhash):
            similarity = np.count_nonzero(self._stories[seq].signature == values) / self.num_perm
            if similarity > best or (similarity == best and seq < best_seq):
                best_seq, best = seq, similarity
        if best < self.threshold:
            return None
        return Duplicate(self._stories[best_seq].doc_id, "near", float(best))

    def _remember(self, doc_id: str, digest: str, minhash: MinHash | None) -> None:
        seq = self._next
        self._next += 1
        self._stories[seq] = _Story(doc_id, digest,
                                    None if minhash is None else minhash.hashvalues)
        self._exact[digest] = seq
        self._order.append(seq)
        if minhash is not None:
            self._lsh.insert(seq, minhash, check_duplication=False)
        while len(self._order) > self.window:
            self._forget(self._order.popleft())

    def _forget(self, seq: int) -> None:
        story = self._stories.pop(seq)
        if self._exact.get(story.digest) == seq:
            del self._exact[story.digest]
        if story.signature is not None:
            self._lsh.remove(seq)


__all__ = ["Deduplicator", "Duplicate", "fingerprint", "shingle_words", "shingles"]
