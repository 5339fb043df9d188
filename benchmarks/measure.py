"""Run one command as a fresh child process and report its wall time and peak memory as JSON.

    python benchmarks/measure.py [--cwd=DIR] -- COMMAND ARG...

prints ``{"wall": seconds, "rss_mb": peak resident MB or null, "rc": exit code, "stderr": tail}``.
The wall time is the child's whole life, start-up included; the peak memory is the child's own
maximum resident set (``getrusage(RUSAGE_CHILDREN)`` of this wrapper, which has no other child),
so each measurement needs its own wrapper process. On Windows, where ``resource`` does not exist,
the peak working set comes from ``GetProcessMemoryInfo``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time


def _peak_unix() -> float | None:
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KB on Linux


def _peak_windows(proc: subprocess.Popen) -> float | None:  # pragma: no cover - Windows only
    try:
        import ctypes
        from ctypes import wintypes

        class Counters(ctypes.Structure):
            _fields_ = [("cb", wintypes.DWORD), ("PageFaultCount", wintypes.DWORD), ("PeakWorkingSetSize", ctypes.c_size_t),
                        ("WorkingSetSize", ctypes.c_size_t), ("QuotaPeakPagedPoolUsage", ctypes.c_size_t),
                        ("QuotaPagedPoolUsage", ctypes.c_size_t), ("QuotaPeakNonPagedPoolUsage", ctypes.c_size_t),
                        ("QuotaNonPagedPoolUsage", ctypes.c_size_t), ("PagefileUsage", ctypes.c_size_t),
                        ("PeakPagefileUsage", ctypes.c_size_t)]

        counters = Counters()
        counters.cb = ctypes.sizeof(Counters)
        ok = ctypes.windll.psapi.GetProcessMemoryInfo(int(proc._handle), ctypes.byref(counters), counters.cb)
        return counters.PeakWorkingSetSize / (1024 * 1024) if ok else None
    except Exception:
        return None


def main(argv: list[str]) -> int:
    cwd = None
    if argv and argv[0].startswith("--cwd="):
        cwd = argv.pop(0)[len("--cwd="):]
    if argv and argv[0] == "--":
        argv.pop(0)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    peak = _peak_windows(proc) if sys.platform == "win32" else _peak_unix()
    print(json.dumps({"wall": wall, "rss_mb": peak, "rc": proc.returncode, "stderr": err.decode("utf-8", "replace")[-3000:]}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
