"""Doctest collection: the web app module needs Solara (a project dependency); an
environment without it still collects the rest of the package."""

from importlib.util import find_spec

collect_ignore = [] if find_spec("solara") else ["app.py"]
