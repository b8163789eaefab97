"""Writing a chart to disk: offline HTML with its JSON made safe for a ``<script>``
element, or SVG and PNG rendered by vl-convert.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

import altair as alt

from engine.domain.errors import TadmurError
from engine.provenance import with_software_versions


class HtmlSafeJSONEncoder(json.JSONEncoder):
    """JSON that can sit inside a ``<script>`` element: ``<``, ``>`` and ``&`` become
    ``\\u003c``-style escapes, so evidence quoting ``</script>`` stays a string.

    >>> json.dumps({"q": "</script>"}, cls=HtmlSafeJSONEncoder)
    '{"q": "\\\\u003c/script\\\\u003e"}'
    """

    _ESCAPES: ClassVar[dict[str, str]] = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}

    def iterencode(self, o, _one_shot=False):  # the json module's signature
        for chunk in super().iterencode(o, _one_shot):
            for char, escaped in self._ESCAPES.items():
                chunk = chunk.replace(char, escaped)
            yield chunk


def save_chart(chart: alt.TopLevelMixin, path: str | Path, *, scale: float = 2.0) -> Path:
    """Write ``chart`` to ``path``: self-contained offline HTML (Vega inlined, no CDN),
    SVG or PNG (rendered by vl-convert, no browser). The format follows the suffix.

    >>> import polars as pl
    >>> save_chart(alt.Chart(pl.DataFrame({"a": [1]})).mark_point(), "x.pdf")
    Traceback (most recent call last):
    ...
    engine.domain.errors.TadmurError: cannot write a chart as '.pdf' (at x.pdf). Hint: use a file name ending in .html, .svg or .png
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".html", ".svg", ".png"):
        raise TadmurError(
            f"cannot write a chart as {suffix!r}",
            where=str(path),
            hint="use a file name ending in .html, .svg or .png",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    chart = with_software_versions(chart)  # tadmur, altair and vl-convert versions in usermeta
    if suffix == ".html":
        chart.save(path, format="html", inline=True, embed_options={"actions": False},
                   json_kwds={"cls": HtmlSafeJSONEncoder})
    elif suffix == ".svg":
        chart.save(path, format="svg")
    else:
        chart.save(path, format="png", scale_factor=scale)
    return path
