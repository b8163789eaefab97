"""ACLED and UCDP rows: composed files read in, replay frames written out, round trips."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from engine.domain import replay
from engine.domain.errors import TadmurError
from engine.domain.testing import claim_events
from engine.interop import acled, ucdp
from engine.interop.actors import ACLED_ACTORS, UCDP_SIDES, tadmur_actor
from engine.interop.places import site_places

HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
    "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,"
    "source,source_scale,notes,fatalities,tags,timestamp"
)
GOV, IS = "Military Forces of Syria (2000-2024)", "Islamic State (Syria)"
TERRITORY = "Battles,Government regains territory"


def row(
    event_id: str,
    day: str,
    precision: int,
    event_type: str,
    actor1: str,
    actor2: str,
    location: str,
    lat: float,
    lon: float,
    notes: str = "written for this test",
) -> str:
    return (
        f"{event_id},{day},{day[:4]},{precision},Political violence,{event_type},{actor1},,"
        f"State forces,{actor2},,Rebel group,,,760,Middle East,Syria,Homs,Tadmur,,{location},"
        f"{lat},{lon},1,Test source,National,{notes},0,,1700000000"
    )


#: A small ACLED file composed for these tests (no ACLED data): three territory changes
#: at Palmyra, a withdrawal at al-Qaryatayn, and rows that must be left out.
ACLED_FILE = (
    "\n".join(
        [
            HEADER,
            row("SYR1", "2017-03-02", 1, TERRITORY, GOV, IS, "Tadmor", 34.5604, 38.2672),
            row(
                "SYR2",
                "2016-12-11",
                1,
                "Battles,Non-state actor overtakes territory",
                IS,
                GOV,
                "Tadmor",
                34.5604,
                38.2672,
                '"Notes with a comma, and\na line break"',
            ),
            row("SYR3", "2016-03-20", 2, TERRITORY, GOV, IS, "Tadmor", 34.5604, 38.2672),
            row(
                "SYR4", "2016-03-24", 1, "Battles,Armed clash", GOV, IS, "Tadmor", 34.5604, 38.2672
            ),
            row("SYR5", "2016-05-01", 1, TERRITORY, GOV, IS, "Off the coast", 34.9, 35.3),
            row(
                "SYR6",
                "2015-08-15",
                3,
                "Strategic developments,Non-violent transfer of territory",
                IS,
                GOV,
                "Al Qaryatayn",
                34.2283,
                37.2406,
            ),
            row(
                "SYR7",
                "2016-06-01",
                1,
                "Battles,Non-state actor overtakes territory",
                "Civilians (Syria)",
                GOV,
                "Tadmor",
                34.5604,
                38.2672,
            ),
        ]
    )
    + "\n"
)


def test_acled_territory_rows_become_claims_and_the_rest_is_reported():
    plan = acled.plan_import(ACLED_FILE, "acled_test", where="composed.csv")
    got = [
        (c.site_id, c.kind, c.gainer, c.loser, c.valid_from, c.valid_to, c.time_precision)
        for c in plan.claims
    ]
    assert got == [
        ("palmyra", "captured", "government", "isis", "2017-03-02", "2017-03-02", "day"),
        ("palmyra", "captured", "isis", "government", "2016-12-11", "2016-12-11", "day"),
        ("palmyra", "captured", "government", "isis", "2016-03-17", "2016-03-23", "week"),
        ("al_qaryatayn", "withdrew", "isis", "government", "2015-08-01", "2015-08-31", "month"),
    ]
    assert {c.claimant for c in plan.claims} == {"acled"}
    assert plan.skipped == {
        "not a territory change": [6],
        "no gazetteer site within 3 km": [7],
        "actors do not say who gained": [9],
    }
    assert "4 territory-change claims" in plan.describe()


def test_each_claim_quotes_its_own_csv_record_at_exact_offsets():
    plan = acled.plan_import(ACLED_FILE, "acled_test", where="composed.csv")
    for claim in plan.claims:
        ev = claim.evidence
        assert ACLED_FILE[ev["start"] : ev["end"]] == ev["text"]
        assert ev["text"].startswith("SYR")
        claim.validate()
    assert "a line break" in plan.claims[1].evidence["text"]  # a quoted newline stays in the record


def test_a_byte_order_mark_is_read_past_and_the_offsets_still_match_the_file():
    text = "\ufeff" + ACLED_FILE
    plan = acled.plan_import(text, "acled_test", where="bom.csv")
    assert len(plan.claims) == 4
    for claim in plan.claims:
        assert text[claim.evidence["start"] : claim.evidence["end"]] == claim.evidence["text"]


def test_bad_acled_input_names_the_line_and_a_hint():
    bad_date = ACLED_FILE.replace("2016-12-11,2016", "11/12/2016,2016")
    with pytest.raises(TadmurError, match=r"YYYY-MM-DD \(at composed.csv, line 3\)"):
        acled.plan_import(bad_date, "d", where="composed.csv")
    with pytest.raises(TadmurError, match=r"missing ACLED column\(s\) sub_event_type"):
        acled.plan_import(ACLED_FILE.replace("sub_event_type", "subtype"), "d", where="f.csv")
    with pytest.raises(TadmurError, match="time_precision '7'"):
        acled.plan_import(
            ACLED_FILE.replace("2017-03-02,2017,1", "2017-03-02,2017,7"), "d", where="f.csv"
        )
    with pytest.raises(TadmurError, match="never closed"):
        acled.plan_import(HEADER + '\nSYR1,"2017-03-02\n', "d", where="f.csv")


def test_actor_names_read_back_to_the_actors_they_were_written_from():
    assert {a: tadmur_actor(name) for a, (name, _) in ACLED_ACTORS.items()} == {
        a: a for a in ACLED_ACTORS
    }
    assert {a: tadmur_actor(name) for a, name in UCDP_SIDES.items()} == {a: a for a in UCDP_SIDES}
    assert tadmur_actor("Hayat Tahrir al-Sham") == "opposition"
    assert tadmur_actor("Civilians (Syria)") is None


def replayed_frames():
    """A replay of hand-built claims: Palmyra twice, Arak once, with evidence."""
    events = claim_events(
        [
            {
                "claim_id": "c1",
                "site_id": "palmyra",
                "gainer": "isis",
                "loser": "government",
                "valid_from": "2015-05-20",
                "valid_to": "2015-05-21",
                "claimant": "amaq",
                "doc_id": "d1",
                "evidence_text": "quote one",
                "evidence_start": 0,
                "evidence_end": 9,
            },
            {
                "claim_id": "c2",
                "site_id": "palmyra",
                "gainer": "government",
                "loser": "isis",
                "valid_from": "2016-03-27",
                "claimant": "sana",
                "doc_id": "d2",
                "evidence_text": "quote\ntwo",
                "evidence_start": 3,
                "evidence_end": 12,
            },
            {
                "claim_id": "c3",
                "site_id": "arak",
                "kind": "withdrew",
                "gainer": "isis",
                "loser": "government",
                "valid_from": "2015-05-01",
                "valid_to": "2015-05-31",
                "time_precision": "month",
                "claimant": "outlet",
                "doc_id": "d1",
                "evidence_text": "quote three",
                "evidence_start": 20,
                "evidence_end": 31,
            },
        ]
    )
    return replay(events)


NAMES = {"amaq": "Amaq News Agency", "sana": "SANA", "outlet": "The outlet"}
OUTLETS = {"d1": "alsouria.net", "d2": "anapress.net"}


def test_claims_export_in_acled_columns_with_the_evidence_in_the_notes():
    t = replayed_frames()
    table = acled.claims_to_acled(t.claims, OUTLETS, NAMES)
    assert tuple(table.columns) == acled.ACLED_COLUMNS
    got = table.select(
        "event_date",
        "time_precision",
        "sub_event_type",
        "actor1",
        "actor2",
        "location",
        "admin1",
        "admin2",
        "geo_precision",
    ).rows()
    assert got == [
        (
            dt.date(2015, 5, 16),
            3,
            "Non-violent transfer of territory",
            ACLED_ACTORS["isis"][0],
            ACLED_ACTORS["government"][0],
            "Arak",
            "Homs",  # the gazetteer's OCHA COD-AB names
            "Tadmor",
            1,
        ),
        (
            dt.date(2015, 5, 20),
            2,
            "Non-state actor overtakes territory",
            IS,
            GOV,
            "Palmyra",
            "Homs",
            "Tadmor",
            1,
        ),
        (
            dt.date(2016, 3, 27),
            1,
            "Government regains territory",
            GOV,
            IS,
            "Palmyra",
            "Homs",
            "Tadmor",
            1,
        ),
    ]
    notes = table["notes"].to_list()
    assert '"quote two"' in notes[2] and "d2 [3:12]" in notes[2]  # one line, exact span
    assert table["source"].to_list()[1] == "Amaq News Agency; alsouria.net"
    assert table["event_id_cnty"].to_list()[0] == "SYR-TADMUR-c3"


def test_swings_export_one_row_per_change_with_the_claims_behind_it():
    t = replayed_frames()
    table = acled.swings_to_acled(t.swings, t.claims, NAMES)
    assert table.select("location", "sub_event_type", "actor1").rows() == [
        ("Arak", "Non-violent transfer of territory", ACLED_ACTORS["isis"][0]),
        ("Palmyra", "Non-state actor overtakes territory", IS),
        ("Palmyra", "Government regains territory", GOV),
    ]
    assert "(c2)" in table["notes"].to_list()[2]


def test_acled_round_trip_keeps_site_sides_kind_and_a_window_that_holds_the_original(tmp_path):
    t = replayed_frames()
    exported = acled.claims_to_acled(t.claims, OUTLETS, NAMES)
    path = tmp_path / "out.csv"
    exported.write_csv(path, date_format="%Y-%m-%d")
    text = path.read_text(encoding="utf-8")
    back = acled.plan_import(text, "acled_rt", where=str(path)).claims
    original = {(c["site_id"], c["gainer"]): c for c in t.claims.iter_rows(named=True)}
    assert len(back) == len(original)
    for claim in back:
        before = original[(claim.site_id, claim.gainer)]
        assert (claim.kind, claim.loser) == (before["kind"], before["loser"])
        assert claim.valid_from <= before["valid_from"].isoformat()
        assert claim.valid_to >= before["valid_to"].isoformat()
    # and the second export of what came back is the first one, column for column
    again = acled.claims_to_acled(
        replay(
            claim_events(
                [
                    {
                        "claim_id": c.claim_id,
                        "site_id": c.site_id,
                        "kind": c.kind,
                        "gainer": c.gainer,
                        "loser": c.loser,
                        "valid_from": c.valid_from,
                        "valid_to": c.valid_to,
                        "time_precision": c.time_precision,
                        "claimant": "acled",
                        "doc_id": "acled_rt",
                        "evidence_text": c.evidence["text"],
                        "evidence_start": c.evidence["start"],
                        "evidence_end": c.evidence["end"],
                    }
                    for c in back
                ]
            )
        ).claims,
        {},
        {},
    )
    stable = [
        "event_date",
        "time_precision",
        "event_type",
        "sub_event_type",
        "actor1",
        "actor2",
        "admin1",
        "admin2",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
    ]
    assert again.select(stable).equals(exported.select(stable))


def test_ucdp_export_keeps_the_window_exactly_and_reads_back(tmp_path: Path):
    t = replayed_frames()
    table = ucdp.claims_to_ucdp(t.claims, OUTLETS, NAMES)
    assert tuple(table.columns) == ucdp.UCDP_COLUMNS and len(ucdp.UCDP_COLUMNS) == 45 + 0
    assert table.select("side_a", "side_b", "type_of_violence", "date_prec").rows() == [
        ("Government of Syria", "IS", 1, 4),
        ("Government of Syria", "IS", 1, 2),
        ("Government of Syria", "IS", 1, 1),
    ]
    assert table["best"].null_count() == table.height  # no deaths are claimed
    path = tmp_path / "ged.csv"
    table.write_csv(path, date_format="%Y-%m-%d")
    back = ucdp.read_ucdp(path)
    expected = t.claims.sort("site_id", "valid_from", "claim_id").select(
        "site_id", "gainer", "loser", date_start="valid_from", date_end="valid_to"
    )
    assert back.select(expected.columns).equals(expected)
    swings = ucdp.read_ucdp(_written(ucdp.swings_to_ucdp(t.swings, NAMES), tmp_path / "s.csv"))
    assert swings.select("site_id", "gainer", "date_start", "date_end").rows() == [
        (s["site_id"], s["to_controller"], s["window_start"], s["window_end"])
        for s in t.swings.sort("site_id", "window_start").iter_rows(named=True)
    ]


def _written(table: pl.DataFrame, path: Path) -> Path:
    table.write_csv(path, date_format="%Y-%m-%d")
    return path


def test_ucdp_reader_refuses_a_file_without_its_columns(tmp_path: Path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(TadmurError, match="missing GED column"):
        ucdp.read_ucdp(path)


def test_admin_names_come_from_gazetteer_columns_when_present():
    sites = pl.DataFrame(
        {
            "site_id": ["x"],
            "name_en": ["X town"],
            "lat": [34.0],
            "lon": [38.0],
            "coord_quality": ["confirmed"],
            "location_note": ["Homs Governorate"],
            "admin1_name_en": ["Homs"],
            "admin2_name_en": ["Tadmor"],
            "admin3_name_en": ["Tadmor"],
        }
    )
    place = site_places(sites)["x"]
    assert (place.admin1, place.admin2, place.admin3) == ("Homs", "Tadmor", "Tadmor")
    fallback = site_places(sites.drop("admin2_name_en", "admin3_name_en"))["x"]
    assert (fallback.admin2, fallback.admin3) == ("", "")
