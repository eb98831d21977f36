"""The dashboard in a real browser (Playwright driving Debian's chromium, offline): the map
and the matrix show the seed board, a country page shows its quotes, search finds the seed,
uploads work with the token and are refused without it, hostile pages never run script, and
our own pages raise no console error (a CSP violation would). A full-page screenshot of each
page goes to artifacts/screenshots/.

Locally the tests are skipped when /usr/bin/chromium is missing; with $CI set they fail.
"""
from __future__ import annotations

import os
import re
import socket
import threading
import time
from pathlib import Path

import pytest
from conftest import REPO, SEED

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = REPO / "artifacts" / "screenshots"
TOKEN = "browser-test-token"
NORWAY = ("Norway sends air defence\n\nNorway will send two air defence systems to Ukraine, "
          "Prime Minister Jonas Gahr Store said on Monday. Sweden is ready to contribute "
          "troops to a reassurance force, Prime Minister Ulf Kristersson said.")
HOSTILE_TEXT = (
    "Hostile text page\n\n"
    "Romania will not send troops <img src=x onerror=\"window.__pwned=1;alert(1)\"> to "
    "Ukraine, the defence minister said. Greece has ruled out sending peacekeepers "
    "<a href=\"javascript:window.__pwned=1;alert(2)\">click</a> to Ukraine, officials said. "
    "Portugal will send troops to Ukraine </script><script>window.__pwned=1;alert(3)</script> "
    "said the prime minister.")
HOSTILE_HTML = (
    "<html><head><title>Hostile HTML page</title><script>window.__pwned=1;alert(4)</script>"
    "</head><body><article><h1>Hostile HTML page</h1>"
    "<p>Norway will send troops to Ukraine <img src=x onerror=\"window.__pwned=1;alert(5)\"> "
    "Prime Minister Jonas Gahr Store said on Monday.</p>"
    "<p>Denmark has ruled out sending troops to Ukraine, <a href=\"javascript:window.__pwned"
    "=1;alert(6)\">click</a> the defence minister said.</p>"
    "<p>Finland will send air defence systems to Ukraine &lt;script&gt;window.__pwned=1"
    "&lt;/script&gt; officials said.</p></article></body></html>")

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing in CI: the browser tests must run "
                    "(apt-get install chromium)", pytrace=False)
    pytest.skip(f"no browser: {CHROMIUM} is missing (apt-get install chromium)",
                allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on a fresh SQLite file holding the seed page, served by uvicorn on
    127.0.0.1 in a background thread; yields its base URL."""
    import uvicorn
    from typer.testing import CliRunner

    from pledgewatch.cli import app as cli
    from pledgewatch.web.app import create_app

    db = tmp_path_factory.mktemp("browser") / "pledgewatch.db"
    result = CliRunner().invoke(cli, ["ingest", str(SEED), "--db", str(db)])
    assert result.exit_code == 0, result.output
    port = _free_port()
    config = uvicorn.Config(create_app(str(db), TOKEN), host="127.0.0.1", port=port,
                            log_level="warning", lifespan="on")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield instance
        instance.close()


class Watch:
    """What a page did that it should not: console errors (CSP violations included),
    uncaught exceptions and dialogs (alert/confirm/prompt)."""

    def __init__(self, page) -> None:
        self.console: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: self.console.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def assert_clean(self, *, status: int | None = None) -> None:
        """Nothing went wrong; `status`: the page itself answered that HTTP error, which
        Chromium logs as a console error of its own."""
        expected = f"the server responded with a status of {status}"
        console = [m for m in self.console if not (status and expected in m)]
        assert console == [], console
        assert self.errors == [], self.errors
        assert self.dialogs == [], self.dialogs


@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server, viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.watch = Watch(tab)
    yield tab
    context.close()


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _map_ready(page) -> None:
    page.wait_for_selector("svg#map[data-ready=true]")


def _documents(page) -> int:
    return page.request.get("/api/documents").json()["total"]


def _upload(page, text: str, *, token: str | None, kind: str = "auto", title: str = "",
            date: str = "") -> None:
    page.goto("/upload")
    page.fill("#text", text)
    if kind == "html":
        page.check("input[name=kind][value=html]")
    if title:
        page.fill("#title", title)
    if date:
        page.fill("#date", date)
    if token is not None:
        page.fill("#token", token)
    with page.expect_navigation():
        page.click("button[type=submit].primary")


# --------------------------------------------------------------------------- the seed

def test_dashboard_map_and_matrix_show_romania_ruled_out(page):
    page.goto("/")
    _map_ready(page)
    romania = page.locator('svg#map path[data-country="ROU"]')
    assert romania.count() == 1
    assert romania.get_attribute("data-stance") == "ruled_out"
    assert romania.get_attribute("fill") == "#c62828"
    assert "Romania: ruled out on troops" in romania.locator("title").text_content()
    cell = page.locator('#matrix td[data-country="ROU"][data-contribution="troops"]')
    assert cell.get_attribute("data-stance") == "ruled_out"
    assert cell.inner_text().strip() == "ruled out"
    assert page.locator(".legend li").count() == 9
    assert page.locator('svg#map path[data-country="GBR"]').get_attribute(
        "data-stance") == "reconsidering"
    page.hover('svg#map path[data-country="BGR"]')
    assert "Bulgaria: uncertain on troops" in page.inner_text("#map-info")
    _shot(page, "dashboard")
    page.click("#view-world")
    page.wait_for_selector('svg#map[data-view=world] path[data-country="AUS"]')
    _shot(page, "dashboard-world")
    page.select_option("#contribution", "peacekeeping")
    with page.expect_navigation():
        page.click(".contribution-form button")
    _map_ready(page)
    assert page.locator('svg#map path[data-country="FRA"]').get_attribute(
        "data-stance") == "leading"
    _shot(page, "dashboard-peacekeeping")
    page.watch.assert_clean()


def test_open_romania_and_read_diaconescu(page):
    page.goto("/")
    _map_ready(page)
    with page.expect_navigation():
        page.click('svg#map path[data-country="ROU"]', force=True)
    assert page.url.endswith("/country/ROU")
    assert page.locator("h1").inner_text().startswith("Romania")
    troops = page.locator("tr#troops")
    assert troops.get_attribute("data-stance") == "ruled_out"
    quotes = page.locator("#timeline-troops .quote")
    assert "it will not send soldiers" in quotes.all_inner_texts()[0] or any(
        "it will not send soldiers" in q for q in quotes.all_inner_texts())
    assert page.get_by_text("Cristian Diaconescu").first.is_visible()
    _shot(page, "country-ROU")
    # The quote's article link opens the document with that evidence highlighted.
    with page.expect_navigation():
        page.locator("#timeline-troops .quote a").first.click()
    assert re.search(r"/document/[0-9a-f]{64}#stance-\d+$", page.url)
    anchor = page.url.rsplit("#", 1)[1]
    assert page.locator(f"#{anchor}").is_visible()
    assert page.locator(f"mark[data-stances~='{anchor}']").count() >= 1
    assert page.locator(f"mark.current[data-stances~='{anchor}']").count() >= 1
    assert page.locator("[data-kind=teaser]").count() == 6
    _shot(page, "document-seed")
    page.watch.assert_clean()


def test_matrix_cell_links_to_its_evidence(page):
    page.goto("/")
    with page.expect_navigation():
        page.click('#matrix td[data-country="ROU"][data-contribution="troops"] a')
    anchor = page.url.rsplit("#", 1)[1]
    record = page.locator(f"li#{anchor}")
    assert record.get_attribute("data-country") == "ROU"
    assert record.get_attribute("data-stance") == "ruled_out"
    page.watch.assert_clean()


def test_search_for_peacekeeping(page):
    page.goto("/")
    page.fill("header .search input[name=q]", "peacekeeping")
    with page.expect_navigation():
        page.press("header .search input[name=q]", "Enter")
    assert "/search?q=peacekeeping" in page.url
    assert "1 document match" in page.inner_text(".result-count")
    assert page.locator(".result mark").first.inner_text().lower() == "peacekeeping"
    _shot(page, "search-peacekeeping")
    page.watch.assert_clean()


# --------------------------------------------------------------------------- uploads

def test_upload_without_the_token_is_refused(page):
    before = _documents(page)
    for token in (None, "wrong-token"):
        _upload(page, NORWAY, token=token)
        assert page.locator("h1").inner_text().startswith("401")
        assert "Upload refused: the token is missing or wrong" in page.inner_text(
            "#error-message")
        assert _documents(page) == before
    _shot(page, "upload-refused")
    page.watch.assert_clean(status=401)


def test_upload_with_the_token_appears(page):
    page.goto("/upload")
    _shot(page, "upload")
    _upload(page, NORWAY, token=TOKEN, title="Norway sends air defence", date="2025-03-10")
    assert re.search(r"/document/[0-9a-f]{64}$", page.url)
    assert page.locator("h1").inner_text() == "Norway sends air defence"
    assert page.locator('.record-list li[data-country="NOR"]').count() >= 1
    assert page.locator("article.text mark").count() >= 1
    _shot(page, "document-upload")
    page.goto("/search?q=Norway")
    assert page.locator(".result a", has_text="Norway sends air defence").count() == 1
    page.goto("/?contribution=air_defence")
    _map_ready(page)
    assert page.locator('svg#map path[data-country="NOR"]').get_attribute(
        "data-stance") == "committed"
    assert page.locator('#matrix td[data-country="NOR"][data-contribution="air_defence"]'
                        ).get_attribute("data-stance") == "committed"
    page.watch.assert_clean()


def test_date_slider_replays_the_board(page):
    """After the dated upload above (2025-03-10) there is a date to replay; before it,
    Norway had said nothing."""
    page.request.post("/api/ingest", headers={"Authorization": f"Bearer {TOKEN}"},
                      data={"text": "Sweden will send troops to Ukraine, Prime Minister Ulf "
                                    "Kristersson said.", "date": "2025-02-01"})
    page.goto("/?contribution=air_defence")
    _map_ready(page)
    slider = page.locator("#date-slider")
    assert slider.count() == 1
    first = page.locator('#matrix td[data-country="NOR"][data-contribution="air_defence"]')
    assert first.get_attribute("data-stance") == "committed"
    slider.fill("0")  # the earliest date: 2025-02-01
    page.wait_for_selector("svg#map[data-as-of='2025-02-01']")
    assert page.locator('svg#map path[data-country="NOR"]').get_attribute(
        "data-stance") == "none"
    assert first.get_attribute("data-stance") == "none"
    assert page.inner_text("#date-label").startswith("2025-02-01")
    _shot(page, "dashboard-replay")
    page.watch.assert_clean()


# --------------------------------------------------------------------------- hostile pages

def _assert_not_pwned(page) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("img[src=x], a[href^='javascript'], iframe").count() == 0


def test_hostile_pages_never_run_script(page):
    _upload(page, HOSTILE_TEXT, token=TOKEN, date="2025-03-11")
    text_doc = page.url
    assert re.search(r"/document/[0-9a-f]{64}$", text_doc)
    _assert_not_pwned(page)
    article = page.inner_text("article.text")
    assert '<img src=x onerror="window.__pwned=1;alert(1)">' in article
    assert '<a href="javascript:window.__pwned=1;alert(2)">click</a>' in article
    assert "</script><script>window.__pwned=1;alert(3)</script>" in article
    assert page.locator("mark", has_text="onerror").count() >= 1
    _shot(page, "document-hostile-text")

    _upload(page, HOSTILE_HTML, token=TOKEN, kind="html", date="2025-03-12")
    assert re.search(r"/document/[0-9a-f]{64}$", page.url)
    _assert_not_pwned(page)
    assert "<script>window.__pwned=1</script>" in page.inner_text("article.text")
    # The link text survived as text; clicking it must do nothing.
    for link in page.get_by_text("click").all():
        link.click()
    _assert_not_pwned(page)
    _shot(page, "document-hostile-html")

    for path in ("/", "/?contribution=peacekeeping", "/country/ROU", "/country/GRC",
                 "/search?q=defence+minister", "/search?q=onerror"):
        page.goto(path)
        if path.startswith("/?") or path == "/":
            _map_ready(page)
            page.hover('svg#map path[data-country="ROU"]')
        _assert_not_pwned(page)
        for link in page.get_by_text("click", exact=True).all():
            link.click()
            _assert_not_pwned(page)
    assert page.locator(".result").count() >= 1
    assert "onerror" in page.inner_text(".results")
    _shot(page, "search-hostile")
    page.goto("/country/GRC")
    assert 'href="javascript:' in page.inner_text("#timeline-peacekeeping")
    _assert_not_pwned(page)
    _shot(page, "country-hostile")
    page.watch.assert_clean()  # no dialog fired, no CSP violation, no exception


def test_error_page_in_the_browser(page):
    response = page.goto("/country/XXX")
    assert response.status == 404
    assert "No country or organisation has the code" in page.inner_text("#error-message")
    _shot(page, "error-404")
    page.watch.assert_clean(status=404)
