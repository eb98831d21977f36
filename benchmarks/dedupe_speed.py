"""How fast is duplicate detection, and does its memory stay flat?

Why this exists: ingestion runs every document through `Deduplicator.check` before extraction,
so it must keep up with a feed (the aim is >= 500 docs/s for 400-word documents on one core)
and its memory must not grow with the stream (it remembers at most `window` stories).

The corpus is generated, deterministic and never stored: stories of --words words drawn from
a Zipf-distributed synthetic vocabulary, and among them syndicated copies of a recent story
(another headline, a site's footer, re-wrapped lines, curly quotes; sometimes the last
paragraph cut) and exact re-posts. The script prints the rate of `check` alone (generation
is not timed), how many copies it caught and how many new stories it wrongly called
duplicates, and the process RSS as the stream goes on (with --window smaller than --docs the
RSS must level off once the window is full).

Usage:
    python benchmarks/dedupe_speed.py [--docs 20000] [--words 400] [--copies 0.2]
                                      [--reposts 0.05] [--window N] [--seed 7]
"""
from __future__ import annotations

import argparse
import resource
import sys
import textwrap
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from pledgewatch.ingest.dedupe import Deduplicator
from pledgewatch.settings import DEDUPE_WINDOW, NEAR_DUPLICATE_THRESHOLD

HEADLINES = ("Minister says", "Government confirms", "Officials deny", "Talks continue on",
             "Parliament to vote on", "Leaders meet over")
FOOTERS = ("Reuters contributed to this report.", "Read more on our site.",
           "(Reporting by staff; editing by the desk)", "Follow us for the latest news.")


@dataclass(slots=True)
class Doc:
    id: str
    text: str
    copy_of: str | None  # the story this repeats (ground truth), None for a new story


def _status_mb(field: str) -> float | None:
    """A memory figure of this process from /proc/self/status (Linux), in MB."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1e3  # kB
    except OSError:
        pass
    return None


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB."""
    peak = _status_mb("VmHWM")
    if peak is not None:
        return peak
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux, bytes on macOS
    return maxrss / 1e6 if sys.platform == "darwin" else maxrss / 1e3


def rss_mb() -> float:
    """Current resident set size of this process, in MB (the peak where /proc is missing)."""
    current = _status_mb("VmRSS")
    return current if current is not None else peak_rss_mb()


def vocabulary(rng: np.random.Generator, size: int = 20_000) -> tuple[np.ndarray, np.ndarray]:
    """Random lower-case words and Zipf weights: a few very common words, a long tail."""
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    lengths = rng.integers(2, 11, size)
    words = np.array(["".join(rng.choice(letters, n)) for n in lengths])
    weights = 1.0 / np.arange(1, size + 1) ** 1.05
    return words, weights / weights.sum()


def new_story(rng: np.random.Generator, vocab: tuple[np.ndarray, np.ndarray], words: int) -> str:
    """Paragraphs of sentences of random words, with a quotation now and then."""
    drawn = rng.choice(vocab[0], size=words, p=vocab[1])
    paragraphs, sentence, paragraph = [], [], []
    for word in drawn:
        sentence.append(str(word))
        if len(sentence) >= rng.integers(12, 28):
            text = " ".join(sentence).capitalize() + "."
            paragraph.append(f'"{text}"' if rng.random() < 0.15 else text)
            sentence = []
            if len(paragraph) >= 3:
                paragraphs.append(" ".join(paragraph))
                paragraph = []
    paragraph.append(" ".join(sentence).capitalize() + "." if sentence else "")
    paragraphs.append(" ".join(paragraph).strip())
    return "\n\n".join(p for p in paragraphs if p)


def syndicated(rng: np.random.Generator, text: str) -> str:
    """The story as another site runs it."""
    paragraphs = text.split("\n\n")
    if len(paragraphs) > 4 and rng.random() < 0.3:
        paragraphs = paragraphs[:-1]  # the last paragraph cut
    body = "\n\n".join(textwrap.fill(p, int(rng.integers(50, 90))) for p in paragraphs)
    body = body.replace("'", "\u2019").replace('"', "\u201c", 1)
    headline = f"{HEADLINES[rng.integers(len(HEADLINES))]} {rng.integers(1000)}"
    return f"{headline}\n\n{body}\n\n{FOOTERS[rng.integers(len(FOOTERS))]}"


def corpus(docs: int, words: int, copies: float, reposts: float, seed: int) -> Iterator[Doc]:
    """A deterministic stream: new stories, syndicated copies and exact re-posts."""
    rng = np.random.default_rng(seed)
    vocab = vocabulary(rng)
    recent: deque[tuple[str, str]] = deque(maxlen=500)  # stories a copy may repeat
    for number in range(docs):
        doc_id, roll = f"d{number}", rng.random()
        if recent and roll < copies + reposts:
            original, text = recent[int(rng.integers(len(recent)))]
            yield Doc(doc_id, syndicated(rng, text) if roll < copies else text, original)
            continue
        text = new_story(rng, vocab, int(rng.integers(words * 3 // 4, words * 5 // 4 + 1)))
        recent.append((doc_id, text))
        yield Doc(doc_id, text, None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--words", type=int, default=400, help="mean words per story")
    parser.add_argument("--copies", type=float, default=0.2, help="share of syndicated copies")
    parser.add_argument("--reposts", type=float, default=0.05, help="share of exact re-posts")
    parser.add_argument("--window", type=int, default=DEDUPE_WINDOW)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    start_rss = rss_mb()
    dedupe = Deduplicator(window=args.window)
    checkpoint = max(1, args.docs // 5)
    elapsed, words_seen = 0.0, 0
    caught = missed = false_alarms = 0
    kinds = {"exact": 0, "near": 0}
    print(f"{args.docs} docs of ~{args.words} words, window {args.window}, "
          f"threshold {NEAR_DUPLICATE_THRESHOLD}; RSS at start {start_rss:.0f} MB")
    for number, doc in enumerate(corpus(args.docs, args.words, args.copies, args.reposts,
                                        args.seed), 1):
        words_seen += len(doc.text.split())
        began = time.perf_counter()
        found = dedupe.check(doc.id, doc.text)
        elapsed += time.perf_counter() - began
        if found is not None:
            kinds[found.kind] += 1
        if doc.copy_of is None:
            false_alarms += found is not None
        elif found is not None:
            caught += 1
        else:
            missed += 1  # a copy of a story the window no longer holds counts here too
        if number % checkpoint == 0:
            print(f"  {number:>9} docs  {number / elapsed:7.0f} docs/s  remembered "
                  f"{len(dedupe):>7}  RSS {rss_mb():7.1f} MB")
    copies_total = caught + missed
    print(f"check(): {args.docs / elapsed:.0f} docs/s, {words_seen / elapsed / 1e3:.0f}k words/s "
          f"({elapsed:.1f} s for {args.docs} docs, mean {words_seen / args.docs:.0f} words)")
    print(f"duplicates: caught {caught}/{copies_total} copies (exact {kinds['exact']}, "
          f"near {kinds['near']}), missed {missed}; new stories called duplicates: "
          f"{false_alarms}")
    grown = rss_mb() - start_rss
    print(f"memory: RSS grew {grown:.0f} MB for {len(dedupe)} remembered stories "
          f"(~{grown * 1e3 / max(1, len(dedupe)):.1f} KB each); peak RSS {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
