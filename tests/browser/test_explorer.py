"""The explorer in headless Chromium: a control answers and redraws (timed and printed,
the target is measured by bench/explorer_browser.py), the time axis stays fixed across
policies, a toggle keeps the zoom and the clicked bar, and mixed Arabic and Latin text
keeps its order in the claims table.

Screenshots go to build/screenshots/.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from engine.explore import claims_table_html
from tests.browser.lab_harness import (
    ARGS,
    BARS,
    EXPLORER,
    LOCAL,
    axis_labels,
    explorer_notebook,
    running_lab,
    show_explorer,
    time_controls,
)
from tests.browser.test_lab import ROOT, SHOTS, chromium  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def explorer_lab(tmp_path_factory, chromium):  # noqa: F811 - the fixture
    home = tmp_path_factory.mktemp("explorer-lab")
    root = home / "notebooks"
    root.mkdir()
    names = {target: explorer_notebook(root, target) for target in ("palmyra", "all")}
    with running_lab(root, home, pythonpath=ROOT) as (base, token):
        yield base, token, names


@pytest.fixture
def page(chromium):  # noqa: F811 - the fixture
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    external: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1400})
        page.on("request", lambda r: None if LOCAL.match(r.url) else external.append(r.url))
        try:
            yield page
        finally:
            browser.close()
    assert external == [], f"requests left 127.0.0.1: {external}"


@pytest.mark.parametrize("target", ["palmyra", "all"])
def test_a_control_change_answers_and_redraws(explorer_lab, page, target):
    base, token, names = explorer_lab
    show_explorer(page, base, token, names[target])
    times = time_controls(page, repeats=1)  # each waits for the new caption and bars
    for control, values in times.items():
        print(f"{target}: {control}: " + ", ".join(f"{v:.0f} ms" for v in values))
        assert all(v > 0 for v in values)
    page.screenshot(path=str(SHOTS / f"explorer_{target}_after_controls.png"))


def test_the_time_axis_stays_fixed_across_policies_and_a_toggle_keeps_zoom_and_pick(
    explorer_lab, page
):
    base, token, names = explorer_lab
    show_explorer(page, base, token, names["palmyra"])
    before = axis_labels(page)
    handle = page.locator(f"{EXPLORER} .noUi-handle").first
    handle.focus()
    handle.press("Home")  # known by the earliest publication: most bars vanish
    page.wait_for_function(
        f"() => document.querySelector('{EXPLORER} .vega-embed svg.marks').textContent.includes('known by')"
    )
    page.wait_for_selector(
        f"{EXPLORER} .vega-embed g.mark-rule.role-mark.known_by_rule_0_marks line", state="attached"
    )
    assert axis_labels(page) == before
    page.screenshot(path=str(SHOTS / "explorer_known_by_earliest.png"))
    handle.press("End")
    page.wait_for_function(
        f"() => document.querySelector('{EXPLORER} .vega-embed svg.marks').textContent.includes('all claimants')"
    )
    toggle = page.locator(f"{EXPLORER} button.widget-toggle-button", has_text="reference")
    toggle.click()
    page.wait_for_function(
        f"() => document.querySelector('{EXPLORER} .vega-embed svg.marks').textContent.includes('not reference')"
    )
    assert axis_labels(page) == before

    # click a bar that exists under both policies (the March 2016 recapture: the
    # reference moves only the May 2015 capture's start), then brush a window on the
    # overview: toggling keeps both
    page.locator(f"{BARS}[aria-label*='since: 2016-03-27']").first.click()
    note = f"{EXPLORER} .widget-label"
    page.wait_for_function(
        f"() => [...document.querySelectorAll('{note}')].some(l => l.innerText.startsWith('claims behind Palmyra'))"
    )
    strip = page.locator(f"{EXPLORER} .vega-embed g.mark-rect.role-mark.overview_marks path")
    boxes = [strip.nth(i).bounding_box() for i in range(strip.count())]
    left, right = min(b["x"] for b in boxes), max(b["x"] + b["width"] for b in boxes)
    y = boxes[0]["y"] + boxes[0]["height"] / 2
    page.mouse.move(left + 0.05 * (right - left), y)
    page.mouse.down()
    page.mouse.move(left + 0.5 * (right - left), y, steps=8)
    page.mouse.up()
    page.wait_for_function(
        f"() => [...document.querySelectorAll('{note}')].some(l => l.innerText.includes('valid between'))"
    )
    zoomed = axis_labels(page)
    assert zoomed != before
    toggle.click()
    page.wait_for_function(
        f"() => document.querySelector('{EXPLORER} .vega-embed svg.marks').textContent.includes('all claimants')"
    )
    assert axis_labels(page) == zoomed  # the zoom stayed
    picked = page.eval_on_selector_all(
        f"{EXPLORER} .vega-embed g.bars_0_marks path", "ps => ps.filter(p => +p.getAttribute('stroke-width') >= 3).length"
    )
    assert picked == 1  # the clicked bar is still outlined
    page.screenshot(path=str(SHOTS / "explorer_zoom_and_pick_kept.png"))


def test_an_iso_date_after_an_arabic_word_reads_left_to_right_in_the_table(page):
    claims = pl.DataFrame(
        {
            "claim_id": ["c1"], "site_id": ["palmyra"], "kind": ["captured"], "gainer": ["isis"],
            "claimant": ["amaq"], "doc_id": ["d1"], "valid_from": [dt.date(2015, 5, 20)],
            "valid_to": [dt.date(2015, 5, 21)], "published_date": [dt.date(2015, 5, 21)],
            "evidence_text": ["سيطر التنظيم على تدمر في 2015-05-20 بحسب SOHR"],
        }
    )
    page.set_content(f"<html><body style='font-family:DejaVu Sans'>{claims_table_html(claims)}</body></html>")
    # where does each part of the date land on screen? left to right: 2015, 05, 20
    xs = page.evaluate(
        """() => {
          const cell = [...document.querySelectorAll("td[dir='rtl']")][0];
          const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
          const node = walker.nextNode();
          const at = node.data.indexOf('2015-05-20');
          const x = (from, to) => { const r = document.createRange();
            r.setStart(node, from); r.setEnd(node, to); return r.getBoundingClientRect().x; };
          return [x(at, at + 4), x(at + 5, at + 7), x(at + 8, at + 10),
                  getComputedStyle(cell).direction];
        }"""
    )
    page.screenshot(path=str(SHOTS / "explorer_bidi_table.png"))
    year, month, day, direction = xs
    assert direction == "rtl"
    assert year < month < day, f"the date is drawn out of order: {xs}"


def test_the_map_follows_the_timeline_and_a_site_on_the_map_selects_its_row(explorer_lab, page):
    base, token, names = explorer_lab
    show_explorer(page, base, token, names["palmyra"])
    svg = f"{EXPLORER} .vega-embed svg.marks"
    text = f"() => document.querySelector('{svg}').textContent"
    assert "Control on 2017-12-31" in page.evaluate(text)  # the end of the view
    # a bar clicked on the timeline moves the map to its first day
    page.locator(f"{BARS}[aria-label*='since: 2016-03-27']").first.click()
    page.wait_for_function(f"() => ({text})().includes('Control on 2016-03-27')", timeout=15_000)
    # a site clicked on the map selects its row: outlined bars, and its claims listed
    site = page.locator(f"{EXPLORER} .vega-embed g.mark-symbol.role-mark[class*='places_'] path").first
    site.scroll_into_view_if_needed()
    site.click()
    page.wait_for_function(
        f"() => [...document.querySelectorAll('{EXPLORER} .widget-label')].some(l => l.innerText.includes('claims about Palmyra'))",
        timeout=15_000,
    )
    page.wait_for_function(
        f"() => [...document.querySelectorAll('{BARS}')].filter(p => +p.getAttribute('stroke-width') === 2).length >= 1",
        timeout=15_000,
    )
    page.screenshot(path=str(SHOTS / "explorer_map_link.png"), full_page=True)
