"""The result cache cannot lie: whatever is done to ``<log>/.cache/results/`` (a table
cut, a byte changed, entries swapped, a key forged) and whatever changes beside it (the
policy, an append, the replay's code, the store's format), ``replay_log`` answers as a
replay without the cache does; damage is a recomputation, never an error."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from engine.domain import Policy
from engine.domain.errors import TadmurError
from engine.domain.events import ClaimRetracted
from engine.project import _table_schemas, replay_log
from engine.store import open_log, result_cache
from engine.store.read import cache_dir
from engine.store.result_cache import KEEP, code_digest, read_result, result_key, results_dir
from tests.integration.conftest import tadmur

STRICT = Policy(mode="strict")
WEIGHED = Policy()


def assert_answers_as_a_replay_without_cache(replayed, root, policy) -> None:
    fresh = replay_log(policy, root, cache=False)
    assert replayed.head == fresh.head
    for table in ("intervals", "swings", "claims"):
        assert_frame_equal(getattr(replayed.timelines, table), getattr(fresh.timelines, table))


def entry_files(root, policy):
    """The key file and the table files of the entry ``policy`` has now."""
    key = result_key(root, policy, _table_schemas())
    assert key is not None
    folder = results_dir(root)
    return folder / f"{key.digest}.json", {
        table: folder / f"{key.digest}.{table}.arrow" for table in ("intervals", "swings")
    }


@pytest.mark.parametrize("policy", [STRICT, WEIGHED], ids=["strict", "weighed"])
def test_the_second_replay_is_read_back_and_answers_as_a_replay(log_copy, policy):
    first = replay_log(policy, log_copy)
    second = replay_log(policy, log_copy)
    assert not first.kept and second.kept
    assert_answers_as_a_replay_without_cache(second, log_copy, policy)
    palmyra = second.timelines.explain("palmyra", dt.date(2016, 6, 1))
    fresh = replay_log(policy, log_copy, cache=False).timelines.explain(
        "palmyra", dt.date(2016, 6, 1)
    )
    assert str(palmyra) == str(fresh)
    assert_frame_equal(second.claim_events, first.claim_events)


def test_no_cache_neither_reads_nor_keeps_an_answer(log_copy):
    replay_log(STRICT, log_copy, cache=False)
    assert not results_dir(log_copy).exists()
    replay_log(STRICT, log_copy)
    assert not replay_log(STRICT, log_copy, cache=False).kept


@pytest.mark.parametrize("table", ["intervals", "swings"])
@pytest.mark.parametrize("damage", ["byte changed", "cut short", "emptied", "deleted"])
def test_a_damaged_table_is_replayed_again_and_rewritten(log_copy, table, damage):
    replay_log(WEIGHED, log_copy)
    _, tables = entry_files(log_copy, WEIGHED)
    data = tables[table].read_bytes()
    if damage == "byte changed":
        middle = len(data) // 2
        tables[table].write_bytes(data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :])
    elif damage == "cut short":
        tables[table].write_bytes(data[: len(data) // 2])
    elif damage == "emptied":
        tables[table].write_bytes(b"")
    else:
        tables[table].unlink()
    again = replay_log(WEIGHED, log_copy)
    assert again.kept == (table == "swings")  # the swings are read when first asked for
    assert_answers_as_a_replay_without_cache(again, log_copy, WEIGHED)
    key = result_key(log_copy, WEIGHED, _table_schemas())
    answer = read_result(log_copy, key, _table_schemas())
    assert all(answer.table(t) is not None for t in ("intervals", "swings"))  # whole again
    assert replay_log(WEIGHED, log_copy).kept


def test_tables_swapped_between_two_entries_are_never_served(log_copy):
    replay_log(STRICT, log_copy)
    replay_log(WEIGHED, log_copy)
    _, strict_tables = entry_files(log_copy, STRICT)
    _, weighed_tables = entry_files(log_copy, WEIGHED)
    for table in ("intervals", "swings"):
        shutil.copyfile(weighed_tables[table], strict_tables[table])
    again = replay_log(STRICT, log_copy)
    assert not again.kept
    assert_answers_as_a_replay_without_cache(again, log_copy, STRICT)


def test_a_whole_entry_filed_under_another_key_is_never_served(log_copy):
    """Key file and tables of the weighed answer, renamed to the strict answer's names:
    each file is whole and its digests hold, but the key it names is not the one asked."""
    replay_log(WEIGHED, log_copy)
    strict_key, strict_tables = entry_files(log_copy, STRICT)
    weighed_key, weighed_tables = entry_files(log_copy, WEIGHED)
    shutil.copyfile(weighed_key, strict_key)
    for table in ("intervals", "swings"):
        shutil.copyfile(weighed_tables[table], strict_tables[table])
    again = replay_log(STRICT, log_copy)
    assert not again.kept
    assert_answers_as_a_replay_without_cache(again, log_copy, STRICT)


@pytest.mark.parametrize("forgery", ["digest", "key", "not json", "a list", "files missing"])
def test_a_forged_or_torn_key_file_is_never_served(log_copy, forgery):
    replay_log(STRICT, log_copy)
    key_file, _ = entry_files(log_copy, STRICT)
    entry = json.loads(key_file.read_text(encoding="utf-8"))
    if forgery == "digest":
        entry["files"]["intervals"] = "0" * 64
        key_file.write_text(json.dumps(entry), encoding="utf-8")
    elif forgery == "key":
        entry["key"] = entry["key"].replace('"strict"', '"weighed"')
        key_file.write_text(json.dumps(entry), encoding="utf-8")
    elif forgery == "not json":
        key_file.write_text(key_file.read_text(encoding="utf-8")[:40], encoding="utf-8")
    elif forgery == "a list":
        key_file.write_text("[]", encoding="utf-8")
    else:
        key_file.write_text(json.dumps({"key": entry["key"]}), encoding="utf-8")
    again = replay_log(STRICT, log_copy)
    assert not again.kept
    assert_answers_as_a_replay_without_cache(again, log_copy, STRICT)


def test_a_table_of_another_schema_is_never_served_even_with_its_digest(log_copy):
    replay_log(STRICT, log_copy)
    key_file, tables = entry_files(log_copy, STRICT)
    frame = pl.read_ipc(tables["intervals"]).with_columns(pl.col("n_claims").cast(pl.Int32))
    frame.write_ipc(tables["intervals"])
    entry = json.loads(key_file.read_text(encoding="utf-8"))
    entry["files"]["intervals"] = result_cache.hashlib.sha256(
        tables["intervals"].read_bytes()
    ).hexdigest()
    key_file.write_text(json.dumps(entry), encoding="utf-8")
    again = replay_log(STRICT, log_copy)
    assert not again.kept
    assert_answers_as_a_replay_without_cache(again, log_copy, STRICT)


CHANGES = {
    "as_of_seq": 40,
    "known_by": dt.date(2016, 3, 1),
    "trust": frozenset({"sana"}),
    "distrust": frozenset({"amaq"}),
    "include_denied": True,
    "min_confidence": 0.9,
    "include_candidates": True,
    "weights": {"amaq": 0.5},
    "mode": "weighed",
}


def test_every_policy_field_is_in_the_key():
    assert set(CHANGES) == {f.name for f in dataclasses.fields(Policy)}


@pytest.mark.parametrize("field", sorted(CHANGES))
def test_a_change_of_any_policy_field_is_another_answer(log_copy, field):
    replay_log(STRICT, log_copy)
    changed = dataclasses.replace(STRICT, **{field: CHANGES[field]})
    assert result_key(log_copy, changed, _table_schemas()) != result_key(
        log_copy, STRICT, _table_schemas()
    )
    answer = replay_log(changed, log_copy)
    assert not answer.kept
    assert_answers_as_a_replay_without_cache(answer, log_copy, changed)
    assert replay_log(changed, log_copy).kept and replay_log(STRICT, log_copy).kept


def retract_a_claim(root) -> None:
    claims = replay_log(STRICT, root, cache=False).claim_events
    claim = claims.filter(pl.col("event") == "recorded")["claim_id"][0]
    open_log(root).append([ClaimRetracted(claim, "misread")])


def test_an_append_is_another_answer(log_copy):
    before = replay_log(STRICT, log_copy)
    retract_a_claim(log_copy)
    after = replay_log(STRICT, log_copy)
    assert not after.kept and after.head.seq == before.head.seq + 1
    assert_answers_as_a_replay_without_cache(after, log_copy, STRICT)
    assert after.timelines.claims.height == before.timelines.claims.height - 1


def test_a_change_of_the_replay_code_is_another_answer(log_copy, monkeypatch):
    replay_log(STRICT, log_copy)
    monkeypatch.setattr(result_cache, "code_digest", lambda: "another replay")
    again = replay_log(STRICT, log_copy)
    assert not again.kept
    assert_answers_as_a_replay_without_cache(again, log_copy, STRICT)


def test_the_code_digest_reads_every_byte_of_the_domain(tmp_path, monkeypatch):
    import engine.domain

    domain = tmp_path / "domain"
    shutil.copytree(
        engine.domain.__file__.rsplit("/", 1)[0],
        domain,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    monkeypatch.setattr(engine.domain, "__file__", str(domain / "__init__.py"))
    same = code_digest.__wrapped__()
    rules = domain / "strict_rules.py"
    rules.write_bytes(rules.read_bytes() + b"\n")
    assert same == code_digest() and code_digest.__wrapped__() != same


def test_a_change_of_the_store_format_is_another_answer(log_copy, monkeypatch):
    replay_log(STRICT, log_copy)
    monkeypatch.setattr(result_cache, "SNAPSHOT_FORMAT", result_cache.SNAPSHOT_FORMAT + 1)
    assert not replay_log(STRICT, log_copy).kept


def test_no_snapshot_of_these_bytes_means_no_kept_answer(log_copy):
    replay_log(STRICT, log_copy)
    (cache_dir(log_copy) / "manifest.json").write_text("{}", encoding="utf-8")
    assert result_key(log_copy, STRICT, _table_schemas()) is None
    again = replay_log(STRICT, log_copy)
    assert not again.kept
    assert_answers_as_a_replay_without_cache(again, log_copy, STRICT)


def test_only_the_most_recently_used_answers_are_kept(log_copy):
    policies = [Policy(mode="strict", min_confidence=i / 100) for i in range(KEEP + 3)]
    for policy in policies:
        replay_log(policy, log_copy)
        replay_log(policies[0], log_copy)  # used again each time: kept
    folder = results_dir(log_copy)
    assert len(list(folder.glob("*.json"))) == KEEP
    assert len(list(folder.glob("*.arrow"))) == 2 * KEEP
    assert replay_log(policies[0], log_copy).kept
    assert not replay_log(policies[1], log_copy).kept  # the least recently used went first


def test_a_results_folder_that_cannot_be_written_is_no_error(log_copy):
    replay_log(STRICT, log_copy, cache=False)  # the snapshot
    results_dir(log_copy).write_text("not a folder")
    first, second = replay_log(STRICT, log_copy), replay_log(STRICT, log_copy)
    assert not first.kept and not second.kept
    assert_answers_as_a_replay_without_cache(second, log_copy, STRICT)


def test_a_kept_answer_refuses_to_mix_in_claims_of_a_log_that_moved_on(log_copy):
    replay_log(STRICT, log_copy)
    kept = replay_log(STRICT, log_copy)
    assert kept.kept
    retract_a_claim(log_copy)
    with pytest.raises(TadmurError, match="moved on from seq"):
        kept.timelines.claims  # noqa: B018


def test_the_cli_answers_alike_with_and_without_the_cache_and_verify_ignores_it(log_copy):
    args = ("timeline", "--log", str(log_copy), "--mode", "strict")
    plain = tadmur(*args, "--no-cache")
    assert plain.returncode == 0 and not results_dir(log_copy).exists()
    first, second = tadmur(*args), tadmur(*args)
    assert first.stdout == second.stdout == plain.stdout
    for table in results_dir(log_copy).glob("*.arrow"):
        table.write_bytes(b"damaged")
    assert tadmur(*args).stdout == plain.stdout
    assert tadmur("verify", "--log", str(log_copy)).returncode == 0
