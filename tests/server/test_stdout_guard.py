"""The stdout guard: after `kconfig-ls serve` takes the streams, nothing but the transport reaches stdout."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import os, subprocess, sys
    from kconfig_ls.server.main import _take_standard_streams

    transport_in, transport_out = _take_standard_streams()
    print("stray print")
    sys.stdout.write("stray write\\n")
    os.write(1, b"stray descriptor write\\n")
    subprocess.run(["echo", "stray child"], check=True)
    transport_out.write(transport_in.read())
    transport_out.flush()
    """
)


def test_only_the_transport_writes_to_stdout() -> None:
    completed = subprocess.run(
        [sys.executable, "-c", SCRIPT], input=b"Content-Length: 2\r\n\r\n{}", capture_output=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == b"Content-Length: 2\r\n\r\n{}"
    for stray in (b"stray print", b"stray write", b"stray descriptor write", b"stray child"):
        assert stray in completed.stderr
