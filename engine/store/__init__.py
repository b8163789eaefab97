"""The only code that writes ``events/``: the append-only log and its source texts."""

from engine.store.log import (
    EventLog,
    LogHead,
    TornTailRepair,
    default_log_dir,
    open_log,
    require_log,
)

__all__ = ["EventLog", "LogHead", "TornTailRepair", "default_log_dir", "open_log", "require_log"]
