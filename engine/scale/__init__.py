"""Scale: synthetic logs, incremental and partitioned replay (the log is read by engine.store).

Nothing here changes what a replay means: every path in this package is checked in the
tests against the store's checked reader and the domain's ``replay``.
"""
