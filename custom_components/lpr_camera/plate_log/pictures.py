"""The picture files of the plate log: each read's pictures, named by its row.

Layout: <media>/lpr_camera/<camera>/<YYYY-MM-DD>/<HHMMSS>_<PLATE>_<kind>.jpg, kind being plate,
full, evidence0, evidence1, ... Days and times are Home Assistant's local time. Nothing but the
pictures is written: the plate log's row of a read says what and where they are.

Blocking file work, run in the executor; no Home Assistant import. One writer saves while one
upkeep pass deletes: they meet only over a day's folder, which a lock guards (a pass never
takes away the folder a save is writing to). Sizes are what the disk allocates (whole blocks).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from .database import BLOCK

MAX_PLATE_IN_NAME = 32
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_PART = re.compile(r"[\w-]+")  # a folder or read name of ours: no dots, no separators
_NOT_IN_NAME = re.compile(r"[\W_]+")


def file_plate(plate: str) -> str:
    """The plate as part of a file name: letters and digits of any script, nothing else."""
    return _NOT_IN_NAME.sub("", plate.upper())[:MAX_PLATE_IN_NAME] or "plate"


def valid_part(part: str) -> bool:
    """Whether a name taken from a media identifier can be one of our folders or reads."""
    return _PART.fullmatch(part) is not None


class Stopped(Exception):  # noqa: N818 - a signal, not an error
    """The upkeep pass was told to stop."""


class PictureFiles:
    """The folder of every camera's pictures: save, measure, delete."""

    def __init__(self, root: Path) -> None:
        """Nothing is touched until asked."""
        self.root = root
        # Held by a save while it makes its day's folder and writes into it, and by the upkeep
        # while it takes an empty folder away.
        self._folder_lock = threading.Lock()

    def save(
        self, folder: str, stem: str, pictures: Sequence[tuple[str, bytes]]
    ) -> tuple[dict[str, str], int]:
        """Write a read's pictures into `folder`; their file names by kind, and their size.

        Files are never overwritten: when `stem` is taken (the same plate twice in a second),
        the read's files get a random suffix, so a name is found in two tries, never a search.
        """
        with self._folder_lock:
            path = self.root / folder
            path.mkdir(parents=True, exist_ok=True)
            try:
                return _write_all(path, stem, pictures)
            except FileExistsError:
                return _write_all(path, f"{stem}_{secrets.token_hex(4)}", pictures)

    def allocated_of(self, relative_paths: Iterable[str]) -> int:
        """The bytes some files (paths relative to the root) take on disk."""
        total = 0
        for relative in relative_paths:
            with contextlib.suppress(FileNotFoundError):
                total += (self.root / relative).stat().st_blocks * BLOCK
        return total

    def delete(self, relative_paths: Iterable[str]) -> int:
        """Delete files (paths relative to the root); return the bytes they took."""
        freed = 0
        for relative in relative_paths:
            path = self.root / relative
            with contextlib.suppress(FileNotFoundError):
                freed += path.stat().st_blocks * BLOCK
                path.unlink()
        return freed

    def remove_days_before(self, day: str, stop: threading.Event) -> int:
        """Delete what is left in day folders older than `day` (YYYY-MM-DD); the bytes freed.

        Their reads went with their rows: this takes away files no row names (a save cut off
        by a crash, files copied in by hand) and the folders themselves.
        """
        freed = 0
        for day_dir in self._days():
            if day_dir.name < day:
                for path in _files_in(day_dir):
                    _go_on(stop)
                    freed += self.delete([path.relative_to(self.root).as_posix()])
            self.remove_if_empty(day_dir)
        return freed

    def remove_if_empty(self, folder: Path) -> None:
        """Take an empty folder away (and its camera's, if that is left empty)."""
        with self._folder_lock:
            for path in (folder, folder.parent):
                with contextlib.suppress(OSError):  # not empty, or gone already
                    path.rmdir()

    def allocated(self, stop: threading.Event) -> int:
        """The bytes every picture takes on disk, counted afresh."""
        total = 0
        for day_dir in self._days():
            _go_on(stop)
            for path in _files_in(day_dir):
                with contextlib.suppress(FileNotFoundError):
                    total += path.stat().st_blocks * BLOCK
        return total

    def _days(self) -> Iterator[Path]:
        for camera_dir in _dirs(self.root):
            for day_dir in _dirs(camera_dir):
                if _DAY.fullmatch(day_dir.name):
                    yield day_dir


def _write_all(
    folder: Path, stem: str, pictures: Sequence[tuple[str, bytes]]
) -> tuple[dict[str, str], int]:
    """Write each picture as a new file; none is left when one cannot be written."""
    written: dict[str, str] = {}
    allocated = 0
    try:
        for kind, picture in pictures:
            name = f"{stem}_{kind}.jpg"
            with (folder / name).open("xb") as file:
                written[kind] = name
                file.write(picture)
                file.flush()
                allocated += os.fstat(file.fileno()).st_blocks * BLOCK
    except OSError:
        for name in written.values():
            (folder / name).unlink(missing_ok=True)
        raise
    return written, allocated


def _go_on(stop: threading.Event) -> None:
    if stop.is_set():
        raise Stopped


def _dirs(path: Path) -> list[Path]:
    try:
        with os.scandir(path) as entries:
            return [Path(e.path) for e in entries if e.is_dir(follow_symlinks=False)]
    except (FileNotFoundError, NotADirectoryError):
        return []


def _files_in(folder: Path) -> list[Path]:
    try:
        with os.scandir(folder) as entries:
            return [Path(e.path) for e in entries if e.is_file(follow_symlinks=False)]
    except (FileNotFoundError, NotADirectoryError):
        return []
