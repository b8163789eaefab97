"""Arabic article -> candidate claims: offline, rule-based, deterministic.

``extract_claims(text, published, doc_id)`` is the entry point (see ``pipeline``);
``engine.cli`` adds ``tadmur extract / eval / ingest / review``.

Modules: ``normalise`` (folding with an offset map), ``clean`` (page furniture,
sentences), ``lexicon`` (word lists as data), ``triggers``, ``actors``,
``claimants``, ``dates``, ``objects`` (which places a trigger is about),
``pipeline``, ``evaluate``, ``articles`` (reading input safely), ``scan``.
"""

from __future__ import annotations

__all__ = ["extract_claims"]


def __getattr__(name: str):
    # lazy: engine.reference.gazetteer imports engine.extract.normalise, so importing the
    # pipeline here eagerly would be circular
    if name == "extract_claims":
        from engine.extract.pipeline import extract_claims

        return extract_claims
    raise AttributeError(name)
