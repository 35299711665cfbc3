"""Replay an editing session against `kconfig-ls serve` on a Linux tree; print latencies.

Usage::

    python bench/bench_server.py [--root /work/corpus/linux-source-6.12] [--arch x86]
                                 [--samples 200] [--json results.json]

The server runs as an editor runs it (`python -m kconfig_ls serve`, stdio);
this script talks raw JSON-RPC so that the numbers are the server's, not a
client library's. Measured, in this order:

1. startup: `initialize` answered; indexing done (work-done progress end);
   the first whole-tree diagnostics of `mm/Kconfig` (opened right after
   `initialized`, as an editor restoring a session does);
2. warm requests on `mm/Kconfig`: hover, definition, references on the
   symbol names the file mentions (median, p95, max);
3. typing: one character per `didChange` at the end of an entry of
   `mm/Kconfig`, and the time until `publishDiagnostics` for that version
   (the syntax tier); then, after a pause, the whole-tree tier;
4. the server's resident memory after indexing and at the end;
5. an `if` line wrapped around the `source` lines of `drivers/Kconfig` (a
   subtree relink of most of the tree): the time to the whole-tree publish,
   and the event loop's longest stall meanwhile, measured as the slowest
   answer to a request the loop answers itself (an unknown method, sent
   every 5 ms: it waits only for the loop);
6. with `--soak-seconds N` (300 for issue 8's five minutes): edits, hovers
   and definitions on `mm/Kconfig` for N seconds; per minute, hover and
   definition p95 and the server's RSS (flat is the target).

Targets (issue 8): hover p95 < 10 ms, definition p95 < 10 ms, syntax-tier
publish p95 < 30 ms, warm start to the first whole-tree diagnostics of
`mm/Kconfig` <= 2.5 s with peak RSS <= 450 MB, no event-loop stall over 50 ms.
Run it twice: the first run warms the code index cache (the second is the
warm start). Comparing two checkouts of one version, give each its own
`--cache-dir`: the code index has one cache file per tree and version, and
a checkout with other code overwrites it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import queue
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

DEFAULT_ROOT = "/work/corpus/linux-source-6.12"
SYNTAX_TIER_CODES = {"KLS000", "KLS005", "KLS008"}
TARGETS_MS = {
    "hover": 10.0,
    "definition": 10.0,
    "typing: syntax-tier publish": 30.0,
    "drivers `if` edit: event-loop stall (ping)": 50.0,
}


class JsonRpcConnection:
    """A minimal LSP client over a subprocess' pipes, with a reader thread."""

    def __init__(self, command: list[str], cwd: str, stderr: Any = subprocess.DEVNULL) -> None:
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            cwd=cwd,
        )
        self._next_id = 0
        self._pending: dict[int, queue.Queue[dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self.notifications: queue.Queue[tuple[float, dict[str, Any]]] = queue.Queue()
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()

    # -- sending -------------------------------------------------------------------

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode("utf-8")
        assert self.process.stdin is not None
        with self._lock:
            self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.process.stdin.flush()

    def request(self, method: str, params: Any, timeout: float = 120) -> Any:
        with self._lock:
            self._next_id += 1
            message_id = self._next_id
            answer: queue.Queue[dict[str, Any]] = queue.Queue()
            self._pending[message_id] = answer
        self._send({"jsonrpc": "2.0", "id": message_id, "method": method, "params": params})
        response = answer.get(timeout=timeout)
        if "error" in response:
            raise RuntimeError(f"{method}: {response['error']}")
        return response.get("result")

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    # -- receiving -------------------------------------------------------------------

    def _read_loop(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            headers: dict[str, str] = {}
            while True:
                line = stream.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            body = stream.read(int(headers["content-length"]))
            message = json.loads(body)
            received = time.perf_counter()
            if "id" in message and "method" in message:
                self._answer_server_request(message)
            elif "id" in message:
                with self._lock:
                    waiting = self._pending.pop(message["id"], None)
                if waiting is not None:
                    waiting.put(message)
            else:
                self.notifications.put((received, message))

    def _answer_server_request(self, message: dict[str, Any]) -> None:
        result: Any = None
        if message["method"] == "workspace/configuration":
            result = [None for _ in message["params"]["items"]]
        self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})

    def wait_for(self, predicate: Any, timeout: float = 300) -> tuple[float, dict[str, Any]]:
        """The first notification (time received, message) satisfying the predicate."""
        deadline = time.perf_counter() + timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError("no matching notification")
            received, message = self.notifications.get(timeout=remaining)
            if predicate(message):
                return received, message

    def cpu_seconds(self) -> float:
        """User plus system CPU time of the server process so far (all its threads)."""
        with open(f"/proc/{self.process.pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_megabytes(self) -> tuple[float, float]:
        """Current and peak resident memory of the server process."""
        values: dict[str, float] = {}
        with open(f"/proc/{self.process.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    name, value = line.split(":", 1)
                    values[name] = int(value.split()[0]) / 1024
        return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summary(name: str, samples_ms: list[float], server_cpu_seconds: float | None = None) -> dict[str, Any]:
    """Median, p95 and max; with the server's CPU time over the samples, its mean per sample.

    The server's CPU time includes whatever it did meanwhile in the background
    (whole-tree checks), so it is an upper bound of the requests' own cost;
    it is the figure to compare on a loaded machine, where wall times are not.
    """
    result: dict[str, Any] = {
        "name": name,
        "count": len(samples_ms),
        "median_ms": round(statistics.median(samples_ms), 2),
        "p95_ms": round(percentile(samples_ms, 0.95), 2),
        "max_ms": round(max(samples_ms), 2),
    }
    if server_cpu_seconds is not None:
        result["server_cpu_ms_per_sample"] = round(server_cpu_seconds * 1000 / max(1, len(samples_ms)), 2)
    target = TARGETS_MS.get(name)
    if target is not None:
        result["target_p95_ms"] = target
        result["meets_target"] = result["p95_ms"] < target
    return result


def symbol_positions(text: str) -> list[tuple[int, int, str]]:
    """(line, column, name) of symbol names in `config`, `depends on`, `select` lines."""
    positions: list[tuple[int, int, str]] = []
    for number, line in enumerate(text.split("\n")):
        match = re.match(r"\s*(config|menuconfig|depends on|select|imply)\s+(.*)", line)
        if match is None:
            continue
        start = match.start(2)
        for word in re.finditer(r"[A-Z][A-Z0-9_]+", match.group(2)):
            positions.append((number, start + word.start() + 1, word.group()))
    return positions


def _second_publish(uri: str, version: int) -> Any:
    """A predicate true on the second publish of `uri` at `version`: the first is the syntax tier."""
    seen = 0

    def predicate(message: dict[str, Any]) -> bool:
        nonlocal seen
        if (
            message.get("method") != "textDocument/publishDiagnostics"
            or message["params"]["uri"] != uri
            or message["params"].get("version") != version
        ):
            return False
        seen += 1
        return seen == 2

    return predicate


def _ping_until(
    connection: JsonRpcConnection, predicate: Any, timeout: float = 120
) -> tuple[float, list[float]]:
    """Ping the event loop every 5 ms until a notification matches; (its time, ping latencies in ms)."""
    pings: list[float] = []
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            while True:
                received, message = connection.notifications.get_nowait()
                if predicate(message):
                    return received, pings
        except queue.Empty:
            pass
        before = time.perf_counter()
        # Method not found: answered by the loop itself, which is all a ping needs.
        with contextlib.suppress(RuntimeError):
            connection.request("kconfig-ls/ping", None)
        pings.append((time.perf_counter() - before) * 1000)
        time.sleep(0.005)
    raise TimeoutError("no matching notification")


def _soak(connection: JsonRpcConnection, uri: str, text: str, seconds: float, version: int) -> dict[str, Any]:
    """Edits, hovers and definitions on `mm/Kconfig` for `seconds`; per-minute p95s and RSS."""
    positions = symbol_positions(text)
    help_line = next(index for index, line in enumerate(text.split("\n")) if line.strip() == "help") + 1
    minutes: list[dict[str, Any]] = []
    started = time.perf_counter()
    minute_started = started
    hovers: list[float] = []
    definitions: list[float] = []
    column = 2
    step = 0
    while time.perf_counter() - started < seconds:
        step += 1
        version += 1
        # Type in a help text (one character in, then out again), with a pause now and then
        # so that the whole-tree checks run too.
        change = (
            {"range": _range(help_line, column, help_line, column), "text": "x"}
            if step % 2
            else {"range": _range(help_line, column, help_line, column + 1), "text": ""}
        )
        connection.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
        )
        line, character, _ = random.choice(positions)
        params = {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}
        before = time.perf_counter()
        connection.request("textDocument/hover", params)
        middle = time.perf_counter()
        connection.request("textDocument/definition", params)
        hovers.append((middle - before) * 1000)
        definitions.append((time.perf_counter() - middle) * 1000)
        time.sleep(0.4 if step % 20 == 0 else 0.02)
        while not connection.notifications.empty():
            connection.notifications.get_nowait()
        if time.perf_counter() - minute_started >= 60:
            minutes.append(_minute(connection, len(minutes) + 1, hovers, definitions))
            hovers, definitions, minute_started = [], [], time.perf_counter()
    if hovers and time.perf_counter() - minute_started >= 30:
        minutes.append(_minute(connection, len(minutes) + 1, hovers, definitions))
    rss_values = [minute["rss_mb"] for minute in minutes]
    return {
        "seconds": seconds,
        "minutes": minutes,
        "rss_growth_mb": round(rss_values[-1] - rss_values[0], 1) if rss_values else None,
    }


def _minute(
    connection: JsonRpcConnection, number: int, hovers: list[float], definitions: list[float]
) -> dict[str, Any]:
    rss, _ = connection.rss_megabytes()
    return {
        "minute": number,
        "hover_p95_ms": round(percentile(hovers, 0.95), 2),
        "definition_p95_ms": round(percentile(definitions, 0.95), 2),
        "rss_mb": round(rss, 1),
        "requests": len(hovers),
    }


def _range(start_line: int, start: int, end_line: int, end: int) -> dict[str, Any]:
    return {"start": {"line": start_line, "character": start}, "end": {"line": end_line, "character": end}}


def run(
    root: str, arch: str, samples: int, seed: int, soak_seconds: float = 0, cache_dir: str | None = None
) -> dict[str, Any]:
    random.seed(seed)
    path = Path(root) / "mm" / "Kconfig"
    uri = path.as_uri()
    text = path.read_text(encoding="utf-8")
    results: dict[str, Any] = {
        "root": root,
        "arch": arch,
        "measurements": [],
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
    }
    command = [sys.executable, "-m", "kconfig_ls", "serve", "--log-level", "WARNING"]
    if cache_dir is not None:
        command += ["--cache-dir", cache_dir]
    started = time.perf_counter()
    connection = JsonRpcConnection(command, cwd=root)
    capabilities = {
        "window": {"workDoneProgress": True},
        "textDocument": {
            "hover": {"contentFormat": ["markdown", "plaintext"]},
            "publishDiagnostics": {"relatedInformation": True, "versionSupport": True},
            "synchronization": {"didSave": True},
        },
        "workspace": {"configuration": True, "didChangeWatchedFiles": {"dynamicRegistration": True}},
    }
    connection.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": Path(root).as_uri(),
            "workspaceFolders": [{"uri": Path(root).as_uri(), "name": "linux"}],
            "capabilities": capabilities,
            "initializationOptions": {"kconfig-ls": {"arch": arch}},
        },
    )
    initialized_at = time.perf_counter()
    connection.notify("initialized", {})
    connection.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "kconfig", "version": 1, "text": text}},
    )
    # The first whole-tree diagnostics may come before the indexing ends (the
    # Kconfig rules' findings, published while the code is indexed) or after it.
    indexed_at: float | None = None
    full: tuple[float, dict[str, Any], float, tuple[float, float]] | None = None
    deadline = time.perf_counter() + 600
    while indexed_at is None or full is None:
        received, message = connection.notifications.get(timeout=max(0.1, deadline - time.perf_counter()))
        method = message.get("method")
        if method == "$/progress" and message["params"]["value"].get("kind") == "end":
            indexed_at = received
        elif (
            full is None
            and method == "textDocument/publishDiagnostics"
            and message["params"]["uri"] == uri
            and any(d.get("code") not in SYNTAX_TIER_CODES for d in message["params"]["diagnostics"])
        ):
            full = received, message, connection.cpu_seconds(), connection.rss_megabytes()
    full_at, full_message, cpu_at_start, (rss_indexed, rss_peak_at_start) = full
    results["startup"] = {
        "server_cpu_to_first_full_diagnostics_s": round(cpu_at_start, 3),
        "initialize_s": round(initialized_at - started, 3),
        "indexing_done_s": round(indexed_at - started, 3),
        "first_full_diagnostics_of_mm_Kconfig_s": round(full_at - started, 3),
        "diagnostics_in_mm_Kconfig": len(full_message["params"]["diagnostics"]),
        "rss_at_first_full_diagnostics_mb": round(rss_indexed, 1),
        "rss_peak_at_first_full_diagnostics_mb": round(rss_peak_at_start, 1),
    }

    positions = symbol_positions(text)
    chosen = [random.choice(positions) for _ in range(samples)]
    document = {"uri": uri}
    for method, name, extra in (
        ("textDocument/hover", "hover", {}),
        ("textDocument/definition", "definition", {}),
        ("textDocument/references", "references", {"context": {"includeDeclaration": True}}),
    ):
        timings: list[float] = []
        cpu_before = connection.cpu_seconds()
        for line, column, _ in chosen[: samples if method != "textDocument/references" else samples // 2]:
            params = {"textDocument": document, "position": {"line": line, "character": column}, **extra}
            before = time.perf_counter()
            answer = connection.request(method, params)
            timings.append((time.perf_counter() - before) * 1000)
            assert answer is not None or method != "textDocument/hover"
        results["measurements"].append(summary(name, timings, connection.cpu_seconds() - cpu_before))

    # Typing: a new line after the first `config` entry, one character per change.
    lines = text.split("\n")
    target_line = next(index for index, line in enumerate(lines) if line.startswith("config ")) + 2
    typed = "\tdepends on MMU && !SWAP # typed by the benchmark"
    version = 1
    typing_ms: list[float] = []
    column = 0
    insert = {"line": target_line, "character": 0}
    connection.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": uri, "version": (version := version + 1)},
            "contentChanges": [{"range": {"start": insert, "end": insert}, "text": "\n"}],
        },
    )
    connection.wait_for(
        lambda m: (
            m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == version
        )
    )
    typing_cpu_before = connection.cpu_seconds()
    for round_index in range(max(1, samples // len(typed) + 1)):
        for character in typed:
            position = {"line": target_line, "character": column}
            version += 1
            expected_version = version
            before = time.perf_counter()
            connection.notify(
                "textDocument/didChange",
                {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"range": {"start": position, "end": position}, "text": character}],
                },
            )
            received, _ = connection.wait_for(
                lambda m, v=expected_version: (
                    m.get("method") == "textDocument/publishDiagnostics"
                    and m["params"]["uri"] == uri
                    and m["params"].get("version") == v
                )
            )
            typing_ms.append((received - before) * 1000)
            column += 1
        # Erase the typed line again (one change), keeping the versions going.
        version += 1
        connection.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [
                    {
                        "range": {
                            "start": {"line": target_line, "character": 0},
                            "end": {"line": target_line, "character": column},
                        },
                        "text": "",
                    }
                ],
            },
        )
        column = 0
        if len(typing_ms) >= samples or round_index > 10:
            break
    results["measurements"].append(
        summary("typing: syntax-tier publish", typing_ms, connection.cpu_seconds() - typing_cpu_before)
    )

    # After a pause: the whole-tree tier for the last version.
    full_tier_ms: list[float] = []
    for _ in range(5):
        while not connection.notifications.empty():
            connection.notifications.get_nowait()
        position = {"line": target_line, "character": 0}
        version += 1
        before = time.perf_counter()
        connection.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": position, "end": position}, "text": "#"}],
            },
        )
        seen = 0

        def full_publish(message: dict[str, Any], v: int = version) -> bool:
            nonlocal seen
            if (
                message.get("method") != "textDocument/publishDiagnostics"
                or message["params"].get("version") != v
            ):
                return False
            seen += 1
            return seen == 2  # the first is the syntax tier, the second the whole tree

        received, _ = connection.wait_for(full_publish)
        full_tier_ms.append((received - before) * 1000)
    results["measurements"].append(
        summary("typing pause: whole-tree publish (incl. 300 ms debounce)", full_tier_ms)
    )

    # An `if` around the `source` lines of drivers/Kconfig, and back: stalls of the event loop.
    drivers = Path(root) / "drivers" / "Kconfig"
    drivers_uri = drivers.as_uri()
    drivers_text = drivers.read_text(encoding="utf-8")
    connection.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": drivers_uri, "languageId": "kconfig", "version": 1, "text": drivers_text}},
    )
    menu_end = drivers_text.index("\n", drivers_text.index('menu "Device Drivers"')) + 1
    last = drivers_text.rindex("endmenu")
    edited = (
        drivers_text[:menu_end]
        + "if HAS_IOMEM\n"
        + drivers_text[menu_end:last]
        + "endif\n"
        + drivers_text[last:]
    )
    stall_pings: list[float] = []
    if_publish_ms: list[float] = []
    drivers_version = 1
    for number in range(4):
        drivers_version += 1
        while not connection.notifications.empty():
            connection.notifications.get_nowait()
        before = time.perf_counter()
        connection.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": drivers_uri, "version": drivers_version},
                "contentChanges": [{"text": edited if number % 2 == 0 else drivers_text}],
            },
        )
        published, pings = _ping_until(connection, _second_publish(drivers_uri, drivers_version))
        if_publish_ms.append((published - before) * 1000)
        stall_pings.extend(pings)
    results["measurements"].append(
        summary("drivers `if` edit: whole-tree publish (incl. debounce)", if_publish_ms)
    )
    results["measurements"].append(summary("drivers `if` edit: event-loop stall (ping)", stall_pings))
    connection.notify("textDocument/didClose", {"textDocument": {"uri": drivers_uri}})

    if soak_seconds > 0:
        results["soak"] = _soak(connection, uri, text, soak_seconds, version)

    results["load_average_at_end"] = [round(value, 2) for value in os.getloadavg()]
    rss_now, rss_peak = connection.rss_megabytes()
    results["memory"] = {"rss_end_mb": round(rss_now, 1), "rss_peak_mb": round(rss_peak, 1)}
    connection.request("shutdown", None)
    connection.notify("exit", None)
    try:
        results["exit_code"] = connection.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        connection.process.kill()
        results["exit_code"] = None
    return results


def print_report(results: dict[str, Any]) -> None:
    startup = results["startup"]
    print(f"kconfig-ls server benchmark on {results['root']} (arch {results['arch']})")
    print(
        f"  load average (1, 5, 15 min) at start {results['load_average_at_start']}, "
        f"at end {results['load_average_at_end']}"
    )
    print(f"  initialize answered          {startup['initialize_s']:8.3f} s")
    print(f"  indexing done                {startup['indexing_done_s']:8.3f} s")
    print(
        f"  first full diagnostics mm/Kconfig {startup['first_full_diagnostics_of_mm_Kconfig_s']:6.3f} s"
        f" ({startup['diagnostics_in_mm_Kconfig']} diagnostics)"
    )
    print(f"  server CPU to that point     {startup['server_cpu_to_first_full_diagnostics_s']:8.3f} s")
    print(
        f"  RSS at those diagnostics / peak {startup['rss_at_first_full_diagnostics_mb']:5.1f} / "
        f"{startup['rss_peak_at_first_full_diagnostics_mb']:.1f} MB"
    )
    memory = results["memory"]
    print(f"  RSS at end / peak            {memory['rss_end_mb']:8.1f} / {memory['rss_peak_mb']:.1f} MB")
    print(f"  {'measurement':58} {'n':>4} {'median':>8} {'p95':>8} {'max':>8} {'cpu/op':>8}  target")
    for item in results["measurements"]:
        target = ""
        if "target_p95_ms" in item:
            target = f"p95 < {item['target_p95_ms']:.0f} ms: {'ok' if item['meets_target'] else 'MISSED'}"
        cpu = item.get("server_cpu_ms_per_sample")
        cpu_text = f"{cpu:6.2f}ms" if cpu is not None else " " * 8
        print(
            f"  {item['name']:58} {item['count']:4d} {item['median_ms']:7.2f}ms {item['p95_ms']:7.2f}ms"
            f" {item['max_ms']:7.2f}ms {cpu_text}  {target}"
        )
    soak = results.get("soak")
    if soak:
        print(
            f"  soak of {soak['seconds']:.0f} s: RSS growth {soak['rss_growth_mb']} MB (first to last minute)"
        )
        for minute in soak["minutes"]:
            print(
                f"    minute {minute['minute']}: hover p95 {minute['hover_p95_ms']:.2f} ms, definition p95 "
                f"{minute['definition_p95_ms']:.2f} ms, RSS {minute['rss_mb']:.1f} MB "
                f"({minute['requests']} pairs)"
            )
    print(f"  exit code {results['exit_code']}")


def compile_package() -> None:
    """Write the bytecode of the kconfig_ls package the server will import (as `pip install` does)."""
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    folder = subprocess.run(
        [sys.executable, "-c", "import kconfig_ls, os; print(os.path.dirname(kconfig_ls.__file__))"],
        check=True,
        capture_output=True,
        text=True,
        env=environment,
    ).stdout.strip()
    subprocess.run([sys.executable, "-m", "compileall", "-q", folder], check=True, env=environment)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--root", default=DEFAULT_ROOT)
    parser.add_argument("--arch", default="x86")
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", default=None, help="also write the results to this file")
    parser.add_argument("--soak-seconds", type=float, default=0, help="run the edit/hover/definition soak")
    parser.add_argument(
        "--compile-bytecode",
        action="store_true",
        help="compile kconfig-ls to bytecode first, as an installed package is (with "
        "PYTHONDONTWRITEBYTECODE set, every start compiles the package from source)",
    )
    parser.add_argument(
        "--cache-dir",
        default=None,
        help="the server's cache folder (default: its own default). The code index of a tree has one "
        "cache file, which a different kconfig-ls version overwrites: give each version compared "
        "its own folder, or every start is a cold one",
    )
    arguments = parser.parse_args()
    if not (Path(arguments.root) / "Kconfig").is_file():
        print(f"no Kconfig tree at {arguments.root}", file=sys.stderr)
        return 2
    if arguments.compile_bytecode:
        compile_package()
    results = run(
        arguments.root,
        arguments.arch,
        arguments.samples,
        arguments.seed,
        arguments.soak_seconds,
        arguments.cache_dir,
    )
    print_report(results)
    if arguments.json:
        Path(arguments.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
