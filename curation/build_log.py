"""Append the curated corpus to the log: register every source, then record every claim.

Run once to create ``events/log.jsonl``; running it again adds nothing (appends are
idempotent by content), which ``tests/data`` checks. Notes in the curation files stay
here: the log holds what the sources say, the worksheet holds why we read it so.

    python curation/build_log.py [--log DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

from engine.domain.events import ClaimRecorded
from engine.store import open_log
from engine.store.sources import register_document

HERE = Path(__file__).resolve().parent
CLAIM_FILES = ("seed_claims.jsonl", "reference_claims.jsonl")


def curated_events(root: Path) -> list:
    """DocumentRegistered for each source in metadata.csv, then every curated claim."""
    events = []
    with open(root / "sources" / "metadata.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            events.append(register_document(
                root, root / "sources" / row["file"], doc_id=row["doc_id"],
                published=row["published"], published_precision=row["published_precision"],
                outlet=row["outlet"], url=row["url"], title=row["title"],
                language=row["language"],
            ))
    for name in CLAIM_FILES:
        for line in (HERE / name).read_text(encoding="utf-8").splitlines():
            fields = json.loads(line)
            fields.pop("note")
            events.append(ClaimRecorded.make(**fields))
    return events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", type=Path, default=None)
    log = open_log(parser.parse_args().log)
    before = log.head().seq
    seqs = log.append(curated_events(log.root))
    print(f"{len(seqs)} curated events; {log.head().seq - before} new; head {log.head()}")


if __name__ == "__main__":
    main()
