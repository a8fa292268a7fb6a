"""Entry point of the frozen app: the same `hearth` as the console script."""

import sys

from desktop_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
