"""The URL fetcher against a local server: limits, redirects, robots.txt and error messages."""
from __future__ import annotations

import gzip
import time
from collections.abc import Iterator

import httpx
import pytest
from localserver import LocalServer, Route, http_server, local_server, refused_url  # noqa: F401

from pledgewatch.errors import InputError
from pledgewatch.ingest.fetch import (
    ACCEPT,
    FetchedPage,
    Fetcher,
    FetchOptions,
    is_url,
    read_url_list,
)
from pledgewatch.settings import USER_AGENT

HTML = b"<html><head><title>T</title></head><body><p>Hello</p></body></html>"
LATIN1 = "<p>D\u00e9fense a\u00e9rienne: la France s'engage.</p>".encode("latin-1")
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy from the environment must not stand between the client and 127.0.0.1."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy",
                 "all_proxy"):
        monkeypatch.delenv(name, raising=False)


ROUTES = {
    "/ok": (200, {"Content-Type": "text/html; charset=UTF-8"}, HTML),
    "/r1": Route.redirect("/r2", 301),
    "/r2": Route.redirect("/ok"),
    "/loop": Route.redirect("/loop"),
    "/missing": (404, {"Content-Type": "text/html"}, b"<h1>nope</h1>"),
    "/broken": (500, {}, b"oops"),
    "/latin1": (200, {"Content-Type": "text/html; charset=utf-8"}, LATIN1),
    "/gzip": (200, {"Content-Type": "text/html", "Content-Encoding": "gzip"},
              gzip.compress(HTML)),
    "/plain": (200, {}, b"no content type"),
    "/private/page": (200, {"Content-Type": "text/html"}, HTML),
    "/public": (200, {"Content-Type": "text/html"}, HTML),
    "/to-private": Route.redirect("/private/page"),
    "/to-ftp": Route.redirect("ftp://127.0.0.1/file"),
}


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with local_server(ROUTES) as running:
        yield running


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(FetchOptions(timeout=0.5)) as f:
        yield f


def error_of(fetcher: Fetcher, url: str) -> str:
    with pytest.raises(InputError) as info:
        fetcher.fetch(url)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(url + ": "), message
    return message.removeprefix(url + ": ")


# -- success ---------------------------------------------------------------------------------

def test_ok_page(server: LocalServer, fetcher: Fetcher) -> None:
    page = fetcher.fetch(server.url("/ok"))
    assert page == FetchedPage(url=server.url("/ok"), final_url=server.url("/ok"), status=200,
                               content_type="text/html", charset="utf-8", data=HTML)


def test_headers_sent(server: LocalServer, fetcher: Fetcher) -> None:
    fetcher.fetch(server.url("/ok?ua"))
    seen = [r for r in server.requests if r.path == "/ok?ua"][-1]
    headers = {k.lower(): v for k, v in seen.headers.items()}
    assert headers["user-agent"] == USER_AGENT
    assert headers["accept"] == ACCEPT


def test_custom_user_agent(server: LocalServer) -> None:
    with Fetcher(FetchOptions(timeout=0.5, user_agent="tester/1.0")) as fetcher:
        fetcher.fetch(server.url("/ok?custom"))
    seen = [r for r in server.requests if r.path == "/ok?custom"][-1]
    assert {k.lower(): v for k, v in seen.headers.items()}["user-agent"] == "tester/1.0"


def test_redirect_chain(server: LocalServer, fetcher: Fetcher) -> None:
    page = fetcher.fetch(server.url("/r1"))
    assert page.url == server.url("/r1")
    assert page.final_url == server.url("/ok")
    assert page.data == HTML


def test_charset_and_bytes_as_served(server: LocalServer, fetcher: Fetcher) -> None:
    page = fetcher.fetch(server.url("/latin1"))
    assert page.charset == "utf-8"  # what the header claims; decoding is the caller's job
    assert page.data == LATIN1


def test_no_content_type(server: LocalServer, fetcher: Fetcher) -> None:
    page = fetcher.fetch(server.url("/plain"))
    assert (page.content_type, page.charset, page.data) == (None, None, b"no content type")


def test_gzip_is_decoded(server: LocalServer, fetcher: Fetcher) -> None:
    assert fetcher.fetch(server.url("/gzip")).data == HTML


# -- errors ----------------------------------------------------------------------------------

def test_redirect_loop(server: LocalServer, fetcher: Fetcher) -> None:
    assert error_of(fetcher, server.url("/loop")) == "too many redirects (more than 5)"


def test_redirect_limit_is_exact(server: LocalServer) -> None:
    with Fetcher(FetchOptions(timeout=0.5, max_redirects=2)) as fetcher:
        assert fetcher.fetch(server.url("/r1")).status == 200  # exactly 2 redirects
    with Fetcher(FetchOptions(timeout=0.5, max_redirects=1)) as fetcher:
        assert error_of(fetcher, server.url("/r1")) == "too many redirects (more than 1)"


def test_redirect_to_other_scheme(server: LocalServer, fetcher: Fetcher) -> None:
    assert "only http and https URLs can be fetched" in error_of(fetcher, server.url("/to-ftp"))


@pytest.mark.parametrize(("path", "expected"), [("/missing", "HTTP 404 Not Found"),
                                                ("/broken", "HTTP 500 Internal Server Error")])
def test_http_errors(server: LocalServer, fetcher: Fetcher, path: str, expected: str) -> None:
    assert error_of(fetcher, server.url(path)) == expected


def test_slow_answer_times_out(http_server: LocalServer, fetcher: Fetcher) -> None:  # noqa: F811
    http_server.routes["/slow"] = Route(body=HTML, delay=3.0)
    start = time.monotonic()
    assert error_of(fetcher, http_server.url("/slow")) == "timed out after 0.5 s"
    assert time.monotonic() - start < 1.5


def test_trickling_body_hits_the_deadline(http_server: LocalServer,  # noqa: F811
                                          fetcher: Fetcher) -> None:
    http_server.routes["/trickle"] = Route.trickle(every=0.05)
    start = time.monotonic()
    assert error_of(fetcher, http_server.url("/trickle")) == "timed out after 0.5 s"
    assert time.monotonic() - start < 1.5
    assert http_server.bytes_sent["/trickle"] > 2  # it did send, just never finished


def test_huge_streamed_body_is_cut(http_server: LocalServer) -> None:  # noqa: F811
    http_server.routes["/huge"] = Route.huge(50 * MB)
    start = time.monotonic()
    with Fetcher(FetchOptions(timeout=5.0)) as fetcher:
        assert error_of(fetcher, http_server.url("/huge")) == "larger than 20 MB"
    assert time.monotonic() - start < 5
    assert http_server.bytes_sent.get("/huge", 0) < 40 * MB


def test_content_length_refused_before_reading(http_server: LocalServer,  # noqa: F811
                                               fetcher: Fetcher) -> None:
    http_server.routes["/declared"] = Route.huge(50 * MB, content_length=True)
    assert error_of(fetcher, http_server.url("/declared")) == "larger than 20 MB"
    assert http_server.bytes_sent.get("/declared", 0) < 40 * MB


def test_small_limit_message(server: LocalServer) -> None:
    with Fetcher(FetchOptions(timeout=0.5, max_bytes=10)) as fetcher:
        assert error_of(fetcher, server.url("/ok")) == "larger than 10 bytes"
    with Fetcher(FetchOptions(timeout=0.5, max_bytes=len(HTML))) as fetcher:
        assert fetcher.fetch(server.url("/ok")).data == HTML  # the limit itself is fine


def test_gzip_bomb_counts_decoded_bytes(http_server: LocalServer) -> None:  # noqa: F811
    bomb = gzip.compress(b"\0" * (30 * MB), compresslevel=9)
    assert len(bomb) < MB
    http_server.routes["/bomb"] = (200, {"Content-Encoding": "gzip"}, bomb)
    with Fetcher(FetchOptions(timeout=5.0)) as fetcher:
        assert error_of(fetcher, http_server.url("/bomb")) == "larger than 20 MB"
    with Fetcher(FetchOptions(timeout=5.0, max_bytes=MB)) as fetcher:
        assert error_of(fetcher, http_server.url("/bomb")) == "larger than 1 MB"


def test_connection_refused(fetcher: Fetcher) -> None:
    with refused_url("/page") as url:
        assert error_of(fetcher, url) == "cannot connect (connection refused)"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x",
                                 "javascript:alert(1)"])
def test_other_schemes_refused(fetcher: Fetcher, url: str) -> None:
    assert error_of(fetcher, url) == "only http and https URLs can be fetched"


@pytest.mark.parametrize("url", ["example.org/page", "http://", "http://exa mple.org/"])
def test_not_a_url(fetcher: Fetcher, url: str) -> None:
    assert error_of(fetcher, url) == "not a valid http(s) URL"


def _mock_fetcher(exc: Exception) -> Fetcher:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc
    return Fetcher(FetchOptions(timeout=0.5), transport=httpx.MockTransport(handler))


@pytest.mark.parametrize(("exc", "expected"), [
    (httpx.ConnectError("[Errno -2] Name or service not known"),
     "cannot connect (host not found)"),
    (httpx.ConnectTimeout("timed out"), "timed out after 0.5 s"),
    (httpx.ReadError("[Errno 104] Connection reset by peer"),
     "connection broken (connection reset by peer)"),
    (httpx.RemoteProtocolError("Server disconnected without sending a response."),
     "bad HTTP response (server disconnected without sending a response.)"),
])
def test_transport_errors_become_input_errors(exc: Exception, expected: str) -> None:
    with _mock_fetcher(exc) as fetcher:
        assert error_of(fetcher, "http://news.example/a") == expected


def test_broken_gzip_is_an_input_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Encoding": "gzip"}, content=b"not gzip")
    with Fetcher(transport=httpx.MockTransport(handler)) as fetcher:
        assert error_of(fetcher, "http://news.example/a") == \
            "the compressed body cannot be decoded"


# -- robots.txt ------------------------------------------------------------------------------

ROBOTS = b"User-agent: *\nDisallow: /private\n"


def test_robots_disallow_respected(http_server: LocalServer) -> None:  # noqa: F811
    http_server.routes.update({"/robots.txt": (200, {"Content-Type": "text/plain"}, ROBOTS),
                               **{k: v for k, v in ROUTES.items() if k != "/robots.txt"}})
    with Fetcher(FetchOptions(timeout=0.5, respect_robots=True)) as fetcher:
        assert error_of(fetcher, http_server.url("/private/page")) == "disallowed by robots.txt"
        assert fetcher.fetch(http_server.url("/public")).data == HTML
        # a redirect into the disallowed part is refused too
        assert error_of(fetcher, http_server.url("/to-private")).startswith(
            "disallowed by robots.txt")
    # robots.txt was fetched once for the host, and the private page never
    assert http_server.paths_requested().count("/robots.txt") == 1
    assert "/private/page" not in http_server.paths_requested()


def test_robots_ignored_by_default(http_server: LocalServer) -> None:  # noqa: F811
    http_server.routes.update({"/robots.txt": (200, {}, ROBOTS), **ROUTES})
    with Fetcher(FetchOptions(timeout=0.5)) as fetcher:
        assert fetcher.fetch(http_server.url("/private/page")).data == HTML
    assert "/robots.txt" not in http_server.paths_requested()


def test_robots_for_our_user_agent(http_server: LocalServer) -> None:  # noqa: F811
    http_server.routes.update({
        "/robots.txt": (200, {}, b"User-agent: pledgewatch\nDisallow: /\n\n"
                                 b"User-agent: *\nDisallow:\n"),
        **ROUTES})
    with Fetcher(FetchOptions(timeout=0.5, respect_robots=True)) as fetcher:
        assert error_of(fetcher, http_server.url("/public")) == "disallowed by robots.txt"


@pytest.mark.parametrize("robots", [(404, {}, b"gone"), (500, {}, b"oops"),
                                    Route(body=ROBOTS, delay=3.0)])
def test_robots_unavailable_means_allowed(http_server: LocalServer,  # noqa: F811
                                          robots: object) -> None:
    http_server.routes.update({"/robots.txt": robots, **ROUTES})
    with Fetcher(FetchOptions(timeout=0.3, respect_robots=True)) as fetcher:
        # a hanging robots.txt times out on its own clock; the page still gets its full time
        assert fetcher.fetch(http_server.url("/private/page")).data == HTML
        assert fetcher.fetch(http_server.url("/private/page")).data == HTML  # cached
    assert http_server.paths_requested().count("/robots.txt") == 1


# -- URL lists -------------------------------------------------------------------------------

def test_is_url() -> None:
    assert is_url("http://example.org")
    assert is_url("HTTPS://example.org/a?b=c#d")
    for text in ("", "example.org", "ftp://example.org/", "http://", "http:///path",
                 "javascript:alert(1)", "http://exa mple.org", "file:///etc/passwd",
                 "http://[::1"):
        assert not is_url(text), text


def test_read_url_list() -> None:
    lines = ["# today's sources\n", "\n", "  https://news.example/a  \n", "not a url\n",
             "   # indented comment\n", "http://news.example/b#section\n", "ftp://x/y\n"]
    entries = list(read_url_list(lines, "urls.txt"))
    assert [(n, v) for n, v in entries if isinstance(v, str)] == [
        (3, "https://news.example/a"), (6, "http://news.example/b#section")]
    errors = [(n, str(v)) for n, v in entries if isinstance(v, InputError)]
    assert errors == [(4, "urls.txt:4: not an http(s) URL"), (7, "urls.txt:7: not an http(s) URL")]
    assert [n for n, _ in entries] == [3, 4, 6, 7]
