"""Reading copies of executed notebooks: every chart drawn as a static SVG, so a class or
a colleague can read the notebook (or its HTML) as a file, with no kernel and offline.

An executed notebook shows its charts through widgets (``alt.JupyterChart``): without a
live kernel JupyterLab draws nothing. Here each widget output is replaced by what it
shows: a JupyterChart's spec rendered to SVG by vl-convert (no browser, no network), an
HTML or Label widget's text, and a box of widgets the same, child by child. The widget
state (megabytes of JavaScript per chart) is dropped.
"""

from __future__ import annotations

import copy
import html
import re
from pathlib import Path

import nbformat

from engine.domain.errors import TadmurError

_VIEW = "application/vnd.jupyter.widget-view+json"
_STATE = "application/vnd.jupyter.widget-state+json"


def _render(model_id: str, models: dict, depth: int = 0) -> str:
    """The HTML a widget shows, charts as inline SVG."""
    import vl_convert

    model = models.get(model_id)
    if model is None or depth > 20:
        return ""
    state = model.get("state", {})
    if "spec" in state and state["spec"]:
        return "<div class='tadmur-chart'>" + vl_convert.vegalite_to_svg(state["spec"]) + "</div>"
    name = model.get("model_name", "")
    if name in ("HTMLModel", "HTMLMathModel"):
        return f"<div>{state.get('value', '')}</div>"
    if name == "LabelModel":
        return f"<div>{html.escape(state.get('value', ''))}</div>"
    children = state.get("children", [])
    if children:
        inner = "".join(_render(child.removeprefix("IPY_MODEL_"), models, depth + 1) for child in children)
        flow = "row" if name == "HBoxModel" else "column"
        return f"<div style='display:flex;flex-direction:{flow};flex-wrap:wrap;gap:4px'>{inner}</div>"
    return ""  # a control (slider, toggle): nothing to read without a kernel


def reading_copy(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of an executed notebook whose widget outputs are static HTML and SVG.

    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("chart")])
    >>> nb.cells[0].outputs = [nbformat.v4.new_output("display_data", data={_VIEW: {"model_id": "m1"}})]
    >>> nb.metadata["widgets"] = {_STATE: {"state": {"m1": {"model_name": "AnyModel", "state": {
    ...     "spec": {"mark": "point", "data": {"values": [{"a": 1}]}, "encoding": {"x": {"field": "a", "type": "quantitative"}}}}}}}}
    >>> out = reading_copy(nb)
    >>> "<svg" in out.cells[0].outputs[0]["data"]["text/html"], "widgets" in out.metadata
    (True, False)
    """
    copied = copy.deepcopy(nb)
    models = copied.metadata.get("widgets", {}).get(_STATE, {}).get("state", {})
    for cell in copied.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(_VIEW)
            if view is None:
                continue
            shown = _render(view["model_id"], models)
            output["data"] = {
                "text/html": shown or "<i>(an interactive control: run the notebook to use it)</i>",
                "text/plain": "(drawn from the executed notebook; run it for the live widget)",
            }
    copied.metadata.pop("widgets", None)
    return copied


def write_reading_copy(executed: Path, out_dir: Path) -> tuple[Path, Path]:
    """Write the reading copy of ``executed`` as a notebook and a standalone HTML page
    into ``out_dir``; return both paths."""
    from nbconvert import HTMLExporter

    nb = reading_copy(nbformat.read(executed, as_version=4))
    out_dir.mkdir(parents=True, exist_ok=True)
    notebook = out_dir / executed.name
    nbformat.write(nb, notebook)
    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input_prompt = exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nb)
    # offline: the lab template links require.js and MathJax from a CDN; the page needs
    # neither (no widgets left, no maths in these notebooks)
    body = re.sub(r'<script[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>', "", body)
    # ... and imports mermaid (diagrams in markdown, unused here) from a CDN in a module
    body = re.sub(r"<script type=\"module\">(?:(?!</script>).)*?https?://(?:(?!</script>).)*</script>",
                  "", body, flags=re.S)
    page = notebook.with_suffix(".html")
    page.write_text(body, encoding="utf-8")
    if "<svg" not in body and "tadmur-chart" in body:
        raise TadmurError("a reading copy lost its charts", where=str(page), hint="report this")
    return notebook, page
