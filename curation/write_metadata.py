"""Write events/sources/metadata.csv from the seeds' metadata plus the headline of each text.

Run once from the repository root, pointing at the seeds' metadata (outside the repo):
``.venv/bin/python curation/write_metadata.py ../shared/seeds/metadata.csv``.
The title is the article headline exactly as it appears in the text (a test checks it).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

SOURCES = Path("events/sources")
COLUMNS = ["file", "doc_id", "outlet", "url", "title", "language", "published",
           "published_precision", "published_basis"]

# The headline of each seed as it appears in its text (the first heading after page furniture).
TITLES = {
    "seed000": "تدمر.. تسليم واستلام ومكاسب خفية",
    "seed001": "تنظيم الدولة يتمدد سريعا في تدمر.. وتخوف من ارتكاب مجزرة بحق من بقي في المدينة",
    "seed002": "أين وصلت معارك تنظيم \"الدولة\" وقوات الأسد في دير الزور؟",
    "seed003": "هجوم شرس لتنظيم الدولة بدير الزور وغارات روسية",
    "seed004": "خسائر بشرية لقوات النظام بريف حمص وتكثيف للقصف على تدمر",
}

REFERENCE = {
    "file": "reference_chronology.txt",
    "doc_id": "reference",
    "outlet": "Tadmur reference chronology",
    "url": "",
    "title": "Tadmur reference chronology: well-documented changes of control "
             "(teaching reference, not a news source)",
    "language": "en",
    "published": "2026-11-23",
    "published_precision": "day",
    "published_basis": "compiled by the Tadmur project on 2026-11-23 for teaching; "
                       "not a news source",
}


def main(seeds_metadata: Path) -> None:
    rows = []
    with seeds_metadata.open(encoding="utf-8", newline="") as fh:
        for seed in csv.DictReader(fh):
            text = (SOURCES / seed["file"]).read_bytes().decode("utf-8")
            title = TITLES[seed["doc_id"]]
            assert title in text, (seed["doc_id"], title)
            rows.append({**{k: seed[k] for k in seed}, "title": title, "language": "ar"})
    ref_text = (SOURCES / REFERENCE["file"]).read_bytes().decode("utf-8")
    assert REFERENCE["title"] in ref_text
    rows.append(REFERENCE)
    with (SOURCES / "metadata.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: row[k] for k in COLUMNS} for row in rows)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
