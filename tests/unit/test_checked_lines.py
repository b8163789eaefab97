"""The block check (msgspec) vouches for a line only where ``decode_line`` would accept it,
and with the same values; msgspec writes the canonical bytes ``canonical_json`` writes."""

from __future__ import annotations

import json

import msgspec
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.domain.errors import TadmurError
from engine.domain.events import (
    CORRECTABLE_FIELDS,
    ClaimCorrected,
    ClaimRecorded,
    ClaimRetracted,
    ClaimReviewed,
    DocumentRegistered,
    canonical_json,
)
from engine.store.checked_lines import NotVouched, check_block, decode_lines, payload_frames
from engine.store.codec import GENESIS_HASH, decode_line, encode_line
from tests.builders import claim_recorded

STAMP = "2026-01-01T00:00:00.000000Z"


def _log(events) -> bytes:
    """The lines the store writes for ``events``, chained from the genesis hash."""
    lines, prev = [], GENESIS_HASH
    for seq, event in enumerate(events, start=1):
        line, prev = encode_line(seq, event, STAMP, prev)
        lines.append(line.encode("utf-8"))
    return b"".join(lines)


def _document(doc_id: str = "doc1", title: str = "a report") -> DocumentRegistered:
    return DocumentRegistered(
        doc_id,
        "sana.sy",
        "https://sana.sy/1",
        title,
        "ar",
        "2016-12-11",
        "day",
        "a" * 64,
        f"sources/{doc_id}.txt",
    )


def _claim(text: str = "تدمر", confidence: float = 1.0, doc_id: str = "doc1") -> ClaimRecorded:
    return claim_recorded(text, loser="government", confidence=confidence, doc_id=doc_id)


def _corrected(claim: ClaimRecorded, reason: str) -> ClaimCorrected:
    fields = {k: getattr(claim, k) for k in CORRECTABLE_FIELDS} | {"gainer": "government"}
    return ClaimCorrected(claim.claim_id, fields, reason)


def _recorded(block):
    return block.events.filter(pl.col("event") == "recorded")


def _as_store_reads(raw: bytes) -> list:
    return [
        decode_line(line.decode("utf-8"), n)
        for n, line in enumerate(raw.split(b"\n")[:-1], start=1)
    ]


def test_msgspec_writes_every_character_as_json_does():
    characters = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    for start in range(0, len(characters), 4096):
        text = "".join(characters[start : start + 4096])
        assert msgspec.json.encode(text) == json.dumps(text, ensure_ascii=False).encode()


scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.text(max_size=20)
    | st.floats(min_value=1e-4, max_value=1e15)
    | st.just(0.0)
)
values = st.recursive(
    scalars, lambda kids: st.dictionaries(st.text(max_size=8), kids, max_size=5), max_leaves=20
)


@settings(max_examples=300, deadline=None)
@given(value=st.dictionaries(st.text(max_size=8), values, max_size=6))
def test_msgspec_sorted_is_canonical_json(value):
    assert msgspec.json.encode(value, order="sorted") == canonical_json(value).encode("utf-8")


def test_a_log_the_store_wrote_is_vouched_for_line_by_line():
    claim = _claim()
    raw = _log(
        [
            _document(),
            claim,
            _corrected(claim, "misread"),
            ClaimReviewed(claim.claim_id, "accepted", "analyst", ""),
            ClaimRetracted(claim.claim_id, "withdrawn"),
        ]
    )
    decoded = decode_lines(raw, 0, GENESIS_HASH)
    assert decoded.doubted == []
    assert (decoded.head_seq, decoded.head_hash) == (5, _as_store_reads(raw)[-1].hash)
    frames = payload_frames(decoded)
    assert frames["ClaimCorrected"]["gainer"].to_list() == ["government"]
    assert frames["ClaimRecorded"]["evidence_text"].to_list() == ["تدمر"]


texts = st.text(st.characters(codec="utf-8"), min_size=1, max_size=25)


@settings(max_examples=150, deadline=None)
@given(
    evidence=texts,
    title=texts,
    reason=texts,
    confidence=st.floats(min_value=0.0, max_value=1.0) | st.sampled_from([1e-05, 0.0001]),
)
def test_any_text_and_confidence_read_as_the_store_reads_them(evidence, title, reason, confidence):
    if not reason.strip():
        reason += "x"
    claim = _claim(evidence, confidence)
    raw = _log(
        [
            _document(title=title),
            claim,
            _corrected(claim, reason),
            ClaimRetracted(claim.claim_id, reason),
        ]
    )
    stored = _as_store_reads(raw)
    block = check_block(raw)
    recorded = _recorded(block).row(0, named=True)
    assert recorded["evidence_text"] == evidence
    assert recorded["confidence"] == confidence
    assert block.documents["title"].to_list() == [title]
    assert payload_frames(decode_lines(raw))["ClaimRetracted"]["reason"].to_list() == [reason]
    assert block.event_ids.to_list() == [e.event_id for e in stored]
    assert (block.head_seq, block.head_hash) == (4, stored[-1].hash)


def test_a_confidence_json_writes_in_exponent_form_goes_to_decode_line():
    raw = _log([_document(), _claim(confidence=1e-05)])
    assert b'"confidence":1e-05' in raw
    assert decode_lines(raw, 0, GENESIS_HASH).doubted == [2]  # accepted by decode_line
    assert _recorded(check_block(raw))["confidence"].to_list() == [1e-05]


def test_an_integer_confidence_is_read_by_decode_line_as_the_store_accepts_it():
    raw = _log([_document(), _claim(confidence=1)])
    assert b'"confidence":1}' in raw
    assert decode_lines(raw, 0, GENESIS_HASH).doubted == [2]
    assert _recorded(check_block(raw))["confidence"].to_list() == [1.0]


def _damaged(old: bytes, new: bytes, line: int = 2) -> bytes:
    lines = _log([_document(), _claim(), ClaimRetracted(_claim().claim_id, "why")]).split(b"\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return b"\n".join(lines)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b'"gainer":"isis"', b'"gainer":"sdf"'),
        (b'"kind":"captured"', b'"kind": "captured"'),
        (b'"confidence":1.0', b'"confidence":1e0'),
        (b'"denied":false', b'"denied":false,"extra":1'),
        (b'"seq":2', b'"seq":3'),
        (b'"kind":"captured"', b'"kind":captured"'),
        (b'"loser":"government"', b'"loser":7'),
    ],
)
def test_a_damaged_line_is_refused_in_the_words_of_decode_line(old, new):
    raw = _damaged(old, new)
    with pytest.raises(TadmurError) as expected:
        decode_line(raw.split(b"\n")[1].decode("utf-8"), 2)
    with pytest.raises(NotVouched) as caught:
        check_block(raw)
    assert caught.value.line_no == 2
    assert str(caught.value.error) == str(expected.value)


def test_an_empty_optional_field_written_out_is_refused_as_the_store_refuses_it():
    raw = _damaged(b'"reason":"why"', b'"reason":"why","supersedes":""', line=3)
    with pytest.raises(NotVouched, match="exact form|does not match its hash|empty optional"):
        check_block(raw)


def test_a_line_that_breaks_a_payload_rule_is_refused_with_the_store_error():
    # written with a valid hash, but the window ends before it starts
    bad = claim_recorded(valid_from="2016-12-11", valid_to="2016-12-01")
    with pytest.raises(NotVouched, match="ends before it starts"):
        check_block(_log([_document(), bad]))


def test_a_chain_that_breaks_between_lines_is_not_vouched_for():
    first = _log([_document(), _claim()])
    other = _log([_document("doc2"), _claim(doc_id="doc2")])
    raw = first.split(b"\n")[0] + b"\n" + other.split(b"\n")[1] + b"\n"
    with pytest.raises(NotVouched):
        decode_lines(raw, 0, GENESIS_HASH)


def test_a_value_the_columns_cannot_hold_is_left_to_the_store():
    # decode_line accepts an offset past 64 bits; the frame cannot hold it
    huge = claim_recorded(evidence={"start": 2**70, "end": 2**70 + 1, "text": "x"})
    raw = _log([_document(), huge])
    decode_line(raw.split(b"\n")[1].decode("utf-8"), 2)  # the store accepts the line
    with pytest.raises(NotVouched):
        check_block(raw)


def test_the_msgspec_payloads_have_the_fields_of_the_event_classes_in_their_order():
    # the fast reader states each payload's shape for msgspec; the registry is the truth
    import dataclasses

    from engine.store.checked_lines import PAYLOADS, Assertion

    for type_name, (payload, event_class) in PAYLOADS.items():
        assert event_class.TYPE == type_name
        assert payload.__struct_fields__ == tuple(
            f.name for f in dataclasses.fields(event_class)
        ), type_name
    assert set(Assertion.__struct_fields__) == set(CORRECTABLE_FIELDS)
