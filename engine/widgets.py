"""Moved: the explorer lives in :mod:`engine.explore`. This alias keeps
``from engine import widgets`` working for code written before the move (notebook 03);
new code imports ``engine.explore``."""

from engine.explore import *  # noqa: F403 - the alias is the package's public names
from engine.explore import __all__  # noqa: F401
