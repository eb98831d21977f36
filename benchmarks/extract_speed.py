"""How fast is `extract` compared with running the full spaCy model over the same text?

Why this exists: extraction parses only the sentences that can hold a stance (a cheap
gazetteer and trigger pass picks them), and issue 2 asks for at least 3x the rate of a bare
`nlp.pipe` with the same records as a full parse. This script measures both claims:

  1. sentences/second of `extract_documents(...)` (default: candidate sentences only),
  2. sentences/second of `extract_documents(..., parse_all=True)`,
  3. sentences/second of a bare `nlp.pipe` of the full model over the same texts,

prints the ratio extract / bare pipe, and checks that runs 1 and 2 give the same set of
(doc id, segment, country, contribution, stance, start) records.

Two corpora, each repeated to about --sentences sentences (or exactly --repeat times):
  * on-topic: the texts of tests/data/stance_cases.jsonl, examples/coalition-page.txt and, when
    the folder exists, ../shared/dev/articles/*.txt (read in place, never copied). Nearly every
    sentence names a country and a contribution, so the filter can skip little here;
  * news stream: the same texts interleaved with --ratio paragraphs each of
    benchmarks/data/general_news.jsonl (off-topic wire copy we wrote, with distractors such as
    "market forces" and "coalition talks"), closer to what a feed delivers.
Every rate uses the same sentence count (`split_sentences` over each text), so the ratio is a
ratio of wall times.

Usage:
    python benchmarks/extract_speed.py [--sentences 3000] [--repeat N] [--runs 1] [--ratio 4]
                                       [--no-dev]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from pledgewatch.extract.document import extract_documents, split_sentences
from pledgewatch.model import SourceDocument
from pledgewatch.nlp.pipeline import load_parser
from pledgewatch.settings import PARSE_BATCH_SIZE

REPO = Path(__file__).resolve().parents[1]
CASES = REPO / "tests" / "data" / "stance_cases.jsonl"
SEED = REPO / "examples" / "coalition-page.txt"
DEV_ARTICLES = REPO.parent / "shared" / "dev" / "articles"
GENERAL = REPO / "benchmarks" / "data" / "general_news.jsonl"

Record = tuple[str, int, str, str, str, int]


def base_corpus(use_dev: bool) -> list[SourceDocument]:
    """One copy of every benchmark text."""
    docs: list[SourceDocument] = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if line.strip():
            obj = json.loads(line)
            docs.append(SourceDocument(id=str(obj["id"]), text=obj["text"], source=str(CASES),
                                       date=obj.get("date")))
    docs.append(SourceDocument(id="coalition-page", text=SEED.read_text(encoding="utf-8"),
                               source=str(SEED)))
    if use_dev and DEV_ARTICLES.is_dir():
        for path in sorted(DEV_ARTICLES.glob("*.txt")):
            docs.append(SourceDocument(id=f"dev-{path.stem}",
                                       text=path.read_text(encoding="utf-8"),
                                       source=str(path)))
    return docs


def repeated(docs: list[SourceDocument], copies: int) -> list[SourceDocument]:
    """`copies` copies of the corpus, each document with its own id."""
    return [SourceDocument(id=f"{d.id}#{n}", text=d.text, source=d.source, date=d.date)
            for n in range(copies) for d in docs]


def count_sentences(docs: list[SourceDocument]) -> int:
    """Sentences as the extractor's splitter sees them."""
    return sum(len(split_sentences(d.text)) for d in docs)


def records(docs: list[SourceDocument], parse_all: bool) -> set[Record]:
    """Run extraction and keep what the equivalence check compares (keyed by the id of the
    original text, so the copies of one text collapse into one set of records)."""
    found: set[Record] = set()
    for result in extract_documents(docs, parse_all=parse_all):
        base_id = result.id.rsplit("#", 1)[0]
        for s in result.stances:
            found.add((base_id, s.segment, s.country, s.contribution, s.stance, s.start))
    return found


def bare_pipe(docs: list[SourceDocument]) -> int:
    """The full model over every text, nothing else."""
    nlp = load_parser()
    tokens = 0
    for doc in nlp.pipe((d.text for d in docs), batch_size=PARSE_BATCH_SIZE):
        tokens += len(doc)
    return tokens


def timed(func: Callable[[], object], runs: int) -> tuple[float, object]:
    """Best wall time of `runs` calls, and the last call's value."""
    best, value = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        value = func()
        best = min(best, time.perf_counter() - start)
    return best, value


def general_news() -> list[SourceDocument]:
    """Off-topic wire paragraphs we wrote (sports, markets, weather...): most of a real feed."""
    docs = []
    for line in GENERAL.read_text(encoding="utf-8").splitlines():
        if line.strip():
            obj = json.loads(line)
            docs.append(SourceDocument(id=str(obj["id"]), text=obj["text"], source=str(GENERAL),
                                       date=obj.get("date")))
    return docs


def stream(on_topic: list[SourceDocument], general: list[SourceDocument],
           ratio: int) -> list[SourceDocument]:
    """A news stream: every on-topic text followed by `ratio` general paragraphs (cycled)."""
    out: list[SourceDocument] = []
    for n, doc in enumerate(on_topic):
        out.append(doc)
        for k in range(ratio):
            g = general[(n * ratio + k) % len(general)]
            out.append(SourceDocument(id=f"{g.id}~{n}-{k}", text=g.text, source=g.source,
                                      date=g.date))
    return out


def measure(label: str, base: list[SourceDocument], target: int, repeat: int | None,
            runs: int) -> None:
    """Time the three runs over `base` repeated to about `target` sentences and print them."""
    per_copy = count_sentences(base)
    copies = repeat or max(1, round(target / max(per_copy, 1)))
    corpus = repeated(base, copies)
    sentences = per_copy * copies
    chars = sum(len(d.text) for d in corpus)
    print(f"== {label}: {len(base)} texts x {copies} copies = {len(corpus)} documents, "
          f"{sentences} sentences, {chars} characters")

    t_extract, filtered = timed(lambda: records(corpus, parse_all=False), runs)
    t_all, full = timed(lambda: records(corpus, parse_all=True), runs)
    t_bare, _ = timed(lambda: bare_pipe(corpus), runs)

    rate_extract, rate_all, rate_bare = (sentences / t for t in (t_extract, t_all, t_bare))
    print(f"extract (candidate sentences): {rate_extract:10.1f} sentences/s  ({t_extract:.2f} s)")
    print(f"extract --parse-all:           {rate_all:10.1f} sentences/s  ({t_all:.2f} s)")
    print(f"bare nlp.pipe (full model):    {rate_bare:10.1f} sentences/s  ({t_bare:.2f} s)")
    print(f"ratio extract / bare pipe:     {rate_extract / rate_bare:10.2f}x")
    print(f"ratio parse-all / bare pipe:   {rate_all / rate_bare:10.2f}x")

    assert isinstance(filtered, set) and isinstance(full, set)
    same = filtered == full
    print(f"records: {len(filtered)} filtered, {len(full)} parse-all")
    print(f"records identical: {'yes' if same else 'no'}")
    if not same:
        for name, diff in (("filtered", filtered - full), ("parse-all", full - filtered)):
            print(f"only in {name} run ({len(diff)}):")
            for record in sorted(diff)[:40]:
                print(f"  {record}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=3000,
                        help="repeat each corpus until it has about this many sentences")
    parser.add_argument("--repeat", type=int, default=None,
                        help="use exactly this many copies of each corpus")
    parser.add_argument("--runs", type=int, default=1, help="timed runs each; best is kept")
    parser.add_argument("--ratio", type=int, default=4,
                        help="general-news paragraphs per on-topic text in the stream corpus")
    parser.add_argument("--no-dev", action="store_true",
                        help="leave out ../shared/dev/articles even when present")
    args = parser.parse_args(argv)

    base = base_corpus(use_dev=not args.no_dev)
    dev_note = "with" if (not args.no_dev and DEV_ARTICLES.is_dir()) else "without"
    print(f"on-topic texts: {len(base)} ({dev_note} shared dev articles)")
    # Warm-up: load both pipelines and touch every code path once.
    warm = base[: min(len(base), 20)]
    load_parser()
    records(warm, parse_all=False)
    records(warm, parse_all=True)
    bare_pipe(warm)

    measure("on-topic corpus (every text is about coalition support)", base, args.sentences,
            args.repeat, args.runs)
    measure(f"news stream (1 on-topic text : {args.ratio} general-news paragraphs)",
            stream(base, general_news(), args.ratio), args.sentences, args.repeat, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
