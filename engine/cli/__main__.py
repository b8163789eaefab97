"""``python -m engine.cli``: the same as the ``tadmur`` console script."""

import sys

from engine.cli import main

if __name__ == "__main__":
    sys.exit(main())
