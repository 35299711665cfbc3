"""Issue 13, the server cases: hostile trees, documents and messages through `kconfig-ls serve`.

Each case starts its own server over stdio (with the harness's memory
limit and its stderr drained), and checks that the canary is still served
(a hover on `canary/Kconfig` answered within the bound) and that nothing
leaked, ran or crashed. The cases run concurrently (a module fixture), so
the xfails that hang wait out their bounds together. The TCP token case is
`tests/server/test_authentication.py`; the protocol details are
`tests/server/test_protocol.py`.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import subprocess
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.harness import (
    BOUND_SECONDS,
    REPOSITORY,
    SECRET,
    Built,
    Case,
    build,
    limited,
)
from tests.server.raw_client import SERVE, RawClient


def _xfail(needs: str, item: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=f"needs {needs}: issue 13 {item}")


class _Server:
    def __init__(
        self, built: Built, environment: dict[str, str] | None = None, index_code: bool = False
    ) -> None:
        self.built = built
        self.process = subprocess.Popen(
            limited([*SERVE] if index_code else [*SERVE, "--no-code-index"]),
            cwd=built.tree,
            env={
                **os.environ,
                "PYTHONPATH": str(REPOSITORY),
                "XDG_CACHE_HOME": str(built.base / "cache"),
                **(environment or {}),
            },
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.client = RawClient.over_process(self.process)
        self.next_id = 100
        self.bound = BOUND_SECONDS

    def start(self, root: Path | None = None, options: object = None, capabilities: object = None) -> None:
        try:
            answer = self.client.initialize(root or self.built.tree, options, capabilities=capabilities)
        except queue.Empty:
            raise AssertionError("initialize not answered\n" + "".join(self.client.stderr[-20:])) from None
        assert "result" in answer, answer
        self.client.notify("initialized", {})

    def request(self, method: str, params: object, bound: float | None = None) -> dict[str, Any]:
        bound = bound or self.bound
        self.next_id += 1
        try:
            return self.client.request(self.next_id, method, params, timeout=bound)
        except queue.Empty:
            raise AssertionError(f"{method} not answered within {bound} s") from None

    def hover(self, path: Path, line: int, character: int, bound: float | None = None) -> dict[str, Any]:
        return self.request(
            "textDocument/hover",
            {"textDocument": {"uri": path.as_uri()}, "position": {"line": line, "character": character}},
            bound,
        )

    def open(self, path: Path, text: str, language: str = "kconfig") -> None:
        self.client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": path.as_uri(), "languageId": language, "version": 1, "text": text}},
        )

    def wait_loaded(self) -> None:
        indexed = self.client.wait_for_notification(
            lambda n: n["method"] == "window/logMessage" and "indexed" in n["params"]["message"],
            self.bound,
        )
        assert indexed is not None, "the tree was not loaded within the bound\n" + "".join(
            self.client.stderr[-30:]
        )

    def assert_healthy(self) -> None:
        """The canary is still served; nothing crashed, leaked or ran."""
        answer = self.hover(self.built.tree / "canary" / "Kconfig", 0, 8)
        assert "CANARY" in str(answer.get("result")), answer
        log = "".join(self.client.stderr)
        assert "Traceback" not in log, log[-3000:]
        assert SECRET not in log and all(SECRET not in str(n) for n in self.client.notifications)
        assert not self.built.marker.exists(), "a command of the tree ran"

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


@dataclass(frozen=True)
class ServerCase:
    name: str
    run: Callable[[Path, float], None]


def _session(
    base: Path, case: Case, bound: float, environment: dict[str, str] | None = None, index_code: bool = False
) -> _Server:
    server = _Server(build(case, base), environment, index_code)
    server.bound = bound
    return server


def _doubling_document(base: Path, bound: float) -> None:
    text = "A0 =\n" + "".join(f"A{i} = $(A{i - 1})$(A{i - 1})\n" for i in range(1, 41)) + "X := $(A40)\n"
    server = _session(base, Case("doubling", root=text), bound)
    try:
        server.start()
        server.wait_loaded()
        server.open(server.built.tree / "Kconfig", 'source "canary/Kconfig"\n' + text)
        server.assert_healthy()
    finally:
        server.stop()


def _backslash_then_changes(base: Path, bound: float) -> None:
    server = _session(base, Case("backslash"), bound)
    try:
        server.start()
        server.wait_loaded()
        path = server.built.tree / "extra" / "Kconfig"
        path.parent.mkdir()
        path.write_text("")
        server.open(path, 'config B\n\tbool "b"\n\\\n\nconfig C\n\tbool "c"\n')
        server.client.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": path.as_uri(), "version": 2},
                "contentChanges": [
                    {
                        "text": 'config B\n\tbool "b"\n\\\n\nconfig C\n\tbool "c"\n\tselect UNDEFINED_AFTER_EDIT\n'
                    }
                ],
            },
        )
        published = server.client.wait_for_notification(
            lambda n: (
                n["method"] == "textDocument/publishDiagnostics"
                and n["params"]["uri"] == path.as_uri()
                and "UNDEFINED_AFTER_EDIT" in str(n["params"]["diagnostics"])
            ),
            bound,
        )
        assert published is not None, "diagnostics stopped updating after the edit"
        server.assert_healthy()
    finally:
        server.stop()


def _hover_on(target: Callable[[Built], Path]) -> Callable[[Path, float], None]:
    def run(base: Path, bound: float) -> None:
        server = _session(base, Case("hover-target"), bound)
        try:
            server.start()
            server.wait_loaded()
            with contextlib.suppress(AssertionError):  # this one may fail; the next must be answered
                server.hover(target(server.built), 0, 0, bound=4)
            server.assert_healthy()
        finally:
            server.stop()

    return run


def _fifo_in_tree(built: Built) -> Path:
    path = built.tree / "pipe.fifo"
    os.mkfifo(path)
    return path


def _large_c_document(base: Path, bound: float) -> None:
    server = _session(base, Case("large-c"), bound, index_code=True)
    try:
        server.start()
        server.wait_loaded()
        path = server.built.tree / "huge.c"
        text = "".join(f"#ifdef CONFIG_S{i % 500}\nint v{i};\n#endif\n" for i in range(700_000))  # 20 MB
        server.open(path, text, "c")
        server.assert_healthy()
    finally:
        server.stop()


def _nested_ifs_outline(base: Path, bound: float) -> None:
    depth = 2000
    text = "".join(f"if A{i}\n" for i in range(depth)) + 'config X\n\tbool "x"\n' + "endif\n" * depth
    for hierarchical in (True, False):
        server = _session(base / str(hierarchical), Case("nested-ifs", files={"nested/Kconfig": text}), bound)
        try:
            capabilities = {"textDocument": {"documentSymbol": {"hierarchicalDocumentSymbolSupport": True}}}
            server.start(capabilities=capabilities if hierarchical else None)
            server.wait_loaded()
            path = server.built.tree / "nested" / "Kconfig"
            server.open(path, text)
            answer = server.request("textDocument/documentSymbol", {"textDocument": {"uri": path.as_uri()}})
            assert "result" in answer and "'name': 'X'" in str(answer["result"]), str(answer)[:500]
            server.assert_healthy()
        finally:
            server.stop()


_REFUSED = r"refus|does not exist|not exist|dangerous|too broad|single-file"


def _refused_root(root_of: Callable[[Built], Path], home: bool = False) -> Callable[[Path, float], None]:
    def run(base: Path, bound: float) -> None:
        built = build(Case("root"), base)
        home_folder = base / "home"
        home_folder.mkdir(exist_ok=True)
        server = _Server(built, {"HOME": str(home_folder)} if home else None)
        server.bound = bound
        try:
            server.start(root_of(built))
            root = str(root_of(built))
            shown = server.client.wait_for_notification(
                lambda n: (
                    n["method"] == "window/showMessage"
                    and root in n["params"]["message"]
                    and re.search(_REFUSED, n["params"]["message"], re.IGNORECASE) is not None
                ),
                bound,
            )
            assert shown is not None, "the dangerous or missing root was not refused with a message"
            log = "".join(server.client.stderr)
            assert "Traceback" not in log
        finally:
            server.stop()

    return run


def _many_configuration_changes(base: Path, bound: float) -> None:
    server = _session(base, Case("settings"), bound)
    try:
        server.start()
        server.wait_loaded()
        for number in range(200):
            # A new bad setting each time: an unknown rule name, logged as a warning.
            server.client.notify(
                "workspace/didChangeConfiguration",
                {"settings": {"kconfig-ls": {"rules": {f"loud-{number}": "error"}}}},
            )
        server.assert_healthy()
        last = server.client.wait_for_notification(
            lambda n: n["method"] == "window/logMessage" and "loud-199" in n["params"]["message"],
            bound,
        )
        assert last is not None, "the last change was not handled within the bound"
        pop_ups = [n for n in server.client.notifications if n["method"] == "window/showMessage"]
        assert len(pop_ups) <= 2, f"{len(pop_ups)} pop-ups for 200 configuration changes: {pop_ups[:3]}"
        assert pop_ups, f"the bad setting was never shown {server.client.notifications[-5:]}"
    finally:
        server.stop()


def _protocol_probes(base: Path, bound: float) -> None:
    server = _session(base, Case("protocol"), bound)
    try:
        server.start()
        server.wait_loaded()
        assert server.request("textDocument/hover", {"textDocument": 5})["error"]["code"] == -32602
        server.assert_healthy()
        assert server.request("shutdown", None)["result"] is None
        assert server.request("textDocument/hover", {})["error"]["code"] == -32600
        server.client.notify("exit")
        assert server.process.wait(timeout=bound) == 0
    finally:
        server.stop()


def _exit_without_shutdown(base: Path, bound: float) -> None:
    server = _session(base, Case("exit"), bound)
    try:
        server.start()
        server.client.notify("exit")
        assert server.process.wait(timeout=bound) == 1
    finally:
        server.stop()


CASES = [
    pytest.param(ServerCase("doubling", _doubling_document), id="macro-doubling-document"),
    pytest.param(ServerCase("protocol", _protocol_probes), id="invalid-params-and-after-shutdown"),
    pytest.param(ServerCase("exit", _exit_without_shutdown), id="exit-without-shutdown"),
    pytest.param(
        ServerCase("backslash", _backslash_then_changes),
        id="backslash-blank-line-then-didchange",
    ),
    pytest.param(
        ServerCase("hover-fifo", _hover_on(_fifo_in_tree)),
        id="hover-on-a-fifo",
    ),
    pytest.param(
        ServerCase("hover-dev-zero", _hover_on(lambda built: Path("/dev/zero"))),
        id="hover-on-dev-zero",
    ),
    pytest.param(
        ServerCase("nested-ifs", _nested_ifs_outline),
        id="2000-nested-ifs-document-symbols",
    ),
    pytest.param(
        ServerCase("large-c", _large_c_document),
        id="20-mb-c-document",
    ),
    pytest.param(
        ServerCase("missing-root", _refused_root(lambda built: built.base / "does-not-exist")),
        id="workspace-folder-that-does-not-exist",
    ),
    pytest.param(
        ServerCase("slash-root", _refused_root(lambda built: Path("/"))),
        id="root-uri-slash",
    ),
    pytest.param(
        ServerCase("home-root", _refused_root(lambda built: built.base / "home", home=True)),
        id="root-uri-home-folder",
    ),
    pytest.param(
        ServerCase("settings", _many_configuration_changes),
        id="200-configuration-changes",
    ),
]


@pytest.mark.parametrize("case", CASES)
def test_hostile_server(case: ServerCase, hostile_results: dict[str, Future[None]]) -> None:
    hostile_results[f"server:{case.name}"].result()
