"""Background jobs: results and errors reach the UI thread, even from jobs that end at once."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from station_console.ui.workers import Jobs, Progress, run_in_background


def test_an_instant_job_still_delivers_its_result_on_the_ui_thread(qtbot: QtBot) -> None:
    ui_thread = threading.get_ident()
    seen: list[tuple[object, bool]] = []
    run_in_background(lambda _p: 42, finished=lambda r: seen.append((r, threading.get_ident() == ui_thread)))
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [(42, True)]


def test_errors_and_progress_are_reported(qtbot: QtBot) -> None:
    steps: list[tuple[int, int]] = []
    errors: list[str] = []

    def work(progress: Progress) -> None:
        for i in range(3):
            progress.report(i + 1, 3)
        raise ValueError("row 7: bad date")

    jobs = Jobs()
    jobs.start(work, finished=lambda _r: None, failed=lambda e, _t: errors.append(str(e)),
               progress=lambda d, t: steps.append((d, t)))
    qtbot.waitUntil(lambda: bool(errors))
    assert errors == ["row 7: bad date"]
    assert steps == [(1, 3), (2, 3), (3, 3)]
    assert not jobs.busy


def test_cancel_reaches_the_job(qtbot: QtBot) -> None:
    started = threading.Event()
    results: list[str] = []

    def work(progress: Progress) -> str:
        started.set()
        while progress.report(0, 1):
            threading.Event().wait(0.005)
        return "cancelled"

    jobs = Jobs()
    jobs.start(work, finished=results.append, failed=lambda e, _t: results.append(repr(e)))
    assert started.wait(5)
    assert jobs.busy
    assert jobs.wait(5000)
    qtbot.waitUntil(lambda: bool(results))
    assert results == ["cancelled"]


def test_a_quick_job_is_not_queued_behind_two_long_ones(qtbot: QtBot) -> None:
    release = threading.Event()
    quick: list[str] = []
    jobs = Jobs()
    for _ in range(2):
        jobs.start(lambda _p: release.wait(10), finished=lambda _r: None, failed=lambda e, _t: None)
    jobs.start(lambda _p: "listed", finished=quick.append, failed=lambda e, _t: None)
    try:
        qtbot.waitUntil(lambda: quick == ["listed"], timeout=5000)
    finally:
        release.set()
    assert jobs.wait(5000)
