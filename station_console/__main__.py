"""Entry point: ``python -m station_console`` and the ``station-console`` script."""

from __future__ import annotations

import faulthandler
import sys


def main() -> None:
    """Run the command line and exit with its code."""
    # A crash inside Qt or a C extension then leaves the Python stacks of every thread on
    # stderr (the station's log), not just "Segmentation fault".
    if sys.stderr is not None:
        faulthandler.enable()
    from station_console.cli import main as cli_main

    sys.exit(cli_main())


if __name__ == "__main__":
    main()
