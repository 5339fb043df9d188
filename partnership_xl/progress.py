"""A progress display for long work, shown only when stderr is a terminal and not --quiet."""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from typing import Iterator


class Progress:
    """Named stages with a spinner and elapsed time (rich), or nothing at all."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self._progress = None

    def __enter__(self) -> "Progress":
        if self.enabled:
            from rich.console import Console
            from rich.progress import Progress as RichProgress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._progress = RichProgress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                                          console=Console(stderr=True), transient=True)
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    @contextmanager
    def stage(self, description: str) -> Iterator[None]:
        """Show ``description`` while the block runs."""
        if self._progress is None:
            yield
            return
        task = self._progress.add_task(description, total=None)
        start = time.perf_counter()
        try:
            yield
        finally:
            self._progress.update(task, total=1, completed=1, description=f"{description} ({time.perf_counter() - start:.1f}s)")
            self._progress.remove_task(task)
