"""Scale: synthetic logs, fast loading, incremental and partitioned replay.

Nothing here changes what a replay means: every path in this package is checked in the
tests against the store's checked reader and the domain's ``replay``.
"""
