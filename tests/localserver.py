"""A throwaway HTTP server on 127.0.0.1 for tests that fetch URLs (no internet needed).

Import it from any test file (pytest puts tests/ on sys.path, as for `conftest`):

    from localserver import Route, local_server

    def test_something():
        with local_server({"/a": (200, {"Content-Type": "text/html"}, b"<p>hi</p>"),
                           "/old": Route.redirect("/a"),
                           "/slow": Route(delay=5.0)}) as server:
            fetch(server.url("/a"))
            assert server.requests[-1].headers["User-Agent"].startswith("pledgewatch/")

or take the `http_server` fixture (`from localserver import http_server`) and fill
`http_server.routes` in the test. A route is a `(status, headers, body)` tuple, a `Route`
(for delays, trickling and huge streamed bodies), or a callable taking the
`BaseHTTPRequestHandler` for anything else. Unknown paths answer 404.

Sleeping and trickling handlers wake up when the server stops, so teardown never waits on them.
"""
from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Union

import pytest

Headers = Union[dict[str, str], list[tuple[str, str]]]


@dataclass
class Route:
    """What the server answers on one path.

    `body` is sent with a Content-Length unless `chunks` is given: then each chunk the
    factory yields is written in turn (sleeping `chunk_delay` between them) and the body
    ends when the connection closes. `delay` sleeps before anything is sent.
    """

    status: int = 200
    headers: Headers = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0
    chunks: Callable[[], Iterable[bytes]] | None = None
    chunk_delay: float = 0.0

    @classmethod
    def redirect(cls, location: str, status: int = 302) -> Route:
        """A redirect to `location` (absolute, or a path on this server)."""
        return cls(status=status, headers={"Location": location})

    @classmethod
    def trickle(cls, byte: bytes = b"x", every: float = 0.05,
                headers: Headers | None = None) -> Route:
        """Headers at once, then one `byte` every `every` seconds, forever."""
        def forever() -> Iterator[bytes]:
            while True:
                yield byte
        return cls(headers=headers or {"Content-Type": "text/html"}, chunks=forever,
                   chunk_delay=every)

    @classmethod
    def huge(cls, size: int, chunk: int = 65_536, content_length: bool = False,
             headers: Headers | None = None) -> Route:
        """A `size`-byte body of 'a's generated in chunks (never held whole)."""
        def pieces() -> Iterator[bytes]:
            block = b"a" * chunk
            left = size
            while left > 0:
                yield block[:min(chunk, left)]
                left -= chunk
        extra = list((headers or {"Content-Type": "text/plain"}).items())
        if content_length:
            extra.append(("Content-Length", str(size)))
        return cls(headers=extra, chunks=pieces)


RouteSpec = Union[Route, tuple[int, Headers, bytes], Callable[[BaseHTTPRequestHandler], None]]


@dataclass
class SeenRequest:
    """A request as the server received it."""

    method: str
    path: str
    headers: dict[str, str]


class LocalServer(ThreadingHTTPServer):
    """The server: `routes` may be changed while it runs; `requests` and `bytes_sent`
    record what happened."""

    daemon_threads = True
    block_on_close = False  # never join handler threads on close (a hung one would hang us)

    def __init__(self, routes: dict[str, RouteSpec]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, RouteSpec] = dict(routes)
        self.requests: list[SeenRequest] = []
        self.bytes_sent: dict[str, int] = {}
        self.stopping = threading.Event()
        self.lock = threading.Lock()

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        """The absolute URL of `path` on this server."""
        return self.base + path

    def paths_requested(self) -> list[str]:
        with self.lock:
            return [r.path for r in self.requests]

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet: clients hanging up mid-body is what several tests do on purpose."""


class _Handler(BaseHTTPRequestHandler):
    server: LocalServer
    protocol_version = "HTTP/1.0"  # one request per connection; bodies may end at close

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib's name
        server = self.server
        with server.lock:
            server.requests.append(SeenRequest("GET", self.path, dict(self.headers.items())))
        spec = server.routes.get(self.path)
        if spec is None:
            spec = server.routes.get(self.path.split("?", 1)[0])
        if spec is None:
            spec = Route(404, {"Content-Type": "text/plain"}, b"not found")
        if callable(spec) and not isinstance(spec, Route):
            spec(self)
            return
        route = spec if isinstance(spec, Route) else Route(*spec)
        try:
            self._answer(route)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            pass  # the client gave up, as the size and deadline tests want

    def _answer(self, route: Route) -> None:
        server = self.server
        if route.delay and server.stopping.wait(route.delay):
            return
        self.send_response(route.status)
        items = route.headers.items() if isinstance(route.headers, dict) else route.headers
        names = set()
        for name, value in items:
            self.send_header(name, value)
            names.add(name.lower())
        if route.chunks is None and "content-length" not in names:
            self.send_header("Content-Length", str(len(route.body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if route.chunks is None:
            self._write(route.body)
            return
        for chunk in route.chunks():
            if server.stopping.is_set():
                return
            self._write(chunk)
            if route.chunk_delay and server.stopping.wait(route.chunk_delay):
                return

    def _write(self, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()
        with self.server.lock:
            self.server.bytes_sent[self.path] = self.server.bytes_sent.get(self.path, 0) + len(data)


@contextmanager
def local_server(routes: dict[str, RouteSpec] | None = None) -> Iterator[LocalServer]:
    """Run a `LocalServer` on 127.0.0.1 (a free port) in a daemon thread for the block."""
    server = LocalServer(routes or {})
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name=f"localserver-{server.port}", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()  # wake sleeping and trickling handlers
        server.shutdown()
        server.server_close()
        thread.join(timeout=2)


@pytest.fixture
def http_server() -> Iterator[LocalServer]:
    """A running `LocalServer` with no routes yet: set `http_server.routes[path]`."""
    with local_server() as server:
        yield server


@contextmanager
def refused_url(path: str = "/") -> Iterator[str]:
    """A URL on 127.0.0.1 where nothing listens: the port stays bound (so no one else can
    take it) but not listening, so connecting is refused at once."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}{path}"
    finally:
        sock.close()
