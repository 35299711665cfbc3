"""How the Kconfig model reads and parses its files, and the queries about one file's text.

Split from `model.py` along its "reading" seam: `KconfigModel` inherits
`KconfigFileReading`, whose methods read a file through the model's reader
on first use (an editor buffer or the disk, through the file overlay),
refuse what is too large or binary with a file problem instead of a parse,
share parses between the models of one tree's worlds (`parse_cache`), and
after an edit parse again only the part of the file the edit touched.
The state they read and write is the model's (declared below for the type
checker); linking and the tables stay in `model.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Final

from kconfig_ls.semantics.definitions import FileProblem, Location
from kconfig_ls.syntax.kconfig import KconfigFile, Span, SyntaxProblem, parse_kconfig
from kconfig_ls.syntax.kconfig.incremental import reparse_kconfig
from kconfig_ls.vfs.overlay import MAX_KCONFIG_FILE_SIZE, FileReadError

__all__ = ["MAX_FILE_SIZE", "FileReader", "KconfigFileReading"]

MAX_FILE_SIZE: Final = MAX_KCONFIG_FILE_SIZE
FileReader = Callable[[str], bytes]


class KconfigFileReading:
    """The model's file reading and parsing (see the module docstring); a base of `KconfigModel`."""

    files: dict[str, KconfigFile]
    texts: dict[str, bytes]
    read_problems: dict[str, list[FileProblem]]
    file_problems: dict[str, list[FileProblem]]
    _read_file: FileReader
    _parse_cache: dict[str, tuple[bytes, KconfigFile]] | None

    def text(self, path: str) -> bytes:
        """The bytes the model was built from (an editor buffer or the disk)."""
        return self.texts.get(path, b"")

    def line_of(self, location: Location) -> int:
        """0-based line of a location in a Kconfig file of the model."""
        parsed = self.files.get(location.path)
        return parsed.line_of(location.span.start) if parsed is not None else 0

    def all_problems(self) -> Iterator[tuple[str, SyntaxProblem | FileProblem]]:
        for path, parsed in self.files.items():
            for problem in parsed.problems:
                yield path, problem
        for path, problems in self.file_problems.items():
            for file_problem in problems:
                yield path, file_problem

    def _parse_path(self, path: str) -> KconfigFile | None:
        """The parse of a file, reading it through the model's reader on first use."""
        parsed = self.files.get(path)
        if parsed is not None:
            return parsed
        if path in self.read_problems:
            return None
        try:
            data = self._read_file(path)
        except FileReadError as error:
            if error.kind != "missing":
                self.read_problems[path] = [FileProblem("file", error.reason, Location(path, Span(0, 0)))]
            return None
        except FileNotFoundError:
            return None
        except OSError as error:
            message = f"cannot read file: {error.strerror or error}"
            self.read_problems[path] = [FileProblem("file", message, Location(path, Span(0, 0)))]
            return None
        parsed = self._parse(path, data)
        self.files[path] = parsed
        return parsed

    def _parse(
        self, path: str, data: bytes, previous: tuple[KconfigFile, bytes] | None = None
    ) -> KconfigFile:
        """The parse of `data`; `previous` (an older parse and its bytes) lets an edit re-parse a part."""
        self.read_problems.pop(path, None)
        self.texts[path] = data
        if len(data) > MAX_FILE_SIZE:
            self.read_problems[path] = [
                FileProblem(
                    "file",
                    f"file is larger than {MAX_FILE_SIZE // (1024 * 1024)} MB; not analysed",
                    Location(path, Span(0, 0)),
                )
            ]
            return parse_kconfig(b"", path)
        if b"\x00" in data[:8192]:
            self.read_problems[path] = [
                FileProblem("file", "binary file (NUL bytes); not analysed", Location(path, Span(0, 0)))
            ]
            return parse_kconfig(b"", path)
        if self._parse_cache is not None:
            cached = self._parse_cache.get(path)
            if cached is not None and cached[0] == data:
                return cached[1]
            parsed = _parse_kconfig(path, data, previous)
            self._parse_cache[path] = (data, parsed)
            return parsed
        return _parse_kconfig(path, data, previous)


def _parse_kconfig(path: str, data: bytes, previous: tuple[KconfigFile, bytes] | None) -> KconfigFile:
    """A file's parse; after an edit, only the part it touched is parsed again (the same result)."""
    if previous is not None and previous[0].path == path and previous[0].size == len(previous[1]):
        return reparse_kconfig(previous[0], previous[1], data)
    return parse_kconfig(data, path)
