"""The explorer and the map player, driven from Python as a notebook would (no browser).

The browser tier (tests/browser) checks that the same controls work in JupyterLab; here
we pin the Python side: every control replays the committed log under the right policy,
a click or a brush lists the right claims, and the map player only moves a parameter.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest

from engine import widgets
from engine.project import replay_log


@pytest.fixture(scope="module")
def replayed():
    return replay_log()


@pytest.fixture
def explorer(replayed):
    return widgets.Explorer(replayed, target="palmyra")


def _palmyra_bars(explorer) -> int:
    return explorer.bars.filter(pl.col("site_id") == "palmyra").height


def test_the_explorer_starts_from_the_replay_it_was_given(explorer, replayed):
    assert replayed.caption() in explorer.status.value
    assert explorer.known_by.value == "all"
    assert all(toggle.value for toggle in explorer.toggles.values())
    assert _palmyra_bars(explorer) == 4
    assert "tadmur-explorer" in explorer.widget._dom_classes


def test_sliding_known_by_back_replays_what_was_published_then(explorer):
    first_chart = explorer.chart
    explorer.known_by.value = explorer.known_by.options[0][1]  # the earliest publication
    assert explorer.policy().known_by == explorer.known_by.value
    assert "known by" in explorer.status.value
    assert _palmyra_bars(explorer) < 4
    assert explorer.chart is not first_chart and explorer.chart_box.children == (explorer.chart,)
    assert first_chart.comm is None  # the old chart widget was closed, not leaked


def test_switching_a_claimant_off_distrusts_it(explorer):
    explorer.toggles["reference"].value = False
    assert explorer.policy().distrust == frozenset({"reference"})
    assert "not reference" in explorer.status.value
    assert _palmyra_bars(explorer) == 3  # no article reports the March 2017 recapture
    explorer.toggles["reference"].value = True
    assert _palmyra_bars(explorer) == 4


def test_picking_another_site_or_a_region_redraws(explorer):
    explorer.picker.value = "palmyra_area"
    assert explorer.bars["site_id"].n_unique() > 5


def test_clicking_a_bar_lists_the_claims_behind_it(explorer):
    bar = explorer.bars.filter(pl.col("site_id") == "palmyra").row(0, named=True)
    explorer.choose_interval(bar["interval_id"])
    shown = explorer.shown_claims()
    assert sorted(shown["claim_id"]) == sorted(bar["claim_ids"])
    assert explorer.selection_note.value == f"claims behind {bar['interval_id']}"
    assert explorer.table.value.count("<tr>") == len(bar["claim_ids"]) + 1
    explorer.choose_interval(None)
    assert explorer.selection_note.value == "all believed claims for these sites"


def test_brushing_a_valid_time_window_filters_the_table(explorer):
    start, end = dt.date(2016, 12, 1), dt.date(2016, 12, 31)
    to_ms = [float((d - dt.date(1970, 1, 1)).days * 86_400_000) for d in (start, end)]
    selections = dict(explorer.chart._vl_selections)
    selections["brush"] = {"value": {"bar_from": to_ms}, "store": []}
    explorer.chart._vl_selections = selections  # what the browser sends after a drag
    assert explorer.brushed_window() == (start, end)
    shown = explorer.shown_claims()
    assert shown.height > 0
    assert shown.filter((pl.col("valid_to") < start) | (pl.col("valid_from") > end)).height == 0


def test_the_claims_table_escapes_and_sets_the_direction_of_quotes():
    claims = pl.DataFrame(
        {
            "claim_id": ["c1"],
            "site_id": ["palmyra"],
            "kind": ["captured"],
            "gainer": ["isis"],
            "claimant": ["amaq"],
            "doc_id": ["d1"],
            "valid_from": [dt.date(2015, 5, 20)],
            "valid_to": [dt.date(2015, 5, 21)],
            "published_date": [None],
            "evidence_text": ['<script>alert("x")</script> سيطر'],
        },
        schema_overrides={"published_date": pl.Date},
    )
    html = widgets.claims_table_html(claims)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<td dir="auto"' in html
    assert widgets.claims_table_html(claims.head(0)).startswith("<p")


def test_evidence_is_highlighted_and_overlapping_spans_merge():
    text = "قال المصدر: سيطر التنظيم على تدمر والمطار."
    claims = [
        {
            "evidence_start": 12,
            "evidence_end": 33,
            "site_id": "palmyra",
            "kind": "captured",
            "gainer": "isis",
        },
        {
            "evidence_start": 12,
            "evidence_end": 41,
            "site_id": "palmyra_airport",
            "kind": "captured",
            "gainer": "isis",
        },
    ]
    html = widgets.evidence_html(text, claims)
    assert html.count("<mark") == 1
    assert "palmyra: captured → isis; palmyra_airport: captured → isis" in html
    assert html.startswith('<div dir="rtl"')


def test_the_map_player_starts_where_asked_and_then_moves_one_parameter(replayed):
    june = dt.date(2016, 6, 1)
    player = widgets.MapPlayer(replayed, start=june)
    index = player.days.index(june)
    # the start is baked into the spec: the browser reports the spec's value on display
    assert [p["value"] for p in player.chart.spec["params"] if p["name"] == "day"] == [index]
    labels = next(rows for rows in player.chart.spec["datasets"].values() if "label" in rows[0])
    assert [r["label"] for r in labels] == [d.isoformat() for d in player.days]  # same indices
    assert player.slider.value == player.play.value == index
    spec = player.chart.spec
    player.show(dt.date(2016, 12, 1))
    assert player.chart.params.day == player.days.index(dt.date(2016, 12, 1))
    assert player.play.value == player.slider.value
    assert player.chart.spec is spec  # nothing was rebuilt
    assert player.days[0].day == 1 and player.days == sorted(player.days)


def test_only_the_widgets_module_imports_ipywidgets():
    # (altair itself loads ipywidgets at import when anywidget is installed, so this is a
    # rule about our source, not about sys.modules)
    engine = Path(widgets.__file__).resolve().parent
    pattern = re.compile(r"^\s*(import ipywidgets|from ipywidgets)", re.MULTILINE)
    importers = sorted(
        str(p.relative_to(engine))
        for p in engine.rglob("*.py")
        if pattern.search(p.read_text(encoding="utf-8"))
    )
    assert importers == ["widgets.py"]
