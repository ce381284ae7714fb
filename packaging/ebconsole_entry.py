"""Entry point of the frozen build: the same as the `ebconsole` console script
(`ebconsole.cli:main` in pyproject.toml)."""

import multiprocessing
import sys

from ebconsole.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
