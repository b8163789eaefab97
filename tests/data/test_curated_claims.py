"""The hand-curated claims (curation/*.jsonl) agree with their sources and with the schema.

Each check is a function that returns the problems it finds, so the same code is run on
the committed files (no problems) and on deliberately broken copies (problems found):
every check is shown to be able to fail.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from engine.domain.errors import InvalidEvent
from engine.domain.events import ClaimRecorded

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "events" / "sources"
CURATION = ROOT / "curation"
CLAIM_FILES = ("seed_claims.jsonl", "reference_claims.jsonl")
CLAIM_FIELDS = (
    "doc_id", "site_id", "kind", "gainer", "loser", "valid_from", "valid_to", "time_precision",
    "claimant", "denied", "evidence", "confidence", "extractor", "note",
)
METADATA_COLUMNS = [
    "file", "doc_id", "outlet", "url", "title", "language", "published", "published_precision",
    "published_basis",
]

#: sha256 of the source bytes the claims were curated against. Changing a source breaks its
#: offsets: add a new document instead of editing one.
SOURCE_SHA256 = {
    "000_0960f390a84c1c5e.txt": "3bec312249250ca93097114141bfd9585ec8f9305dd79e97396a3c2e04696fa7",
    "001_7330fd54346dc119.txt": "e05e935a8bec189bb7bff3df0bfb847020fd1dcc1dd576dcd1f56d5b8dcc7dca",
    "002_06caed34417dd74e.txt": "dc444d7223d1045e77fe3f9733b5552d93a793402ab51ad4785b2a2f84f9efdd",
    "003_4609ec8d4135fa32.txt": "016168ea558a656cdd827e43a78784b8be4fe9eb4d8285686981297c9903fd7a",
    "004_40f3d804fea89556.txt": "3c38634a9d3e218f73c3c886464f1745caf78f8caa1ace760b0757b3803a54c1",
    "reference_chronology.txt": "65a46cb1292513bca8e6fd89ae080606f16d281b654d4a87ea68f1a2d071203d",
}


# ---------------------------------------------------------------- loading


def read_metadata() -> dict[str, dict[str, str]]:
    with (SOURCES / "metadata.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == METADATA_COLUMNS, reader.fieldnames
        return {row["doc_id"]: row for row in reader}


def read_site_ids() -> set[str]:
    with (ROOT / "engine" / "reference" / "sites.csv").open(encoding="utf-8", newline="") as fh:
        return {row["site_id"] for row in csv.DictReader(fh)}


def read_claimant_ids() -> set[str]:
    path = ROOT / "engine" / "reference" / "claimants.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["claimant_id"] for row in csv.DictReader(fh)}


def read_claims(name: str) -> list[dict]:
    lines = (CURATION / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def source_text(metadata: dict[str, dict[str, str]], doc_id: str) -> str:
    # Decode the bytes ourselves: offsets must not depend on newline translation.
    return (SOURCES / metadata[doc_id]["file"]).read_bytes().decode("utf-8")


METADATA = read_metadata()
SITE_IDS = read_site_ids()
CLAIMANT_IDS = read_claimant_ids()
CLAIMS = [(name, n, claim) for name in CLAIM_FILES for n, claim in enumerate(read_claims(name))]
SEED_CLAIMS = [c for name, _, c in CLAIMS if name == "seed_claims.jsonl"]
REFERENCE_CLAIMS = [c for name, _, c in CLAIMS if name == "reference_claims.jsonl"]


def claim_ids(params: list) -> list[str]:
    return [f"{name}:{n + 1}" for name, n, _ in params]


# ---------------------------------------------------------------- checks


def evidence_problems(claim: dict) -> list[str]:
    ev = claim["evidence"]
    if claim["doc_id"] not in METADATA:
        return [f"unknown doc_id {claim['doc_id']!r}"]
    text = source_text(METADATA, claim["doc_id"])
    quoted = text[ev["start"]:ev["end"]]
    if quoted != ev["text"]:
        return [f"text[{ev['start']}:{ev['end']}] is {quoted!r}, evidence says {ev['text']!r}"]
    return []


def reference_problems(claim: dict) -> list[str]:
    problems = []
    if claim["doc_id"] not in METADATA:
        problems.append(f"doc_id {claim['doc_id']!r} is not in events/sources/metadata.csv")
    if claim["site_id"] not in SITE_IDS:
        problems.append(f"site_id {claim['site_id']!r} is not in engine/reference/sites.csv")
    if claim["claimant"] not in CLAIMANT_IDS:
        problems.append(f"claimant {claim['claimant']!r} is not in engine/reference/claimants.csv")
    return problems


def window_problems(claim: dict) -> list[str]:
    try:
        start = dt.date.fromisoformat(claim["valid_from"])
        end = dt.date.fromisoformat(claim["valid_to"])
    except (TypeError, ValueError) as exc:
        return [f"not a real ISO date: {exc}"]
    problems = [] if start <= end else [f"window ends before it starts: {start} > {end}"]
    published = dt.date.fromisoformat(METADATA[claim["doc_id"]]["published"])
    if claim["doc_id"] != "reference" and start > published:
        problems.append(f"window starts {start}, after the document was published ({published})")
    return problems


def schema_problems(claim: dict) -> list[str]:
    if tuple(claim) != CLAIM_FIELDS:
        return [f"fields are {list(claim)}, expected {list(CLAIM_FIELDS)}"]
    fields = {k: v for k, v in claim.items() if k != "note"}
    try:
        ClaimRecorded.make(**fields).validate()
    except InvalidEvent as exc:
        return [str(exc)]
    if claim["extractor"] != "manual" or claim["confidence"] != 1.0:
        return ["hand-curated claims carry extractor 'manual' and confidence 1.0"]
    if not claim["note"].strip():
        return ["every curated claim explains its reading in a note"]
    return []


# ---------------------------------------------------------------- the committed files


@pytest.mark.parametrize(("name", "n", "claim"), CLAIMS, ids=claim_ids(CLAIMS))
def test_evidence_is_the_exact_source_text_at_its_offsets(name, n, claim):
    assert evidence_problems(claim) == []


@pytest.mark.parametrize(("name", "n", "claim"), CLAIMS, ids=claim_ids(CLAIMS))
def test_doc_site_and_claimant_ids_exist_in_the_reference_data(name, n, claim):
    assert reference_problems(claim) == []


@pytest.mark.parametrize(("name", "n", "claim"), CLAIMS, ids=claim_ids(CLAIMS))
def test_date_window_is_real_ordered_and_not_after_publication(name, n, claim):
    assert window_problems(claim) == []


@pytest.mark.parametrize(("name", "n", "claim"), CLAIMS, ids=claim_ids(CLAIMS))
def test_claim_validates_as_a_claim_recorded_event(name, n, claim):
    assert schema_problems(claim) == []


def test_no_two_curated_claims_have_the_same_claim_id():
    ids = [ClaimRecorded.make(**{k: v for k, v in c.items() if k != "note"}).claim_id
           for _, _, c in CLAIMS]
    assert len(ids) == len(set(ids))


def test_reference_claims_come_only_from_the_reference_chronology_and_vice_versa():
    assert {c["doc_id"] for c in REFERENCE_CLAIMS} == {"reference"}
    assert {c["claimant"] for c in REFERENCE_CLAIMS} == {"reference"}
    assert all(c["doc_id"] != "reference" and c["claimant"] != "reference" for c in SEED_CLAIMS)


def test_each_reference_claim_quotes_one_whole_line_of_the_chronology():
    text = source_text(METADATA, "reference")
    lines = set(text.split("\n"))
    quoted = [c["evidence"]["text"] for c in REFERENCE_CLAIMS]
    assert len(quoted) == len(set(quoted)) == 6
    assert all(q in lines for q in quoted)


def test_every_seed_article_has_curated_claims():
    assert {c["doc_id"] for c in SEED_CLAIMS} == {"seed000", "seed001", "seed002", "seed003",
                                                  "seed004"}


def test_source_texts_still_have_the_sha256_they_were_curated_against():
    found = {f: hashlib.sha256((SOURCES / f).read_bytes()).hexdigest() for f in SOURCE_SHA256}
    assert found == SOURCE_SHA256


def test_metadata_lists_every_source_text_exactly_once():
    listed = [row["file"] for row in METADATA.values()]
    on_disk = sorted(p.name for p in SOURCES.glob("*.txt"))
    assert sorted(listed) == on_disk == sorted(SOURCE_SHA256)


def test_metadata_titles_appear_in_their_texts_and_dates_are_real():
    for doc_id, row in METADATA.items():
        assert row["title"] in source_text(METADATA, doc_id), doc_id
        dt.date.fromisoformat(row["published"])
        assert row["published_precision"] in {"day", "week", "month", "inferred"}, doc_id


# ---------------------------------------------------------------- the checks can fail


def broken(claim: dict, **changes) -> dict:
    bad = copy.deepcopy(claim)
    for key, value in changes.items():
        if key.startswith("evidence_"):
            bad["evidence"][key.removeprefix("evidence_")] = value
        else:
            bad[key] = value
    return bad


SAMPLE = SEED_CLAIMS[0]


def test_a_shifted_offset_is_caught():
    ev = SAMPLE["evidence"]
    assert evidence_problems(broken(SAMPLE, evidence_start=ev["start"] + 1,
                                    evidence_end=ev["end"] + 1))


def test_an_unknown_site_doc_or_claimant_is_caught():
    assert reference_problems(broken(SAMPLE, site_id="tadmor"))
    assert reference_problems(broken(SAMPLE, claimant="rumour"))
    assert reference_problems(broken(SAMPLE, doc_id="seed999"))


def test_an_impossible_or_reversed_window_is_caught():
    assert window_problems(broken(SAMPLE, valid_from="2016-02-30"))
    assert window_problems(broken(SAMPLE, valid_from="2016-12-12", valid_to="2016-12-01"))
    assert window_problems(broken(SAMPLE, valid_from="2017-01-01", valid_to="2017-01-02"))


def test_a_claim_outside_the_vocabulary_is_caught():
    assert schema_problems(broken(SAMPLE, kind="recaptured"))
    assert schema_problems(broken(SAMPLE, gainer="SAA"))
    assert schema_problems(broken(SAMPLE, denied="no"))
    assert schema_problems({k: v for k, v in SAMPLE.items() if k != "note"})
