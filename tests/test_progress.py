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
