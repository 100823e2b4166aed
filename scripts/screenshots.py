"""Save a screenshot of every screen of the main window (for looking at what we built).

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/screenshots.py \
        --db station.db --out shots/ [--lang en] [--size 1440x900]

Each screen is saved as ``<out>/<lang>-<screen>.png``, grabbed from the real window.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from station_console.app import create_application, open_station_database, prepare_application  # noqa: E402
from station_console.services.station import station_profile  # noqa: E402
from station_console.ui.main_window import MainWindow  # noqa: E402


def settle(ms: int) -> None:
    """Let the event loop run for ``ms`` milliseconds (timers, layouts, web pages)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--lang", default="zh_CN", choices=["zh_CN", "en"])
    parser.add_argument("--size", default="1440x900")
    parser.add_argument("--wait-ms", type=int, default=800, help="settle time per screen")
    args = parser.parse_args()

    app = create_application()
    prepare_application(app, args.lang)
    args.out.mkdir(parents=True, exist_ok=True)
    settings = QSettings(str(args.out / "settings.ini"), QSettings.Format.IniFormat)
    db = open_station_database(args.db)
    window = MainWindow(db, station_profile(db), settings)
    width, height = (int(v) for v in args.size.split("x"))
    window.resize(width, height)
    window.show()
    settle(args.wait_ms)
    for screen_id in window.screens:
        window.show_screen(screen_id)
        settle(args.wait_ms)
        target = args.out / f"{args.lang}-{screen_id}.png"
        window.grab().save(str(target))
        print(target)
    window.close()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
