"""Just enough of Microsoft's Compound File Binary format ([MS-CFB]) to sniff a legacy file.

A password-protected .xlsx and a legacy .xls are both compound files; :mod:`.sniff` lists their
streams and reads the first bytes of one to tell which, without any third-party package.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

ENDOFCHAIN = 0xFFFFFFFE


class Damaged(Exception):
    """The compound file's structure does not hold together."""


class CompoundFile:
    """Just enough of [MS-CFB] to list a compound file's streams and read a stream's first bytes."""

    def __init__(self, fh: BinaryIO, file_size: int) -> None:
        self.fh, self.file_size = fh, file_size
        header = self.read(0, 512)
        major, order, shift, mini_shift = struct.unpack_from("<HHHH", header, 0x1A)
        if order != 0xFFFE or major not in (3, 4) or shift not in (9, 12):
            raise Damaged
        self.sector, self.mini_sector = 1 << shift, 1 << mini_shift
        self.sectors = file_size // self.sector  # sector ids past this are outside the file
        self.first_dir, = struct.unpack_from("<I", header, 0x30)
        self.mini_cutoff, = struct.unpack_from("<I", header, 0x38)
        first_difat, self.difat_count = struct.unpack_from("<II", header, 0x44)
        self.difat = list(struct.unpack_from("<109I", header, 0x4C))
        self.next_difat = first_difat

    def read(self, offset: int, size: int) -> bytes:
        self.fh.seek(offset)
        data = self.fh.read(size)
        if len(data) < size:
            raise Damaged
        return data

    def _fat_sector(self, index: int) -> int:
        per = self.sector // 4
        while index >= len(self.difat):  # FATs of big files are listed in a chain of DIFAT sectors
            if self.next_difat >= self.sectors or len(self.difat) > 109 + self.difat_count * per:
                raise Damaged
            entries = struct.unpack(f"<{per}I", self.read((self.next_difat + 1) * self.sector, self.sector))
            self.difat.extend(entries[:-1])
            self.next_difat = entries[-1]
        return self.difat[index]

    def next(self, sid: int) -> int:
        per = self.sector // 4
        fat = self._fat_sector(sid // per)
        if fat >= self.sectors:
            raise Damaged
        return struct.unpack("<I", self.read((fat + 1) * self.sector + (sid % per) * 4, 4))[0]

    def entries(self) -> dict[str, tuple[int, int]]:
        """Every storage and stream of the directory: lower-case name -> (start sector, size)."""
        found: dict[str, tuple[int, int]] = {}
        sid, seen = self.first_dir, set()
        while sid != ENDOFCHAIN:
            if sid >= self.sectors or sid in seen:
                raise Damaged
            seen.add(sid)
            block = self.read((sid + 1) * self.sector, self.sector)
            for at in range(0, self.sector, 128):
                name_len, kind = struct.unpack_from("<HB", block, at + 64)
                start, size = struct.unpack_from("<IQ", block, at + 116)
                if kind in (1, 2, 5) and 2 <= name_len <= 64:
                    name = block[at:at + name_len - 2].decode("utf-16-le", errors="replace").lower()
                    found.setdefault("\0root" if kind == 5 else name, (start, size & 0xFFFFFFFF))
            sid = self.next(sid)
        if "\0root" not in found:
            raise Damaged
        return found

    def stream_head(self, start: int, size: int, root: tuple[int, int]) -> bytes:
        """The first (up to) 64 bytes of a stream, from the mini stream when it is small."""
        want = min(size, 64)
        if size >= self.mini_cutoff:
            return self.read((start + 1) * self.sector, want)
        position, sid = start * self.mini_sector, root[0]  # the mini stream lives in the root's chain
        if position >= root[1] or root[1] > self.file_size:
            raise Damaged
        for _ in range(position // self.sector):
            sid = self.next(sid)
            if sid >= self.sectors:
                raise Damaged
        return self.read((sid + 1) * self.sector + position % self.sector, min(want, self.mini_sector))
