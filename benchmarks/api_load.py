"""A bounded local load test of the API: requests per second and latency percentiles.

Starts `pledgewatch serve` on 127.0.0.1 (a free port) over a fresh SQLite store holding the
seed page (and, with --documents N, N generated documents more), then sends --requests GETs
from --clients concurrent clients (threads, one keep-alive connection each) to each endpoint
and prints, per endpoint: requests, errors, requests/s, p50, p95 and p99 latency in ms.
Nothing leaves the machine; the run is bounded by the request count.

    python benchmarks/api_load.py [--requests 2000] [--clients 8] [--documents 200]
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "examples" / "coalition-page.txt"
CLI = [sys.executable, "-m", "pledgewatch"]
COUNTRIES = ["Romania", "Bulgaria", "Poland", "Germany", "France", "Italy", "Spain", "Norway",
             "Sweden", "Finland", "Denmark", "Estonia", "Latvia", "Lithuania", "Canada"]
VERBS = ["will send troops to", "will not send troops to", "is considering sending troops to",
         "will provide air defence systems to", "has pledged funding for"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _corpus(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            out.write(json.dumps({
                "id": f"doc-{i}", "date": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
                "text": f"{COUNTRIES[i % len(COUNTRIES)]} {VERBS[(i // 7) % len(VERBS)]} "
                        f"Ukraine, its defence minister said in statement {i}."}) + "\n")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _load(base: str, path: str, requests: int, clients: int) -> dict:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    per_client = [requests // clients + (1 if i < requests % clients else 0)
                  for i in range(clients)]

    def worker(count: int) -> None:
        nonlocal errors
        mine, bad = [], 0
        with httpx.Client(base_url=base, timeout=30) as client:
            for _ in range(count):
                started = time.perf_counter()
                try:
                    response = client.get(path)
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                mine.append(time.perf_counter() - started)
                bad += not ok
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=worker, args=(n,)) for n in per_client]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ms = [value * 1000 for value in latencies]
    return {"path": path, "requests": len(ms), "errors": errors, "rps": len(ms) / elapsed,
            "p50": statistics.median(ms), "p95": _percentile(ms, 0.95),
            "p99": _percentile(ms, 0.99)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--documents", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "load.db")
        subprocess.run([*CLI, "ingest", str(SEED), "--db", db], check=True,
                       stderr=subprocess.DEVNULL)
        if args.documents:
            corpus = Path(tmp) / "corpus.jsonl"
            _corpus(corpus, args.documents)
            subprocess.run([*CLI, "ingest", str(corpus), "--db", db], check=True,
                           stderr=subprocess.DEVNULL)
        port = _free_port()
        server = subprocess.Popen([*CLI, "serve", "--db", db, "--port", str(port)],
                                  stderr=subprocess.DEVNULL, env={**os.environ})
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    if httpx.get(f"{base}/api/board", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            else:
                print("the server did not start", file=sys.stderr)
                return 1
            print(f"pledgewatch serve on {base}: seed page + {args.documents} documents, "
                  f"{args.requests} requests per endpoint from {args.clients} clients")
            print(f"{'endpoint':<44}{'requests':>9}{'errors':>8}{'req/s':>9}"
                  f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
            for path in ("/api/board", "/api/board?contribution=troops",
                         "/api/stances?limit=50", "/api/search?q=peacekeeping", "/"):
                r = _load(base, path, args.requests, args.clients)
                print(f"{r['path']:<44}{r['requests']:>9}{r['errors']:>8}{r['rps']:>9.1f}"
                      f"{r['p50']:>9.1f}{r['p95']:>9.1f}{r['p99']:>9.1f}")
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
