"""A throwaway JupyterLab on 127.0.0.1 driven by playwright-python and Debian Chromium,
shared by the browser tests and by ``bench/explorer_browser.py``.

Never a browser download: Chromium is ``/usr/bin/chromium`` (``make browser-deps``).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import nbformat

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-pings",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
]
LOCAL = re.compile(r"^(https?|wss?)://127\.0\.0\.1(:\d+)?/|^(data|blob|about):")


class LabError(RuntimeError):
    """JupyterLab or the notebook in it did not do what the driver waited for."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str, token: str):
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)


def write_notebook(path: Path, *sources: str) -> Path:
    """A notebook of code cells (for a test's or a benchmark's own page)."""
    cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


@contextlib.contextmanager
def running_lab(root: Path, home: Path, pythonpath: Path | None = None) -> Iterator[tuple[str, str]]:
    """Serve ``root`` from a JupyterLab with its own config and token; yield (base, token)."""
    config = home / "config"
    (config / "labconfig").mkdir(parents=True, exist_ok=True)
    (config / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}})
    )
    token, port = secrets.token_hex(16), free_port()
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(config),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
    )
    if pythonpath is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(pythonpath), env.get("PYTHONPATH")]))
    log_path = home / "jupyterlab.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
             "--ip=127.0.0.1", f"--port={port}", f"--ServerApp.token={token}",
             "--ServerApp.password=", f"--ServerApp.root_dir={root}",
             "--LabApp.news_url=None",
             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=home,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    get_json(f"{base}/api/status", token)
                    break
                except (urllib.error.URLError, ConnectionError, OSError):
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise LabError("JupyterLab did not start:\n" + log_path.read_text()[-3000:])
                    time.sleep(0.25)
            yield base, token
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def wait_for_kernel(page, base: str, token: str, name: str) -> None:
    """Run All is silently dropped if clicked before the kernel's websocket is attached:
    wait until *this notebook's* kernel (found through its session) is idle and connected."""
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
    for _ in range(240):
        try:
            sessions = get_json(f"{base}/api/sessions", token)
            kernels = {k["id"]: k for k in get_json(f"{base}/api/kernels", token)}
        except urllib.error.HTTPError:  # transient 500 while the kernel starts
            sessions, kernels = [], {}
        ours = [kernels.get(s["kernel"]["id"]) for s in sessions if s["path"].endswith(name)]
        if ours and ours[0] and ours[0]["connections"] >= 1 and ours[0]["execution_state"] == "idle":
            return
        page.wait_for_timeout(250)
    raise LabError(f"the kernel of {name} never became idle and connected")


def run_all(page) -> None:
    """Run All Cells, clicking again if JupyterLab dropped the first click."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    started = (
        "() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]"
        ".some(e => /\\[(\\*|\\d+)\\]/.test(e.textContent))"
    )
    for attempt in range(1, 4):
        page.click(".lm-MenuBar-itemLabel:text-is('Run')")
        page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
        try:
            page.wait_for_function(started, timeout=10_000)
            return
        except PlaywrightTimeout:
            print(f"Run All Cells dropped (attempt {attempt}); clicking again")
    raise LabError("Run All Cells never started a cell")


def open_and_run(page, base: str, token: str, name: str) -> None:
    """Open notebook ``name`` in the lab and run all its cells."""
    page.goto(f"{base}/lab/tree/{name}?reset&token={token}")
    wait_for_kernel(page, base, token, name)
    run_all(page)


# ---------------------------------------------------------------- the explorer, timed

EXPLORER = ".tadmur-explorer"
CHART_SVG = f"{EXPLORER} .vega-embed svg.marks"
BARS = f"{EXPLORER} .vega-embed g.mark-rect.role-mark.bars_0_marks path"

# In the page: stamp the click on a control, then watch the chart until its caption
# reads `expected` and its bar count is `bars` (the rows and the parameter both arrived).
_ARM = """([sel, bars_sel, expected, bars]) => {
  window.__tadmur = {clicked: null, drawn: null};
  for (const kind of ['click', 'keydown']) {
    document.addEventListener(kind, () => { window.__tadmur.clicked ??= performance.now(); },
                              {capture: true, once: true});
  }
  const root = document.querySelector(sel).closest('.vega-embed');
  const done = () => {
    const svg = document.querySelector(sel);
    return svg && svg.textContent.includes(expected)
      && (bars < 0 || document.querySelectorAll(bars_sel).length === bars);
  };
  const watcher = new MutationObserver(() => {
    if (window.__tadmur.clicked !== null && window.__tadmur.drawn === null && done()) {
      window.__tadmur.drawn = performance.now();
      watcher.disconnect();
    }
  });
  watcher.observe(root, {subtree: true, childList: true, characterData: true, attributes: true});
}"""


def timed_change(page, act, expected: str, bars: int = -1, timeout: float = 30_000) -> float:
    """Milliseconds from the control's click to the redrawn chart (caption ``expected``
    shown and ``bars`` control bars drawn), measured inside the page."""
    page.evaluate(_ARM, [CHART_SVG, BARS, expected, bars])
    act()
    page.wait_for_function("() => window.__tadmur.drawn !== null", timeout=timeout)
    stamps = page.evaluate("() => window.__tadmur")
    return stamps["drawn"] - stamps["clicked"]


def axis_labels(page) -> list[str]:
    """The x-axis labels of the explorer's timeline (the first axis with dates)."""
    return page.eval_on_selector_all(
        f"{EXPLORER} .vega-embed g.role-axis-label text", "ts => ts.map(t => t.textContent)"
    )


def explorer_notebook(root: Path, target: str) -> str:
    """Write a notebook showing the explorer of ``target`` into ``root``; return its name."""
    name = f"explorer_{target}.ipynb"
    write_notebook(
        root / name,
        "from engine import explore\nfrom engine.project import replay_log\n"
        f"explorer = explore.Explorer(replay_log(), target={target!r})\nexplorer",
    )
    return name


def show_explorer(page, base: str, token: str, name: str) -> None:
    """Open and run an explorer notebook; return when its chart shows its bars."""
    open_and_run(page, base, token, name)
    page.wait_for_selector(CHART_SVG, timeout=180_000).scroll_into_view_if_needed()
    page.wait_for_function(f"() => document.querySelector('{BARS}') !== null", timeout=60_000)


def time_controls(page, repeats: int) -> dict[str, list[float]]:
    """Milliseconds per control change on a shown explorer: a claimant toggle (off and on)
    and a "known by" step (to the earliest day and back), ``repeats`` times each."""
    bars = lambda: page.locator(BARS).count()  # noqa: E731 - read at the moment of asking
    toggle = page.locator(f"{EXPLORER} button.widget-toggle-button", has_text="reference")
    handle = page.locator(f"{EXPLORER} .noUi-handle").first
    times: dict[str, list[float]] = {"claimant toggle": [], "known-by step": []}
    with_reference = bars()
    for _ in range(repeats):
        times["claimant toggle"].append(timed_change(page, toggle.click, "not reference"))
        times["claimant toggle"].append(
            timed_change(page, toggle.click, "all claimants", with_reference)
        )
        handle.focus()
        times["known-by step"].append(
            timed_change(page, lambda: handle.press("Home"), "known by")
        )
        times["known-by step"].append(
            timed_change(page, lambda: handle.press("End"), "all claimants", with_reference)
        )
    return times
