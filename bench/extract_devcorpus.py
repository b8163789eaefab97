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
    """The project's gazetteer in which every gold place name stands for the site the gold means.

    The site id is the one ``tadmur eval`` gives the gold line (``evaluate.site_id_of_gold``,
    computed on the project's gazetteer before it is replaced), so a prediction through the
    oracle name lands on the gold's site; a name the gold uses replaces the project's
    readings of that name (an ambiguous name is no longer ambiguous in this run).
    """
    base = gazetteer.load_gazetteer()
    sites = list(base.sites.values())
    seen = set(base.sites)
    gold_names: dict[str, list[str]] = {}
    for line in gold_file.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        name = fold_text(row["site_ar"]).strip()
        if not name or name in gazetteer.GENERIC_NAMES or len(name) < 3:
            continue
        site_id = evaluate.site_id_of_gold(row["site"], row["site_ar"], row.get("evidence", ""))
        if site_id not in seen:
            kind = "city" if "city" in row["site"].lower() else "town"
            sites.append(gazetteer.Site(site_id, row["site"], row["site_ar"], kind, "", "oracle"))
            seen.add(site_id)
        bare = re.sub(r"^(?:مدينه|بلده|قريه|حي|مطار|منطقه)\s+", "", name)
        for form in {name, bare}:
            if len(form) >= 4 or form == name:
                ids = gold_names.setdefault(form, [])
                if site_id not in ids:
                    ids.append(site_id)
    names = [(sid, name) for name, sids in base._by_name.items() for sid in sids
             if name not in gazetteer.GENERIC_NAMES and name not in gold_names]
    names += [(sid, name) for name, sids in gold_names.items() for sid in sids]
    return gazetteer.Gazetteer(sites, names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, nargs="?", default=DEFAULT)
    parser.add_argument("--oracle-places", action="store_true",
                        help="add the gold places to the gazetteer for this run (isolates non-place rules)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--misses", action="store_true", help="list unmatched gold and predicted claims")
    parser.add_argument("--episodes", default="",
                        help="score only these episodes, e.g. 1,3,5,7 (the negatives, episode 9, always count)")
    args = parser.parse_args()
    gold_file, articles_file = args.corpus / "gold.jsonl", args.corpus / "articles.jsonl"
    if not gold_file.is_file():
        sys.exit(f"no gold.jsonl in {args.corpus}; pass the dev corpus directory")
    if args.oracle_places:
        oracle = with_gold_places(gold_file)
        pipeline.load_gazetteer = evaluate.load_gazetteer = resolve.load_gazetteer = lambda: oracle
    gold = read_gold(gold_file)
    articles = load_articles(articles_file, allow_undated=True)
    if args.episodes:
        wanted = {int(e) for e in args.episodes.split(",")} | {9}
        episode = {row["doc_id"]: row.get("episode") for row in map(
            json.loads, articles_file.read_text(encoding="utf-8").splitlines()) if row}
        articles = [a for a in articles if episode.get(a.doc_id) in wanted]
        kept = {a.doc_id for a in articles}
        gold = [g for g in gold if g["doc_id"] in kept]
    refused: list[str] = []
    predicted, undated = extract_all(articles, refused)
    with_gold = {g["doc_id"] for g in gold}
    result = evaluate.report(predicted, gold, [a.doc_id for a in articles if a.doc_id not in with_gold],
                             undated, refused)
    label = "ORACLE PLACES (gold places added to the gazetteer)" if args.oracle_places else "project gazetteer"
    if args.episodes:
        label += f", episodes {args.episodes} and the negatives"
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
