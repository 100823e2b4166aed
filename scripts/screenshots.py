"""Save a screenshot of every screen of the main window (for looking at what we built).

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/screenshots.py \
        --db station.db --out shots/ [--lang en] [--size 1440x900]

Each screen is saved as ``<out>/<lang>-<screen>.png``, grabbed from the real window. With
``--as USER`` (a demo account) the window is the one that account sees after signing in, and the
sign-in, lock and reveal windows are saved too (``<lang>-signin.png`` and so on). A district
database (one that applied several stations' change packages) has the district screen too;
``--screens district,dashboard`` saves only the screens named.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QWidget

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from station_console.app import create_application, open_station_database, prepare_application  # noqa: E402
from station_console.domain.security import PersonalField  # noqa: E402
from station_console.services.accounts import DEMO_PASSWORD, sign_in  # noqa: E402
from station_console.services.station import station_profile  # noqa: E402
from station_console.ui.board.board_screen import BoardScreen  # noqa: E402
from station_console.ui.board.reveal_dialog import RevealDialog  # noqa: E402
from station_console.ui.main_window import MainWindow  # noqa: E402
from station_console.ui.session import SignInDialog  # noqa: E402


def settle(ms: int) -> None:
    """Let the event loop run for ``ms`` milliseconds (timers, layouts, web pages)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def save(widget: QWidget, target: Path) -> None:
    widget.grab().save(str(target))
    print(target)


def security_windows(window: MainWindow, out: Path, prefix: str, wait_ms: int) -> None:
    """The reveal dialog over the board (when the account may reveal) and the lock screen."""
    board = window.screens.get("board")
    if isinstance(board, BoardScreen):
        window.show_screen("board")
        board.view.selectRow(0)
        settle(wait_ms)
    if isinstance(board, BoardScreen) and board.actions_by_name["reveal"].isEnabled():
        board.reveal_selected()
        settle(wait_ms)
        dialog = board.active_dialog
        if isinstance(dialog, RevealDialog):
            dialog.buttons[PersonalField.PHONE].click()
            settle(wait_ms)
            save(dialog, out / f"{prefix}-reveal.png")
            dialog.accept()
    window.idle_lock.lock()
    settle(wait_ms)
    screen = window.idle_lock.screen
    if screen is not None:
        screen.resize(window.size())
        settle(wait_ms)
        save(screen, out / f"{prefix}-lock.png")
        screen.password.setText(DEMO_PASSWORD)
        screen.try_unlock()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--lang", default="zh_CN", choices=["zh_CN", "en"])
    parser.add_argument("--size", default="1440x900")
    parser.add_argument("--wait-ms", type=int, default=800, help="settle time per screen")
    parser.add_argument("--screens", metavar="ID,ID", help="only these screens (e.g. district,dashboard)")
    parser.add_argument("--as", dest="user", metavar="USER",
                        help="sign in as this demo account (password: the demo password)")
    args = parser.parse_args()

    app = create_application()
    prepare_application(app, args.lang)
    args.out.mkdir(parents=True, exist_ok=True)
    settings = QSettings(str(args.out / "settings.ini"), QSettings.Format.IniFormat)
    db = open_station_database(args.db)
    prefix = args.lang
    if args.user:
        prefix = f"{args.lang}-{args.user}"
        signin = SignInDialog(db, station_name=station_profile(db).name, demo=True)
        signin.show()
        settle(args.wait_ms)
        save(signin, args.out / f"{prefix}-signin.png")
        signin.close()
        sign_in(db, args.user, DEMO_PASSWORD)
    window = MainWindow(db, station_profile(db), settings)
    width, height = (int(v) for v in args.size.split("x"))
    window.resize(width, height)
    window.show()
    settle(args.wait_ms)
    wanted = set(args.screens.split(",")) if args.screens else set(window.screens)
    for screen_id in [s for s in window.screens if s in wanted]:
        window.show_screen(screen_id)
        settle(args.wait_ms)
        save(window, args.out / f"{prefix}-{screen_id}.png")
    if args.user:
        security_windows(window, args.out, prefix, args.wait_ms)
    window.close()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
