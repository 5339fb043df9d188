"""A progress display for long work, shown only when stderr is a terminal and not --quiet.

Each stage (reading, checking, writing) is a line with a spinner, a bar when the amount of work
is known (the checking stage counts columns parsed and rules run), and the elapsed time. Nothing
is drawn until the work has taken longer than a moment (``delay``), so a quick run prints only its
summary; the display is transient: it disappears when the work ends. With ``--quiet``, or when
stderr is not a terminal (a scheduled task's log, a pipe), nothing is drawn at all.

The engine knows nothing of rich: it is handed any object with ``stage(description, total, unit)``,
a context manager that yields a function to call once per unit of work done, and
``rows_written(description, total)`` for a writer that streams rows: it yields a function to
call with the number of rows written so far (:data:`NO_PROGRESS` does nothing). The count
shows its unit: "31/67 columns and rules", "12,000/100,000 rows written".
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

DELAY = 1.0  # seconds of work before anything is drawn


def _nothing(advance: int = 1) -> None:
    return None


class NoProgress:
    """The progress interface, doing nothing: the engine's default."""

    @contextmanager
    def stage(self, description: str, total: int | None = None, unit: str = "") -> Iterator[Callable[[int], None]]:
        yield _nothing

    @contextmanager
    def rows_written(self, description: str, total: int) -> Iterator[Callable[[int], None]]:
        yield _nothing


NO_PROGRESS = NoProgress()


def count_text(completed: float, total: float | None, unit: str = "") -> str:
    """'31/67 columns and rules' for a stage whose total is known; '' for one whose total is not."""
    if total is None:
        return ""
    return f"{int(completed):,}/{int(total):,}" + (f" {unit}" if unit else "")


def _count_column():
    from rich.progress import ProgressColumn
    from rich.text import Text

    class CountColumn(ProgressColumn):
        def render(self, task) -> Text:
            return Text(count_text(task.completed, task.total, task.fields.get("unit", "")), style="progress.download")

    return CountColumn()


class Progress(NoProgress):
    """Named stages with a spinner, a bar when the total is known, and elapsed time (rich); or nothing."""

    def __init__(self, enabled: bool = True, delay: float = DELAY) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.delay = delay
        self._progress = None
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._started = False

    def __enter__(self) -> Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as RichProgress

            self._progress = RichProgress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(bar_width=30),
                                          _count_column(), TimeElapsedColumn(),
                                          console=Console(stderr=True), transient=True)
            self._timer = threading.Timer(self.delay, self._start)
            self._timer.daemon = True
            self._timer.start()
        return self

    def _start(self) -> None:
        with self._lock:
            if self._progress is not None and not self._started:
                self._progress.start()
                self._started = True

    def __exit__(self, *exc: object) -> None:
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            if self._progress is not None and self._started:
                self._progress.stop()
            self._progress = None
            self._started = False

    @contextmanager
    def stage(self, description: str, total: int | None = None, unit: str = "") -> Iterator[Callable[[int], None]]:
        """Show ``description`` while the block runs; the block may call the yielded function to advance the bar.

        ``unit`` names what is counted, shown after the count ("partnerships", "columns and rules").
        """
        progress = self._progress
        if progress is None:
            yield _nothing
            return
        task = progress.add_task(description, total=total, unit=unit)

        def advance(n: int = 1) -> None:
            progress.update(task, advance=n)

        try:
            yield advance
        finally:
            progress.remove_task(task)

    @contextmanager
    def rows_written(self, description: str, total: int) -> Iterator[Callable[[int], None]]:
        """A stage counted in rows written, for a writer that streams a sheet row by row.

        The yielded function takes the number of rows written so far (not an increment), so a writer
        can call it every thousand rows, or from a callback, without counting for it::

            with progress.rows_written("Writing the annotated copy", total=len(rows)) as written:
                for done, row in enumerate(rows, 1):
                    ...
                    if done % 1000 == 0:
                        written(done)
        """
        progress = self._progress
        if progress is None:
            yield _nothing
            return
        task = progress.add_task(description, total=total, unit="rows written")

        def written(done: int) -> None:
            progress.update(task, completed=min(done, total))

        try:
            yield written
        finally:
            progress.remove_task(task)
