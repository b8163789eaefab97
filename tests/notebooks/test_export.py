"""Static export: PNG and SVG with Arabic labels render through vl-convert, no browser.

Golden images would break with every font update, so we check what matters: the file
is a real image of a sane size, it is not blank, the Arabic text is there (SVG) and the
one font that covers Latin and Arabic is asked for.
"""

from __future__ import annotations

import datetime as dt
import struct
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import polars as pl
import pytest

from engine import charts
from engine.cli import main
from engine.domain.schema import CLAIMS, INTERVALS, enforce_schema, polars_schema

D = dt.date
CAPTION = "log seq 3 · 0badc0de · all claimants"


@pytest.fixture(scope="module")
def arabic_timeline():
    intervals = pl.DataFrame(
        [
            {
                "site_id": "palmyra",
                "controller": "isis",
                "status": "held",
                "start_earliest": D(2015, 5, 20),
                "start_latest": D(2015, 5, 21),
                "end_earliest": D(2016, 3, 27),
                "end_latest": D(2016, 3, 27),
                "n_claims": 1,
                "n_claimants": 1,
                "claim_ids": ["c1"],
            }
        ],
        schema=polars_schema(INTERVALS),
    )
    claims = pl.DataFrame(
        [
            {
                "claim_id": "c1",
                "seq": 2,
                "doc_id": "d1",
                "published_date": D(2015, 5, 21),
                "site_id": "palmyra",
                "kind": "captured",
                "gainer": "isis",
                "loser": "government",
                "valid_from": D(2015, 5, 20),
                "valid_to": D(2015, 5, 21),
                "time_precision": "day",
                "claimant": "amaq",
                "denied": False,
                "confidence": 1.0,
                "extractor": "manual",
                "evidence_text": "سيطر التنظيم على تدمر",
                "evidence_start": 0,
                "evidence_end": 21,
            }
        ],
        schema=polars_schema(CLAIMS),
    )
    return charts.timeline_chart(
        enforce_schema(intervals, INTERVALS, "t"),
        enforce_schema(claims, CLAIMS, "c"),
        CAPTION,
        title="السيطرة على المواقع — Control of sites",
    )


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def png_ink(data: bytes) -> float:
    """Share of non-white bytes in the decoded scanlines (0: a blank image)."""
    chunks, offset = [], 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        if kind == b"IDAT":
            chunks.append(data[offset + 8 : offset + 8 + length])
        offset += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    return sum(1 for b in raw[::7] if b not in (0, 255)) / max(1, len(raw[::7]))


def test_png_with_arabic_labels_renders_at_a_sane_size(arabic_timeline, tmp_path: Path):
    path = charts.save_chart(arabic_timeline, tmp_path / "timeline.png")
    data = path.read_bytes()
    width, height = png_size(data)
    assert 600 < width < 4000 and 150 < height < 3000, (width, height)
    assert 20_000 < len(data) < 5_000_000
    assert png_ink(data) > 0.005, "the PNG is blank"


def test_svg_keeps_the_arabic_text_and_asks_for_dejavu_sans(arabic_timeline, tmp_path: Path):
    path = charts.save_chart(arabic_timeline, tmp_path / "timeline.svg")
    svg = path.read_text(encoding="utf-8")
    ET.fromstring(svg)  # well-formed
    assert 5_000 < len(svg) < 2_000_000
    assert "تدمر" in svg and "السيطرة على المواقع" in svg
    assert "DejaVu Sans" in svg
    assert svg.count("<path") > 3


@pytest.mark.parametrize("suffix", [".png", ".svg", ".html"])
def test_tadmur_chart_palmyra_writes_the_showcase_from_the_committed_log(
    suffix, tmp_path: Path, capsys
):
    out = tmp_path / f"palmyra{suffix}"
    assert main(["chart", "palmyra", "--out", str(out)]) == 0
    assert "log seq" in capsys.readouterr().err
    assert out.stat().st_size > 5_000
    if suffix == ".png":
        assert png_ink(out.read_bytes()) > 0.005
    if suffix == ".svg":
        assert "تدمر" in out.read_text(encoding="utf-8")


def test_tadmur_chart_is_byte_identical_for_the_same_log_and_policy(tmp_path: Path):
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    for out in (first, second):
        assert main(["chart", "palmyra_area", "--known-by", "2016-12-12", "--out", str(out)]) == 0
    assert first.read_bytes() == second.read_bytes()


def test_tadmur_chart_draws_a_map_on_a_day(tmp_path: Path):
    out = tmp_path / "map.svg"
    assert main(["chart", "all", "--on", "2016-06-01", "--out", str(out)]) == 0
    assert "Control on 2016-06-01" in out.read_text(encoding="utf-8")


def test_tadmur_chart_refuses_an_unknown_target_with_a_hint(tmp_path: Path, capsys):
    assert main(["chart", "tadmor", "--out", str(tmp_path / "x.png")]) == 2
    err = capsys.readouterr().err
    assert "neither a site id nor a region id" in err and "Hint:" in err
