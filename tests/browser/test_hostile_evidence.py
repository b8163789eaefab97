"""Hostile evidence in an exported chart is shown as text in a real browser, never run."""

from __future__ import annotations

import pytest

from engine.charts import chart_for, save_chart
from engine.project import replay_log
from tests.browser.test_lab import ARGS, SHOTS, chromium  # noqa: F401 - the fixture
from tests.integration.test_reliability_html import HOSTILE, hostile_log  # noqa: F401

pytestmark = pytest.mark.browser


def test_a_script_quoted_in_evidence_never_runs_and_reads_as_text_in_the_tooltip(
    hostile_log, chromium, tmp_path  # noqa: F811 - fixtures
):
    from playwright.sync_api import sync_playwright

    html = save_chart(chart_for(replay_log(log_dir=hostile_log), "palmyra"), tmp_path / "p.html")
    dialogs, outside, tooltips = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 700})
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "blob:"))
                    else outside.append(r.url))
            page.goto(html.as_uri())
            page.wait_for_selector(".vega-embed canvas, .vega-embed svg", timeout=60_000)
            box = page.locator(".vega-embed").bounding_box()
            for row in range(10, int(box["height"]), 12):  # sweep the pointer over every mark
                for col in range(10, int(box["width"]), 12):
                    page.mouse.move(box["x"] + col, box["y"] + row)
                    text = page.evaluate(
                        "() => document.querySelector('#vg-tooltip-element.visible')?.innerText")
                    if text and "alert" in text:
                        tooltips.append(text)
                if tooltips:
                    break
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "hostile_evidence.png"))
            injected = page.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length")
        finally:
            browser.close()
    assert dialogs == [] and injected == 0 and outside == []
    assert tooltips, "no tooltip with the hostile quote was found under the pointer"
    assert "<script>alert(1)</script>" in tooltips[0]  # shown literally, as text
