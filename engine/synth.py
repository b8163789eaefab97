"""Synthetic claim logs: realistic in shape, reproducible from a seed.

The shape follows what war reporting looks like in the log: a few sites (Palmyra, the
airbases) draw most claims and most sites draw a handful (Zipf weights); each site has
a history of real changes of control ("episodes"), and every claim is some claimant's
report of one: windows as wide as the report's precision, a few claimants naming the
other side (contested spans), sieges before a fall, partial entries, attacks that change
nothing, denied reports, machine-extracted candidates that analysts review, and later
corrections (a shifted window, another gainer, even another site) and retractions.

Two outputs from one draw:

- :func:`synth_claim_events` builds the ``claim_events`` frame in memory (columnar, any
  size, any number of sites) for replay benchmarks;
- :func:`write_synth_log` writes the same draw as a real log folder (``log.jsonl`` framed
  and hash-chained by :func:`engine.store.codec.encode_line`, plus ``sources/``), which
  ``tadmur verify`` accepts. Claim ids there are the content ids of ``ClaimRecorded.make``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from engine.domain.errors import TadmurError
from engine.domain.events import (
    CORRECTABLE_FIELDS,
    ClaimCorrected,
    ClaimRecorded,
    ClaimRetracted,
    ClaimReviewed,
    DocumentRegistered,
    Event,
)
from engine.domain.schema import CLAIM_EVENTS, enforce_schema
from engine.reference import load_sites
from engine.store.codec import GENESIS_HASH, encode_line
from engine.store.lock import locked
from engine.store.log import LOG_FILE, LogHead
from engine.store.sources import SOURCES_DIR

#: Actors that hold sites, in the order the episode walk cycles through them.
HOLDERS = ("isis", "government", "opposition", "sdf")

#: Claimants and how often each speaks (outlets and monitors most, ministries least).
CLAIMANTS = {
    "amaq": 10, "isis_media": 4, "sana": 12, "syrian_tv": 6, "syrian_military": 4,
    "pro_government_media": 6, "russian_mod": 3, "sohr": 14, "activists": 8,
    "local_sources": 10, "other_outlet": 8, "outlet": 15,
}
OUTLETS = ("enabbaladi.net", "alsouria.net", "anapress.net", "microsyria.com", "sana.sy",
           "syriahr.com", "aljazeera.net", "alarabiya.net")

#: Sentences of the synthetic source texts; evidence quotes one of them exactly.
SENTENCES = (
    "سيطر تنظيم الدولة على الموقع بعد معارك عنيفة مع قوات النظام",
    "استعادت قوات النظام السيطرة على الموقع بدعم جوي روسي",
    "انسحبت فصائل المعارضة من الموقع تحت وطأة القصف",
    "أعلنت وكالة أعماق أن مقاتلي التنظيم دخلوا أطراف المنطقة",
    "قالت وكالة سانا إن وحدات الجيش فكت الحصار عن الموقع",
    "بحسب المرصد السوري فإن الاشتباكات ما تزال مستمرة في محيط الموقع",
    "تحاصر قوات سوريا الديمقراطية الموقع من ثلاث جهات",
    "نفت مصادر محلية الأنباء عن سقوط الموقع",
    "شن التنظيم هجوما على نقاط الجيش دون أن يحرز تقدما",
    "وفق مصادر ميدانية فإن القوات المهاجمة تقدمت إلى قلب المدينة",
    "أفادت مصادر إعلامية موالية بأن الطريق بات تحت السيطرة",
    "ذكرت وزارة الدفاع الروسية أن الطيران دمر مواقع للتنظيم",
)

DAY0 = dt.date(2014, 1, 1)
SPAN_DAYS = 6 * 365
RECORDED_AT0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
RULES_EXTRACTOR = "rules@0.3"

# precision -> (share of claims, width of the window in days: low, high inclusive)
_PRECISIONS = {"day": (0.55, 0, 0), "days": (0.22, 1, 3), "week": (0.12, 6, 6),
               "month": (0.09, 29, 30), "season": (0.02, 85, 90)}


@dataclass(frozen=True)
class SynthDraw:
    """One draw: the claim events (log order) and the documents they quote."""

    #: claim events (``CLAIM_EVENTS``) plus ``_claim_number`` and ``_doc``, which tie
    #: follow-ups to their claim and claims to their document
    rows: pl.DataFrame
    documents: pl.DataFrame

    @property
    def claim_events(self) -> pl.DataFrame:
        return enforce_schema(self.rows, CLAIM_EVENTS, "claim_events")


def site_names(n_sites: int) -> list[str]:
    """Gazetteer sites first (Palmyra is the hottest), then ``synth_site_NNNNNN``.

    >>> site_names(2)
    ['palmyra', 'palmyra_airport']
    >>> site_names(6000)[-1]
    'synth_site_005999'
    """
    known = load_sites()["site_id"].to_list()
    return known[:n_sites] + [f"synth_site_{i:06d}" for i in range(len(known), n_sites)]


def synth_claim_events(n_events: int, n_sites: int | None = None, seed: int = 0) -> pl.DataFrame:
    """A ``claim_events`` frame of ``n_events`` rows (recorded, corrected, retracted,
    reviewed) over ``n_sites`` sites (default: one site per 20 events, at least 20).

    Example:
        >>> events = synth_claim_events(1000, n_sites=10, seed=1)
        >>> events.height, events["site_id"].drop_nulls().n_unique() <= 10
        (1000, True)
        >>> sorted(events["event"].unique())
        ['corrected', 'recorded', 'retracted', 'reviewed']
    """
    return synth_draw(n_events, n_sites, seed).claim_events


def synth_chunks(n_events: int, chunk: int = 2_000_000, seed: int = 0) -> Iterator[pl.DataFrame]:
    """A log too large for memory, as consecutive ``claim_events`` chunks.

    Each chunk is one stretch of the log about its own region: its own sites (one per
    20 events, named ``synth_site_…``), claim ids and seqs continuing the previous chunk.
    """
    done, number, next_seq = 0, 0, 1
    while done < n_events:
        size = min(chunk, n_events - done)
        n_sites = max(20, size // 20)
        events = synth_draw(size, n_sites, seed + number,
                            offsets=(next_seq, done, 1_000_000 + done)).claim_events
        done, number, next_seq = done + size, number + 1, int(events["seq"].max()) + 1
        yield events


def synth_draw(n_events: int, n_sites: int | None = None, seed: int = 0,
               offsets: tuple[int, int, int] = (0, 0, 0)) -> SynthDraw:
    """The columnar draw behind :func:`synth_claim_events` and :func:`write_synth_log`."""
    if n_events < 1:
        raise TadmurError(f"--claims must be at least 1, found {n_events}", where="synth",
                          hint="e.g. --claims 1000000")
    n_sites = n_sites or max(20, n_events // 20)
    rng = np.random.default_rng(seed)
    n_follow = int(n_events * 0.12) if n_events >= 10 else 0
    n_rec = n_events - n_follow
    rec = _recorded(rng, n_rec, n_sites)
    order, follow = _follow_ups(rng, rec, n_follow, n_sites)
    events = _assemble(rec, follow, order, n_sites, offsets)
    return SynthDraw(events, rec["documents"])


def _recorded(rng: np.random.Generator, n: int, n_sites: int) -> dict:
    weights = 1.0 / np.arange(1, n_sites + 1)
    site = rng.choice(n_sites, size=n, p=weights / weights.sum()).astype(np.int32)
    # each site's history: a few episodes (changes of control), more where claims abound
    per_site = np.bincount(site, minlength=n_sites)
    n_episodes = np.clip(per_site // 25, 1, 400)
    first_episode = np.concatenate([[0], np.cumsum(n_episodes)[:-1]])
    episode_site = np.repeat(np.arange(n_sites), n_episodes)
    episode_day = rng.integers(0, SPAN_DAYS, size=episode_site.size)
    episode_day = episode_day[np.lexsort((episode_day, episode_site))]
    holder = (rng.integers(0, 4) + np.cumsum(rng.integers(1, 4, size=episode_site.size))) % 4
    before = np.roll(holder, 1)
    episode = first_episode[site] + (rng.random(n) * n_episodes[site]).astype(np.int64)
    day, new, old = episode_day[episode], holder[episode], before[episode]
    first = episode == first_episode[site]

    kind = rng.choice(6, size=n, p=[0.60, 0.12, 0.06, 0.10, 0.04, 0.08])  # see KINDS below
    gainer, loser = new.copy(), old.copy()
    conflicting = (kind <= 1) & (rng.random(n) < 0.07)  # the losing side says it holds on
    gainer[conflicting], loser[conflicting] = old[conflicting], new[conflicting]
    unknown_gainer = (kind == 1) & (rng.random(n) < 0.5)  # "X withdrew": gainer unstated
    no_loser = first | (rng.random(n) < 0.25)

    noise = rng.integers(-2, 3, size=n)
    day = day + noise
    day = np.where(kind == 2, day - rng.integers(1, 21, size=n), day)  # partial: before the fall
    day = np.where(kind == 3, day - rng.integers(5, 90, size=n), day)  # besieged: before it
    day = np.where(kind == 4, day - rng.integers(1, 5, size=n), day)  # siege broken
    day = np.where(kind == 5, day - rng.integers(0, 200, size=n), day)  # attacked, anytime
    precision = rng.choice(len(_PRECISIONS), size=n, p=[p for p, _, _ in _PRECISIONS.values()])
    low = np.array([lo for _, lo, _ in _PRECISIONS.values()])[precision]
    high = np.array([hi for _, _, hi in _PRECISIONS.values()])[precision]
    width = low + (rng.random(n) * (high - low + 1)).astype(np.int64)
    valid_from = day - (rng.random(n) * (width + 1)).astype(np.int64)  # the day lies inside
    valid_to = valid_from + width

    names = list(CLAIMANTS)
    share = np.array(list(CLAIMANTS.values()), dtype=float)
    claimant = rng.choice(len(names), size=n, p=share / share.sum())
    manual = rng.random(n) < 0.75
    confidence = np.where(manual, 1.0, np.round(rng.uniform(0.4, 0.99, size=n), 2))
    denied = rng.random(n) < 0.03

    # documents: published on or after the end of the window; the log grows in that order
    published = valid_to + rng.geometric(0.3, size=n) - 1
    n_docs = int(np.clip(n // 100, 4, 20000))
    doc_day = np.sort(rng.integers(0, SPAN_DAYS + 60, size=n_docs))
    doc = np.minimum(np.searchsorted(doc_day, published), n_docs - 1)
    order = np.lexsort((rng.random(n), doc))
    used, doc = np.unique(doc[order], return_inverse=True)  # dense, in log order
    sentence = rng.integers(0, len(SENTENCES), size=n)
    columns = {"site": site, "kind": kind, "gainer": gainer, "loser": loser,
               "unknown_gainer": unknown_gainer, "no_loser": no_loser, "valid_from": valid_from,
               "valid_to": valid_to, "precision": precision, "claimant": claimant,
               "manual": manual, "confidence": confidence, "denied": denied,
               "sentence": sentence}
    rec = {k: v[order] for k, v in columns.items()}
    rec["doc"] = doc
    rec["documents"] = _documents(rng, doc_day[used])
    return rec


KINDS = ("captured", "withdrew", "partial", "besieged", "siege_broken", "attacked")


def _documents(rng: np.random.Generator, days: np.ndarray) -> pl.DataFrame:
    n = days.size
    return pl.DataFrame({
        "doc_id": [f"synth{i:06d}" for i in range(n)],
        "published": pl.Series(days + _epoch_day(DAY0)).cast(pl.Int32).cast(pl.Date),
        "outlet": pl.Series(rng.integers(0, len(OUTLETS), size=n)).replace_strict(
            dict(enumerate(OUTLETS)), return_dtype=pl.String),
        "rotation": np.arange(n) % len(SENTENCES),
    })


def _follow_ups(rng: np.random.Generator, rec: dict, n: int, n_sites: int) -> tuple[np.ndarray, dict]:
    """Corrections, retractions and reviews, each some time after the claim it targets."""
    n_rec = rec["site"].size
    action = rng.choice(3, size=n, p=[0.35, 0.25, 0.40])  # corrected, retracted, reviewed
    target = rng.integers(0, n_rec, size=n)
    candidates = np.flatnonzero(~rec["manual"])
    reviews = action == 2
    if candidates.size:
        target[reviews] = candidates[rng.integers(0, candidates.size, size=int(reviews.sum()))]
    else:
        action[reviews] = 1
    when = target + 1 + rng.geometric(1 / 50, size=n)
    # merge: a follow-up comes after the claim at position `when - 1`
    key = np.concatenate([np.arange(n_rec) * 2, np.minimum(when, n_rec) * 2 - 1])
    order = np.argsort(key, kind="stable")

    change = rng.choice(5, size=n, p=[0.45, 0.25, 0.10, 0.10, 0.10])
    follow = {k: v[target].copy() for k, v in rec.items() if isinstance(v, np.ndarray)}
    shift = rng.integers(1, 11, size=n) * rng.choice([-1, 1], size=n)
    moved = change == 0
    follow["valid_from"][moved] += shift[moved]
    follow["valid_to"][moved] += shift[moved]
    regained = change == 1
    follow["gainer"][regained] = (follow["gainer"][regained] + rng.integers(1, 4, size=int(regained.sum()))) % 4
    follow["unknown_gainer"][regained] = False
    reclaimed = change == 2
    follow["claimant"][reclaimed] = rng.integers(0, len(CLAIMANTS), size=int(reclaimed.sum()))
    rekind = change == 3
    follow["kind"][rekind] = rng.choice([0, 1, 5], size=int(rekind.sum()))
    resited = change == 4  # the place was misidentified
    follow["site"][resited] = rng.integers(0, n_sites, size=int(resited.sum()))
    follow["action"], follow["target"] = action, target
    follow["verdict_accepted"] = rng.random(n) < 0.8
    return order, follow


def _epoch_day(day: dt.date) -> int:
    return (day - dt.date(1970, 1, 1)).days


def _assemble(rec: dict, follow: dict, order: np.ndarray, n_sites: int,
              offsets: tuple[int, int, int]) -> pl.DataFrame:
    """Columns -> the claim events frame. ``offsets``: (seq, claim number, site number)
    of a chunk's first row, for logs built in chunks (0: a log of its own)."""
    seq_offset, claim_offset, site_offset = offsets
    n_rec, n_follow = rec["site"].size, follow["site"].size
    claim_number = np.concatenate([np.arange(n_rec), follow["target"]]) + claim_offset
    # distinct, scrambled, slug-shaped ids (an odd multiplier is a bijection mod 10**16)
    claim_id = pl.Series(claim_number * 7_919_000_003 % 10**16 + 10**16).cast(pl.String)
    both = {k: np.concatenate([rec[k], follow[k]]) for k in follow if k in rec}
    action = np.concatenate([np.full(n_rec, -1), follow["action"]])
    doc = np.concatenate([rec["doc"], np.full(n_follow, -1)])
    verdict = np.concatenate([np.zeros(n_rec, bool), follow["verdict_accepted"]])
    m = len(SENTENCES)
    evidence_start = _evidence_offsets()[doc % m, both["sentence"]]
    evidence_end = evidence_start + np.array([len(t) for t in SENTENCES])[(doc % m + both["sentence"]) % m]
    docs = rec["documents"]
    names = (site_names(n_sites) if not site_offset else
             [f"synth_site_{i:06d}" for i in range(site_offset, site_offset + n_sites)])
    frame = pl.DataFrame({
        "action": action, "claim_number": claim_number, "claim_id": "c" + claim_id.str.slice(1),
        "doc": doc, "site": both["site"], "kind": both["kind"], "gainer": both["gainer"],
        "loser": both["loser"], "unknown_gainer": both["unknown_gainer"],
        "no_loser": both["no_loser"], "valid_from": both["valid_from"],
        "valid_to": both["valid_to"], "precision": both["precision"],
        "claimant": both["claimant"], "manual": both["manual"],
        "confidence": both["confidence"], "denied": both["denied"],
        "sentence": both["sentence"], "accepted": verdict,
        "evidence_start": evidence_start, "evidence_end": evidence_end,
    })[order]
    # a document is registered (one log line) just before the first claim quoting it
    new_doc = pl.col("doc") > pl.col("doc").cum_max().shift(1).fill_null(-1)
    frame = frame.with_columns(
        seq=pl.int_range(1, pl.len() + 1) + (new_doc & (pl.col("action") == -1)).cum_sum()
        + max(seq_offset - 1, 0)
    )
    event = pl.col("action")
    is_claim = event <= 0  # recorded or corrected rows carry an assertion
    epoch = _epoch_day(DAY0)
    sentence_at = (pl.col("doc") % len(SENTENCES) + pl.col("sentence")) % len(SENTENCES)
    frame = frame.with_columns(
        event=event.replace_strict({-1: "recorded", 0: "corrected", 1: "retracted", 2: "reviewed"},
                                   return_dtype=pl.String),
        doc_id=pl.when(event == -1).then(pl.format("synth{}", pl.col("doc").cast(pl.String).str.zfill(6))),
        published_date=pl.when(event == -1).then(
            pl.col("doc").replace_strict(pl.Series(range(docs.height)), docs["published"])),
        site_id=pl.when(is_claim).then(pl.col("site").replace_strict(dict(enumerate(names)),
                                                                     return_dtype=pl.String)),
        kind=pl.when(is_claim).then(pl.col("kind").replace_strict(dict(enumerate(KINDS)),
                                                                  return_dtype=pl.String)),
        gainer=pl.when(is_claim).then(
            pl.when(pl.col("unknown_gainer")).then(pl.lit("unknown"))
            .otherwise(pl.col("gainer").replace_strict(dict(enumerate(HOLDERS)), return_dtype=pl.String))),
        loser=pl.when(is_claim & ~pl.col("no_loser")).then(
            pl.col("loser").replace_strict(dict(enumerate(HOLDERS)), return_dtype=pl.String)),
        valid_from=pl.when(is_claim).then((pl.col("valid_from") + epoch).cast(pl.Int32).cast(pl.Date)),
        valid_to=pl.when(is_claim).then((pl.col("valid_to") + epoch).cast(pl.Int32).cast(pl.Date)),
        time_precision=pl.when(is_claim).then(pl.col("precision").replace_strict(
            dict(enumerate(_PRECISIONS)), return_dtype=pl.String)),
        claimant=pl.when(is_claim).then(pl.col("claimant").replace_strict(
            dict(enumerate(CLAIMANTS)), return_dtype=pl.String)),
        denied=pl.when(is_claim).then(pl.col("denied")),
        confidence=pl.when(is_claim).then(pl.col("confidence")),
        extractor=pl.when(event == -1).then(
            pl.when(pl.col("manual")).then(pl.lit("manual")).otherwise(pl.lit(RULES_EXTRACTOR))),
        evidence_text=pl.when(event == -1).then(sentence_at.replace_strict(
            dict(enumerate(SENTENCES)), return_dtype=pl.String)),
        evidence_start=pl.when(event == -1).then("evidence_start"),
        evidence_end=pl.when(event == -1).then("evidence_end"),
        verdict=pl.when(event == 2).then(
            pl.when(pl.col("accepted")).then(pl.lit("accepted")).otherwise(pl.lit("rejected"))),
    )
    return frame.select(*CLAIM_EVENTS, _claim_number="claim_number", _doc="doc")


def _evidence_offsets() -> np.ndarray:
    """offsets[r, j]: character offset of sentence j in the text of rotation r."""
    m = len(SENTENCES)
    out = np.zeros((m, m), dtype=np.int64)
    for r in range(m):
        at = 0
        for j in range(m):
            out[r, j] = at
            at += len(SENTENCES[(r + j) % m]) + 1
    return out


def document_text(rotation: int) -> str:
    """The synthetic source text of a document (its sentences, one per line)."""
    m = len(SENTENCES)
    return "".join(SENTENCES[(rotation + j) % m] + "\n" for j in range(m))


# -- writing a log -----------------------------------------------------------------------


def write_synth_log(root: Path | str, n_events: int, n_sites: int | None = None,
                    seed: int = 0, progress: Callable[[int], object] | None = None) -> LogHead:
    """Write a fresh log folder: ``sources/`` and a hash-chained ``log.jsonl``.

    Lines are framed by :func:`engine.store.codec.encode_line` exactly as an append
    would write them; ``recorded_at`` advances 1 ms per line from 2026-01-01 so the same
    seed gives the same bytes. Sites must be gazetteer sites (``tadmur verify`` checks
    every site id), so ``n_sites`` is capped at the gazetteer's size. ``progress`` is
    called with the number of lines of each chunk written (a progress bar's ``update``).
    """
    root = Path(root)
    known = load_sites().height
    n_sites = min(n_sites or known, known) if n_sites is None else n_sites
    if n_sites > known:
        raise TadmurError(
            f"a log can only name the {known} gazetteer sites; --sites {n_sites} asked for more",
            where="synth --log",
            hint=f"use --sites {known} or fewer (in-memory benchmarks take any number)",
        )
    if n_events < 0 or (n_sites is not None and n_sites < 1):
        raise TadmurError(f"--claims must be >= 0 and --sites >= 1; found {n_events} and "
                          f"{n_sites}", where="synth", hint="e.g. --claims 10000 --sites 20")
    log_path = root / LOG_FILE
    _refuse_used(log_path)  # early, before the draw; again under the lock, which decides
    draw = synth_draw(n_events, n_sites, seed)
    root.mkdir(parents=True, exist_ok=True)
    with locked(root, exclusive=True):
        _refuse_used(log_path)  # two synth runs on one new folder: the second one stops here
        return _write_locked(root, draw, progress or (lambda _lines: None))


def _refuse_used(log_path: Path) -> None:
    if log_path.exists() and log_path.stat().st_size > 0:
        raise TadmurError(f"{log_path} already holds events; synth writes a fresh log",
                          where="synth --log", hint="point --log at an empty folder")


def _write_locked(root: Path, draw: SynthDraw, progress: Callable[[int], object]) -> LogHead:
    docs = _register_documents(root, draw.documents)
    prev, seq = GENESIS_HASH, 0
    fd = os.open(root / LOG_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        chunk: list[str] = []
        for event in _events(draw, docs):
            seq += 1
            stamp = (RECORDED_AT0 + dt.timedelta(milliseconds=seq)).strftime(
                "%Y-%m-%dT%H:%M:%S.%fZ")
            line, prev = encode_line(seq, event, stamp, prev)
            chunk.append(line)
            if len(chunk) >= 20000:
                _write_all(fd, "".join(chunk).encode("utf-8"))
                progress(len(chunk))
                chunk = []
        _write_all(fd, "".join(chunk).encode("utf-8"))
        progress(len(chunk))
        os.fsync(fd)
    finally:
        os.close(fd)
    return LogHead(seq, prev)


def _write_all(fd: int, payload: bytes) -> None:
    written = 0
    while written < len(payload):
        written += os.write(fd, payload[written:])


def _register_documents(root: Path, documents: pl.DataFrame) -> list[DocumentRegistered]:
    folder = root / SOURCES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    texts = [document_text(r).encode("utf-8") for r in range(len(SENTENCES))]
    digests = [hashlib.sha256(t).hexdigest() for t in texts]
    out = []
    for doc_id, published, outlet, rotation in documents.iter_rows():
        path = folder / f"{doc_id}.txt"
        path.write_bytes(texts[rotation])
        out.append(DocumentRegistered(
            doc_id=doc_id, outlet=outlet, url=f"https://{outlet}/{doc_id}",
            title=f"synthetic report {doc_id}", language="ar", published=published.isoformat(),
            published_precision="day", sha256=digests[rotation],
            path=f"{SOURCES_DIR}/{doc_id}.txt"))
    return out


def _events(draw: SynthDraw, docs: list[DocumentRegistered]) -> Iterator[Event]:
    """The draw as events, in log order; duplicates (same content id) are skipped, as an
    append would skip them, so the seqs stay contiguous."""
    frame = draw.rows
    content_id: dict[int, str] = {}
    seen: set[str] = set()
    next_doc = 0
    columns = ["event", "_claim_number", "_doc", "site_id", "kind", "gainer", "loser",
               "valid_from", "valid_to", "time_precision", "claimant", "denied", "confidence",
               "extractor", "evidence_text", "evidence_start", "evidence_end", "verdict"]
    for row in frame.select(columns).iter_rows():
        (event, number, doc, site, kind, gainer, loser, start, end, precision, claimant,
         denied, confidence, extractor, text, ev_start, ev_end, verdict) = row
        if event == "recorded":
            while next_doc <= doc:
                yield docs[next_doc]
                next_doc += 1
            claim = _FastClaimRecorded.make(
                doc_id=docs[doc].doc_id, site_id=site, kind=kind, gainer=gainer, loser=loser,
                valid_from=start.isoformat(), valid_to=end.isoformat(),
                time_precision=precision, claimant=claimant, denied=denied,
                evidence={"start": ev_start, "end": ev_end, "text": text},
                extractor=extractor, confidence=confidence)
            content_id[number] = claim.claim_id
            if claim.claim_id in seen:  # same assertion, same quote: one claim
                continue
            seen.add(claim.claim_id)
            out: Event = claim
        elif event == "corrected":
            named = dict(zip(columns, row, strict=True))
            corrected = {name: named[name].isoformat() if name in ClaimRecorded.DATES
                         else named[name] for name in CORRECTABLE_FIELDS}
            out = ClaimCorrected(content_id[number], corrected, "synthetic correction")
        elif event == "retracted":
            out = ClaimRetracted(content_id[number], "synthetic retraction")
        else:
            out = ClaimReviewed(content_id[number], verdict, "synth", "")
        if out.event_id in seen:
            continue
        seen.add(out.event_id)
        yield out


class _FastClaimRecorded(ClaimRecorded):
    """A ``ClaimRecorded`` whose payload is built once (``dataclasses.asdict`` deep-copies
    on every call, and framing asks for it twice). Same fields, same bytes."""

    def data(self) -> dict:
        cached = self.__dict__.get("_data")
        if cached is None:
            cached = {f.name: getattr(self, f.name) for f in _CLAIM_FIELDS}
            cached["evidence"] = dict(self.evidence)
            self.__dict__["_data"] = cached
        return cached

    @staticmethod
    def make(**fields) -> ClaimRecorded:
        base = ClaimRecorded.make(**fields)
        return _FastClaimRecorded(**{f.name: getattr(base, f.name) for f in _CLAIM_FIELDS})


_CLAIM_FIELDS = dataclasses.fields(ClaimRecorded)
