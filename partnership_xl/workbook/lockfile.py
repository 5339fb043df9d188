"""Who has a workbook open in Excel, from the owner file Office keeps beside it.

While a workbook is open, Excel keeps a small hidden owner file next to it (``~$`` and the
workbook's name) recording the user name of whoever opened it. :func:`lock_owner` reads that
name: the check notes that the register was read as last saved, and an output that is open in
Excel is refused with who to ask to close it. :func:`owner_file_names` lists the names the owner
file may have.
"""

from __future__ import annotations

import errno
import struct
from pathlib import Path


def owner_file_names(name: str) -> list[str]:
    """The names Office gives the owner file (``~$...``) of a file called ``name``.

    Excel writes ``~$`` + the full name (``~$Register.xlsx``). Word drops the first two characters
    of a name whose stem has 8 or more characters (``~$gister.docx``) and the first one at 7; both
    forms are accepted, since tools and versions differ.
    """
    names = ["~$" + name]
    stem = len(Path(name).stem)
    if stem >= 8:
        names.append("~$" + name[2:])
    elif stem == 7:
        names.append("~$" + name[1:])
    return names


def lock_owner(path: Path) -> str | None:
    """Who has ``path`` open in Excel, from the owner file beside it; ``None`` when nobody does.

    Returns the user name the owner file records, or ``"someone"`` when it cannot be read.
    """
    path = Path(path)
    for owner_name in owner_file_names(path.name):
        owner = path.with_name(owner_name)
        try:
            if not owner.is_file():
                continue
            with open(owner, "rb") as fh:
                data = fh.read(512)
        except OSError as exc:
            if exc.errno == errno.ENAMETOOLONG:  # the ~$ name is longer than a file name can be: it cannot exist
                continue
            return "someone"
        return _owner_name(data) or "someone"
    return None


def _owner_name(data: bytes) -> str | None:
    # Byte 0: length of the name; the name follows in the Windows ANSI code page. A UTF-16LE copy
    # (2-byte length first) sits at offset 54 in Word's owner files and 55 in Excel's.
    for at in (54, 55):
        if len(data) >= at + 2:
            length = struct.unpack_from("<H", data, at)[0]
            if 0 < length <= 52 and len(data) >= at + 2 + 2 * length:
                try:
                    text = data[at + 2:at + 2 + 2 * length].decode("utf-16-le").strip()
                except UnicodeDecodeError:
                    continue
                if text and text.isprintable():
                    return text
    if data and 0 < data[0] < len(data):
        text = data[1:1 + data[0]].decode("cp1252", errors="replace").strip()
        if text and text.isprintable():
            return text
    return None
