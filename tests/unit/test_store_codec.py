"""One log line in, one event or one clear error out: hostile lines never raise anything
but a TadmurError that names the line (no disk here)."""

from __future__ import annotations

import json

import pytest

from engine.domain.errors import InvalidEvent, LogCorrupted, TadmurError
from engine.domain.events import ClaimRetracted, canonical_json, sha256_hex
from engine.store.codec import GENESIS_HASH, decode_line, encode_line

STAMP = "2026-01-01T00:00:00.000000Z"
GOOD, _ = encode_line(7, ClaimRetracted("c1", "misread"), STAMP, GENESIS_HASH)
GOOD = GOOD.rstrip("\n")


def forged(**changes) -> str:
    """GOOD with fields replaced and a *valid* hash recomputed, in the writer's form."""
    record = json.loads(GOOD)
    del record["hash"]
    data = changes.pop("data", None)
    if isinstance(data, dict):
        record["data"] = {**record["data"], **data}
    elif data is not None:
        record["data"] = data
    record.update(changes)
    record["hash"] = sha256_hex(canonical_json(record))
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def test_a_written_line_reads_back():
    assert decode_line(GOOD, 7).event == ClaimRetracted("c1", "misread")


@pytest.mark.parametrize("changes, message", [
    ({"seq": "7"}, "seq must be a positive integer, found '7'"),
    ({"seq": True}, "seq must be a positive integer, found True"),
    ({"seq": 0}, "seq must be a positive integer, found 0"),
    ({"type": ["ClaimRetracted"]}, "type must be a string, found ['ClaimRetracted']"),
    ({"recorded_at": 5}, "recorded_at must be a UTC time"),
    ({"recorded_at": "yesterday"}, "recorded_at must be a UTC time"),
    ({"prev_hash": None}, "prev_hash must be 64 hex digits, found None"),
    ({"event_id": 12}, "event_id must be 32 hex digits, found 12"),
    ({"schema": "1"}, "schema must be a positive integer"),
    ({"schema": 2}, "schema version 2 is newer than this Tadmur understands (1)"),
    ({"data": []}, "data must be an object, found []"),
    ({"type": "ClaimExploded"}, "unknown event type 'ClaimExploded'"),
    ({"data": {"reason": {"why": 1}}}, "ClaimRetracted.reason must be str, found {'why': 1}"),
    ({"data": {"claim_id": 5}}, "ClaimRetracted.claim_id must be str, found 5"),
    ({"data": {"extra": 1}}, "ClaimRetracted needs fields"),
])
def test_a_whole_line_with_a_valid_hash_but_wrong_content_names_line_and_field(changes, message):
    """Bug pinned: wrong types behind a valid hash raised TypeError/AttributeError (or were
    accepted, e.g. recorded_at=5, and crashed later in verify)."""
    with pytest.raises(TadmurError) as err:
        decode_line(forged(**changes), 12)
    assert message in str(err.value)
    assert "(at line 12" in str(err.value) and "Hint:" in str(err.value)


@pytest.mark.parametrize("field, value", [
    ("sha256", 5), ("path", 5), ("title", None), ("published", ["2016-01-01"]),
])
def test_a_document_with_wrong_types_is_refused_not_crashed(field, value):
    from engine.domain.events import DocumentRegistered

    doc = DocumentRegistered("d1", "o", "", "t", "ar", "2016-01-01", "day", "0" * 64,
                             "sources/d1.txt")
    line, _ = encode_line(3, doc, STAMP, GENESIS_HASH)
    record = json.loads(line)
    del record["hash"]
    record["data"][field] = value
    record["event_id"] = sha256_hex(canonical_json({"type": record["type"],
                                                    "data": record["data"]}))[:32]
    record["hash"] = sha256_hex(canonical_json(record))
    with pytest.raises(InvalidEvent, match=f"DocumentRegistered.{field} must be"):
        decode_line(json.dumps(record, ensure_ascii=False, separators=(",", ":")), 3)


@pytest.mark.parametrize("text, message", [
    ("", "not valid JSON"),
    ("\x00" * 40, "not valid JSON"),
    ("[" * 100_000 + "]" * 100_000, "RecursionError"),
    ('{"seq":' + "9" * 5000 + "}", "not valid JSON"),
    ('{"seq":1}', "needs the fields seq, event_id, type"),
    ("[1,2]", "found list"),
    ('"\\ud800"', "found str"),
])
def test_garbage_is_a_log_corrupted_naming_the_line(text, message):
    with pytest.raises(LogCorrupted, match="at line 3") as err:
        decode_line(text, 3)
    assert message in str(err.value)


def test_an_unpaired_surrogate_behind_a_valid_hash_is_refused():
    """Bug pinned: hashing a lone surrogate raised UnicodeEncodeError out of the reader."""
    record = json.loads(GOOD)
    record["data"]["reason"] = "\ud800"
    text = json.dumps(record, separators=(",", ":"))  # ascii escapes: \ud800
    with pytest.raises(LogCorrupted, match="line 4, seq 7"):
        decode_line(text, 4)


@pytest.mark.parametrize("edit", [
    lambda t: t.replace('{"seq":7', '{"seq": 7'),
    lambda t: t + " ",
    lambda t: t.replace('"misread"', '"\\u006disread"'),
    lambda t: t.replace('"schema":1', '"schema":1.0'),
    lambda t: json.dumps(dict(reversed(list(json.loads(t).items()))), ensure_ascii=False,
                         separators=(",", ":")),
])
def test_a_line_edited_without_changing_its_parsed_content_is_caught(edit):
    """Bug pinned: edits that keep the parsed content kept the hash, so they went unseen."""
    edited = edit(GOOD)
    assert edited != GOOD
    with pytest.raises(LogCorrupted, match="line 2"):
        decode_line(edited, 2)


def test_the_message_says_what_where_and_a_hint():
    with pytest.raises(LogCorrupted) as err:
        decode_line(GOOD.replace("misread", "misreaD"), 5)
    assert str(err.value) == (
        "the line's content does not match its hash: it was edited after it was written "
        "(at line 5, seq 7). Hint: restore the log from git (`git checkout events/log.jsonl`); "
        "to change a claim, append a ClaimCorrected")
