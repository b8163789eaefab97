"""JupyterLab in headless Debian Chromium: notebook 01 runs and its explorer answers.

The test starts its own JupyterLab on 127.0.0.1 (temporary config, runtime dir and
token, a temporary copy of notebooks/ so autosave never touches the committed files),
drives it with playwright-python and ``executable_path=/usr/bin/chromium`` (never a
browser download), and fails if any request leaves 127.0.0.1.

Skipped only where /usr/bin/chromium is absent and ``CI`` is not set; under CI a
missing Chromium is a failure. Screenshots go to build/screenshots/.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.browser.lab_harness import (
    ARGS,
    CHROMIUM,
    EXPLORER,
    LOCAL,
    run_all,
    running_lab,
    wait_for_kernel,
)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "screenshots"
NOTEBOOK = "01_palmyra_swings.ipynb"
ARABIC = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(
                f"CI is set but {CHROMIUM} is missing: .ci/run must `apt-get install -y chromium`"
            )
        pytest.skip(f"browser tier skipped: {CHROMIUM} not found (apt-get install -y chromium)")
    return CHROMIUM


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory, chromium: Path):
    """A throwaway JupyterLab serving a copy of notebooks/; yields (base_url, token)."""
    home = tmp_path_factory.mktemp("lab")
    root = home / "notebooks"
    shutil.copytree(ROOT / "notebooks", root)
    with running_lab(root, home) as served:
        yield served


def _chart_text(page) -> str:
    """All text drawn in the explorer's chart (the subtitle names the policy)."""
    return page.eval_on_selector(f"{EXPLORER} .vega-embed svg.marks", "e => e.textContent")


def _wait_for_chart_text(page, text: str) -> None:
    """Wait until the chart *on screen* (not just the Python status) shows ``text``."""
    page.wait_for_function(
        "([sel, text]) => { const svgs = document.querySelectorAll(sel);"
        " return svgs.length === 1 && svgs[0].textContent.includes(text)"
        " && svgs[0].querySelector('g.mark-rect path') !== null; }",
        arg=[f"{EXPLORER} .vega-embed svg.marks", text],
        timeout=30_000,
    )


def test_notebook_01_runs_and_its_explorer_replays_in_headless_chromium(lab, chromium):
    from playwright.sync_api import sync_playwright

    base, token = lab
    SHOTS.mkdir(parents=True, exist_ok=True)
    external: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1100})
            page.on("request", lambda r: None if LOCAL.match(r.url) else external.append(r.url))
            page.goto(f"{base}/lab/tree/{NOTEBOOK}?reset&token={token}")
            wait_for_kernel(page, base, token, NOTEBOOK)
            run_all(page)

            # the explorer is the last output: when its chart is drawn, every cell has run
            chart = page.wait_for_selector(f"{EXPLORER} .vega-embed svg.marks", timeout=180_000)
            chart.scroll_into_view_if_needed()
            page.wait_for_function(
                f"() => document.querySelector('{EXPLORER} .vega-embed g.mark-rect path') !== null"
            )
            assert not page.query_selector_all(".jp-OutputArea-output[data-mime-type*='error']"), (
                "a cell of notebook 01 raised in the browser"
            )
            page.screenshot(path=str(SHOTS / "lab_01_explorer.png"))
            assert "all claimants" in _chart_text(page)

            # "known by": jump to the earliest publication date -> the timeline is replayed
            before = _chart_text(page)
            handle = page.locator(f"{EXPLORER} .noUi-handle").first
            handle.focus()
            handle.press("Home")
            _wait_for_chart_text(page, "known by")
            assert _chart_text(page) != before
            page.screenshot(path=str(SHOTS / "lab_01_known_by_earliest.png"))
            handle.press("End")
            _wait_for_chart_text(page, "all claimants")

            # a claimant toggled off -> replayed without it: the reference alone reports the
            # March 2017 recapture, so Palmyra loses its last interval
            bars = f"{EXPLORER} .vega-embed g.mark-rect.role-mark.bars_0_marks path"
            with_reference = page.locator(bars).count()
            toggle = page.locator(f"{EXPLORER} button.widget-toggle-button", has_text="reference")
            toggle.click()
            _wait_for_chart_text(page, "not reference")
            assert page.locator(bars).count() == with_reference - 1
            page.screenshot(path=str(SHOTS / "lab_01_claimant_off.png"))
            toggle.click()
            _wait_for_chart_text(page, "all claimants")
            assert page.locator(bars).count() == with_reference

            # hover a control bar -> the tooltip speaks Arabic
            bar = page.locator(f"{bars}[aria-label*='since: 2016-03-27']").first  # has claims
            bar.scroll_into_view_if_needed()
            bar.hover()
            tooltip = page.wait_for_selector("#vg-tooltip-element.visible", timeout=15_000)
            text = tooltip.inner_text()
            page.screenshot(path=str(SHOTS / "lab_01_tooltip.png"))
            assert ARABIC.search(text), f"no Arabic in the tooltip: {text!r}"
            assert "تدمر" in text

            # click the bar -> Python lists the claims behind it
            bar.click()
            page.wait_for_function(
                f"() => [...document.querySelectorAll('{EXPLORER} .widget-label')]"
                ".some(l => l.innerText.startsWith('claims behind'))",
                timeout=30_000,
            )
            page.wait_for_selector(f"{EXPLORER} td[dir]", timeout=15_000)
            directions = page.eval_on_selector_all(
                f"{EXPLORER} td[dir]",
                "cells => cells.filter(c => /[\u0600-\u06ff]/.test(c.innerText.slice(0, 3)))"
                ".map(c => getComputedStyle(c).direction)",
            )
            assert directions and set(directions) == {"rtl"}, (
                f"Arabic evidence is not laid out right to left: {directions}"
            )
            page.screenshot(path=str(SHOTS / "lab_01_claims_behind_bar.png"), full_page=True)

            # drag a valid-time window on the overview strip -> the timeline zooms to it and
            # Python lists only the claims valid in it
            axis = f"{EXPLORER} .vega-embed g.role-axis-label"
            before = page.eval_on_selector(axis, "e => e.textContent")
            strip = page.locator(
                f"{EXPLORER} .vega-embed g.mark-rect.role-mark.overview_marks path"
            )
            boxes = [strip.nth(i).bounding_box() for i in range(strip.count())]
            left = min(b["x"] for b in boxes)
            right = max(b["x"] + b["width"] for b in boxes)
            y = boxes[0]["y"] + boxes[0]["height"] / 2
            page.mouse.move(left + 0.30 * (right - left), y)
            page.mouse.down()
            page.mouse.move(left + 0.45 * (right - left), y, steps=8)
            page.mouse.move(left + 0.60 * (right - left), y, steps=8)
            page.mouse.up()
            page.wait_for_function(
                f"() => [...document.querySelectorAll('{EXPLORER} .widget-label')]"
                ".some(l => l.innerText.includes('valid between'))",
                timeout=30_000,
            )
            page.wait_for_function(
                f'prev => document.querySelector("{axis}").textContent !== prev',
                arg=before,
                timeout=15_000,
            )
            page.screenshot(path=str(SHOTS / "lab_01_brushed_window.png"))
        finally:
            browser.close()
    assert external == [], f"requests left 127.0.0.1: {external}"


OTHER_NOTEBOOKS = sorted(
    p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb") if p.name != NOTEBOOK
)
DONE = (
    "() => { const prompts = [...document.querySelectorAll("
    "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')];"
    " return prompts.length > 0 && prompts.every(e => /\\[\\d+\\]/.test(e.textContent)); }"
)


@pytest.mark.parametrize("name", OTHER_NOTEBOOKS)
def test_every_other_notebook_runs_and_draws_its_charts_in_headless_chromium(lab, chromium, name):
    from playwright.sync_api import sync_playwright

    base, token = lab
    SHOTS.mkdir(parents=True, exist_ok=True)
    external: list[str] = []
    console_errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1100})
            page.on("request", lambda r: None if LOCAL.match(r.url) else external.append(r.url))
            page.on(
                "console",
                lambda m: console_errors.append(m.text) if m.type == "error" else None,
            )
            page.goto(f"{base}/lab/tree/{name}?reset&token={token}")
            wait_for_kernel(page, base, token, name)
            run_all(page)
            try:
                page.wait_for_function(DONE, timeout=120_000)
            finally:
                page.screenshot(path=str(SHOTS / f"lab_{name.removesuffix('.ipynb')}.png"))
            assert not page.query_selector_all(".jp-OutputArea-output[data-mime-type*='error']"), (
                f"a cell of {name} raised in the browser"
            )
            embeds = page.locator(".jp-OutputArea-output .vega-embed")
            for i in range(embeds.count()):
                embeds.nth(i).scroll_into_view_if_needed()
                embeds.nth(i).locator("svg.marks, canvas.marks").first.wait_for(
                    state="attached", timeout=30_000
                )
            assert "JavaScript Error" not in page.inner_text(".jp-Notebook")
            if page.locator(".tadmur-map-player").count():
                _check_map_player(page)
            page.screenshot(path=str(SHOTS / f"lab_{name.removesuffix('.ipynb')}.png"))
        finally:
            browser.close()
    assert external == [], f"requests left 127.0.0.1: {external}"
    assert console_errors == [], f"console errors: {console_errors}"


def _check_map_player(page) -> None:
    """The map shows the day the slider reads, before and after a move (param only)."""
    player = ".tadmur-map-player"
    shows = (
        "sel => { const day = document.querySelector(sel + ' .widget-readout').textContent.trim();"
        " const svg = document.querySelector(sel + ' .vega-embed svg.marks');"
        " return svg !== null && svg.textContent.includes(day); }"
    )
    page.locator(player).scroll_into_view_if_needed()
    page.wait_for_function(shows, arg=player, timeout=15_000)
    before = page.inner_text(f"{player} .widget-readout")
    handle = page.locator(f"{player} .noUi-handle").first
    handle.focus()
    for _ in range(6):
        handle.press("ArrowRight")
    page.wait_for_function(
        "([sel, prev]) => document.querySelector(sel + ' .widget-readout').textContent.trim() !== prev",
        arg=[player, before.strip()],
        timeout=15_000,
    )
    page.wait_for_function(shows, arg=player, timeout=15_000)
