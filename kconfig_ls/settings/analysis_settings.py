"""The one settings merge every client uses: project file, user file, then the client's overrides.

The lint and query commands build an `AnalysisSettings` from their flags, the
server from the editor's settings; `resolve_settings` merges it over the
project file (`.kconfig-ls.toml` or `[tool.kconfig-ls]`) into what the engine
needs: the model's `WorkspaceSettings`, the `RuleSettings`, the folders whose
code is not indexed, and the problems found on the way (reported, never
fatal).

Trust comes only from the person running the tool (`trust_commands` here,
set from a command-line flag or the editor's setting, or the user's own
settings file); a project file that asks for it is ignored, and the model's
settings record where it asked, so a rule can say so and how to grant it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from kconfig_ls.checks.rule_settings import SEVERITY_WORDS, RuleSettings
from kconfig_ls.semantics.workspace_settings import WorkspaceSettings
from kconfig_ls.settings.ecosystem import ecosystem_named
from kconfig_ls.settings.project_file import (
    ProjectSettings,
    SettingsError,
    default_code_exclude,
    load_project_settings,
)
from kconfig_ls.settings.resolve import (
    project_ecosystem,
    workspace_settings,
    zephyr_layout,
    zephyr_layout_problem,
)
from kconfig_ls.settings.user_file import load_user_settings

if TYPE_CHECKING:
    from kconfig_ls.settings.ecosystem import Ecosystem

__all__ = ["AnalysisSettings", "ResolvedSettings", "resolve_settings"]


@dataclass(frozen=True)
class AnalysisSettings:
    """How to load a tree: a client's settings, merged over the project file's.

    `trust_commands` is the client's (the `--trust-commands` flag, the
    editor's `trustWorkspace`); `user_config_file` is the user's settings
    file, which may trust this project too. `rule_severities` maps rule
    codes or names to `error`, `warning`, `information`, `hint` or `off`;
    `rule_select`/`rule_ignore` narrow the rules (the CLI's `--select` and
    `--ignore`); `rule_preview` turns the preview rules on; `logic` lets the
    stable rules consult the logic layer (the SAT analysis over every world,
    cached by tree content; the CLI turns it on, the server not yet).
    `config_file` is the active configuration, for the evaluation layer.
    """

    project_root: str
    root_kconfig: str | None = None
    arch: str | None = None
    environment: Mapping[str, str] = field(default_factory=dict)
    trust_commands: bool = False
    extra_roots: tuple[str, ...] = ()
    rule_severities: Mapping[str, str] = field(default_factory=dict)
    rule_select: frozenset[str] | None = None
    rule_ignore: frozenset[str] = frozenset()
    config_file: str | None = None
    index_unreached: bool = True
    read_project_file: bool = True
    index_code: bool = True
    cache_directory: str | None = None
    code_index_workers: int | None = None
    user_config_file: str | None = None
    rule_preview: bool = False
    logic: bool = False


@dataclass(frozen=True)
class ResolvedSettings:
    """What the engine needs, merged (see the module docstring).

    `code_roots` are the folders outside `workspace.root` whose code is
    indexed too, for `CodeIndex(extra_roots=...)`; None leaves them to the
    index (the ecosystem's default). `code_ecosystem`, when set, is the
    ecosystem for `CodeIndex(ecosystem=...)`: a Zephyr application inside the
    tree's `samples/` is judged as the project, not as a sample of the tree.
    A Zephyr application opened outside the Zephyr tree is the tree's
    project (`workspace.root` is `ZEPHYR_BASE`), with the application's folder
    among its code roots; `code_exclude` may then hold absolute paths (the
    application's `build/`).
    """

    workspace: WorkspaceSettings
    rules: RuleSettings
    code_exclude: tuple[str, ...]
    problems: tuple[str, ...]
    project: ProjectSettings
    code_roots: tuple[str, ...] | None = None
    code_ecosystem: Ecosystem | None = None
    ecosystem: Ecosystem | None = None
    """The tree's ecosystem as the resolution found it (named in the project file, else detected);
    None only in settings made by hand."""


def resolve_settings(settings: AnalysisSettings) -> ResolvedSettings:
    """Merge the client's settings over the project file; collect problems instead of failing."""
    problems: list[str] = []
    root = os.path.abspath(settings.project_root)
    project = ProjectSettings()
    if settings.read_project_file:
        try:
            project = load_project_settings(root)
        except SettingsError as error:
            problems.append(str(error))
    user = load_user_settings(settings.user_config_file)
    if user.problem is not None:
        problems.append(user.problem)
    trusted = settings.trust_commands or user.trusts(root)
    layout = zephyr_layout(root, project, settings.environment)
    # Found once here and kept (`ResolvedSettings.ecosystem`): the code index, the code
    # exclusions and the CLI's witness files read it instead of detecting it again.
    ecosystem = ecosystem_named("zephyr") if layout is not None else project_ecosystem(root, project)
    resolved = workspace_settings(
        root,
        project,
        root_kconfig=settings.root_kconfig or None,
        arch=settings.arch or None,
        environment=dict(settings.environment),
        trust_commands=trusted,
        index_unreached=settings.index_unreached,
        ecosystem=ecosystem,
    )
    if project.trust_commands and not trusted and project.source is not None:
        resolved = replace(resolved, ignored_trust_request=project.source)
    if settings.extra_roots:
        extra = tuple(os.path.normpath(os.path.join(root, path)) for path in settings.extra_roots)
        resolved = replace(resolved, extra_roots=(*resolved.extra_roots, *extra))
    if layout is None and (problem := zephyr_layout_problem(root, project)) is not None:
        problems.append(problem)
    root_kconfig = os.path.join(resolved.root, resolved.root_kconfig)
    if not os.path.isfile(root_kconfig):
        problems.append(f"root Kconfig '{resolved.root_kconfig}' not found in {resolved.root}")
    severities = dict(project.rules.severities)
    for key, value in settings.rule_severities.items():
        if not isinstance(value, str) or value.lower() not in SEVERITY_WORDS:
            problems.append(f"rule '{key}': '{value}' is not error, warning, information, hint or off")
            continue
        # Imported only to check a rule name: the registry imports every rule (~0.08 s), which
        # a client that indexes code without running rules (the code index's bench) never needs.
        from kconfig_ls.checks.registry import rule_by_key

        if rule_by_key(key) is None:
            problems.append(f"unknown rule '{key}' in the rule settings")
            continue
        severities[key] = value
    rules = RuleSettings(
        severities=severities,
        select=settings.rule_select if settings.rule_select is not None else project.rules.select,
        ignore=settings.rule_ignore | project.rules.ignore,
        preview=settings.rule_preview or project.rules.preview,
    )
    code_exclude = (
        project.code_exclude
        if project.code_exclude is not None
        else default_code_exclude(root, settings.root_kconfig or project.root_kconfig, ecosystem)
    )
    code_roots = _zephyr_code_roots(resolved, layout.application if layout is not None else None, ecosystem)
    if layout is not None:
        # The project file's folders are the project folder's; Zephyr's own are the tree's.
        code_exclude = (
            tuple(os.path.join(root, folder) for folder in project.code_exclude)
            if project.code_exclude is not None
            else (
                *default_code_exclude(resolved.root, ecosystem=ecosystem),
                *_application_code_exclude(layout.application),
            )
        )
    code_ecosystem = _application_ecosystem(resolved.root, layout.application) if layout is not None else None
    return ResolvedSettings(
        resolved, rules, code_exclude, tuple(problems), project, code_roots, code_ecosystem, ecosystem
    )


def _application_ecosystem(tree: str, application: str | None) -> Ecosystem | None:
    """Zephyr's, with an application inside the tree (`samples/basic/blinky`) as its own folder."""
    from kconfig_ls.settings.ecosystem import ecosystem_named

    inside = tree.rstrip(os.sep) + os.sep
    if application is None or not (application + os.sep).startswith(inside):
        return None
    zephyr = ecosystem_named("zephyr")
    return replace(zephyr, own_folders=(os.path.relpath(application, tree),))


def _zephyr_code_roots(
    workspace: WorkspaceSettings, application: str | None, ecosystem: Ecosystem
) -> tuple[str, ...] | None:
    """A Zephyr project's code roots: its modules' CMake (from the settings' environment), its application."""
    from kconfig_ls.settings.ecosystem import derived_code_roots

    if ecosystem.name != "zephyr":
        return None
    roots = derived_code_roots(ecosystem, workspace.root, workspace.environment)
    inside = workspace.root.rstrip(os.sep) + os.sep
    if application is not None and not (application + os.sep).startswith(inside):
        roots = (application, *roots)
    return roots


def _application_code_exclude(application: str | None) -> tuple[str, ...]:
    """The application's build folder (`west build`'s `build/`: generated `.config`, `autoconf.h`)."""
    return (os.path.join(application, "build"),) if application is not None else ()
