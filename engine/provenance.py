"""The software that made a figure: Tadmur, Altair and vl-convert versions.

A chart's caption names the log head and policy; these versions complete what is needed
to rebuild it byte for byte. :func:`engine.charts.save_chart` records them in the
chart's Vega-Lite ``usermeta`` (kept in the saved HTML's spec).

>>> sorted(software_versions())
['altair', 'tadmur', 'vl-convert']
"""

from __future__ import annotations

from importlib import metadata

from engine.version import __version__


def _installed(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def software_versions() -> dict[str, str]:
    """``{"tadmur": ..., "altair": ..., "vl-convert": ...}``, the versions in use."""
    return {
        "tadmur": __version__,
        "altair": _installed("altair"),
        "vl-convert": _installed("vl-convert-python"),
    }


def with_software_versions(chart):  # an altair TopLevelMixin; untyped to keep altair lazy
    """``chart`` with ``usermeta.software`` set to :func:`software_versions` (other
    ``usermeta`` keys are kept)."""
    import altair as alt

    existing = chart.usermeta if chart.usermeta is not alt.Undefined else {}
    return chart.properties(usermeta={**dict(existing), "software": software_versions()})
