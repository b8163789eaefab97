"""Tadmur: Arabic war reporting -> an append-only claim log -> control timelines.

``__version__`` is the one place the version is written: ``pyproject.toml`` reads it,
``tadmur --version`` prints it and every saved chart records it.

>>> __version__.count(".") >= 2
True
"""

__version__ = "0.2.0"
