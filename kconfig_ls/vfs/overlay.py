"""The one reader of files: open buffers (with versions) over bounded, regular-only disk reads.

Every feature, rule and client reads through a `FileOverlay` snapshot
(rust-analyzer's `vfs`, clangd's `DraftStore`): an open document's bytes win
over the disk, so a suppression comment typed into an unsaved buffer counts
at once, and an answer is computed on exactly the text the editor showed.

Disk reads are defensive, because a tree is untrusted input (issue 13):
`stat` before `open`; anything that is not a regular file (a FIFO, a device
such as `/dev/zero`, a socket, a folder) is refused with a message instead
of blocking or reading forever; the file is opened non-blocking, and every
read is capped (a larger file is reported, not read whole). Open documents
are capped the same way by the caller (`document_too_large`).

The overlay is immutable: `with_document` and `without_document` return a
new overlay. It never writes.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

__all__ = [
    "MAX_CODE_FILE_SIZE",
    "MAX_KCONFIG_FILE_SIZE",
    "FileOverlay",
    "FileReadError",
    "OverlayDocument",
    "read_plain_regular_file",
    "read_regular_file",
]

MAX_KCONFIG_FILE_SIZE: Final = 4 * 1024 * 1024
MAX_CODE_FILE_SIZE: Final = 16 * 1024 * 1024


class FileReadError(OSError):
    """A file that cannot (or must not) be read; `reason` is a short phrase for a finding.

    `kind` is `missing`, `not-regular`, `too-large` or `unreadable`.
    """

    def __init__(self, path: str, kind: str, reason: str, error_number: int = 0) -> None:
        super().__init__(error_number or errno.EIO, reason, path)
        self.path = path
        self.kind = kind
        self.reason = reason


def read_regular_file(path: str, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; raises `FileReadError` otherwise.

    Symbolic links are followed (the caller compares real paths with the
    workspace roots); what they point at must be a regular file too.
    """
    try:
        status = os.stat(path)
    except FileNotFoundError:
        raise FileReadError(path, "missing", "no such file", errno.ENOENT) from None
    except OSError as error:
        raise FileReadError(
            path, "unreadable", f"cannot read file: {error.strerror}", error.errno or 0
        ) from None
    if not stat.S_ISREG(status.st_mode):
        raise FileReadError(path, "not-regular", _not_regular_reason(status.st_mode), errno.EINVAL)
    if status.st_size > limit:
        raise FileReadError(
            path, "too-large", f"file is larger than {_megabytes(limit)}; not analysed", errno.EFBIG
        )
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        raise FileReadError(
            path, "unreadable", f"cannot read file: {error.strerror}", error.errno or 0
        ) from None
    try:
        # The file may have been swapped for something else between stat and open.
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise FileReadError(path, "not-regular", "not a regular file", errno.EINVAL)
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as error:
        if isinstance(error, FileReadError):
            raise
        raise FileReadError(
            path, "unreadable", f"cannot read file: {error.strerror}", error.errno or 0
        ) from None
    finally:
        os.close(descriptor)
    data = b"".join(chunks)
    if len(data) > limit:
        raise FileReadError(path, "too-large", f"file is larger than {_megabytes(limit)}; not analysed")
    return data


def read_plain_regular_file(path: str, limit: int) -> tuple[bytes, int, int] | None:
    """(bytes, size, modification time) of an ordinary regular file, in four system calls; else None.

    The code index reads 60,000 files a run: open (non-blocking), `fstat`,
    one read, close, instead of `read_regular_file`'s stat, open, `fstat`
    and reads to the end. The same rules hold (regular files only, never
    blocking, at most `limit` bytes); anything unusual (not regular, too
    large, growing, unreadable) gives None, and the caller asks
    `read_regular_file` for the reason.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except (OSError, ValueError):
        return None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_size > limit:
            return None
        data = os.read(descriptor, status.st_size + 1)
        if len(data) > status.st_size:
            return None  # it grew since the fstat
        return data, status.st_size, status.st_mtime_ns
    except OSError:
        return None
    finally:
        os.close(descriptor)


@dataclass(frozen=True, slots=True)
class OverlayDocument:
    """An open document: its bytes, the editor's version and language id."""

    path: str
    data: bytes
    version: int | None = None
    language_id: str = ""


@dataclass(frozen=True)
class FileOverlay:
    """Open documents over the disk. Immutable; paths are absolute and normalised."""

    documents: Mapping[str, OverlayDocument] = field(default_factory=lambda: MappingProxyType({}))

    def read(self, path: str, limit: int = MAX_KCONFIG_FILE_SIZE) -> bytes:
        """An open document's bytes, else the disk's (bounded, regular files only)."""
        document = self.documents.get(path)
        if document is not None:
            if len(document.data) > limit:
                raise FileReadError(
                    path, "too-large", f"document is larger than {_megabytes(limit)}; not analysed"
                )
            return document.data
        return read_regular_file(path, limit)

    def read_or_empty(self, path: str, limit: int = MAX_CODE_FILE_SIZE) -> bytes:
        """Like `read`, with b"" for a file that cannot be read (for display and suppressions)."""
        try:
            return self.read(path, limit)
        except OSError:
            return b""

    def is_open(self, path: str) -> bool:
        return path in self.documents

    def document(self, path: str) -> OverlayDocument | None:
        return self.documents.get(path)

    def version(self, path: str) -> int | None:
        document = self.documents.get(path)
        return document.version if document is not None else None

    def open_paths(self) -> Iterator[str]:
        return iter(self.documents)

    def with_document(self, document: OverlayDocument) -> FileOverlay:
        documents = dict(self.documents)
        documents[document.path] = document
        return FileOverlay(MappingProxyType(documents))

    def without_document(self, path: str) -> FileOverlay:
        if path not in self.documents:
            return self
        documents = dict(self.documents)
        del documents[path]
        return FileOverlay(MappingProxyType(documents))


def _not_regular_reason(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a FIFO (named pipe), not a regular file; not read"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file; not read"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file; not read"
    return "is not a regular file; not read"


def _megabytes(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit} bytes"
