"""Fetching pages by URL: one bounded, polite HTTP GET per URL, failures as one-line errors.

A URL is as attacker-controlled as a file: the server picks the size, the speed and where it
redirects. So every fetch has a total deadline (a server that trickles one byte a second hits
it), a streamed size cap that counts decoded bytes (a gzip bomb hits it), a redirect limit and
an http(s)-only rule checked on every hop. Everything that can go wrong becomes an
`InputError` whose message starts with the URL, so a batch reports it and goes on.

The fetcher returns bytes and the charset the server claimed; decoding is the caller's job
(servers often lie about the charset).
"""
from __future__ import annotations

import socket
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from types import TracebackType
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from pledgewatch.errors import InputError
from pledgewatch.ingest.sniff import HTTP_SCHEMES as SCHEMES, is_url
from pledgewatch.settings import (
    FETCH_TIMEOUT_SECONDS,
    MAX_INPUT_BYTES,
    MAX_REDIRECTS,
    MAX_ROBOTS_BYTES,
    USER_AGENT,
)

ACCEPT = ("text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, "
          "text/plain;q=0.9, */*;q=0.5")
# Compressed bodies are fed to the decoder in pieces this small: deflate expands at most about
# 1000:1, so one piece never decodes to more than a few MB however the server packed it.
_ENCODED_PIECE_BYTES = 4096


@dataclass(slots=True)
class FetchOptions:
    """How one `Fetcher` fetches: limits and manners."""

    # Each network step (connect, read, write, pool) and the whole fetch, body included.
    timeout: float = FETCH_TIMEOUT_SECONDS
    # Decoded body bytes; reading stops just past it.
    max_bytes: int = MAX_INPUT_BYTES
    max_redirects: int = MAX_REDIRECTS
    respect_robots: bool = False
    user_agent: str = USER_AGENT


@dataclass(slots=True)
class FetchedPage:
    """A page's bytes as served, with what the server said about them."""

    url: str  # as requested
    final_url: str  # after redirects
    status: int
    content_type: str | None  # media type only, lower-case, e.g. "text/html"
    charset: str | None  # from the Content-Type header, lower-case
    data: bytes = field(repr=False)


def _scheme(text: str) -> str:
    try:
        return urlsplit(text.strip()).scheme.lower()
    except ValueError:
        return ""


def read_url_list(lines: Iterable[str], name: str
                  ) -> Iterator[tuple[int, str] | tuple[int, InputError]]:
    """Yield (line number, URL) for each URL of a URL-list file, one URL per line.

    Blank lines and lines starting with '#' are skipped. A line that is not an http(s) URL
    yields (line number, InputError) instead, so the caller reports it and goes on with the
    rest of the list rather than losing the whole batch to one typo.
    """
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if is_url(line):
            yield number, line
        else:
            yield number, InputError(f"{name}:{number}: not an http(s) URL")


def _format_size(limit: int) -> str:
    mb = 1024 * 1024
    if limit >= mb:
        return f"{limit / mb:.1f}".removesuffix(".0") + " MB"
    if limit >= 1024:
        return f"{limit / 1024:.1f}".removesuffix(".0") + " KB"
    return f"{limit} bytes"


def _parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """("text/html", "utf-8") from 'text/html; charset="UTF-8"'; None for what is absent."""
    if not value:
        return None, None
    media, *params = value.split(";")
    charset = None
    for param in params:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'").strip().lower() or None
    return media.strip().lower() or None, charset


def _connect_reason(exc: BaseException) -> str:
    """A short reason for a failed connection ("connection refused", "host not found")."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, socket.gaierror):
            return "host not found"
        cause = cause.__cause__ or cause.__context__
    text = str(exc).strip()
    if text.startswith("[Errno") and "]" in text:
        text = text.split("]", 1)[1].strip()
    lowered = text.lower()
    if "connection refused" in lowered:
        return "connection refused"
    if "name or service not known" in lowered or "nodename nor servname" in lowered:
        return "host not found"
    return (text[:1].lower() + text[1:]).splitlines()[0][:120] if text else type(exc).__name__


class _DeadlineStream(httpx.SyncByteStream):
    """Wraps a response's raw byte stream: checks the deadline after every chunk arrives and
    cuts chunks into pieces, so the size cap is checked before a piece can decode to much."""

    def __init__(self, inner: httpx.SyncByteStream, deadline: float, piece: int) -> None:
        self._inner = inner
        self._deadline = deadline
        self._piece = piece

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            if time.monotonic() > self._deadline:
                raise httpx.ReadTimeout("total deadline passed")
            for start in range(0, len(chunk), self._piece):
                yield chunk[start:start + self._piece]

    def close(self) -> None:
        self._inner.close()


class _Timeout(Exception):
    """Internal: the fetch deadline passed."""


class Fetcher:
    """Fetches URLs over one HTTP client (connections are reused), caching robots.txt per
    scheme and host. Use as a context manager, or call `close()`."""

    def __init__(self, options: FetchOptions | None = None, *,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.options = options or FetchOptions()
        self._robots: dict[str, RobotFileParser | None] = {}
        self._client = httpx.Client(
            headers={"User-Agent": self.options.user_agent, "Accept": ACCEPT},
            timeout=httpx.Timeout(self.options.timeout),
            follow_redirects=False,  # followed by hand: scheme and robots checked on each hop
            transport=transport,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the pooled connections."""
        self._client.close()

    def fetch(self, url: str) -> FetchedPage:
        """GET `url` and return its body; raise InputError (and only that) if it fails."""
        deadline = time.monotonic() + self.options.timeout
        return self._get(url, deadline, self.options.max_bytes, truncate=False,
                         check_robots=self.options.respect_robots)

    # -- internals -------------------------------------------------------------------------

    def _get(self, url: str, deadline: float, max_bytes: int, *, truncate: bool,
             check_robots: bool) -> FetchedPage:
        if not is_url(url):
            if _scheme(url) not in SCHEMES | {""}:
                raise InputError(f"{url}: only http and https URLs can be fetched")
            raise InputError(f"{url}: not a valid http(s) URL")
        seconds = f"{self.options.timeout:g}"
        try:
            request = self._client.build_request("GET", url)
            for hop in range(self.options.max_redirects + 1):
                if hop and request.url.scheme not in SCHEMES:
                    raise InputError(f"{url}: redirected to {request.url}, but only http and "
                                     "https URLs can be fetched")
                if check_robots:
                    # robots.txt has its own deadline: its time is not taken from the page's
                    started = time.monotonic()
                    allowed = self._allowed(request.url)
                    deadline += time.monotonic() - started
                    if not allowed:
                        where = "" if hop == 0 else f" (redirected to {request.url})"
                        raise InputError(f"{url}: disallowed by robots.txt{where}")
                response = self._send(request, deadline)
                try:
                    if response.next_request is not None:
                        request = response.next_request
                        continue
                    return self._page(url, response, deadline, max_bytes, truncate)
                finally:
                    response.close()
            raise InputError(
                f"{url}: too many redirects (more than {self.options.max_redirects})")
        except (httpx.TimeoutException, _Timeout):
            raise InputError(f"{url}: timed out after {seconds} s") from None
        except httpx.TooManyRedirects:
            raise InputError(
                f"{url}: too many redirects (more than {self.options.max_redirects})") from None
        except httpx.ConnectError as exc:
            raise InputError(f"{url}: cannot connect ({_connect_reason(exc)})") from None
        except httpx.DecodingError:
            raise InputError(f"{url}: the compressed body cannot be decoded") from None
        except httpx.NetworkError as exc:
            raise InputError(f"{url}: connection broken ({_connect_reason(exc)})") from None
        except httpx.ProtocolError as exc:
            raise InputError(f"{url}: bad HTTP response ({_connect_reason(exc)})") from None
        except httpx.InvalidURL as exc:
            raise InputError(f"{url}: not a valid URL ({exc})") from None
        except (httpx.HTTPError, httpx.StreamError, OSError, ValueError) as exc:
            raise InputError(f"{url}: fetch failed ({type(exc).__name__}: {exc})") from None

    def _send(self, request: httpx.Request, deadline: float) -> httpx.Response:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _Timeout
        # each step gets at most what is left of the whole fetch's time
        request.extensions["timeout"] = httpx.Timeout(
            min(self.options.timeout, remaining)).as_dict()
        return self._client.send(request, stream=True)

    def _page(self, url: str, response: httpx.Response, deadline: float, max_bytes: int,
              truncate: bool) -> FetchedPage:
        if response.status_code >= 400:
            reason = httpx.codes.get_reason_phrase(response.status_code)
            raise InputError(f"{url}: HTTP {response.status_code}"
                             + (f" {reason}" if reason else ""))
        too_large = f"{url}: larger than {_format_size(max_bytes)}"
        encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
        identity = encoding in ("", "identity")
        length = response.headers.get("Content-Length", "")
        if identity and not truncate and length.strip().isdigit() and int(length) > max_bytes:
            raise InputError(too_large)  # refused before reading a byte
        response.stream = _DeadlineStream(
            response.stream, deadline, 65_536 if identity else _ENCODED_PIECE_BYTES)
        data = bytearray()
        for chunk in response.iter_bytes():
            if len(data) + len(chunk) > max_bytes:
                if truncate:
                    data += chunk[:max_bytes - len(data)]
                    break
                raise InputError(too_large)
            data += chunk
        content_type, charset = _parse_content_type(response.headers.get("Content-Type"))
        return FetchedPage(url=url, final_url=str(response.url), status=response.status_code,
                           content_type=content_type, charset=charset, data=bytes(data))

    def _allowed(self, target: httpx.URL) -> bool:
        """Whether robots.txt of the target's scheme and host lets our user agent fetch it.

        No robots.txt, or one we cannot fetch, means allowed (RFC 9309 treats 4xx as "no
        rules"; a broken robots.txt server must not make every page on the host unreadable).
        """
        key = f"{target.scheme}://{target.netloc.decode('ascii')}"
        if key not in self._robots:
            self._robots[key] = self._load_robots(key)
        parser = self._robots[key]
        return parser is None or parser.can_fetch(self.options.user_agent, str(target))

    def _load_robots(self, origin: str) -> RobotFileParser | None:
        try:
            page = self._get(f"{origin}/robots.txt", time.monotonic() + self.options.timeout,
                             MAX_ROBOTS_BYTES, truncate=True, check_robots=False)
        except InputError:
            return None
        if page.status != 200:
            return None
        parser = RobotFileParser()
        parser.parse(page.data.decode("utf-8", "replace").splitlines())
        return parser
