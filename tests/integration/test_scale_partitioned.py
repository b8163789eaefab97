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


#: a loaded machine (two cores, several test processes) answers health checks slowly: the
#: head gives a node a minute, not Ray's default seconds, before it calls it dead
PATIENT = {"health_check_initial_delay_ms": 10_000, "health_check_period_ms": 5_000,
           "health_check_timeout_ms": 60_000, "health_check_failure_threshold": 10,
           "gcs_rpc_server_reconnect_timeout_s": 120}
#: how long the cluster may take to come up before the test says so (not a sleep: the
#: waits below return as soon as the cluster answers)
STARTUP_S = 180


def wait_for_workers(ray, workers) -> None:
    """Return once each worker node runs a task (its Python worker started, the engine
    importable there), or fail saying which part of the cluster did not come up."""
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    @ray.remote(num_cpus=1)
    def probe() -> str:
        import engine.partitioned  # what the replay tasks import first

        return ray.get_runtime_context().get_node_id()

    pinned = [probe.options(scheduling_strategy=NodeAffinitySchedulingStrategy(
        worker.node_id, soft=False)).remote() for worker in workers]
    ready, _ = ray.wait(pinned, num_returns=len(pinned), timeout=STARTUP_S)
    assert len(ready) == len(pinned), (
        f"only {len(ready)} of {len(workers)} Ray workers ran a task within {STARTUP_S} s")
    assert sorted(ray.get(ready)) == sorted(w.node_id for w in workers)


@pytest.mark.slow
def test_a_replay_on_a_two_worker_ray_cluster_equals_one_replay(partitioned, tmp_path):
    ray = _ray()
    from ray.cluster_utils import Cluster

    root, events = partitioned
    cluster = Cluster(initialize_head=True,
                      head_node_args={"num_cpus": 0, "_system_config": PATIENT})
    try:
        workers = [cluster.add_node(num_cpus=1) for _ in range(2)]  # each waits for its node
        cluster.wait_for_nodes(timeout=STARTUP_S)  # ... and the head sees all three
        ray.init(address=cluster.address, include_dashboard=False, log_to_driver=False)
        wait_for_workers(ray, workers)
        results = replay_on_ray(root / "events", tmp_path / "out", POLICY)
        assert len(results) == len(buckets(root / "events"))
        assert len({w.unique_id for w in workers}) == 2
        assert len({r.worker for r in results}) == 2  # both workers replayed buckets
    finally:
        ray.shutdown()
        cluster.shutdown()
    assert_same_timelines(read_timelines(tmp_path / "out"), replay(events, POLICY))
