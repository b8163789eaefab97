"""How many gold place mentions of the dev corpus resolve to the right place.

For every gold line, ``site_ar`` (an exact substring of the article) is resolved
with the article as context (``engine.reference.resolve_site``; a generic name
such as المدينة sees the text before it). The answer is right when it is the
site the key file ``bench/gazetteer_gold_sites.csv`` gives for the gold ``site``
(checked by hand against the OCHA p-code and English name; ``-`` = not in the
gazetteer on purpose, e.g. an unnamed checkpoint).

    PYTHONPATH=$PWD python bench/gazetteer_resolution.py [../shared/devcorpus] [--misses]

On a checkout without ``resolve_site`` (before the gazetteer of Syria) a mention
resolves when the gazetteer finds exactly one site in ``site_ar``.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent


def resolver():
    try:
        from engine.reference.resolve import PlaceContext, resolve_site
    except ImportError:
        from engine.extract.normalise import fold_text
        from engine.reference.gazetteer import load_gazetteer

        gaz = load_gazetteer()

        def old(name_ar, text, at):
            found = [m for m in gaz.find(fold_text(name_ar)) if len(m.site_ids) == 1]
            return (found[0].site_ids[0], "found") if found else (None, "not found")
        return old

    def new(name_ar, text, at):
        return resolve_site(name_ar, context=PlaceContext(text=text, at=at))
    return new


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    corpus = Path(args[0] if args else HERE.parent.parent / "shared" / "devcorpus")
    texts = {}
    for line in (corpus / "articles.jsonl").open(encoding="utf-8"):
        doc = json.loads(line)
        texts[doc["doc_id"]] = doc["text"]
    with (HERE / "gazetteer_gold_sites.csv").open(encoding="utf-8") as fh:
        key = {r["gold_site"]: r["site_id"] for r in csv.DictReader(fh)}
    resolve = resolver()
    right = wrong = unresolved = 0
    misses: Counter = Counter()
    total = 0
    for line in (corpus / "gold.jsonl").open(encoding="utf-8"):
        g = json.loads(line)
        text = texts[g["doc_id"]]
        start = text.find(g["evidence"])
        at = text.find(g["site_ar"], max(start, 0))
        site_id, why = resolve(g["site_ar"], text, at)
        expected = key.get(g["site"], "?")
        total += 1
        if site_id is not None and site_id == expected:
            right += 1
            continue
        if site_id is None:
            unresolved += 1
        else:
            wrong += 1
        misses[(g["site"], g["site_ar"], expected, site_id, why[:140])] += 1
    print(f"gold mentions: {total}  right: {right} ({right / total:.3f})  wrong: {wrong}  unresolved: {unresolved}")
    if "--misses" in argv:
        for (site, ar, expected, got, why), n in sorted(misses.items(), key=lambda kv: -kv[1]):
            print(f"{n:3d} {site!r} {ar!r} want={expected} got={got} :: {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
