"""The reading copy of an executed notebook shows its charts as a file: no kernel (none is
started) and every request outside the file denied."""

from __future__ import annotations

import pytest

from engine.notebook_runner import execute_notebook
from tests.browser.lab_harness import ARGS
from tests.browser.test_lab import ROOT, SHOTS, chromium  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", ["01_palmyra_swings.ipynb", "05_the_map.ipynb"])
def test_the_reading_copy_shows_its_charts_offline_without_a_kernel(chromium, tmp_path, name):  # noqa: F811
    from playwright.sync_api import sync_playwright

    executed = execute_notebook(ROOT / "notebooks" / name, tmp_path / name)
    assert executed.reading is not None and executed.reading.exists()
    denied: list[str] = []

    def deny(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            denied.append(route.request.url)
            route.abort()

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.route("**/*", deny)
            page.goto(executed.reading.as_uri())
            charts = page.locator(".tadmur-chart svg")
            assert charts.count() >= 1
            for i in range(charts.count()):
                box = charts.nth(i).bounding_box()
                assert box and box["width"] > 100 and box["height"] > 50
            marks = page.eval_on_selector_all(".tadmur-chart svg path, .tadmur-chart svg circle", "m => m.length")
            assert marks > 10
            charts.first.scroll_into_view_if_needed()
            page.screenshot(path=str(SHOTS / f"reading_{name.removesuffix('.ipynb')}.png"))
        finally:
            browser.close()
    assert denied == [], f"the reading copy asked the network for: {denied}"
