"""The one place the version is written: ``pyproject.toml`` reads it, ``tadmur --version``
prints it, every saved chart records it, and ``engine.__version__`` re-exports it.

A module of its own so that code needing the version (chart provenance, the CLI) does
not import the package's front door, which re-exports most of the engine.

>>> __version__.count(".") >= 2
True
"""

__version__ = "0.2.0"
