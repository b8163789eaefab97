"""Where a replay's time goes: each stage of engine.domain.replay timed on its own.

The stages run in order on the same encoded synthetic events (seed 0), each repeated on
the output of the one before, so a table row is the cost of that stage alone. The
stages are the replay module's private steps: this is a tool for whoever works on
them next, not an interface.

    .venv/bin/python bench/replay_stages.py                 # 1M claims
    .venv/bin/python bench/replay_stages.py --claims 4      # the fixed cost of a tiny replay
"""

from __future__ import annotations

import argparse
import importlib
import sys

from common import measure, write_results

from engine.domain import EncodedEvents, Policy, replay
from engine.domain.claims import believed
from engine.synth import synth_claim_events

# `engine.domain.replay` the name is the function; the module holds the stages
stages = importlib.import_module("engine.domain.replay")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    encoded = EncodedEvents.of(synth_claim_events(args.claims, seed=0))
    policy, n, repeats = Policy(mode="strict"), args.claims, args.repeats  # the compiled path
    unknown = encoded.actors.index_of("unknown")
    measures = []

    def stage(name, fn):
        m, result = measure(name, n, fn, repeats)
        measures.append(m)
        return result

    claims = stage("believed claims", lambda: believed(encoded, policy))
    walks, claim_marker, markers = stage("markers", lambda: stages._markers(claims, encoded, unknown))
    states = stage("states", lambda: stages._states(markers, unknown))
    support = stage("supporting claims",
                    lambda: stages._support(states, walks, claim_marker, claims, encoded))
    stage("intervals", lambda: stages._intervals(states, support, encoded))
    stage("swings", lambda: stages._swings(states, support, encoded))
    stage("whole replay", lambda: replay(encoded, policy))
    lines = ["| stage | claims | median ms |", "|---|---|---|"]
    lines += [f"| {m.name} | {m.n:,} | {m.median * 1000:.1f} |" for m in measures]
    text = "\n".join(lines)
    print(text)
    path = write_results(f"replay_stages_{n}", measures, {"table": text})
    print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
