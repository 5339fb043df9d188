"""Where outputs go and how they are written, so that nothing is lost (SPEC §8).

:func:`resolve_output` picks the output file: never the register itself, never a file open in
Excel. :func:`write_atomically` writes it to a temporary file beside the target and moves it into
place in one step, so a reader sees the old file or the new one, never half of one. Portable:
pathlib and ``os.replace`` only, no locking calls, no hard-coded separators.
"""

from __future__ import annotations

import errno
import gc
import os
import secrets
import sys
import time
import traceback
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from .errors import OutputError
from .workbook.lockfile import lock_owner

TEMP_PREFIX = "~pxl-"
_NOT_A_FILE = ("The output {name} is not an ordinary file (it is a device or a pipe), so nothing is written over it: "
               "give the name of a file to write instead, then run again.")
_MAX_NUMBERED = 99  # "<stem> (2).xlsx" ... "<stem> (99).xlsx"


def resolve_output(out: Path | None, default: Path, register: Path, option: str = "--out") -> tuple[Path, str | None]:
    """The file to write and, when it is not the one asked for, a sentence saying why.

    ``option`` is the command-line option that named ``out`` (``--out``, ``--json``), for the
    sentences that tell the user to choose another name.

    With an explicit ``out`` (``--out``) it is that file or an :class:`OutputError`: it must not
    be the register, a folder, in a missing folder, or open in Excel. With no ``out``, ``default``
    is used; when that is open in Excel or cannot be replaced, ``<stem> (2).xlsx``, ``(3)``, ...
    beside it is used instead and the note says so.
    """
    if out is not None:
        out = Path(out)
        _check_name_length(out, explicit=True, option=option)
        if same_file(out, register):
            raise OutputError(f"The output {out.name} is the register itself, which is never overwritten: choose another file name with {option}, then run again.")
        if out.is_dir():
            raise OutputError(f"The output {out.name} is a folder: give a file name inside it with {option} (for example {Path(out.name) / ('results' + (out.suffix or '.xlsx'))}), then run again.")
        if out.exists() and not out.is_file():
            raise OutputError(_NOT_A_FILE.format(name=out.name))
        _check_folder(out)
        who = lock_owner(out)
        if who is not None:
            raise OutputError(f"The output {out.name} is open in Excel{_by(who)}: close it in Excel (or choose another file name with {option}), then run again.")
        if not _replaceable(out):
            raise OutputError(f"The output {out.name} cannot be replaced because it is open in another program, probably Excel, or is read-only: close it (or choose another file name with {option}), then run again.")
        return out, None

    default = Path(default)
    _check_name_length(default, explicit=False)
    _check_folder(default)
    first_reason = None
    for number in range(1, _MAX_NUMBERED + 1):
        candidate = default if number == 1 else default.with_name(f"{default.stem} ({number}){default.suffix}")
        reason = _why_unusable(candidate, register)
        if reason is None:
            if candidate == default:
                return candidate, None
            return candidate, f"{default.name} {first_reason}, so the results are written to {candidate.name} instead."
        first_reason = first_reason or reason
    raise OutputError(f"{default.name} {first_reason}, and so are the numbered names beside it up to ({_MAX_NUMBERED}): close them in Excel or choose a file name with --out, then run again.")


def write_atomically(target: Path, write: Callable[[Path], None], option: str = "--out") -> None:
    """Call ``write(tmp)`` on a temporary file beside ``target``, then move it onto ``target``.

    The temporary file (``~pxl-....<suffix>``) is removed on any exception, KeyboardInterrupt
    included, and the exception re-raised: ``target`` is then exactly as it was. An unwritable
    folder, a full disk, or a target that cannot be replaced because it is open in Excel, is an
    OutputError; its sentence names ``option`` as the way to choose another place.
    """
    target = Path(target)
    commit(stage(target, write, option), target)


def stage(target: Path, write: Callable[[Path], None], option: str = "--out") -> Path:
    """Write ``write(tmp)`` to a temporary file beside ``target`` and return it, whole and on disk.

    The first half of :func:`write_atomically`, for a run with several outputs: stage each, then
    :func:`commit` them all, so that one that cannot be written (a full disk) leaves none changed.
    On any failure the temporary file is removed; a full disk is an OutputError saying so, and
    whatever the writer left open on the file is closed quietly (no "Exception ignored" traceback).
    """
    target = Path(target)
    _check_folder(target)
    if target.is_dir():
        raise OutputError(f"The output {target.name} is a folder: give a file name for the output, then run again.")
    if target.exists() and not target.is_file():  # a device or a pipe: moving a file onto it would replace it
        raise OutputError(_NOT_A_FILE.format(name=target.name))
    _sweep_stale_temps(target)
    tmp = _new_temp_file(target, option)
    try:
        write(tmp)
        if tmp.stat().st_size == 0:
            raise OutputError(f"Writing {target.name} produced an empty file, so the previous version was kept: run again, and report the problem if it happens again.")
        _flush_to_disk(tmp, target)
    except BaseException as exc:
        _close_what_the_writer_left_open(exc)
        with suppress(OSError):
            tmp.unlink()
        if _is_disk_full(exc):
            raise disk_full(target) from None
        raise
    return tmp


def commit(tmp: Path, target: Path) -> None:
    """Move a file made by :func:`stage` onto ``target`` in one step (removed if that fails)."""
    try:
        _move_into_place(tmp, target)
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise


def discard(tmp: Path) -> None:
    """Remove a file made by :func:`stage` that will not be committed."""
    with suppress(OSError):
        Path(tmp).unlink()


def disk_full(target: Path) -> OutputError:
    """The sentence for an output that did not fit on its drive."""
    folder = Path(target).parent
    return OutputError(f"There is not enough space on the drive to write {Path(target).name} in the folder {folder.name or folder}, so nothing was "
                       f"written or replaced: free some space there (or choose another place with --out or output_dir), then run again.")


def _is_disk_full(exc: BaseException | None) -> bool:
    """A full disk or quota anywhere in the exception's chain (a writer may wrap the OSError)."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OSError) and (exc.errno in _DISK_FULL or getattr(exc, "winerror", None) in _WINDOWS_DISK_FULL):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_WINDOWS_DISK_FULL = {39, 112}  # ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL


def _close_what_the_writer_left_open(exc: BaseException) -> None:
    """Close the files a failed writer still holds on the temporary file, discarding their errors.

    A writer that fails half-way (openpyxl on a full disk) leaves its ZipFile open in the frames of
    the traceback; when Python later collects it, closing it fails again and prints "Exception
    ignored in: ZipFile.__del__" with a traceback after the run's sentence. Clearing those frames
    collects it now, while the unraisable-exception hook is told to stay quiet; then the temporary
    file can be removed (on Windows an open file cannot be).
    """
    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        traceback.clear_frames(exc.__traceback__)
        gc.collect()
    finally:
        sys.unraisablehook = hook


NAME_MAX = 255  # characters in one file name: Windows (NTFS, SMB shares) and, in bytes, Linux and macOS


def name_too_long(name: str) -> bool:
    """Is ``name`` longer than a file name can be (255 characters on Windows, 255 bytes elsewhere)?"""
    size = len(name.encode("utf-16-le", "surrogatepass")) // 2 if os.name == "nt" else len(os.fsencode(name))
    return size > NAME_MAX


def _check_name_length(path: Path, explicit: bool, option: str = "--out") -> None:
    name = path.name
    if not name_too_long(name):
        return
    shown = name[:40].rstrip() + "…"
    if explicit:
        raise OutputError(f"The output name '{shown}' is {len(name)} characters long, more than the {NAME_MAX} a file name can have: "
                          f"give a shorter name with {option}, then run again.")
    raise OutputError(f"The output name '{shown}' would be {len(name)} characters long, more than the {NAME_MAX} a file name can have, "
                      f"because the register's own name is so long: rename the register to something shorter, or name the output with --out "
                      f"(or choose its folder with output_dir in the settings), then run again.")


def _check_folder(path: Path) -> None:
    folder = path.parent
    if folder.is_dir():
        return
    what = "is a file, not a folder" if folder.exists() else "does not exist"
    raise OutputError(f"The folder {folder.name or folder} for the output {path.name} {what}: create the folder or choose another place for the output, then run again.")


def same_file(a: Path, b: Path) -> bool:
    """Are ``a`` and ``b`` the same file (a link, another spelling of the path, or one not made yet)?

    The one same-file check: the command line, the library and the annotated copy all ask it.
    """
    a, b = Path(a), Path(b)
    with suppress(OSError):
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    # normcase folds case (and / to \) on Windows, where file names ignore case
    return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def _by(who: str) -> str:
    return "" if who == "someone" else f" by {who}"


def _why_unusable(candidate: Path, register: Path) -> str | None:
    """Why ``candidate`` cannot take the output (as the end of a sentence), or None if it can."""
    if same_file(candidate, register):
        return "is the register itself"
    who = lock_owner(candidate)
    if who is not None:
        return f"is open in Excel{_by(who)}"
    if candidate.is_dir():
        return "is a folder"
    if candidate.exists() and not candidate.is_file():
        return "is not an ordinary file"
    if not _replaceable(candidate):
        return "cannot be replaced (it is open in another program or read-only)"
    return None


def _replaceable(path: Path) -> bool:
    """False when an existing ``path`` cannot be opened for writing: held by Excel (Windows) or read-only."""
    if not path.exists():
        return True
    try:  # opening for writing, and writing nothing, leaves the file and its timestamps as they were
        with open(path, "r+b"):
            return True
    except OSError:
        return False


STALE_AFTER_SECONDS = 3600


def _sweep_stale_temps(target: Path) -> None:
    """Remove our own temporary files left by a run that was killed (power cut, task ended).

    Only ``~pxl-*`` files with the target's suffix, untouched for an hour: a run in progress
    writes fresh ones, and nothing else is ever named like that.
    """
    cutoff = time.time() - STALE_AFTER_SECONDS
    for old in target.parent.glob(f"{TEMP_PREFIX}*{target.suffix}"):
        with suppress(OSError):
            if old.is_file() and old.stat().st_mtime < cutoff:
                old.unlink()


def _new_temp_file(target: Path, option: str = "--out") -> Path:
    # os.open with 0o666 lets the umask decide the permissions, as for any file the user saves
    # (tempfile.mkstemp would make it private to the user, wrong on a shared drive).
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    folder = target.parent
    for _ in range(100):
        tmp = folder / f"{TEMP_PREFIX}{secrets.token_hex(4)}{target.suffix}"
        try:
            os.close(os.open(tmp, flags, 0o666))
            return tmp
        except FileExistsError:
            continue
        except PermissionError:
            raise OutputError(f"You do not have permission to write in the folder {folder.name or folder}: ask for write access, or choose another place for {target.name} with {option}, then run again.") from None
        except OSError as exc:
            if exc.errno == errno.EROFS:
                raise OutputError(f"The folder {folder.name or folder} is on a read-only drive, so {target.name} cannot be written there: choose another place for {target.name} with {option}, then run again.") from None
            if _is_disk_full(exc):
                raise disk_full(target) from None
            raise OutputError(f"{target.name} could not be written in the folder {folder.name or folder} ({exc.strerror or exc}): check that the drive is connected and has space, then run again.") from None
    raise OutputError(f"{target.name} could not be written: no temporary file could be made in the folder {folder.name or folder}; remove old {TEMP_PREFIX}* files there, then run again.")


def _flush_to_disk(tmp: Path, target: Path) -> None:
    # A network drive may report a full disk only here. Other fsync failures (a file system that
    # does not support it) are not a reason to stop: the move is still atomic.
    try:
        with open(tmp, "r+b") as fh:
            os.fsync(fh.fileno())
    except OSError as exc:
        if _is_disk_full(exc):
            raise


def _move_into_place(tmp: Path, target: Path) -> None:
    # On Windows a virus scanner may hold the new file for a moment: retry briefly before
    # concluding that the target is open in Excel.
    attempts = 5 if os.name == "nt" else 1
    for attempt in range(attempts):
        try:
            os.replace(tmp, target)
            return
        except PermissionError:
            if attempt + 1 < attempts:
                time.sleep(0.2)
                continue
            raise OutputError(f"{target.name} could not be replaced because it is open in another program, probably Excel (or it is read-only): close it in Excel and run again.") from None
        except OSError as exc:
            if _is_disk_full(exc):
                raise disk_full(target) from None
            raise OutputError(f"{target.name} could not be written ({exc.strerror or exc}): check that the drive is connected and has space, then run again.") from None
