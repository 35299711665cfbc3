"""KLS009 ignored-trust-request: a project file asks to run `$(shell,...)` commands, and is ignored.

Kconfig's `$(shell,...)` runs a command of the tree's choosing. A tree must
never be able to grant itself that right: a CI job that lints pull requests
from forks, or an editor opening a freshly cloned repository, would run the
repository's code. So `trust-commands = true` in `.kconfig-ls.toml` or
`[tool.kconfig-ls]` of `pyproject.toml` is ignored, and this finding says
where it was asked and how the person running the tool can grant it:

- the command line: `kconfig-ls lint --trust-commands`;
- the user's own settings file, outside every tree:
  `~/.config/kconfig-ls/config.toml` with `trusted-projects = ["/path/to/tree"]`
  (or `trust-commands = true` for every project);
- the editor: the `trustWorkspace` setting (VS Code: a trusted workspace).

Without trust, compiler probes (`$(cc-option,...)`, `$(success,...)`) are
unknown values, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterator

from kconfig_ls.checks.framework import CheckContext, Finding, Rule, Severity
from kconfig_ls.semantics.model import Location
from kconfig_ls.syntax.kconfig import Span
from kconfig_ls.vfs.overlay import FileOverlay

_KEY = b"trust-commands"


def check(context: CheckContext) -> Iterator[Finding]:
    source = context.model.settings.ignored_trust_request
    if source is None:
        return
    data = (context.overlay or FileOverlay()).read_or_empty(source, 1 << 20)
    start = data.find(_KEY)
    end = data.find(b"\n", start) if start >= 0 else -1
    span = Span(max(start, 0), (end if end >= 0 else len(data)) if start >= 0 else 0)
    yield RULE.finding(
        "this project file asks to run $(shell,...) commands; ignored: a tree cannot grant itself trust. "
        "To allow it, pass --trust-commands, list the project in trusted-projects of "
        "~/.config/kconfig-ls/config.toml, or enable the editor's trustWorkspace setting",
        Location(source, span),
    )


RULE = Rule(
    code="KLS009",
    name="ignored-trust-request",
    summary="a project file asks to run $(shell,...) commands; only the user can allow that",
    default_severity=Severity.WARNING,
    check=check,
    documentation=__doc__ or "",
    tier="file",
)
