"""Atomic file writes: a temporary file beside the target, fsync, then one rename.

A reader (or a crash) sees either the old file or the complete new one, never a half-written
file. Used for every file the sync features write: reports, rejects, profiles, backups.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where directories cannot be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def restrict_to_owner(path: Path) -> None:
    """Let only the current user read and write ``path`` (key files).

    POSIX: mode 0600. Windows ignores those mode bits, so the file's ACL is replaced instead:
    inherited entries removed and full control granted to the current user alone (``icacls``,
    part of every Windows since Vista).
    """
    if os.name != "nt":
        os.chmod(path, 0o600)
        return
    domain = os.environ.get("USERDOMAIN", "")
    user = f"{domain}\\{getpass.getuser()}" if domain else getpass.getuser()
    done = subprocess.run(["icacls", str(path), "/inheritance:r", "/grant:r", f"{user}:(F)"],
                          capture_output=True, text=True, check=False,
                          creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
    if done.returncode != 0:
        raise OSError(f"could not restrict {path} to {user}: {(done.stderr or done.stdout).strip()}")


def temp_path_beside(target: Path) -> Path:
    """A new, empty temporary file in the target's folder (same file system, so rename is atomic)."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    return Path(name)


def commit_temp(temp: Path, target: Path) -> None:
    """fsync ``temp``, rename it over ``target`` and fsync the folder."""
    with temp.open("rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(temp, target)
    fsync_dir(target.parent)


@contextlib.contextmanager
def atomic_open(target: Path, mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    """Open a temporary file for writing; on success it replaces ``target``, on error it vanishes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_path_beside(target)
    try:
        with temp.open(mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, target)
        fsync_dir(target.parent)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_text_atomic(target: Path, text: str, encoding: str = "utf-8") -> None:
    """Write a whole text file atomically."""
    with atomic_open(target, "w", encoding=encoding, newline="") as fh:
        fh.write(text)
