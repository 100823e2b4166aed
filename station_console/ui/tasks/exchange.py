"""Task-order import and feedback export from the tasks screen, run off the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from station_console.services.task_exchange import (
    OrderFileError,
    OrderImport,
    export_feedback,
    import_task_orders,
)
from station_console.store.database import Database
from station_console.ui.workers import Progress, run_in_background

# lupdate finds calls named ``translate`` with a literal context.
translate = QCoreApplication.translate


def run_with_progress(parent: QWidget, label: str, fn: Callable[[], Any]) -> tuple[Any, BaseException | None]:
    """Run ``fn`` on the worker pool behind a busy progress dialog; returns (result, error)."""
    dialog = QProgressDialog(label, translate("TaskExchange", "Cancel"), 0, 0, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    # The work is one transaction: cancelling would only hide it, so the button is not offered.
    dialog.setCancelButton(None)
    outcome: dict[str, Any] = {}
    loop = QEventLoop(parent)

    def work(_progress: Progress) -> Any:
        return fn()

    worker = run_in_background(work)
    worker.signals.finished.connect(lambda result: (outcome.update(result=result), loop.quit()))
    worker.signals.failed.connect(lambda exc, _tb: (outcome.update(error=exc), loop.quit()))
    loop.exec()
    dialog.close()
    return outcome.get("result"), outcome.get("error")


def import_orders_interactive(parent: QWidget, db: Database, now: Callable[[], datetime]) -> bool:
    """Ask for a task-order file, import it and report; True when tasks were added."""
    path, _ = QFileDialog.getOpenFileName(parent, translate("TaskExchange", "Import task orders"), "",
                                          translate("TaskExchange", "Task orders (*.csv *.xlsx)"))
    if not path:
        return False
    result, error = run_with_progress(parent, translate("TaskExchange", "Importing task orders…"),
                                      lambda: import_task_orders(db, Path(path), now=now()))
    if isinstance(error, OrderFileError):
        QMessageBox.warning(parent, translate("TaskExchange", "Task orders not imported"), str(error))
        return False
    if error is not None:
        QMessageBox.critical(parent, translate("TaskExchange", "Task orders not imported"), str(error))
        return False
    assert isinstance(result, OrderImport)
    text = translate("TaskExchange", "{file}: {added} task(s) added, {skipped} already imported.")
    QMessageBox.information(parent, translate("TaskExchange", "Task orders imported"), text.format(
        file=result.file, added=result.added, skipped=result.already_there))
    return result.added > 0


def export_feedback_interactive(parent: QWidget, db: Database, now: Callable[[], datetime]) -> None:
    """Ask for a file name and export every task's feedback to CSV or XLSX."""
    default = f"task-feedback-{now():%Y%m%d-%H%M}.xlsx"
    path, _ = QFileDialog.getSaveFileName(parent, translate("TaskExchange", "Export feedback"), default,
                                          translate("TaskExchange", "Excel (*.xlsx);;CSV (*.csv)"))
    if not path:
        return
    count, error = run_with_progress(parent, translate("TaskExchange", "Exporting feedback…"),
                                     lambda: export_feedback(db, Path(path)))
    if error is not None:
        QMessageBox.critical(parent, translate("TaskExchange", "Feedback not exported"), str(error))
        return
    QMessageBox.information(parent, translate("TaskExchange", "Feedback exported"),
                            translate("TaskExchange", "{count} task(s) written to {path}.")
                            .format(count=count, path=path))
