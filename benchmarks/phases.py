"""In-process timings of one check, phase by phase (start-up excluded), as JSON.

    python benchmarks/phases.py REGISTER [--as-of 2026-11-25] [--annotate OUT]

Phases: ``import`` (partnership_xl.engine and what it pulls in), ``inspect`` (safety checks),
``read`` (reader), ``check`` (normalise, pandera schema, rules, scores), ``json`` (findings JSON
text as ``validate --json`` builds it) and, with ``--annotate``, ``annotate`` (the annotated copy).
The wall times of the commands are measured by run.py; these say where inside them time goes.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("register", type=Path)
    p.add_argument("--as-of", default="2026-11-25")
    p.add_argument("--annotate", type=Path)
    args = p.parse_args(argv)
    out: dict[str, float | int | str | None] = {}
    t = time.perf_counter()
    from partnership_xl import api  # the library's own import path (hides hypothesis from pandera)

    api._without_test_only_imports()
    from partnership_xl import engine, reader
    from partnership_xl.config import Settings
    from partnership_xl.workbook import sniff

    out["import"] = time.perf_counter() - t
    settings = Settings()
    t = time.perf_counter()
    kind = sniff.inspect_register(args.register)
    out["inspect"] = time.perf_counter() - t
    t = time.perf_counter()
    register = reader.read_register(args.register, settings, kind=kind)
    out["read"] = time.perf_counter() - t
    t = time.perf_counter()
    result = engine.check_register(register, settings, date.fromisoformat(args.as_of))
    out["check"] = time.perf_counter() - t
    t = time.perf_counter()
    text = result.json_text()
    out["json"] = time.perf_counter() - t
    out["findings"] = len(result.findings)
    out["json_bytes"] = len(text.encode("utf-8"))
    if args.annotate:
        try:
            from partnership_xl.annotate import write_annotated

            t = time.perf_counter()
            write_annotated(result, args.annotate)
            out["annotate"] = time.perf_counter() - t
        except Exception as exc:  # being written by others: record, do not fail
            out["annotate"] = None
            out["annotate_error"] = f"{exc.__class__.__name__}: {str(exc)[:200]}"
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
