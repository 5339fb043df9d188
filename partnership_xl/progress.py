"""A progress display for long work, shown only when stderr is a terminal and not --quiet.

Each stage (reading, checking, writing) is a line with a spinner, a bar when the amount of work
is known (the checking stage counts columns parsed and rules run), and the elapsed time. Nothing
is drawn until the work has taken longer than a moment (``delay``), so a quick run prints only its
summary; the display is transient: it disappears when the work ends. With ``--quiet``, or when
stderr is not a terminal (a scheduled task's log, a pipe), nothing is drawn at all.

The engine knows nothing of rich: it is handed any object with ``stage(description, total)``, a
context manager that yields a function to call once per unit of work done (:data:`NO_PROGRESS`
does nothing).
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
    def stage(self, description: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
        yield _nothing


NO_PROGRESS = NoProgress()


def _count_column():
    """'12/67' for a stage whose total is known; nothing for one whose total is not."""
    from rich.progress import ProgressColumn
    from rich.text import Text

    class CountColumn(ProgressColumn):
        def render(self, task) -> Text:
            return Text("" if task.total is None else f"{int(task.completed)}/{int(task.total)}", style="progress.download")

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
    def stage(self, description: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
        """Show ``description`` while the block runs; the block may call the yielded function to advance the bar."""
        progress = self._progress
        if progress is None:
            yield _nothing
            return
        task = progress.add_task(description, total=total)

        def advance(n: int = 1) -> None:
            progress.update(task, advance=n)

        try:
            yield advance
        finally:
            progress.remove_task(task)
