"""How many gold place mentions of the dev corpus resolve to the right place.

For every gold line, ``site_ar`` (an exact substring of the article) is resolved
with the article as context (``engine.reference.resolve_site``; a generic name
such as المدينة sees the text before it). The answer is right when it is the
site the key file ``bench/gazetteer_gold_sites.csv`` gives for the gold ``site``
(checked by hand against the OCHA p-code and English name; ``-`` = not in the
gazetteer on purpose, e.g. an unnamed checkpoint).

    PYTHONPATH=$PWD python bench/gazetteer_resolution.py [../shared/devcorpus] [--misses] [--spelling]
    PYTHONPATH=$PWD python bench/gazetteer_resolution.py [../shared/devcorpus] --place-misses
    PYTHONPATH=$PWD python bench/gazetteer_resolution.py [../shared/devcorpus] --causes

``--place-misses`` runs the extractor and sorts the strict misses by place: a gold claim
missed whose place the gazetteer lacks (and whether stderr names it: a note of the
extractor contains its Arabic name or the name without its place noun), one whose place
the gazetteer has, and a prediction on a site the document's gold never names.

``--spelling`` sorts the distinct gold Arabic names by how they meet the gazetteer: the
name as folded (hamza, ى/ي, ة/ه, tanween and shadda are folded already) is a gazetteer
name ("exact"); only a looser key finds one (no ال on any word, doubled letters once,
ؤ/ئ/ء as و/ي/nothing, no final ه, no spaces: "variant"); a place noun before a
gazetteer name ("حاجز X", "تلة X": "named after"); a part of it, a name one letter off a
curated one or a qualified name that the finder reads ("finder"); or nothing ("absent").

``--causes`` sorts every gold mention the resolver does not get right by cause, from the key
file: (a) the key names a gazetteer place (an OCHA community or a curated place) and the
resolver finds nothing (a spelling it does not forgive); (b) the resolver gives another site
than the key's; (c) the key says no offline source holds the place (``-``) and the resolver
finds nothing; "generic" a generic name (المدينة, الأحياء الشرقية) the key gives a place for.
Run it with another checkout's ``engine`` first on the path to count that checkout's causes
against the same key.

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


_PLACE_NOUNS = ("قريه", "بلده", "مدينه", "حي", "احياء", "حاجز", "حواجز", "تله", "معمل", "مزرعه", "مزارع",
                "مداجن", "دوار", "منطقه", "كتيبه", "اللواء", "مدرسه", "صوامع", "مقالع", "مبني", "النقطه", "رحبه")


def loose_key(name: str) -> str:
    """A folded name with the spellings reporters vary taken out ("variant" above)."""
    import re

    words = [w[2:] if w.startswith("ال") and len(w) > 4 else w for w in name.split()]
    text = "".join(words).replace("ؤ", "و").replace("ئ", "ي").replace("ء", "")
    text = re.sub(r"(.)\1", r"\1", text)
    return text[:-1] if text.endswith("ه") and len(text) > 3 else text


def spelling(corpus: Path) -> int:
    """How the distinct gold Arabic names of the corpus meet the gazetteer (see above)."""
    from engine.extract.normalise import fold_text
    from engine.reference.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    loose: dict[str, set[str]] = {}
    for name, ids in gaz._by_name.items():
        if name not in gaz.generic_kinds:
            loose.setdefault(loose_key(name), set()).update(ids)
    classes: dict[str, list[str]] = {"exact": [], "finder": [], "variant": [], "named after": [], "generic": [],
                                     "absent": []}
    seen = set()
    for line in (corpus / "gold.jsonl").open(encoding="utf-8"):
        g = json.loads(line)
        folded = fold_text(g["site_ar"]).strip().strip('"')
        if folded in seen:
            continue
        seen.add(folded)
        words = folded.split()
        noun = words[0] if len(words) > 1 and words[0] in _PLACE_NOUNS else ""
        core = " ".join(words[1:]) if noun else folded
        if core in gaz.generic_kinds or folded in gaz.generic_kinds:
            classes["generic"].append(folded)
        elif gaz.names_of(core) or gaz.names_of("ال" + core) or (core.startswith("ال") and gaz.names_of(core[2:])):
            classes["named after" if noun and noun not in ("قريه", "بلده", "مدينه") and not gaz.names_of(folded)
                    else "exact"].append(folded)
        elif any(not m.generic_kinds and not m.region for m in gaz.find(folded)):
            classes["finder"].append(folded)  # one letter off a curated name, a qualified name...
        elif loose.get(loose_key(core)):
            hits = sorted(loose[loose_key(core)])
            classes["variant"].append(f"{folded} ~ {'/'.join(hits[:3])}{'…' if len(hits) > 3 else ''}")
        else:
            classes["absent"].append(folded)
    total = sum(len(v) for v in classes.values())
    print(f"distinct gold Arabic names: {total}")
    for cls, names in classes.items():
        print(f"  {cls:12s} {len(names):4d}")
    for cls in ("finder", "variant", "named after", "absent"):
        print(f"# {cls}: " + " | ".join(classes[cls]))
    return 0


def _noted(name: str, notes: str) -> bool:
    """A note of the extractor names the place: its name, or the name after its place noun."""
    name = name.strip().strip('"')
    bare = " ".join(name.split()[1:]) if name.split()[0] in _PLACE_NOUNS and " " in name else name
    return name in notes or (len(bare) >= 3 and bare in notes)


def place_misses(corpus: Path) -> int:
    """Strict misses of the extractor on the corpus, by place (see above)."""
    from engine.cli.extract import extract_all, read_gold
    from engine.extract import evaluate
    from engine.extract.articles import load_articles
    from engine.extract.dates import provisional_published
    from engine.extract.normalise import fold_text
    from engine.extract.pipeline import extract_claims
    from engine.reference import site_ids

    articles = load_articles(corpus / "articles.jsonl", allow_undated=True)
    gold = read_gold(corpus / "gold.jsonl")
    raw = [json.loads(line) for line in (corpus / "gold.jsonl").open(encoding="utf-8") if line.strip()]
    predicted, _undated = extract_all(articles)
    notes: dict[str, str] = {}
    for a in articles:
        published = a.published or provisional_published(fold_text(a.text))
        notes[a.doc_id] = fold_text(" ".join(extract_claims(a.text, published, a.doc_id).unresolved))
    pairs = evaluate.match(predicted, gold, evaluate._AGREE["overall"])
    hit_p, hit_g = {i for i, _ in pairs}, {j for _, j in pairs}
    known = site_ids()
    lacking = noted = has = 0
    silent: list[str] = []
    for j, g in enumerate(gold):
        if j in hit_g:
            continue
        if g["site_id"] in known:
            has += 1
            continue
        lacking += 1
        if _noted(fold_text(raw[j]["site_ar"]), notes[g["doc_id"]]):
            noted += 1
        else:
            silent.append(f"{g['doc_id']} {raw[j]['site_ar']}")
    gold_sites: dict[str, set[str]] = {}
    for g in gold:
        gold_sites.setdefault(g["doc_id"], set()).add(g["site_id"])
    stray = [p for i, p in enumerate(predicted) if i not in hit_p and p["site_id"] not in gold_sites.get(p["doc_id"], ())]
    # independent of the scorer: every gold mention the key file says the gazetteer lacks
    with (HERE / "gazetteer_gold_sites.csv").open(encoding="utf-8") as fh:
        lacks = {r["gold_site"] for r in csv.DictReader(fh) if r["site_id"] == "-"}
    named = [r for r in raw if r["site"] in lacks]
    told = sum(1 for r in named if _noted(fold_text(r["site_ar"]), notes[r["doc_id"]]))
    print(f"gold mentions of places the key says the gazetteer lacks: {len(named)}, named on stderr: {told}")
    print(f"strict misses: gold {len(gold) - len(hit_g)}, predictions {len(predicted) - len(hit_p)}")
    print(f"  missed gold, place not in the gazetteer: {lacking} (named on stderr: {noted}, silent: {len(silent)})")
    print(f"  missed gold, place in the gazetteer:     {has}")
    print(f"  predictions on a site the document's gold lacks: {len(stray)}")
    print("# silent: " + " | ".join(silent))
    print("# stray: " + " | ".join(f"{p['doc_id']} {p['site_id']}" for p in stray))
    return 0


def _texts_and_key(corpus: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The corpus's article texts by doc_id, and the key file's site for each gold site."""
    texts = {}
    for line in (corpus / "articles.jsonl").open(encoding="utf-8"):
        doc = json.loads(line)
        texts[doc["doc_id"]] = doc["text"]
    with (HERE / "gazetteer_gold_sites.csv").open(encoding="utf-8") as fh:
        key = {r["gold_site"]: r["site_id"] for r in csv.DictReader(fh)}
    return texts, key


_GENERIC_WORDS = ("المدينه", "البلده", "القريه", "المطار", "الاحياء", "احياء")


def causes(corpus: Path) -> int:
    """Gold mentions the resolver misses, by cause (see the module's docstring)."""
    from engine.extract.normalise import fold_text

    texts, key = _texts_and_key(corpus)
    resolve = resolver()
    counts: Counter = Counter()
    names: dict[str, Counter] = {}
    for line in (corpus / "gold.jsonl").open(encoding="utf-8"):
        g = json.loads(line)
        text = texts[g["doc_id"]]
        at = text.find(g["site_ar"], max(text.find(g["evidence"]), 0))
        got, _why = resolve(g["site_ar"], text, at)
        want = key.get(g["site"], "?")
        generic = fold_text(g["site_ar"]).split()[0] in _GENERIC_WORDS
        if got is not None and got == want:
            cause = "right"
        elif got is not None:
            cause = "(b) another place"
        elif want == "-":
            cause = "(c) in no offline source"
        elif generic:
            cause = "generic name"
        else:
            cause = "(a) a gazetteer place not matched"
        counts[cause] += 1
        names.setdefault(cause, Counter())[f"{g['doc_id']} {g['site_ar']} ({want}{'' if got is None else ' got ' + got})"] += 1
    print(f"gold mentions: {sum(counts.values())}")
    for cause in ("right", "(a) a gazetteer place not matched", "(b) another place", "generic name",
                  "(c) in no offline source"):
        print(f"  {cause:36s} {counts[cause]:4d}")
    for cause in ("(a) a gazetteer place not matched", "(b) another place", "generic name"):
        print(f"# {cause}: " + " | ".join(sorted(names.get(cause, {}))))
    return 0


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    corpus = Path(args[0] if args else HERE.parent.parent / "shared" / "devcorpus")
    if "--causes" in argv:
        return causes(corpus)
    if "--spelling" in argv:
        return spelling(corpus)
    if "--place-misses" in argv:
        return place_misses(corpus)
    texts, key = _texts_and_key(corpus)
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
