"""Fast loading of a log (the compiled JSON lines reader, the Parquet snapshot) and the
``tadmur synth`` command, until they move to ``engine/store/`` and ``engine/cli/``.

Synthetic logs are :mod:`engine.synth`; the partitioned replay is :mod:`engine.partitioned`;
the incremental replay, which nothing a user runs calls yet, is a benchmark's
(``bench/incremental_replay.py``).
"""
