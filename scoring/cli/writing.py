"""Where a command's output goes: stdout, or a file written whole or not at all.

A file is never written over an input, through a link or onto a special file, and a reader never
sees half of it (a temporary file renamed into place). A directory a batch writes into is held by
one run at a time (its lock file).
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import NoReturn

from rich.console import Console
from rich.text import Text

from scoring.cli import consoles
from scoring.cli.exits import fail
from scoring.cli.language import os_reason
from scoring.errors import ExitCode
from scoring.i18n import _
from scoring.render.text_safety import printable

STDOUT_NAMES = ("-", "/dev/stdout")
"""What ``-o`` takes to mean standard output."""


def is_stdout(output: Path | None) -> bool:
    """Whether -o names standard output."""
    return output is not None and str(output) in STDOUT_NAMES


def show(
    draw: Callable[[Console], None], output: Path | None, inputs: Sequence[Path], what: str
) -> None:
    """Text for a person: wrapped to a terminal's width; whole lines into a pipe or a file."""
    if output is not None and not is_stdout(output):
        write_output(output, consoles.drawn(draw), inputs, what)
    elif consoles.stdout.is_terminal:
        draw(consoles.stdout)
    else:
        sys.stdout.write(consoles.drawn(draw))
        sys.stdout.flush()


def write_output(
    output: Path | None, content: str | bytes, inputs: Sequence[Path] = (), what: str = ""
) -> None:
    """Write what a command produced: to stdout (no -o, ``-o -``, ``-o /dev/stdout``) or a file.

    A file is written by :func:`write_atomic` and announced on stderr.
    """
    if output is None or is_stdout(output):
        _write_stdout(content)
        return
    write_atomic(output, content, inputs, what=what)
    consoles.stderr.print(Text(_("wrote {file}").format(file=output)))


def _write_stdout(content: str | bytes) -> None:
    """A document on stdout: UTF-8 bytes into a file or pipe, whatever the console's encoding.

    JSON, HTML, CSV and YAML are read back as UTF-8 (``scoring verify r.json``), so a console
    encoding (GBK) must not change their bytes; on a terminal, text shows in its encoding.
    """
    buffer = getattr(sys.stdout, "buffer", None)  # a text stream that wraps bytes, normally
    if isinstance(content, str) and (buffer is None or sys.stdout.isatty()):
        sys.stdout.write(printable(content) if sys.stdout.isatty() else content)
        sys.stdout.flush()
        return
    assert buffer is not None, "a workbook needs a binary stdout"
    sys.stdout.flush()
    buffer.write(content.encode("utf-8") if isinstance(content, str) else content)
    buffer.flush()


def _file_kind(mode: int) -> str | None:
    """What a path is when it is not a regular file a command may replace, else None."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return _(
            "a symbolic link; scoring does not write through links: give the file it points to"
        )
    if stat.S_ISDIR(mode):
        return _("a directory")
    if stat.S_ISFIFO(mode):
        return _("a named pipe (FIFO), not a regular file")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device, not a regular file")
    return _("not a regular file")


def check_output(path: Path, inputs: Sequence[Path] = (), what: str = "") -> None:
    """Refuse to write ``path`` when it is an input, a link, a directory, a pipe or a device.

    A special file is never replaced by a regular one: ``-o /dev/sda`` run as root must not
    take the device node away.
    """
    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        cannot_write(what, path, os_reason(exc))
    if info is not None and (kind := _file_kind(info.st_mode)) is not None:
        cannot_write(what, path, _("it is {kind}").format(kind=kind))
    if any(_same_file(path, source) for source in inputs):
        message = _("error: -o {file} is one of the input files; choose another output file")
        fail(message.format(file=path), ExitCode.NOT_CHECKED)


def _same_file(path: Path, other: Path) -> bool:
    if path.resolve() == other.resolve():
        return True
    try:
        return path.samefile(other)  # a hard link, or a name that differs only in case
    except OSError:
        return False


def cannot_write(what: str, path: Path, reason: str) -> NoReturn:
    """Exit 2, saying that ``what`` cannot be written to ``path`` and why."""
    what = what or _("the output")
    message = _("error: cannot write {what} to {path}: {reason}")
    fail(message.format(what=what, path=path, reason=reason), ExitCode.NOT_CHECKED)


def write_atomic(
    path: Path,
    content: str | bytes,
    inputs: Sequence[Path] = (),
    *,
    what: str = "",
    mode: int | None = None,
) -> None:
    """Write ``content`` to the regular file ``path``: a temporary file renamed into place.

    Never over an input, a link or a special file (see :func:`check_output`); a reader never
    sees half a file. Text is written as UTF-8, as given. The file gets ``mode``, else keeps
    the mode it had, else 0o644.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    with atomic_file(path, inputs, what=what, mode=mode) as handle:
        handle.write(data)


@contextlib.contextmanager
def atomic_file(
    path: Path, inputs: Sequence[Path] = (), *, what: str = "", mode: int | None = None
) -> Iterator[io.BufferedWriter]:
    """A file written as it goes, then renamed into place at the end (as :func:`write_atomic`).

    A reader never sees half of it; when the writing stops with an error, nothing is left.
    """
    check_output(path, inputs, what)
    target = path.absolute()
    temporary: str | None = None
    try:
        kept = target.stat().st_mode & 0o777 if target.exists() else None
        descriptor, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode if mode is not None else kept if kept is not None else 0o644)
        check_output(path, (), what)  # what may have appeared at the name meanwhile
        os.replace(temporary, target)
    except OSError as exc:
        reason = os_reason(exc)
        if isinstance(exc, FileNotFoundError) and not target.parent.is_dir():
            reason = _("there is no directory {directory}").format(directory=path.parent)
        cannot_write(what, path, reason)
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


def make_directory(path: Path) -> None:
    """Create a directory (and its parents) to write into, or exit 2 saying why it cannot be."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        message = _("error: cannot create {folder}: {reason}")
        fail(message.format(folder=path, reason=os_reason(exc)), ExitCode.NOT_CHECKED)


NO_FOLLOW: int = getattr(os, "O_NOFOLLOW", 0)  # Windows has no symbolic links to follow here
LOCK_NAME = ".scoring-batch.lock"
"""The lock file a batch holds in its --results directory while it writes there."""


@contextlib.contextmanager
def directory_lock(directory: Path) -> Iterator[None]:
    """Hold ``directory``'s lock file, or exit 2 when another run holds it.

    The lock is the operating system's (``flock``, ``msvcrt.locking``): a run that crashes or
    is killed releases it, so a lock file left behind never blocks the next run.
    """
    path = directory / LOCK_NAME
    while True:
        try:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT | NO_FOLLOW, 0o644)
        except OSError as exc:
            cannot_write(_("the lock file"), path, os_reason(exc))
        if not _try_lock(descriptor):
            os.close(descriptor)
            message = _(
                "error: another scoring batch is writing into {directory}: wait until it has "
                "finished, or give another directory"
            ).format(directory=directory)
            fail(message, ExitCode.NOT_CHECKED)
        if _still_named(descriptor, path):
            break
        os.close(descriptor)  # the run that held it removed it meanwhile: take the new one
    try:
        yield
    finally:
        if sys.platform == "win32":  # Windows removes no file that is open
            os.close(descriptor)
            with contextlib.suppress(OSError):
                path.unlink()
        else:  # removed while still held, so that no third run can lock the old file
            with contextlib.suppress(OSError):
                path.unlink()
            os.close(descriptor)


def _try_lock(descriptor: int) -> bool:
    """Take the lock on an open file without waiting; False when another process holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (BlockingIOError, PermissionError):
        return False
    return True


def _still_named(descriptor: int, path: Path) -> bool:
    """Whether the open file ``descriptor`` is still the one ``path`` names."""
    try:
        named = path.stat()
    except FileNotFoundError:
        return False
    opened = os.fstat(descriptor)
    return (named.st_dev, named.st_ino) == (opened.st_dev, opened.st_ino)
