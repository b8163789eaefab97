"""`tadmur explore` serves the explorer alone as a local web app, offline: the page draws
the timeline, a claimant toggle replays it, and no request leaves 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.browser.lab_harness import ARGS, BARS, CHART_SVG, EXPLORER, LOCAL, free_port, timed_change
from tests.browser.test_lab import ROOT, SHOTS, chromium  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    try:
        import solara  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("CI is set but solara is missing: pip install -e '.[test]'")
        pytest.skip("solara is not installed in this environment")
    port = free_port()
    log = (tmp_path_factory.mktemp("explore") / "explore.log").open("w")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    server = subprocess.Popen([sys.executable, "-m", "engine.cli", "explore", "--port", str(port)],
                              env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"tadmur explore did not start: {Path(log.name).read_text()[-2000:]}")
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}/", log.name
    finally:
        os.killpg(server.pid, 15)  # solara runs in the server's own process group
        server.wait(timeout=30)
        log.close()


def test_tadmur_explore_serves_the_explorer_offline(app, chromium):  # noqa: F811
    from playwright.sync_api import sync_playwright

    url, log = app
    external: list[str] = []
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1200})
            page.on("request", lambda r: None if LOCAL.match(r.url) else external.append(r.url))
            page.goto(url)
            page.wait_for_selector(CHART_SVG, timeout=120_000)
            page.wait_for_function(f"() => document.querySelector('{BARS}') !== null", timeout=60_000)
            before = page.locator(BARS).count()
            toggle = page.locator(f"{EXPLORER} button", has_text="reference")
            ms = timed_change(page, toggle.click, "not reference")
            print(f"tadmur explore: claimant toggle redrawn in {ms:.0f} ms")
            assert page.locator(BARS).count() == before - 1
            page.screenshot(path=str(SHOTS / "explore_app.png"))
        finally:
            browser.close()
    assert external == [], f"requests left 127.0.0.1: {external}"
    assert "Could not load URL" not in Path(log).read_text()  # no asset fetched from a CDN
