"""The drop folder (监听目录): feed files that land in an inbox are imported once complete.

A file is taken once its size and modification time stayed the same between two looks (the
upstream copy has finished). After the import it moves to ``processed/`` (committed) or
``failed/`` (rejected or unreadable) beside a ``.report.txt`` saying what happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from station_console.services.atomic import fsync_dir, write_text_atomic
from station_console.services.importer import ImportSummary, Outcome, import_feed
from station_console.services.importer_profiles import Profile
from station_console.store.database import Database

FEED_SUFFIXES = frozenset({".csv", ".tsv", ".txt", ".xlsx", ".json", ".ndjson", ".jsonl"})
PROCESSED = "processed"
FAILED = "failed"


@dataclass(frozen=True)
class InboxResult:
    """What happened to one inbox file."""

    name: str
    moved_to: Path
    report: Path
    summary: ImportSummary | None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.summary is not None and self.summary.outcome == Outcome.COMMITTED


def inbox_files(inbox: Path) -> list[Path]:
    """Feed files waiting in the inbox (hidden and temporary files are skipped), oldest first."""
    if not inbox.is_dir():
        return []
    files = [p for p in inbox.iterdir()
             if p.is_file() and p.suffix.lower() in FEED_SUFFIXES and not p.name.startswith((".", "~$"))]
    return sorted(files, key=lambda p: (p.stat().st_mtime_ns, p.name))


class StableFiles:
    """Remembers each file's (size, mtime) and answers which have stopped changing."""

    def __init__(self) -> None:
        self._seen: dict[Path, tuple[int, int]] = {}

    def ready(self, files: list[Path]) -> list[Path]:
        """Files that look the same as at the previous call (new or growing ones wait)."""
        out: list[Path] = []
        now: dict[Path, tuple[int, int]] = {}
        for path in files:
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            now[path] = (stat.st_size, stat.st_mtime_ns)
            if self._seen.get(path) == now[path]:
                out.append(path)
        self._seen = now
        return out

    def forget(self, path: Path) -> None:
        self._seen.pop(path, None)


def _free_name(folder: Path, name: str) -> Path:
    target = folder / name
    if not target.exists():
        return target
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 1
    while (target := folder / f"{stem}.{stamp}-{n}{suffix}").exists():
        n += 1
    return target


def report_text(result_name: str, summary: ImportSummary | None, error: str) -> str:
    """The plain-text report written beside a processed or failed file."""
    lines = [f"file: {result_name}", f"time: {datetime.now().isoformat(sep=' ', timespec='seconds')}"]
    if summary is None:
        lines.append(f"error: {error}")
    else:
        lines += [f"outcome: {summary.outcome.value}", f"read: {summary.read}",
                  f"inserted: {summary.inserted}", f"updated: {summary.updated}",
                  f"unchanged: {summary.unchanged}", f"rejected: {summary.rejected}",
                  f"outside the jurisdiction: {summary.outside_jurisdiction}",
                  f"repeat calls flagged: {summary.repeats_flagged}",
                  f"older than the repeat window, not checked: {summary.repeats_unchecked}"]
        lines += [f"problem: {issue}" for issue in summary.issues]
        if summary.issue_count > len(summary.issues):
            lines.append(f"... and {summary.issue_count - len(summary.issues)} more problems")
    return "\n".join(lines) + "\n"


def process_inbox_file(db: Database, path: Path, profile: Profile | None,
                       profile_error: str = "") -> InboxResult:
    """Import one inbox file, then move it to processed/ or failed/ with its report."""
    summary: ImportSummary | None = None
    error = profile_error
    if profile is not None:
        try:
            summary = import_feed(db, path, profile)
        except OSError as exc:
            error = f"{path.name}: {exc.strerror or exc}"
    ok = summary is not None and summary.outcome == Outcome.COMMITTED
    folder = path.parent / (PROCESSED if ok else FAILED)
    folder.mkdir(exist_ok=True)
    target = _free_name(folder, path.name)
    path.replace(target)
    fsync_dir(folder)
    report = target.with_name(target.name + ".report.txt")
    write_text_atomic(report, report_text(path.name, summary, error))
    return InboxResult(path.name, target, report, summary, error)
