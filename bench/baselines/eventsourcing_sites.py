"""The eventsourcing baseline of bench/replay.py: one Aggregate per site (POPO recorder),
the strict reference fold run on each aggregate's events."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import Transcoding

from engine.domain import Policy
from engine.domain.strict_rules import believed_claims, fold

POLICY = Policy(mode="strict")


class DateAsISO(Transcoding):
    type = dt.date
    name = "date_iso"

    def encode(self, obj: dt.date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> dt.date:
        return dt.date.fromisoformat(data)


class Site(Aggregate):
    """One aggregate per site: its events are the claim events filed under it."""

    @staticmethod
    def create_id(site_id: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"/sites/{site_id}")

    @event("Opened")
    def __init__(self, site_id: str):
        self.site_id = site_id
        self.rows: list[dict] = []

    @event("Recorded")
    def record(self, row: dict):
        self.rows.append(row)


class Sites(Application):
    def register_transcodings(self, transcoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())


def eventsourcing_app(rows: list[dict]):
    """Ingest: every event under each site its claim names (as the partitions file them)."""
    sites_of = defaultdict(set)
    for row in rows:
        if row["site_id"] is not None:
            sites_of[row["claim_id"]].add(row["site_id"])
    filed = defaultdict(list)
    for row in rows:
        for site in sites_of[row["claim_id"]]:
            filed[site].append(row)
    app = Sites(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    for site_id, site_rows in filed.items():
        aggregate = Site(site_id)
        for row in site_rows:
            aggregate.record(row)
        app.save(aggregate)
    return app, Site, sorted(filed)


def eventsourcing_replay(app, site_cls, site_ids: list[str]) -> tuple[list, list]:
    intervals, swings = [], []
    for site_id in site_ids:
        aggregate = app.repository.get(site_cls.create_id(site_id))
        mine = [c for c in believed_claims(aggregate.rows, POLICY) if c["site_id"] == site_id]
        site_intervals, site_swings = fold(mine)
        intervals += site_intervals
        swings += site_swings
    return intervals, swings
