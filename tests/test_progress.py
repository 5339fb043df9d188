"""The progress display: drawn only on a terminal, never with --quiet, silent in logs and pipes."""

from __future__ import annotations

import io
import sys

from partnership_xl import cli
from partnership_xl.progress import NO_PROGRESS, Progress

from .conftest import row, write_register


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_progress_is_a_silent_stage():
    with NO_PROGRESS.stage("anything", total=3) as advance:
        advance(1)


def test_not_a_terminal_draws_nothing(monkeypatch):
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    with Progress(enabled=True, delay=0) as p:
        assert not p.enabled
        with p.stage("Checking", total=2) as advance:
            advance(2)
    assert err.getvalue() == ""


def test_quiet_draws_nothing_on_a_terminal(monkeypatch):
    monkeypatch.setattr(sys, "stderr", _Tty())
    with Progress(enabled=False, delay=0) as p:
        assert not p.enabled
        with p.stage("Checking", total=2) as advance:
            advance(1)
    assert sys.stderr.getvalue() == ""


def test_terminal_gets_stages_after_the_delay(monkeypatch):
    monkeypatch.setattr(sys, "stderr", _Tty())
    with Progress(enabled=True, delay=0) as p:
        assert p.enabled
        p._timer.join()  # the display starts once the delay has passed
        with p.stage("Checking 3 partnerships", total=3) as advance:
            advance(3)
            p._progress.refresh()
    assert p._progress is None  # stopped, and transient: nothing left behind


def test_validate_in_a_pipe_prints_only_the_summary(tmp_path, capsys):
    path = write_register(tmp_path / "r.xlsx", [row()])
    cli.main(["validate", str(path), "--no-workbook", "--as-of", "2026-11-25"])
    captured = capsys.readouterr()
    assert captured.err == "" and "\x1b[" not in captured.out


def test_the_count_says_what_it_counts():
    """Was: "31/67" with no unit (issue 14)."""
    from partnership_xl.progress import count_text

    assert count_text(31, 67, "columns and rules") == "31/67 columns and rules"
    assert count_text(12_000, 100_000, "rows written") == "12,000/100,000 rows written"
    assert count_text(3, None, "rows written") == ""


def test_rows_written_is_drawn_with_its_unit(monkeypatch):
    monkeypatch.setattr(sys, "stderr", _Tty())
    with Progress(enabled=True, delay=0) as p:
        p._timer.join()
        count = p._progress.columns[3]  # spinner, description, bar, count, time
        with p.rows_written("Writing the annotated copy", total=100_000) as written:
            written(12_000)
            task = p._progress.tasks[0]
            assert task.description == "Writing the annotated copy" and count.render(task).plain == "12,000/100,000 rows written"
            written(250_000)  # more than the total: shown as the total
            assert count.render(task).plain == "100,000/100,000 rows written"


def test_no_progress_takes_rows_written_too():
    with NO_PROGRESS.rows_written("Writing", total=10) as written:
        written(5)


def test_the_checking_stage_counts_columns_and_rules(monkeypatch, tmp_path):
    from partnership_xl.engine import check

    from .conftest import AS_OF

    path = write_register(tmp_path / "r.xlsx", [row()])
    stages = []

    class Recorder(Progress):
        def __init__(self):
            super().__init__(enabled=False)

        def stage(self, description, total=None, unit=""):
            stages.append((description, total, unit))
            return super().stage(description, total, unit)

    from partnership_xl.config import Settings

    check(path, Settings(), AS_OF, progress=Recorder())
    assert ("Checking 1 partnerships", stages[-1][1], "columns and rules") == stages[-1] and stages[-1][1] > 0
