"""A long, moderately paced editing session against `kconfig-ls serve`; one line per minute.

Usage::

    python bench/soak_server.py [--root /work/corpus/linux-source-6.12] [--minutes 60]
                                [--json soak.json] [--ticks-per-second 1]

Issue 13 asks that the server's memory stay flat over an hour-long soak. This
script runs one server process (`python -m kconfig_ls serve`, stdio, raw
JSON-RPC through `bench_server.JsonRpcConnection`) on a Linux tree and, once
per tick (one second by default), sends a small mixed load:

- two hovers and two definitions on symbol names of the open documents
  (`mm/Kconfig`, `drivers/Kconfig` and a C file, `mm/memory.c`);
- every 5th tick a one-character edit of `mm/Kconfig` (typed into a new line,
  erased again after 40 characters), which starts the syntax tier and, after
  the debounce, the whole-tree checks;
- every 15th tick a references request;
- every 20th tick another Kconfig file of the tree is opened, hovered and,
  20 ticks later, closed again;
- every 60th tick a configuration change (a rule's severity, which refreshes
  every open document's findings without a reload) and every 600th tick a
  change of the environment (a reload of the whole model; `--reload-every`).

Each minute it prints (and keeps in the JSON file): the server's resident
memory (VmRSS) and peak (VmHWM), its CPU seconds in that minute, hover and
definition p50/p95 (wall clock, ms), the requests sent, errors (error
responses and timeouts), diagnostics published, `window/showMessage`
pop-ups, and the 1-minute load average of the machine (the numbers are
wall-clock latencies on a shared machine; read them with the load).

To find where memory grows, `--in-process --tracemalloc-at 5,15` runs the
server in a thread of this process (same code, pipes instead of stdio)
under `tracemalloc` and prints, at each of those minutes, the allocation
sites that grew most since the first of them (tracemalloc makes everything
slower and bigger: use it for the diff, not for the curve).
"""

from __future__ import annotations

import argparse
import collections
import gc
import json
import os
import queue
import random
import re
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_server import JsonRpcConnection, percentile

DEFAULT_ROOT = "/work/corpus/linux-source-6.12"
OPEN_AT_START = ("mm/Kconfig", "drivers/Kconfig", "mm/memory.c")
TYPED = "\tdepends on MMU && !SWAP # typed by the soak"
RULE_TOGGLES = ("KLS101", "KLS102", "KLS104")


def kconfig_positions(text: str) -> list[tuple[int, int]]:
    """(line, column) of symbol names on `config`, `depends on`, `select`, `default` lines."""
    positions: list[tuple[int, int]] = []
    for number, line in enumerate(text.split("\n")):
        match = re.match(r"\s*(config|menuconfig|depends on|select|imply|default)\s+(.*)", line)
        if match is None:
            continue
        for word in re.finditer(r"[A-Z][A-Z0-9_]{2,}", match.group(2)):
            positions.append((number, match.start(2) + word.start() + 1))
    return positions


def c_positions(text: str) -> list[tuple[int, int]]:
    """(line, column) of `CONFIG_` names in a C file."""
    positions: list[tuple[int, int]] = []
    for number, line in enumerate(text.split("\n")):
        for word in re.finditer(r"\bCONFIG_[A-Z0-9_]+", line):
            positions.append((number, word.start() + 8))
    return positions


def server_cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def other_kconfig_files(root: Path, count: int, rng: random.Random) -> list[Path]:
    found: list[Path] = []
    for folder in ("drivers/net", "drivers/gpu", "fs", "arch/x86", "sound"):
        for directory, _, files in os.walk(root / folder):
            found.extend(Path(directory) / name for name in files if name.startswith("Kconfig"))
    found.sort()
    return rng.sample(found, min(count, len(found)))


class _InProcessServer:
    """Looks like the `Popen` that `JsonRpcConnection` uses: a server thread of this process on pipes."""

    def __init__(self) -> None:
        from kconfig_ls.cli.lint import default_cache_directory
        from kconfig_ls.server.server import create_server

        to_server_read, to_server_write = os.pipe()
        from_server_read, from_server_write = os.pipe()
        self.stdin = os.fdopen(to_server_write, "wb")
        self.stdout = os.fdopen(from_server_read, "rb")
        self.pid = os.getpid()
        server = create_server(cache_directory=default_cache_directory())
        server_in, server_out = os.fdopen(to_server_read, "rb"), os.fdopen(from_server_write, "wb")
        self.thread = threading.Thread(target=server.start_io, args=(server_in, server_out), daemon=True)
        self.thread.start()

    def wait(self, timeout: float | None = None) -> int:
        self.thread.join(timeout)
        return 0

    def kill(self) -> None:
        self.stdin.close()


class _InProcessConnection(JsonRpcConnection):
    def __init__(self) -> None:
        # The parent's fields, on an in-process server instead of a subprocess.
        self.process = _InProcessServer()  # type: ignore[assignment]
        self._next_id = 0
        self._pending = {}
        self._lock = threading.Lock()
        self.notifications = queue.Queue()
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()


class Soak:
    def __init__(
        self, root: Path, arch: str, seed: int, server_log: str | None, in_process: bool = False
    ) -> None:
        self.root = root
        self.arch = arch
        self.rng = random.Random(seed)
        self.reload_every = 600
        command = [sys.executable, "-m", "kconfig_ls", "serve", "--log-level", "WARNING"]
        self.stderr = open(server_log, "wb") if server_log else None  # noqa: SIM115
        if in_process:
            self.connection: JsonRpcConnection = _InProcessConnection()
        else:
            self.connection = JsonRpcConnection(
                command, cwd=str(root), stderr=self.stderr or subprocess.DEVNULL
            )
        self.documents: dict[str, dict[str, Any]] = {}
        self.version = 0
        self.requests = 0
        self.errors = 0
        self.error_samples: list[str] = []
        self.hover_ms: list[float] = []
        self.definition_ms: list[float] = []
        self.published = 0
        self.pop_ups = 0
        self.typed_column = 0
        self.typing_line = 0
        self.severity_step = 0
        self.environment_step = 0
        self.opened_extra: list[tuple[int, str]] = []
        self.extra_files = other_kconfig_files(root, 200, self.rng)

    # -- protocol ------------------------------------------------------------------------

    def start(self) -> None:
        capabilities = {
            "window": {"workDoneProgress": True},
            "textDocument": {
                "hover": {"contentFormat": ["markdown", "plaintext"]},
                "publishDiagnostics": {"relatedInformation": True, "versionSupport": True},
            },
            "workspace": {"configuration": True},
        }
        self.connection.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": self.root.as_uri(),
                "workspaceFolders": [{"uri": self.root.as_uri(), "name": "linux"}],
                "capabilities": capabilities,
                "initializationOptions": {"kconfig-ls": {"arch": self.arch}},
            },
        )
        self.connection.notify("initialized", {})
        for relative in OPEN_AT_START:
            self.open(self.root / relative)
        self.connection.wait_for(
            lambda m: m.get("method") == "$/progress" and m["params"]["value"].get("kind") == "end",
            timeout=900,
        )
        lines = self.documents[(self.root / "mm/Kconfig").as_uri()]["text"].split("\n")
        self.typing_line = next(i for i, line in enumerate(lines) if line.startswith("config ")) + 2
        self.insert(self.root / "mm/Kconfig", self.typing_line, 0, "\n")

    def open(self, path: Path) -> str:
        uri = path.as_uri()
        text = path.read_text(encoding="utf-8", errors="replace")
        language = "c" if path.suffix == ".c" else "kconfig"
        positions = c_positions(text) if language == "c" else kconfig_positions(text)
        self.version += 1
        self.documents[uri] = {"text": text, "positions": positions}
        self.connection.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": language, "version": self.version, "text": text}},
        )
        return uri

    def close(self, uri: str) -> None:
        self.documents.pop(uri, None)
        self.connection.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    def insert(self, path: Path, line: int, column: int, text: str) -> None:
        self.version += 1
        position = {"line": line, "character": column}
        self.connection.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": path.as_uri(), "version": self.version},
                "contentChanges": [{"range": {"start": position, "end": position}, "text": text}],
            },
        )

    def timed_request(self, method: str, params: Any, samples: list[float] | None) -> None:
        self.requests += 1
        before = time.perf_counter()
        try:
            self.connection.request(method, params, timeout=60)
        except (RuntimeError, queue.Empty) as problem:
            self.errors += 1
            if len(self.error_samples) < 20:
                self.error_samples.append(f"{method}: {problem!r}"[:300])
            return
        if samples is not None:
            samples.append((time.perf_counter() - before) * 1000)

    def random_position(self) -> tuple[str, int, int] | None:
        candidates = [uri for uri, document in self.documents.items() if document["positions"]]
        if not candidates:
            return None
        uri = self.rng.choice(candidates)
        line, column = self.rng.choice(self.documents[uri]["positions"])
        return uri, line, column

    def point_request(self, method: str, samples: list[float] | None, extra: dict[str, Any]) -> None:
        chosen = self.random_position()
        if chosen is None:
            return
        uri, line, column = chosen
        params = {"textDocument": {"uri": uri}, "position": {"line": line, "character": column}, **extra}
        self.timed_request(method, params, samples)

    # -- one tick ------------------------------------------------------------------------

    def tick(self, number: int) -> None:
        for _ in range(2):
            self.point_request("textDocument/hover", self.hover_ms, {})
            self.point_request("textDocument/definition", self.definition_ms, {})
        if number % 5 == 0:
            self.type_one_character()
        if number % 15 == 0:
            self.point_request("textDocument/references", None, {"context": {"includeDeclaration": True}})
        if number % 20 == 0:
            uri = self.open(self.extra_files[(number // 20) % len(self.extra_files)])
            self.opened_extra.append((number, uri))
            self.point_request("textDocument/documentSymbol", None, {})
        while self.opened_extra and self.opened_extra[0][0] <= number - 20:
            self.close(self.opened_extra.pop(0)[1])
        if number % 60 == 30:
            self.change_severity()
        if self.reload_every and number % self.reload_every == self.reload_every // 2:
            self.change_environment()
        self.drain()

    def type_one_character(self) -> None:
        mm = self.root / "mm/Kconfig"
        if self.typed_column >= len(TYPED):
            self.version += 1
            self.connection.notify(
                "textDocument/didChange",
                {
                    "textDocument": {"uri": mm.as_uri(), "version": self.version},
                    "contentChanges": [
                        {
                            "range": {
                                "start": {"line": self.typing_line, "character": 0},
                                "end": {"line": self.typing_line, "character": self.typed_column},
                            },
                            "text": "",
                        }
                    ],
                },
            )
            self.typed_column = 0
            return
        self.insert(mm, self.typing_line, self.typed_column, TYPED[self.typed_column])
        self.typed_column += 1

    def _settings(self) -> dict[str, Any]:
        severity = ("warning", "information", "hint", "error")[self.severity_step % 4]
        rule = RULE_TOGGLES[self.severity_step % len(RULE_TOGGLES)]
        environment = {"KCONFIG_LS_SOAK": str(self.environment_step)} if self.environment_step else {}
        return {"kconfig-ls": {"arch": self.arch, "rules": {rule: severity}, "environment": environment}}

    def change_severity(self) -> None:
        self.severity_step += 1
        self.connection.notify("workspace/didChangeConfiguration", {"settings": self._settings()})

    def change_environment(self) -> None:
        self.environment_step += 1
        self.connection.notify("workspace/didChangeConfiguration", {"settings": self._settings()})

    def drain(self) -> None:
        while True:
            try:
                _, message = self.connection.notifications.get_nowait()
            except queue.Empty:
                return
            method = message.get("method")
            if method == "textDocument/publishDiagnostics":
                self.published += 1
            elif method == "window/showMessage":
                self.pop_ups += 1
                if len(self.error_samples) < 20:
                    self.error_samples.append(f"showMessage: {message['params'].get('message', '')[:200]}")

    # -- per minute ----------------------------------------------------------------------

    def minute_row(self, minute: int, cpu_before: float) -> tuple[dict[str, Any], float]:
        rss, peak = self.connection.rss_megabytes()
        cpu = server_cpu_seconds(self.connection.process.pid)

        def p(samples: list[float], fraction: float) -> float | None:
            return round(percentile(samples, fraction), 1) if samples else None

        row = {
            "minute": minute,
            "rss_mb": round(rss, 1),
            "peak_mb": round(peak, 1),
            "server_cpu_s": round(cpu - cpu_before, 1),
            "hover_p50_ms": p(self.hover_ms, 0.5),
            "hover_p95_ms": p(self.hover_ms, 0.95),
            "definition_p50_ms": p(self.definition_ms, 0.5),
            "definition_p95_ms": p(self.definition_ms, 0.95),
            "requests": self.requests,
            "errors": self.errors,
            "published": self.published,
            "pop_ups": self.pop_ups,
            "load_1min": round(os.getloadavg()[0], 2),
        }
        self.hover_ms, self.definition_ms = [], []
        self.requests = self.errors = self.published = self.pop_ups = 0
        return row, cpu

    def finish(self) -> int | None:
        self.connection.request("shutdown", None, timeout=60)
        self.connection.notify("exit", None)
        try:
            return self.connection.process.wait(timeout=60)
        except Exception:
            self.connection.process.kill()
            return None


HEADER = (
    f"{'min':>4} {'rss MB':>7} {'peak':>7} {'cpu s':>6} {'hov p50':>8} {'hov p95':>8}"
    f" {'def p50':>8} {'def p95':>8} {'reqs':>5} {'errs':>4} {'pub':>5} {'pops':>4} {'load':>5}"
)


def format_row(row: dict[str, Any]) -> str:
    def number(value: float | None) -> str:
        return "-" if value is None else f"{value:.1f}"

    return (
        f"{row['minute']:4d} {row['rss_mb']:7.1f} {row['peak_mb']:7.1f} {row['server_cpu_s']:6.1f}"
        f" {number(row['hover_p50_ms']):>8} {number(row['hover_p95_ms']):>8}"
        f" {number(row['definition_p50_ms']):>8} {number(row['definition_p95_ms']):>8}"
        f" {row['requests']:5d} {row['errors']:4d} {row['published']:5d} {row['pop_ups']:4d}"
        f" {row['load_1min']:5.2f}"
    )


def _tracemalloc_report(first: tracemalloc.Snapshot, now: tracemalloc.Snapshot, minute: int) -> None:
    ignored = (tracemalloc.Filter(False, tracemalloc.__file__), tracemalloc.Filter(False, __file__))
    first, now = first.filter_traces(ignored), now.filter_traces(ignored)
    total = sum(stat.size for stat in now.statistics("filename")) / 1e6
    print(f"-- tracemalloc at minute {minute}: {total:.1f} MB traced; grown most since the first snapshot:")
    for stat in now.compare_to(first, "traceback")[:12]:
        print(f"   {stat.size_diff / 1e6:+8.2f} MB {stat.count_diff:+8d} blocks")
        for line in stat.traceback.format(limit=6)[::2]:
            print(f"      {line.strip()}")
    sys.stdout.flush()


def _census() -> collections.Counter[str]:
    """Live objects by type (after a collection): cheap enough to take at any minute."""
    gc.collect()
    return collections.Counter(type(item).__qualname__ for item in gc.get_objects())


def _census_report(first: collections.Counter[str], now: collections.Counter[str], minute: int) -> None:
    print(f"-- objects at minute {minute}: {sum(now.values())} tracked; grown most since the first census:")
    grown = sorted(((now[name] - first[name], name) for name in now), reverse=True)[:15]
    for difference, name in grown:
        print(f"   {difference:+9d} {name} (now {now[name]})")
    for name in ("KconfigModel", "CodeIndex", "AnalysisHost", "Analysis", "Snapshot"):
        if now[name] or first[name]:
            print(f"   {name}: {first[name]} -> {now[name]}")
    sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--root", default=DEFAULT_ROOT)
    parser.add_argument("--arch", default="x86")
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument("--ticks-per-second", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", default=None, help="also write the rows here (each minute)")
    parser.add_argument("--server-log", default=None, help="the server's stderr goes to this file")
    parser.add_argument(
        "--reload-every", type=int, default=600, help="ticks between environment changes (0: none)"
    )
    parser.add_argument(
        "--in-process", action="store_true", help="run the server in a thread of this process"
    )
    parser.add_argument(
        "--census-at", default="", help="with --in-process: minutes to count live objects by type at"
    )
    parser.add_argument(
        "--tracemalloc-at", default="", help="with --in-process: minutes to snapshot at, e.g. 5,15"
    )
    arguments = parser.parse_args()
    root = Path(arguments.root)
    if not (root / "Kconfig").is_file():
        print(f"no Kconfig tree at {root}", file=sys.stderr)
        return 2
    snapshot_minutes = [int(m) for m in arguments.tracemalloc_at.split(",") if m.strip()]
    if snapshot_minutes:
        if not arguments.in_process:
            print("--tracemalloc-at needs --in-process", file=sys.stderr)
            return 2
        tracemalloc.start(12)
    first_snapshot: tracemalloc.Snapshot | None = None
    census_minutes = [int(m) for m in arguments.census_at.split(",") if m.strip()]
    if census_minutes and not arguments.in_process:
        print("--census-at needs --in-process", file=sys.stderr)
        return 2
    first_census: collections.Counter[str] | None = None
    soak = Soak(root, arguments.arch, arguments.seed, arguments.server_log, arguments.in_process)
    soak.reload_every = arguments.reload_every
    started = time.perf_counter()
    soak.start()
    startup_s = time.perf_counter() - started
    rss, _ = soak.connection.rss_megabytes()
    print(f"soak on {root} ({arguments.arch}): indexed in {startup_s:.1f} s, RSS {rss:.1f} MB", flush=True)
    print(HEADER, flush=True)
    results: dict[str, Any] = {"root": str(root), "startup_s": round(startup_s, 1), "rows": []}
    interval = 1.0 / arguments.ticks_per_second
    cpu_mark = server_cpu_seconds(soak.connection.process.pid)
    soak_started = time.perf_counter()
    next_minute = soak_started + 60
    minute = 0
    number = 0
    while minute < arguments.minutes:
        number += 1
        tick_started = time.perf_counter()
        soak.tick(number)
        if time.perf_counter() >= next_minute:
            minute += 1
            next_minute += 60
            row, cpu_mark = soak.minute_row(minute, cpu_mark)
            results["rows"].append(row)
            print(format_row(row), flush=True)
            if minute in census_minutes:
                census = _census()
                if first_census is None:
                    first_census = census
                else:
                    _census_report(first_census, census, minute)
            if minute in snapshot_minutes:
                snapshot = tracemalloc.take_snapshot()
                if first_snapshot is None:
                    first_snapshot = snapshot
                else:
                    _tracemalloc_report(first_snapshot, snapshot, minute)
            if arguments.json:
                results["error_samples"] = soak.error_samples
                Path(arguments.json).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        time.sleep(max(0.0, interval - (time.perf_counter() - tick_started)))
    results["exit_code"] = soak.finish()
    results["error_samples"] = soak.error_samples
    print(f"exit code {results['exit_code']}; error samples: {soak.error_samples}", flush=True)
    if arguments.json:
        Path(arguments.json).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
