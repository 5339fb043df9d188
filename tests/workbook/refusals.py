"""Helpers for the tests of the checks a register file passes before any reader opens it:
the committed hostile corpus, a file refused with its plain sentence, a zip built or changed
part by part."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from partnership_xl import errors
from partnership_xl.config import Limits
from partnership_xl.workbook.sniff import inspect_register

BAD = Path(__file__).parents[1] / "data" / "bad"


def refused(path: Path, error: type[errors.PartnershipXLError], fragment: str, limits: Limits = Limits()) -> str:
    """Inspect ``path``, expecting ``error`` with ``fragment``; the sentence is checked for plainness."""
    with pytest.raises(error) as caught:
        inspect_register(path, limits)
    message = str(caught.value)
    assert fragment in message
    assert path.name in message
    assert str(path.parent) not in message  # the file name, never this machine's full path
    assert "\n" not in message and "Traceback" not in message
    return message


def xlsx_parts(parts: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


def replace_part(data: bytes, part: str, content: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    return xlsx_parts({i.filename: content if i.filename == part else src.read(i) for i in src.infolist()})
