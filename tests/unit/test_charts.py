"""engine.charts at the spec level: encodings, palette, subtitles, determinism, offline HTML.

Built from small hand-made frames that follow engine/domain/schema.py exactly, so these
tests pin the chart contract without depending on the replay or the committed log.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

import polars as pl
import pytest

from engine import charts
from engine.domain.errors import TadmurError
from engine.domain.schema import CLAIMS, INTERVALS, SNAPSHOT, SWINGS, enforce_schema, polars_schema

D = dt.date
CAPTION = "log seq 12 · 3fa9c1d2 · all claimants"
CDNS = ("cdn.jsdelivr.net", "esm.sh", "unpkg.com", "cdnjs.cloudflare.com")


def _frame(rows: list[tuple], columns) -> pl.DataFrame:
    frame = pl.DataFrame([dict(zip(columns, row)) for row in rows], schema=polars_schema(columns))
    return enforce_schema(frame, columns, "fixture")


@pytest.fixture(scope="module")
def claims() -> pl.DataFrame:
    rows = [
        (
            "c1",
            2,
            "d1",
            D(2015, 5, 21),
            "palmyra",
            "captured",
            "isis",
            "government",
            D(2015, 5, 20),
            D(2015, 5, 21),
            "day",
            "amaq",
            False,
            1.0,
            "manual",
            "سيطر مقاتلو الدولة الإسلامية على مدينة تدمر",
            0,
            43,
        ),
        (
            "c2",
            3,
            "d2",
            D(2015, 5, 22),
            "palmyra",
            "withdrew",
            "isis",
            "government",
            D(2015, 5, 20),
            D(2015, 5, 21),
            "day",
            "sohr",
            False,
            1.0,
            "manual",
            "انسحبت قوات النظام من تدمر",
            0,
            26,
        ),
        (
            "c3",
            5,
            "d3",
            D(2016, 3, 27),
            "palmyra",
            "captured",
            "government",
            "isis",
            D(2016, 3, 27),
            D(2016, 3, 27),
            "day",
            "sana",
            False,
            1.0,
            "manual",
            "الجيش يستعيد السيطرة على مدينة تدمر",
            0,
            35,
        ),
        (
            "c4",
            7,
            "d4",
            D(2016, 12, 12),
            "t4_airbase",
            "besieged",
            "isis",
            "government",
            D(2016, 12, 12),
            D(2016, 12, 14),
            "days",
            "sohr",
            False,
            1.0,
            "manual",
            "حاصر التنظيم مطار التيفور",
            0,
            25,
        ),
    ]
    return _frame(rows, CLAIMS)


@pytest.fixture(scope="module")
def intervals() -> pl.DataFrame:
    rows = [
        (
            "palmyra",
            "isis",
            "held",
            D(2015, 5, 20),
            D(2015, 5, 21),
            D(2016, 3, 27),
            D(2016, 3, 27),
            2,
            2,
            ["c1", "c2"],
        ),
        ("palmyra", "government", "held", D(2016, 3, 27), D(2016, 3, 27), None, None, 1, 1, ["c3"]),
        (
            "t4_airbase",
            "government",
            "besieged",
            D(2016, 12, 12),
            D(2016, 12, 14),
            None,
            None,
            1,
            1,
            ["c4"],
        ),
        (
            "t4_airbase",
            "isis",
            "contested",
            D(2016, 1, 1),
            D(2016, 1, 10),
            D(2016, 12, 12),
            D(2016, 12, 14),
            0,
            0,
            [],
        ),
    ]
    return _frame(rows, INTERVALS)


@pytest.fixture(scope="module")
def swings() -> pl.DataFrame:
    rows = [
        (
            "palmyra",
            None,
            "isis",
            D(2015, 5, 20),
            D(2015, 5, 21),
            2,
            ["amaq", "sohr"],
            ["c1", "c2"],
        ),
        ("palmyra", "isis", "government", D(2016, 3, 27), D(2016, 3, 27), 1, ["sana"], ["c3"]),
    ]
    return _frame(rows, SWINGS)


@pytest.fixture(scope="module")
def snapshot() -> pl.DataFrame:
    rows = [
        ("palmyra", "isis", "held", False, D(2015, 5, 20), D(2015, 5, 21)),
        ("shaer_gas_field", "isis", "held", True, D(2016, 1, 1), D(2016, 1, 9)),
    ]
    return _frame(rows, SNAPSHOT)


def _layers(spec: dict) -> list[dict]:
    """Every unit spec (one with a mark) inside a chart spec."""
    found = []
    if "mark" in spec:
        found.append(spec)
    for key in ("layer", "vconcat", "hconcat", "concat"):
        for part in spec.get(key, []):
            found.extend(_layers(part))
    return found


def _layer(spec: dict, name: str) -> dict:
    return next(
        u for u in _layers(spec) if name in (u.get("name"), u.get("name", "").rsplit("_", 1)[0])
    )


def test_the_palette_is_fixed_colour_blind_safe_and_covers_every_controller():
    assert tuple(charts.PALETTE) == (
        "isis",
        "government",
        "opposition",
        "sdf",
        "contested",
        "unknown",
    )
    okabe_ito = {
        "#000000",
        "#E69F00",
        "#56B4E9",
        "#009E73",
        "#F0E442",
        "#0072B2",
        "#D55E00",
        "#CC79A7",
    }
    colours = list(charts.PALETTE.values())
    assert len(set(colours)) == len(colours)
    assert set(colours) - okabe_ito == {"#999999"}  # grey for "unknown"
    assert charts.SIEGE_COLOUR not in colours


def test_timeline_bars_are_coloured_by_controller_with_the_fixed_palette(intervals, claims):
    spec = charts.timeline_chart(intervals, claims, CAPTION).to_dict()
    bars = _layer(spec, "bars")
    colour = bars["encoding"]["color"]
    assert colour["field"] == "colour_key"
    assert colour["scale"] == {
        "domain": list(charts.PALETTE),
        "range": list(charts.PALETTE.values()),
    }
    assert (
        bars["encoding"]["x"]["field"] == "bar_from" and bars["encoding"]["x2"]["field"] == "bar_to"
    )
    assert bars["encoding"]["y"]["field"] == "site_label"


def test_contested_and_unknown_states_take_their_own_colours():
    frame = pl.DataFrame(
        {
            "controller": ["sdf", "isis", "martians", None],
            "status": ["besieged", "contested", "held", "unknown"],
        }
    )
    assert frame.select(charts.controller_key())["colour_key"].to_list() == [
        "sdf",
        "contested",
        "unknown",
        "unknown",
    ]


def test_uncertain_start_windows_have_a_channel_of_their_own_not_a_paler_colour(intervals, claims):
    spec = charts.timeline_chart(intervals, claims, CAPTION).to_dict()
    band = _layer(spec, "bands")
    # a dark line under the bar: neither a controller colour nor a faded one
    assert band["mark"]["type"] == "rule" and band["mark"]["yOffset"] > 0
    assert "color" not in band["encoding"] and "opacity" not in band["mark"]
    bars = _layer(spec, "bars")
    assert "opacity" not in bars["mark"] and "opacity" not in bars["encoding"]
    assert (band["encoding"]["x"]["field"], band["encoding"]["x2"]["field"]) == (
        "band_from",
        "band_to",
    )
    drawn = charts.interval_frame(intervals, claims)
    first = drawn.filter(pl.col("site_id") == "palmyra").row(0, named=True)
    assert (first["band_from"], first["band_to"]) == (D(2015, 5, 20), D(2015, 5, 21))
    assert first["bar_from"] == D(2015, 5, 21)


def test_open_intervals_run_to_the_end_of_the_data_year_not_to_today(intervals, claims):
    drawn = charts.interval_frame(intervals, claims)
    open_ended = drawn.filter(
        (pl.col("site_id") == "palmyra") & (pl.col("colour_key") == "government")
    )
    assert open_ended["bar_to"].item() == D(2016, 12, 31)
    assert drawn.schema["bar_from"] == pl.Date and drawn.schema["band_to"] == pl.Date


def test_sieges_get_an_overlay_of_their_own(intervals, claims):
    spec = charts.timeline_chart(intervals, claims, CAPTION).to_dict()
    siege = _layer(spec, "siege")
    assert siege["mark"]["color"] == charts.SIEGE_COLOUR
    assert siege["transform"] == [{"filter": "datum.siege"}]
    rows = spec["datasets"][siege["data"]["name"]]
    assert [r["site_id"] for r in rows if r["siege"]] == ["t4_airbase"]  # from the status
    # the replay's own `siege` column wins: a siege under any status
    held = intervals.with_columns(siege=pl.col("site_id") == "palmyra")
    rows = charts.timeline_chart(held, claims, CAPTION).to_dict()["datasets"]["intervals"]
    assert sorted({r["site_id"] for r in rows if r["siege"]}) == ["palmyra"]


def test_each_supporting_claim_is_a_tick_with_claimant_window_and_arabic_evidence(
    intervals, claims
):
    spec = charts.timeline_chart(intervals, claims, CAPTION).to_dict()
    ticks = _layer(spec, "claims")
    assert ticks["mark"]["type"] == "tick"
    tooltip = {t["field"] for t in ticks["encoding"]["tooltip"]}
    assert {"claimant_name", "window", "evidence", "doc_id"} <= tooltip
    rows = spec["datasets"][ticks["data"]["name"]]
    assert len(rows) == 4
    first = next(r for r in rows if r["claimant"] == "amaq")
    assert first["window"] == "2015-05-20 – 2015-05-21"
    assert first["claimant_name"] == "Amaq News Agency"
    # an Arabic quote is isolated right to left inside the tooltip
    assert first["evidence"] == "\u2067سيطر مقاتلو الدولة الإسلامية على مدينة تدمر\u2069"


def test_dates_reach_the_spec_as_plain_days_without_a_time_zone(intervals, claims):
    spec = charts.timeline_chart(intervals, claims, CAPTION).to_dict()
    rows = spec["datasets"][_layer(spec, "bars")["data"]["name"]]
    assert rows[0]["bar_from"] == "2015-05-21T00:00:00"


def test_every_chart_names_its_input_in_the_subtitle(intervals, claims, swings, snapshot):
    built = [
        charts.timeline_chart(intervals, claims, CAPTION),
        charts.timeline_chart(intervals, claims, CAPTION, interactive=True),
        charts.swings_chart(intervals, swings, claims, CAPTION),
        charts.map_chart(snapshot, D(2016, 1, 5), CAPTION),
    ]
    for chart in built:
        spec = chart.to_dict()
        if "vconcat" in spec and spec["vconcat"][1].get("name") == "caption":
            # the explorer's chart: the caption is a dataset drawn above the timeline
            assert spec["datasets"]["caption"] == [{"text": CAPTION}]
        else:
            assert spec["title"]["subtitle"][0] == CAPTION
        assert spec["config"]["font"] == "DejaVu Sans"


def test_same_inputs_give_byte_identical_json(intervals, claims, swings, snapshot):
    def build_all() -> list[str]:
        return [
            charts.timeline_chart(intervals, claims, CAPTION).to_json(),
            charts.timeline_chart(intervals, claims, CAPTION, interactive=True).to_json(),
            charts.swings_chart(intervals, swings, claims, CAPTION).to_json(),
            charts.map_chart(snapshot, D(2016, 1, 5), CAPTION).to_json(),
        ]

    first = build_all()
    assert build_all() == first  # no counters (view_1, param_2...) leak into the spec
    reordered = charts.timeline_chart(intervals.reverse(), claims.reverse(), CAPTION).to_json()
    assert reordered == first[0]


def test_the_click_selection_is_bound_to_the_control_bars_only(intervals, claims):
    spec = charts.timeline_chart(intervals, claims, CAPTION, interactive=True).to_dict()
    params = {p["name"]: p for p in spec["params"]}
    assert params["pick"]["select"]["fields"] == ["interval_id", "bar_from"]  # bar_from: the map's day
    assert params["pick"]["views"] == [_layer(spec, "bars")["name"]]
    assert params["brush"]["select"]["encodings"] == ["x"]
    assert params["brush"]["views"] == ["overview"]


def test_swings_chart_labels_each_swing_and_gives_each_claimant_a_row(intervals, swings, claims):
    spec = charts.swings_chart(intervals, swings, claims, CAPTION).to_dict()
    texts = [u for u in _layers(spec) if u["mark"]["type"] == "text"]
    assert texts[0]["encoding"]["text"]["field"] == "label"
    labelled = [rows for rows in spec["datasets"].values() if rows and "label" in rows[0]]
    assert [r["label"] for r in labelled[0]] == ["→ isis 21 May 2015", "→ government 27 Mar 2016"]
    sources = spec["vconcat"][1]
    assert sources["layer"][0]["encoding"]["y"]["field"] == "claimant_name"
    said = next(u for u in sources["layer"] if u["mark"]["type"] == "circle")
    rows = spec["datasets"][said.get("data", sources.get("data"))["name"]]
    assert {r["claimant"] for r in rows} == {"amaq", "sohr", "sana"}


def test_map_draws_the_shipped_outline_and_marks_approximate_coordinates(snapshot):
    spec = charts.map_chart(snapshot, D(2016, 1, 5), CAPTION).to_dict()
    shapes = [u for u in _layers(spec) if u["mark"]["type"] == "geoshape"]
    roles = [f["properties"]["role"] for f in shapes[0]["data"]["values"]]
    assert roles == ["governorate"] * 14 + ["river"]  # OCHA's governorates, shipped
    assert any("OCHA Syria COD-AB, CC BY-IGO" in line for line in spec["title"]["subtitle"])
    circles = next(u for u in _layers(spec) if u["mark"]["type"] == "circle")
    assert circles["encoding"]["size"]["field"] == "coord_quality"
    assert circles["encoding"]["size"]["scale"]["domain"] == ["confirmed", "approximate"]
    rows = {r["site_id"]: r for r in spec["datasets"][circles["data"]["name"]]}
    assert rows["shaer_gas_field"]["coord_quality"] == "approximate"
    assert rows["palmyra"]["colour_key"] == "isis"
    assert "http" not in json.dumps(spec["layer"][0]["data"])  # no tiles, no network


def test_ticks_are_grouped_in_polars_so_no_layer_reaches_altairs_row_limit():
    n = 9000
    many = pl.DataFrame(
        {
            "claim_id": [f"c{i}" for i in range(n)],
            "seq": list(range(n)),
            "site_id": ["palmyra"] * n,
            "kind": ["captured"] * n,
            "gainer": ["isis"] * n,
            "claimant": ["amaq"] * n,
            "valid_from": [D(2010, 1, 1) + dt.timedelta(days=i % 3000) for i in range(n)],
            "valid_to": [D(2010, 1, 2) + dt.timedelta(days=i % 3000) for i in range(n)],
            "published_date": [D(2020, 1, 1)] * n,
            "doc_id": ["d"] * n,
            "evidence_text": ["x"] * n,
        }
    )
    ticks = charts.claim_ticks(many)
    assert ticks.height < charts.MAX_ROWS
    assert ticks["n_claims"].sum() == n
    with pytest.raises(TadmurError, match="would inline 5001 rows"):
        charts.fit_rows(pl.DataFrame({"a": range(5001)}), "demo")


def test_sites_for_resolves_regions_sites_with_their_children_and_refuses_unknowns():
    assert "deir_ez_zor_airbase" in charts.sites_for("deir_ez_zor")
    assert charts.sites_for("palmyra_airport") == ["palmyra_airport"]
    assert "t4_airbase" in charts.sites_for("palmyra_area")
    with pytest.raises(TadmurError, match="neither a site id nor a region id"):
        charts.sites_for("tadmor")


def test_saved_html_is_self_contained_and_names_no_cdn(intervals, claims, tmp_path):
    path = charts.save_chart(charts.timeline_chart(intervals, claims, CAPTION), tmp_path / "t.html")
    html = path.read_text(encoding="utf-8")
    assert "vegaEmbed(" in html and "log seq 12" in html
    assert not [cdn for cdn in CDNS if cdn in html]
    assert "<script src=" not in html


def test_saving_refuses_unknown_formats(tmp_path):
    with pytest.raises(TadmurError, match="cannot write a chart as '.pdf'"):
        charts.save_chart(
            charts.map_chart(pl.DataFrame(schema=polars_schema(SNAPSHOT)), D(2016, 1, 1), CAPTION),
            tmp_path / "x.pdf",
        )


def test_building_charts_never_imports_pandas(intervals, claims):
    charts.timeline_chart(intervals, claims, CAPTION).to_json()
    assert "pandas" not in sys.modules


def test_claim_ticks_coarsen_until_any_log_fits_under_the_tick_limit():
    from engine.charts import TICK_LIMIT, claim_ticks
    from engine.domain import replay
    from engine.synth import synth_claim_events

    claims = replay(synth_claim_events(60_000, n_sites=62, seed=3)).claims
    ticks = claim_ticks(claims)
    assert ticks.height <= TICK_LIMIT
    assert ticks["n_claims"].sum() == claims.height  # every claim is still counted


def _with_replay_extras(intervals: pl.DataFrame) -> pl.DataFrame:
    """The intervals as the new replay gives them: open_start, support and dissents."""
    return intervals.with_columns(
        open_start=pl.Series([False, False, False, True]),
        support=pl.Series([1.0, 0.6, 1.0, 1.0]),
        n_dissents=pl.Series([0, 1, 0, 0], dtype=pl.UInt32),
        dissent_ids=pl.Series([[], ["c2"], [], []], dtype=pl.List(pl.String)),
    )


def test_support_and_dissenting_claims_are_drawn_when_the_replay_gives_them(intervals, claims):
    spec = charts.timeline_chart(_with_replay_extras(intervals), claims, CAPTION).to_dict()
    bars = _layer(spec, "bars")
    assert "support < 1" in json.dumps(bars["encoding"]["strokeDash"])
    government = next(r for r in spec["datasets"]["intervals"] if r["colour_key"] == "government"
                      and r["site_id"] == "palmyra")
    assert (government["support"], government["n_dissents"]) == (0.6, 1)
    assert [r["claim_ids"] if "claim_ids" in r else r["claimant"] for r in spec["datasets"]["dissents"]] == ["sohr"]
    assert _layer(spec, "dissents")["mark"]["shape"] == "cross"
    # without the new columns: full support, no dissent, nothing breaks
    plain = charts.timeline_chart(intervals, claims, CAPTION).to_dict()
    assert {r["support"] for r in plain["datasets"]["intervals"]} == {1.0}
    assert plain["datasets"]["dissents"] == []


def test_who_held_a_site_before_its_first_swing_is_drawn_from_the_window_start(intervals, claims):
    opened = _with_replay_extras(intervals).with_columns(  # the replay leaves its start open
        start_earliest=pl.when(pl.col("open_start")).then(None).otherwise(pl.col("start_earliest")),
        start_latest=pl.when(pl.col("open_start")).then(None).otherwise(pl.col("start_latest")),
    )
    drawn = charts.interval_frame(opened, claims, window=(D(2015, 1, 1), D(2017, 12, 31)))
    before = drawn.filter(pl.col("open_start"))
    assert before["since"].to_list() == ["before the first evidence"]
    assert before["bar_from"].item() == D(2015, 1, 1) and before["bar_to"].item() == D(2016, 12, 12)


def test_the_time_domain_is_fixed_and_open_intervals_end_on_the_known_by_day(intervals, claims):
    window = (D(2015, 1, 1), D(2017, 12, 31))
    early = charts.timeline_chart(intervals.head(1), claims, CAPTION, window=window,
                                  known_by=D(2015, 8, 1)).to_dict()
    late = charts.timeline_chart(intervals, claims, CAPTION, window=window).to_dict()
    assert _layer(early, "bars")["encoding"]["x"]["scale"] == _layer(late, "bars")["encoding"]["x"]["scale"]
    assert early["datasets"]["known_by"] == [{"day": "2015-08-01T00:00:00", "label": "known by 2015-08-01"}]
    assert _layer(early, "known_by_rule")["mark"]["type"] == "rule"
    drawn = charts.interval_frame(intervals, claims, window=window, known_by=D(2016, 6, 1))
    open_ended = drawn.filter((pl.col("site_id") == "palmyra") & (pl.col("colour_key") == "government"))
    assert open_ended["bar_to"].item() == D(2016, 6, 1)


def test_month_ticks_uncut_site_names_and_a_credit_line(intervals, claims):
    spec = charts.timeline_chart(intervals, claims, CAPTION).to_dict()
    x = _layer(spec, "bars")["encoding"]["x"]["axis"]
    assert x["tickCount"]["interval"] == "month" and x["format"] == "%b %Y"
    assert _layer(spec, "bars")["encoding"]["y"]["axis"]["labelLimit"] == 0
    assert any("OCHA" in line for line in spec["title"]["subtitle"])


def test_interval_ids_name_the_same_bar_whatever_the_policy(intervals, claims):
    whole = charts.interval_frame(intervals, claims)["interval_id"].to_list()
    part = charts.interval_frame(intervals.tail(2), claims)["interval_id"].to_list()
    assert set(part) <= set(whole) and len(set(whole)) == len(whole)


def test_tooltips_isolate_latin_and_digit_runs_inside_arabic_quotes(intervals, claims):
    mixed = claims.with_columns(evidence_text=pl.lit("سيطر التنظيم على تدمر في 2015-05-20"))
    ticks = charts.claim_ticks(mixed.head(1))
    assert ticks["evidence"].item() == "\u2067سيطر التنظيم على تدمر في \u20682015-05-20\u2069\u2069"
    english = claims.with_columns(evidence_text=pl.lit("Palmyra (تدمر), 2016-03-27: recaptured"))
    assert charts.claim_ticks(english.head(1))["evidence"].item().startswith("\u2066Palmyra (تدمر), \u20682016-03-27\u2069")
    assert mixed["evidence_text"][0].endswith(" 2015-05-20")  # the stored text is untouched


def test_sites_sharing_a_spot_are_spread_so_none_hides_another():
    sites = pl.DataFrame({"site_id": ["qaryatayn", "hill_1", "hill_2", "hill_3"], "kind": ["town", "hill", "hill", "hill"],
                          "lat": [34.23] * 4, "lon": [37.24] * 4})
    spread = charts.spread_piles(sites)
    assert spread.filter(pl.col("site_id") == "qaryatayn")[["lat", "lon"]].row(0) == (34.23, 37.24)
    assert spread.select(pl.struct("lat", "lon").n_unique()).item() == 4
    assert spread["lat_true"].to_list() == [34.23] * 4


def test_the_explorers_map_draws_the_timelines_rows_and_is_linked_to_it(intervals, claims):
    places = pl.DataFrame({"site_id": ["palmyra", "t4_airbase"], "lat": [34.55, 34.52], "lon": [38.27, 37.62]})
    window = (D(2015, 1, 1), D(2017, 12, 31))
    rows = charts.timeline.timeline_rows(intervals, claims, window=window, places=places)
    spec = charts.timeline.timeline_layout(rows, ["a", "b"], window, CAPTION, interactive=True).to_dict()
    params = {p["name"]: p for p in spec["params"]}
    assert "pick" in params["map_day"]["expr"]  # a clicked bar moves the map
    assert params["place"]["views"] == [_layer(spec, "places")["name"]]
    assert _layer(spec, "places")["data"] == {"name": "intervals"}  # the same rows
    assert {"lat", "lon"} <= set(spec["datasets"]["intervals"][0])
    assert "place" in json.dumps(_layer(spec, "bars")["encoding"]["strokeWidth"])  # site -> row
