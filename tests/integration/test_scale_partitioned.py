"""Replaying a log partitioned by site, bucket by bucket (in one process or on a Ray
cluster of two workers), gives exactly the tables of one replay of the whole log."""

from __future__ import annotations

import os

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from engine.domain import Policy, replay
from engine.partitioned import (
    buckets,
    read_timelines,
    replay_on_ray,
    replay_partitioned,
    write_partitions,
)
from engine.synth import synth_chunks

POLICY = Policy(distrust=frozenset({"amaq"}), include_candidates=True)


@pytest.fixture(scope="module")
def partitioned(tmp_path_factory):
    root = tmp_path_factory.mktemp("partitioned")
    chunks = list(synth_chunks(6000, chunk=2000, seed=2))
    write_partitions(chunks, root / "events", n_buckets=8)
    return root, pl.concat(chunks)


def assert_same_timelines(got, expected):
    for table in ("claims", "intervals", "swings"):
        assert_frame_equal(getattr(got, table), getattr(expected, table))


def test_every_bucket_holds_whole_sites(partitioned):
    root, _events = partitioned
    assert 1 < len(buckets(root / "events")) <= 8


def test_a_bucket_by_bucket_replay_equals_one_replay(partitioned, tmp_path):
    root, events = partitioned
    results = replay_partitioned(root / "events", tmp_path / "out", POLICY)
    assert sum(r.n_intervals for r in results) > 0
    assert_same_timelines(read_timelines(tmp_path / "out"), replay(events, POLICY))


def _ray():
    if os.environ.get("CI"):  # CI installs the scale-out engine: a skip would hide a failure
        import ray

        return ray
    return pytest.importorskip("ray", reason="the scale-out engine: pip install ray")


@pytest.mark.slow
def test_a_replay_on_a_two_worker_ray_cluster_equals_one_replay(partitioned, tmp_path):
    ray = _ray()
    from ray.cluster_utils import Cluster

    root, events = partitioned
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 0})
    try:
        workers = [cluster.add_node(num_cpus=1) for _ in range(2)]
        ray.init(address=cluster.address, include_dashboard=False, log_to_driver=False)
        results = replay_on_ray(root / "events", tmp_path / "out", POLICY)
        assert len(results) == len(buckets(root / "events"))
        assert len({w.unique_id for w in workers}) == 2
        assert len({r.worker for r in results}) == 2  # both workers replayed buckets
    finally:
        ray.shutdown()
        cluster.shutdown()
    assert_same_timelines(read_timelines(tmp_path / "out"), replay(events, POLICY))
