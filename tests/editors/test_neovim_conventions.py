"""editors/nvim/lsp/kconfig_ls.lua and the Mason package follow their upstreams' conventions.

So that both can be proposed as they are: nvim-lspconfig's `lsp/<name>.lua`
(first line `---@brief`, then the URL, a description and an install line;
`---@type vim.lsp.Config` above the returned table with `cmd`, `filetypes`
and `root_markers`; buffer-local `:Lsp...` commands made in `on_attach`),
and mason-registry's `packages/<name>/package.yaml` (a PyPI source at the
project's version, the `kconfig-ls` program, and the lspconfig name).  That
the commands work is tests/editors/test_neovim.py's part.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LSP_CONFIG = REPO / "editors" / "nvim" / "lsp" / "kconfig_ls.lua"
MASON_PACKAGE = REPO / "editors" / "nvim" / "mason" / "packages" / "kconfig-ls" / "package.yaml"
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]


def brief(text: str) -> list[str]:
    """The `---` lines of the leading doc comment, without their prefix."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("---"):
            break
        lines.append(line[3:].strip())
    return lines


def test_lspconfig_brief() -> None:
    text = LSP_CONFIG.read_text()
    assert text.splitlines()[0] == "---@brief"
    documentation = brief(text)
    urls = [line for line in documentation if re.fullmatch(r"https://\S+", line)]
    assert urls == [PROJECT["urls"]["Homepage"]], documentation[:5]
    assert "pip install kconfig-ls" in documentation
    description = " ".join(documentation)
    assert "Kconfig" in description and "language server" in description.lower()


def test_lspconfig_fields() -> None:
    text = LSP_CONFIG.read_text()
    returned = text[text.index("---@type vim.lsp.Config\nreturn {") :]
    command = next(iter(PROJECT["scripts"]))
    assert f"cmd = {{ '{command}', 'serve' }}" in returned
    assert re.search(r"^  filetypes = \{ 'kconfig',", returned, re.MULTILINE)
    assert re.search(r"^  root_markers = \{ .*'\.git'", returned, re.MULTILINE)
    on_attach = returned[returned.index("  on_attach = function(client, bufnr)") :]
    commands = re.findall(r"nvim_buf_create_user_command\(bufnr, '(\w+)'", on_attach)
    assert commands and all(name.startswith("LspKconfig") for name in commands), commands


def mason_fields(text: str) -> dict[str, str]:
    """`key: value` and `parent.key: value` of the YAML file (two levels; lists skipped)."""
    fields: dict[str, str] = {}
    parent = ""
    for line in text.splitlines():
        match = re.fullmatch(r"(?P<indent> *)(?P<key>[\w.-]+):(?: (?P<value>.+))?", line)
        if match is None:
            continue
        if not match["indent"]:
            parent = match["key"]
            if match["value"]:
                fields[parent] = match["value"]
        elif match["value"]:
            fields[f"{parent}.{match['key']}"] = match["value"]
    return fields


def test_mason_package() -> None:
    text = MASON_PACKAGE.read_text()
    assert text.startswith("---\n")
    fields = mason_fields(text)
    assert fields["name"] == PROJECT["name"]
    assert fields["source.id"] == f"pkg:pypi/{PROJECT['name']}@{PROJECT['version']}"
    command = next(iter(PROJECT["scripts"]))
    assert fields[f"bin.{command}"] == f"pypi:{command}"
    assert fields["neovim.lspconfig"] == LSP_CONFIG.stem
    assert fields["homepage"] == PROJECT["urls"]["Homepage"]
    assert re.search(r"^licenses:\n  - MIT$", text, re.MULTILINE)
