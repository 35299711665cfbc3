"""Who may talk to a listening server: a token for TCP, file permissions for Unix sockets.

Over stdio the editor started the server, so it is the only client. A TCP
port is open to every local user (and to the network with a non-loopback
`--host`), and a client may send `trustWorkspace: true`, which runs the
tree's `$(shell,...)` macros as the server's user. So `serve --tcp`
generates a token, prints it on stderr for the person who started it, and
answers `initialize` with an error unless `initializationOptions` carries
it (`{"token": "..."}`, beside or inside the `kconfig-ls` section). Until
then nothing is loaded and every other message is refused. `--socket PATH`
is the alternative: a Unix socket created with mode 0600, which only the
server's user can open.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import socket
from collections.abc import Mapping
from typing import Final

from lsprotocol import types

__all__ = ["TOKEN_OPTION", "check_initialize", "is_loopback", "new_token"]

TOKEN_OPTION: Final = "token"
_SETTINGS_SECTION: Final = "kconfig-ls"


def new_token() -> str:
    """A fresh random token (256 bits, URL-safe text)."""
    return secrets.token_urlsafe(32)


def check_initialize(params: types.InitializeParams, expected_token: str | None) -> str | None:
    """None if the client may go on, else the message to answer `initialize` with.

    `expected_token` None means no token is required (stdio, Unix socket).
    """
    if expected_token is None:
        return None
    offered = _offered_token(params.initialization_options)
    if offered is None:
        return (
            f"this server needs a token: send initializationOptions.{TOKEN_OPTION} "
            "(printed on the server's stderr when it started)"
        )
    if not hmac.compare_digest(offered.encode(), expected_token.encode()):
        return "wrong token in initializationOptions"
    return None


def _offered_token(options: object) -> str | None:
    if not isinstance(options, Mapping):
        return None
    token = options.get(TOKEN_OPTION)
    if token is None:
        section = options.get(_SETTINGS_SECTION)
        if isinstance(section, Mapping):
            token = section.get(TOKEN_OPTION)
    return token if isinstance(token, str) else None


def is_loopback(host: str) -> bool:
    """Whether every address `host` names is a loopback address (127.0.0.0/8, ::1)."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        return False
    return bool(addresses) and all(ipaddress.ip_address(str(a).split("%")[0]).is_loopback for a in addresses)
