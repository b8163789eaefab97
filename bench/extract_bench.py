"""Extraction speed: articles per second per core on ~5 KB Arabic articles (not a test).

Builds ~5 KB articles by cycling the seed paragraphs (or any ``--articles DIR`` of .txt
files), runs ``extract_claims`` on one core, prints a small table and writes
``bench/results/extract.json``. Target: at least 200 articles/s per core. Rates are
CPU time of this process (per core); the headline is the best round, like ``timeit``,
with the median beside it.

    python bench/extract_bench.py [--n 400] [--articles DIR | --articles ../shared/devcorpus/articles.jsonl]

With a JSONL the articles are used as they are (the dev corpus excerpts, ~1 KB each).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import time
from pathlib import Path

from engine.extract.pipeline import extract_claims

HERE = Path(__file__).resolve().parent
SEEDS = [HERE.parent.parent / "shared" / "seeds", HERE.parent / "events" / "sources"]
TARGET_PER_S = 200


def corpus(directory: Path | None, size: int = 5000) -> list[str]:
    """Articles of about ``size`` bytes (UTF-8), made of real article paragraphs."""
    if directory and directory.is_file():  # a JSONL of articles, e.g. the dev corpus
        return [json.loads(line)["text"] for line in directory.read_text(encoding="utf-8").splitlines()
                if line.strip()]
    dirs = [directory] if directory else [d for d in SEEDS if d.is_dir()]
    texts = [p.read_text(encoding="utf-8") for d in dirs[:1] for p in sorted(d.glob("*.txt"))]
    if not texts:
        raise SystemExit("no .txt articles found; pass --articles DIR")
    paragraphs = [p for t in texts for p in t.split("\n") if len(p) > 80]
    out, i = [], 0
    for start in range(len(paragraphs)):
        parts, length = [], 0
        i = start
        while length < size:
            parts.append(paragraphs[i % len(paragraphs)])
            length += len(parts[-1].encode("utf-8")) + 1  # size in bytes, as on disk
            i += 1
        out.append("\n".join(parts))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="articles per round")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--articles", type=Path, default=None)
    args = parser.parse_args()
    articles = corpus(args.articles)
    published = dt.date(2016, 12, 12)
    extract_claims(articles[0], published)  # warm caches (gazetteer, regexes)
    # CPU time of this process: "per core", and fair when other jobs share the machine
    rates, wall_rates, claims = [], [], 0
    for _ in range(args.rounds):
        start, wall = time.process_time(), time.perf_counter()
        for k in range(args.n):
            claims += len(extract_claims(articles[k % len(articles)], published).claims)
        rates.append(args.n / (time.process_time() - start))
        wall_rates.append(args.n / (time.perf_counter() - wall))
    size = statistics.mean(len(a.encode("utf-8")) for a in articles)
    # best round, as timeit does: the others measure the machine's other jobs more than this code
    result = {
        "articles_per_s_per_core": round(max(rates), 1),
        "median_articles_per_s_per_core": round(statistics.median(rates), 1),
        "rounds": [round(r, 1) for r in rates],
        "wall_clock_articles_per_s": round(statistics.median(wall_rates), 1),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "article_kb": round(size / 1000, 2),
        "articles_per_round": args.n,
        "target_per_s": TARGET_PER_S,
        "ratio_to_target": round(max(rates) / TARGET_PER_S, 2),
        "claims_per_article": round(claims / (args.n * args.rounds), 2),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    print(f"{'metric':32} value")
    for key in ("articles_per_s_per_core", "median_articles_per_s_per_core", "wall_clock_articles_per_s",
                "load_average_1min",
                "article_kb", "claims_per_article", "ratio_to_target"):
        print(f"{key:32} {result[key]}")
    out = HERE / "results" / ("extract_jsonl.json" if args.articles and args.articles.is_file() else "extract.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
