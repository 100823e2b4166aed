"""Entry point: ``python -m station_console`` and the ``station-console`` script."""

from __future__ import annotations

import sys


def main() -> None:
    """Run the command line and exit with its code."""
    from station_console.cli import main as cli_main

    sys.exit(cli_main())


if __name__ == "__main__":
    main()
