"""Extraction quality on the development corpus, through ``tadmur eval`` (not a test).

Runs the extractor over every excerpt of the dev corpus (``articles.jsonl`` beside
``gold.jsonl``) and prints the report of ``tadmur eval``: strict and lenient precision and
recall, each field, each kind class, the claimant on matched claims, claims from the
negative articles and the undated documents.

``--oracle-places`` measures the rules that are not about places: for this run only, the
gazetteer also knows every place the gold names (by its gold Arabic form), so a miss is a
miss of triggers, agents, kinds, dates or claimants, not of the gazetteer. It is labelled
as such in the output and is never the headline score.

    python bench/extract_devcorpus.py [../shared/devcorpus] [--oracle-places] [--json] [--misses]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from engine.extract import evaluate, pipeline
from engine.extract.articles import load_articles
from engine.cli.extract import extract_all, read_gold
from engine.extract.normalise import fold_text
from engine.reference import gazetteer, resolve

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "devcorpus"


def with_gold_places(gold_file: Path) -> gazetteer.Gazetteer:
    """The project's gazetteer plus every gold place, named as the gold writes it."""
    base = gazetteer.load_gazetteer()
    sites = list(base.sites.values())
    names = [(sid, name) for name, sids in base._by_name.items() for sid in sids
             if name not in gazetteer.GENERIC_NAMES]
    seen = set(base.sites)
    for line in gold_file.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        name = fold_text(row["site_ar"]).strip()
        if not name or name in gazetteer.GENERIC_NAMES or len(name) < 3:
            continue
        if evaluate.site_id_of_gold(row["site"], row["site_ar"], row.get("evidence", "")) in seen:
            continue  # the gazetteer knows it already: a second id for it would only make it ambiguous
        site_id = re.sub(r"[^a-z0-9]+", "_", row["site"].lower()).strip("_")
        if site_id not in seen:
            kind = "city" if "city" in row["site"].lower() else "town"
            sites.append(gazetteer.Site(site_id, row["site"], row["site_ar"], kind, "", "oracle"))
            seen.add(site_id)
        names.append((site_id, name))
        bare = re.sub(r"^(?:مدينه|بلده|قريه|حي|مطار|منطقه)\s+", "", name)
        if bare != name and len(bare) >= 4:
            names.append((site_id, bare))
    return gazetteer.Gazetteer(sites, names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, nargs="?", default=DEFAULT)
    parser.add_argument("--oracle-places", action="store_true",
                        help="add the gold places to the gazetteer for this run (isolates non-place rules)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--misses", action="store_true", help="list unmatched gold and predicted claims")
    args = parser.parse_args()
    gold_file, articles_file = args.corpus / "gold.jsonl", args.corpus / "articles.jsonl"
    if not gold_file.is_file():
        sys.exit(f"no gold.jsonl in {args.corpus}; pass the dev corpus directory")
    if args.oracle_places:
        oracle = with_gold_places(gold_file)
        pipeline.load_gazetteer = evaluate.load_gazetteer = resolve.load_gazetteer = lambda: oracle
    gold = read_gold(gold_file)
    articles = load_articles(articles_file, allow_undated=True)
    predicted, undated = extract_all(articles)
    with_gold = {g["doc_id"] for g in gold}
    result = evaluate.report(predicted, gold, [a.doc_id for a in articles if a.doc_id not in with_gold],
                             undated)
    label = "ORACLE PLACES (gold places added to the gazetteer)" if args.oracle_places else "project gazetteer"
    if args.json:
        print(json.dumps({"places": label, **result.as_dict()}, indent=2))
    else:
        print(f"dev corpus {args.corpus} — {len(articles)} articles, {len(gold)} gold claims — {label}\n")
        print(result.text())
    if args.misses:
        show_misses(predicted, gold)


def show_misses(predicted: list[dict], gold: list[dict]) -> None:
    pairs = evaluate.match(predicted, gold, evaluate._AGREE["overall"])
    hit_p, hit_g = {i for i, _ in pairs}, {j for _, j in pairs}
    keys = ("site_id", "kind", "gainer", "loser", "date_from", "date_to", "claimant")
    print("\n# missed gold")
    for j, g in enumerate(gold):
        if j not in hit_g:
            print("G", g["doc_id"], *(g.get(k) for k in keys), g.get("claimants"))
    print("\n# unmatched predictions")
    for i, p in enumerate(predicted):
        if i not in hit_p:
            print("P", p["doc_id"], *(p.get(k) for k in keys), p.get("time_precision"), "|", p["evidence"][:90])
    print("\n# matched, claimant wrong")
    for i, j in pairs:
        if not evaluate._claimant_agrees(predicted[i], gold[j]):
            print("C", gold[j]["doc_id"], gold[j]["site_id"], predicted[i]["claimant"], "gold:",
                  gold[j].get("claimants"), "|", predicted[i]["evidence"][:80])


if __name__ == "__main__":
    main()
