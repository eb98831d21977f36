"""Does `pledgewatch extract` keep the same memory whatever the size of its input?

Why this exists: `extract` streams. Readers yield one document at a time, extraction works in
batches of a fixed size, JSON records are written as they come, and the deduplicator keeps
only the last `DEDUPE_WINDOW` (10,000) new stories. So peak memory should not depend on how
many documents the input holds. This script checks that from outside, the way a user runs
the tool: for each corpus size it runs `pledgewatch extract CORPUS > /dev/null` as a child
process and measures

  * the child's own peak RSS (ru_maxrss from `os.wait4` on that one child, so several
    children in a row do not blur together as they do with RUSAGE_CHILDREN), plus its
    current RSS (VmRSS polled from /proc) at 25/50/75% of the run, which shows whether it
    levels off or keeps climbing;
  * wall time and documents/s (model loading included);
  * the summary line pledgewatch prints on stderr (`pledgewatch: done: ...`).

At the end it prints the peak RSS at the largest size divided by the peak at the smallest
(flat memory: close to 1.0). Some growth is expected and fine: the deduplicator remembers up
to 10,000 stories (MinHash signature, digest and LSH entries, about 10 KB each, so up to
~100 MB) and only stops growing once that window is full. Below 10,000 new stories part of
the growth is therefore the window filling, not a leak; past it, growth should stop. A
one-document run is measured first to show the baseline (interpreter + spaCy model).

Corpora are generated with a seeded RNG and streamed to a temporary folder (never built in
memory). Each document looks like a news article of 5-15 paragraphs: a headline, one
on-topic text (a paragraph of tests/data/stance_cases.jsonl, or a run of paragraphs of
tests/data/holdout_articles.jsonl) placed among paragraphs of benchmarks/data/general_news.jsonl
(off-topic copy we wrote). Each general paragraph keeps a random subset of its sentences
and gets new numbers, and every document has its own dateline and a generated paragraph, so
the deduplicator sees distinct stories. About 5% of documents (--copies) repeat a recent
document: half exact re-posts, half syndicated copies (other headline, a footer,
re-wrapped lines), so duplicate detection runs too. Formats: jsonl (one file), jsonl.gz, or
folder (N files in nested sub-folders, 3 in 4 plain .txt and 1 in 4 .html pages with
navigation and a footer).

Usage:
    python benchmarks/ingest_memory.py [--sizes 1000 10000] [--format jsonl|jsonl.gz|folder ...]
                                       [--quick] [--keep] [--copies 0.05] [--seed 11]
"""
from __future__ import annotations

import argparse
import gzip
import html
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CASES = REPO / "tests" / "data" / "stance_cases.jsonl"
HOLDOUT = REPO / "tests" / "data" / "holdout_articles.jsonl"
GENERAL = REPO / "benchmarks" / "data" / "general_news.jsonl"
FORMATS = ("jsonl", "jsonl.gz", "folder")

CITIES = ("LONDON", "PARIS", "BERLIN", "WARSAW", "BRUSSELS", "ROME", "MADRID", "OSLO",
          "STOCKHOLM", "HELSINKI", "VILNIUS", "RIGA", "TALLINN", "PRAGUE", "VIENNA",
          "LISBON", "DUBLIN", "COPENHAGEN", "AMSTERDAM", "ATHENS", "BUCHAREST", "SOFIA")
AGENCIES = ("Reuters", "AP", "AFP", "dpa", "Bloomberg")
MONTHS = ("Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct",
          "Nov", "Dec")
FIRST = ("Anna", "Marek", "Sofia", "Lukas", "Elena", "Tomas", "Ingrid", "Pieter", "Clara",
         "Jonas", "Mira", "Henrik", "Laura", "Nikos", "Eva", "Stefan", "Ruth", "Oskar")
LAST = ("Novak", "Lindqvist", "Moretti", "Kowalski", "Dupont", "Jansen", "Horvath",
        "Petrova", "Brennan", "Silva", "Keller", "Andersen", "Varga", "Costa", "Weber")
TOPICS = ("the regional budget", "a rail strike", "the port expansion", "school funding",
          "a water tariff", "the housing plan", "a hospital merger", "the tram contract",
          "farm subsidies", "a stadium lease", "the energy levy", "broadband roll-out")
HEADLINES = ("Leaders weigh next steps", "Ministers meet as talks go on", "What we know so far",
             "Allies set out plans", "Day of talks ends", "Officials brief reporters")
FOOTERS = ("Reporting by staff; editing by the desk.", "Read more on our site.",
           "Follow us for the latest news.", "Additional reporting by wire services.")

# Numbers to vary: not years (1900-2099) and not ordinals ("27th").
_NUMBER = re.compile(r"(?<![\d.,])(?!(?:19|20)\d\d\b)\d+(?!\d|st\b|nd\b|rd\b|th\b)")
# A sentence ends at . ! or ? (perhaps inside a closing quote) before a capital or a quote.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\u201d\"]))\s+(?=[A-Z\u201c\"])")
# A wire dateline: "BUCHAREST, March 4 (Reuters) - ", "OSLO (Reuters) - ", "LJUBLJANA - ".
_DATELINE = re.compile(r"^[A-Z][A-Z ./'-]+(?:, [A-Z][\w.]*(?: [\w.]+){0,2})?(?: \([^)]{1,40}\))?"
                       r" [-\u2013\u2014] ")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Dr|Mr|Mrs|Ms|St|Gen|Sen|Gov|Jr|Inc|Co|No)|\b[A-Z]|U\.S|U\.K)\.$")


def _sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph (a split after "Dr." or "U.S." is undone)."""
    out: list[str] = []
    for piece in _SENTENCE_END.split(paragraph):
        if out and _ABBREVIATION.search(out[-1]):
            out[-1] += " " + piece
        else:
            out.append(piece)
    return out


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


@dataclass(slots=True)
class Pools:
    """The texts documents are made of (a few hundred KB: the corpus itself is streamed)."""

    on_topic: list[list[str]]  # each: the paragraphs of one on-topic text
    general: list[list[str]]   # each: the sentences of one general-news paragraph

    @classmethod
    def load(cls) -> Pools:
        on_topic = [[_DATELINE.sub("", obj["text"].strip())] for obj in _read_jsonl(CASES)]
        for obj in _read_jsonl(HOLDOUT):
            paragraphs = [p.strip() for p in obj["text"].split("\n\n") if p.strip()]
            if obj.get("title") and paragraphs and paragraphs[0] == obj["title"].strip():
                paragraphs = paragraphs[1:]  # the headline is generated per document
            on_topic.append([_DATELINE.sub("", p) for p in paragraphs])
        general = [_sentences(_DATELINE.sub("", obj["text"].strip()))
                   for obj in _read_jsonl(GENERAL)]
        return cls(on_topic, general)


@dataclass(slots=True)
class Article:
    id: str
    date: str
    title: str
    paragraphs: list[str]
    kind: str = "new"  # "new" | "exact" | "near"

    @property
    def text(self) -> str:
        return "\n\n".join([self.title, *self.paragraphs])


def _vary_numbers(rng: random.Random, text: str) -> str:
    """Every number in the text replaced by another of the same number of digits."""
    def repl(match: re.Match[str]) -> str:
        digits = len(match.group())
        return str(rng.randint(10 ** (digits - 1) if digits > 1 else 0, 10 ** digits - 1))
    return _NUMBER.sub(repl, text)


def _general_paragraph(rng: random.Random, pools: Pools) -> str:
    sentences = rng.choice(pools.general)
    if len(sentences) > 2:
        keep = rng.randint(2, len(sentences))
        chosen = sorted(rng.sample(range(len(sentences)), keep))
        sentences = [sentences[i] for i in chosen]
    return _vary_numbers(rng, " ".join(sentences))


def _own_paragraph(rng: random.Random, number: int) -> str:
    """A paragraph no other document has (names, figures and the document number)."""
    who = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    return (f"In other news from the city, council member {who} said on the record that the "
            f"vote on {rng.choice(TOPICS)} would move to session {number}, after "
            f"{rng.randint(3, 97)} amendments were filed and {rng.randint(2, 40)} residents "
            f"spoke at a hearing that ran past {rng.randint(7, 11)} p.m. "
            f"A second reading is set for {rng.choice(MONTHS)} {rng.randint(1, 28)}.")


def _new_article(rng: random.Random, pools: Pools, number: int) -> Article:
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    on_topic = rng.choice(pools.on_topic)
    if len(on_topic) > 1:  # a run of 1-4 paragraphs of a full article
        size = rng.randint(1, min(4, len(on_topic)))
        start = rng.randint(0, len(on_topic) - size)
        on_topic = on_topic[start:start + size]
    total = rng.randint(5, 15)
    general = [_general_paragraph(rng, pools) for _ in range(max(1, total - len(on_topic) - 1))]
    body = general + [_own_paragraph(rng, number)]
    rng.shuffle(body)
    at = rng.randint(0, min(2, len(body)))  # on-topic copy near the top, as in a real story
    body[at:at] = list(on_topic)
    dateline = (f"{rng.choice(CITIES)}, {MONTHS[month - 1]} {day} "
                f"({rng.choice(AGENCIES)}) - ")
    body[0] = dateline + body[0]
    title = f"{rng.choice(HEADLINES)} ({number})"
    return Article(f"doc{number:07d}", f"2025-{month:02d}-{day:02d}", title, body)


def _copy_of(rng: random.Random, original: Article, number: int) -> Article:
    """An exact re-post, or the story as another site runs it."""
    if rng.random() < 0.5:
        return Article(f"doc{number:07d}", original.date, original.title,
                       list(original.paragraphs), "exact")
    paragraphs = list(original.paragraphs)
    if len(paragraphs) > 5 and rng.random() < 0.3:
        paragraphs = paragraphs[:-1]  # last paragraph cut
    paragraphs = [textwrap.fill(p, rng.randint(55, 90)) for p in paragraphs]
    paragraphs.append(rng.choice(FOOTERS))
    return Article(f"doc{number:07d}", original.date, f"{rng.choice(HEADLINES)} - update",
                   paragraphs, "near")


def articles(size: int, seed: int, copies: float, pools: Pools) -> Iterator[Article]:
    """A deterministic stream of `size` articles, about `copies` of them repeats of a recent
    one. Only the last 200 articles are held (the pool copies are drawn from)."""
    rng = random.Random(seed)
    recent: deque[Article] = deque(maxlen=200)
    for number in range(size):
        if recent and rng.random() < copies:
            yield _copy_of(rng, rng.choice(recent), number)
            continue
        article = _new_article(rng, pools, number)
        recent.append(article)
        yield article


def _html_page(article: Article) -> str:
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(article.title)} | Daily Wire</title>"
            f"<meta property=\"article:published_time\" content=\"{article.date}\"></head>\n"
            f"<body><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a> "
            f"<a href=\"/sport\">Sport</a></nav>\n<article><h1>{html.escape(article.title)}"
            f"</h1>\n{paragraphs}\n</article>\n<footer>&copy; 2025 Daily Wire. All rights "
            f"reserved. <a href=\"/privacy\">Privacy</a></footer></body></html>\n")


@dataclass(slots=True)
class Corpus:
    path: Path
    docs: int = 0
    bytes: int = 0
    kinds: dict[str, int] = field(default_factory=lambda: {"new": 0, "exact": 0, "near": 0})


def write_corpus(folder: Path, size: int, fmt: str, seed: int, copies: float,
                 pools: Pools) -> Corpus:
    """Write `size` articles to `folder` in format `fmt`, one at a time."""
    stream = articles(size, seed, copies, pools)
    if fmt in ("jsonl", "jsonl.gz"):
        corpus = Corpus(folder / f"corpus-{size}.{fmt}")
        opener = gzip.open if fmt == "jsonl.gz" else open
        with opener(corpus.path, "wt", encoding="utf-8") as out:
            for article in stream:
                out.write(json.dumps({"id": article.id, "date": article.date,
                                      "title": article.title, "text": article.text},
                                     ensure_ascii=False) + "\n")
                corpus.docs += 1
                corpus.kinds[article.kind] += 1
        corpus.bytes = corpus.path.stat().st_size
        return corpus
    corpus = Corpus(folder / f"corpus-{size}")
    for number, article in enumerate(stream):
        sub = corpus.path / f"{number // 1000:03d}" / f"{number // 100 % 10}"
        sub.mkdir(parents=True, exist_ok=True)
        if number % 4 == 3:
            path, content = sub / f"{article.id}.html", _html_page(article)
        else:
            path, content = sub / f"{article.id}.txt", article.text + "\n"
        path.write_text(content, encoding="utf-8")
        corpus.docs += 1
        corpus.bytes += len(content.encode("utf-8"))
        corpus.kinds[article.kind] += 1
    return corpus


@dataclass(slots=True)
class Measure:
    wall: float
    peak_mb: float
    samples: list[tuple[float, float]]  # (seconds since start, VmRSS MB)
    code: int
    summary: str
    stderr_tail: list[str]

    def rss_at(self, share: float) -> float | None:
        """VmRSS at the sample closest to `share` of the wall time."""
        if not self.samples:
            return None
        target = share * self.wall
        return min(self.samples, key=lambda s: abs(s[0] - target))[1]


def _vm_rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return None


def run_extract(command: list[str], target: Path, interval: float) -> Measure:
    """Run `pledgewatch extract target > /dev/null` and measure that one child."""
    samples: list[tuple[float, float]] = []
    with tempfile.TemporaryFile(mode="w+b") as err:
        start = time.perf_counter()
        proc = subprocess.Popen([*command, "extract", str(target)],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=err)
        done = threading.Event()

        def poll() -> None:
            while not done.wait(interval):
                rss = _vm_rss_mb(proc.pid)
                if rss is not None:
                    samples.append((time.perf_counter() - start, rss))

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        poller.join()
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").splitlines()
    # ru_maxrss: kilobytes on Linux, bytes on macOS.
    peak = usage.ru_maxrss / 2**20 if sys.platform == "darwin" else usage.ru_maxrss / 1024
    summary = next((line for line in reversed(lines) if line.startswith("pledgewatch: done:")),
                   "(no summary line)")
    return Measure(wall, peak, samples, proc.returncode, summary, lines[-5:])


def _pledgewatch_command() -> list[str]:
    script = Path(sys.executable).with_name("pledgewatch")
    if script.exists():
        return [str(script)]
    found = shutil.which("pledgewatch")
    return [found] if found else [sys.executable, "-m", "pledgewatch"]


def _mb(value: float | None) -> str:
    return f"{value:7.0f}" if value is not None else "      -"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=None,
                        help="corpus sizes in documents (default: 1000 10000)")
    parser.add_argument("--format", dest="formats", nargs="+", choices=FORMATS,
                        default=["jsonl"], help="corpus format(s); each size runs in each")
    parser.add_argument("--quick", action="store_true", help="sizes 200 and 2000")
    parser.add_argument("--keep", action="store_true", help="keep the corpus folder")
    parser.add_argument("--copies", type=float, default=0.05,
                        help="share of documents that repeat a recent one")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--interval", type=float, default=0.25,
                        help="seconds between RSS samples of the child")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the one-document run")
    args = parser.parse_args(argv)
    sizes = args.sizes or ([200, 2000] if args.quick else [1000, 10_000])

    command = _pledgewatch_command()
    pools = Pools.load()
    workdir = Path(tempfile.mkdtemp(prefix="pledgewatch-ingest-memory-"))
    print(f"command: {' '.join(command)} extract CORPUS > /dev/null")
    print(f"corpora in {workdir}{' (kept)' if args.keep else ''}; seed {args.seed}, "
          f"copies {args.copies:.0%}; pools: {len(pools.on_topic)} on-topic texts, "
          f"{len(pools.general)} general paragraphs")
    rows: list[tuple[str, int, str, Corpus, Measure]] = []
    try:
        if not args.no_baseline:
            (workdir / "baseline").mkdir()
            corpus = write_corpus(workdir / "baseline", 1, "jsonl", args.seed, 0.0, pools)
            measure = run_extract(command, corpus.path, args.interval)
            rows.append(("baseline", 1, "jsonl", corpus, measure))
            print(f"baseline (1 document): peak RSS {measure.peak_mb:.0f} MB, "
                  f"{measure.wall:.1f} s")
        for fmt in args.formats:
            for size in sizes:
                folder = workdir / f"{fmt}-{size}"
                folder.mkdir()
                began = time.perf_counter()
                corpus = write_corpus(folder, size, fmt, args.seed, args.copies, pools)
                written = time.perf_counter() - began
                print(f"-- {fmt} {size}: wrote {corpus.docs} documents, "
                      f"{corpus.bytes / 2**20:.1f} MB in {written:.1f} s (new "
                      f"{corpus.kinds['new']}, exact copies {corpus.kinds['exact']}, near "
                      f"copies {corpus.kinds['near']}); extracting...", flush=True)
                measure = run_extract(command, corpus.path, args.interval)
                rows.append((f"{fmt}-{size}", size, fmt, corpus, measure))
                print(f"   exit {measure.code}, {measure.wall:.1f} s, peak RSS "
                      f"{measure.peak_mb:.0f} MB; {measure.summary}", flush=True)
                if measure.code != 0:
                    print("   stderr tail:\n     " + "\n     ".join(measure.stderr_tail))
                if not args.keep:
                    shutil.rmtree(folder, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    print()
    print(f"{'size':>7} {'format':>9} {'docs':>7} {'input MB':>9} {'wall s':>8} {'docs/s':>8} "
          f"{'peak MB':>8} {'RSS@25%':>8} {'RSS@50%':>8} {'RSS@75%':>8}")
    for label, size, fmt, corpus, m in rows:
        shown = "1" if label == "baseline" else str(size)
        print(f"{shown:>7} {fmt:>9} {corpus.docs:>7} {corpus.bytes / 2**20:9.1f} "
              f"{m.wall:8.1f} {corpus.docs / m.wall:8.1f} {m.peak_mb:8.0f} "
              f"{_mb(m.rss_at(0.25)):>8} {_mb(m.rss_at(0.5)):>8} {_mb(m.rss_at(0.75)):>8}")
    for label, _, _, _, m in rows:
        print(f"  {label}: {m.summary}")
    for fmt in args.formats:
        runs = sorted((size, m) for label, size, f, _, m in rows
                      if f == fmt and label != "baseline")
        if len(runs) >= 2:
            (small, m_small), (large, m_large) = runs[0], runs[-1]
            print(f"{fmt}: peak RSS at {large} docs / at {small} docs = "
                  f"{m_large.peak_mb / m_small.peak_mb:.2f} "
                  f"({m_small.peak_mb:.0f} MB -> {m_large.peak_mb:.0f} MB, "
                  f"{large / small:.0f}x the documents)")
    print("(the deduplicator's window of 10,000 stories, ~10 KB each, may add up to ~100 MB "
          "until it is full)")
    return 0 if all(m.code == 0 for *_, m in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
