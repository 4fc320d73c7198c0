"""The web UI in a real browser: Playwright driving Debian's chromium against uvicorn.

The app serves the demo corpus on 127.0.0.1 (a free port, a background thread). Each page
is checked for console errors and saved as a screenshot under build/screenshots/. Skipped
with the reason when /usr/bin/chromium or Playwright is missing (CI installs chromium).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        "browser tests need Debian's chromium at /usr/bin/chromium: "
        "apt-get install -y --no-install-recommends chromium",
        allow_module_level=True,
    )
pytest.importorskip("playwright.sync_api", reason="playwright is not installed (.[dev])")
pytest.importorskip("fastapi", reason="the web extra is not installed")

import httpx  # noqa: E402
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

from storyline.api import Workspace  # noqa: E402
from storyline.settings import Settings  # noqa: E402
from storyline.web import create_app  # noqa: E402
from storyline.web.server import background  # noqa: E402
from tests.conftest import ROOT  # noqa: E402

SHOTS = ROOT / "build" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        found = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield found
        found.close()


@pytest.fixture(scope="module")
def site(demo_workspace: Workspace) -> Iterator[str]:
    """The demo corpus served by uvicorn on a free local port."""
    with background(create_app(demo_workspace.path, Settings(workers=1), api_token="")) as url:
        yield url


class Watched:
    """A page whose console errors, uncaught exceptions, dialogs and requests are recorded."""

    def __init__(self, page: Page, base: str) -> None:
        self.page, self.base = page, base
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.foreign: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", self._dialog)
        page.on("request", self._request)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _request(self, request: Any) -> None:
        if not request.url.startswith((self.base, "data:")):
            self.foreign.append(request.url)

    def open(self, path: str) -> Page:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, path
        return self.page

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def clean(self) -> None:
        assert self.errors == [] and self.dialogs == [] and self.foreign == []


@pytest.fixture
def watched(browser: Browser, site: str) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    yield Watched(context.new_page(), site)
    context.close()


def test_front_page_lists_the_demo_events(watched: Watched, demo_workspace: Workspace) -> None:
    page = watched.open("/")
    cards = page.locator(".event-card .event-title")
    events = demo_workspace.events(limit=100)
    assert cards.count() == len(events) == demo_workspace.count_events()
    assert cards.all_inner_texts() == [e["label"] or f"event {e['id']}" for e in events]
    assert page.locator(".event-meta").first.inner_text().count("article") >= 1
    watched.shot("front")
    watched.clean()


def test_event_page_shows_its_brief_or_its_articles(
    watched: Watched, demo_workspace: Workspace
) -> None:
    biggest = max(demo_workspace.events(limit=100), key=lambda e: e["size"])
    analysed = httpx.get(f"{watched.base}/api/events/{biggest['id']}/brief", timeout=60)
    page = watched.open("/")
    page.locator(f'.event-card a[href="/events/{biggest["id"]}"]').click()
    page.wait_for_url(f"**/events/{biggest['id']}")
    assert page.locator("h1").inner_text() == biggest["label"]
    if analysed.status_code == 200:  # the analysis stage (issue 6) made a brief
        citations = page.locator("#brief .citation")
        assert citations.count() >= page.locator("#brief .sentence").count() > 0
        href = citations.first.get_attribute("href") or ""
        assert re.fullmatch(r"/articles/\w+", href)
    titles = page.locator("#articles .article-line a").all_inner_texts()
    expected = {a.title for a in demo_workspace.event(biggest["id"])["articles"]}
    assert set(titles) == expected and len(titles) == biggest["size"]
    assert page.locator("#timeline svg.chart rect.bar").count() >= 1
    assert page.locator("#copies svg.graph line.edge").count() >= 1
    watched.shot("event")
    watched.clean()


def test_search_finds_an_article_and_opens_it(watched: Watched) -> None:
    page = watched.open("/")
    page.keyboard.press("/")  # app.js focuses the search box
    page.keyboard.type("Skylark framework")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=Skylark+framework")
    results = page.locator(".result-title")
    assert results.count() >= 1
    assert page.locator(".result mark").count() >= 2
    first = results.first.inner_text()
    watched.shot("search")
    results.first.click()
    page.wait_for_url("**/articles/*")
    assert page.locator("h1").inner_text() == first
    assert page.locator("#article-text p").count() >= 2
    watched.shot("article")
    watched.clean()


def test_reused_passages_are_highlighted_and_can_be_hidden(watched: Watched, site: str) -> None:
    groups = httpx.get(f"{site}/api/copies").json()["items"]
    original = next(g["original_id"] for g in groups if g["size"] > 1)
    page = watched.open(f"/articles/{original}")
    marked = page.locator("#article-text .reused")
    assert marked.count() >= 1
    colour = marked.first.evaluate("e => getComputedStyle(e).backgroundColor")
    page.locator("#toggle-reused").uncheck()
    assert marked.first.evaluate("e => getComputedStyle(e).backgroundColor") != colour
    watched.shot("article-copies")
    watched.open("/entities")
    watched.shot("entities")
    watched.open("/api")
    watched.shot("api")
    watched.clean()


def test_pages_fit_a_phone(browser: Browser, site: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = Watched(context.new_page(), site)
    for path, name in (("/", "phone-front"), ("/search?q=strike", "phone-search")):
        page = phone.open(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways ({width}px)"
        phone.shot(name)
    phone.clean()
    context.close()


HOSTILE = {
    "id": "hostile-1",
    "title": '<script>window.__pwned = "title"</script><img src=x onerror="window.__pwned=1">'
    " Zebra harbour",
    "text": '<script>window.__pwned = "text"; alert("text")</script> zebra crossing.\n\n'
    '<img src=x onerror="window.__pwned=2;alert(2)"> and <svg onload="alert(3)"></svg>\n\n'
    '<a href="javascript:window.__pwned=3">click me</a> "><iframe src="javascript:alert(4)">'
    "</iframe> {{7*7}} ${alert(5)}",
    "url": "javascript:window.__pwned=4",
    "source": '<img src=x onerror="alert(6)">',
    "author": "<b onmouseover=alert(7)>me</b>",
    "date": "2025-06-10",
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A workspace holding one hostile article, ingested through the HTTP API."""
    path = tmp_path_factory.mktemp("hostile") / "hostile.db"
    app = create_app(path, Settings(workers=1, stages=()), api_token="secret")
    with background(app) as url:
        posted = httpx.post(
            f"{url}/api/ingest", json=HOSTILE, headers={"Authorization": "Bearer secret"}
        ).json()
        yield url, posted["articles"][0]


def test_hostile_text_never_runs(browser: Browser, hostile_site: tuple[str, str]) -> None:
    url, article_id = hostile_site
    context = browser.new_context()
    watched = Watched(context.new_page(), url)
    for path, name in (
        (f"/articles/{article_id}", "hostile-article"),
        ("/search?q=zebra", "hostile-search"),
    ):
        page = watched.open(path)
        page.mouse.move(10, 10)
        for link in page.locator("a").all():
            assert not (link.get_attribute("href") or "").lower().startswith("javascript:")
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.locator("script").count() == 1  # app.js, nothing else
        assert page.locator("main img, main iframe, main svg[onload]").count() == 0
        assert "<script>window.__pwned" in page.locator("main").inner_text()
        watched.shot(name)
    page.get_by_text("Zebra harbour").first.click()
    page.wait_for_load_state()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    watched.clean()
    context.close()
