"""The active configuration in the server: choosing it, and telling the client after each change.

The configuration comes from the `configFile` setting, or from the command
`kconfig-ls.selectConfiguration` (which wins until the next command;
`[path, ...]` chooses, `[]` or `[null]` clears), and can be switched without
a restart: the host takes the new choice as a change like any other.

After every change of the configuration (a new choice, the end of a load,
an edit or save of one of its files) the server sends, as a fixed contract
with our editor extensions:

- `kconfig-ls/configurationStatus` with `{"label": str, "path": str | null,
  "unknownValues": int, "problems": int}` (`label` like `.config (x86)` or
  `no configuration`);
- `textDocument/inactiveRegions` (clangd's notification) for every open C,
  assembly and Makefile document, to clients that announce clangd's
  `textDocument.inactiveRegionsCapabilities.inactiveRegions` or pass
  `initializationOptions.inactiveRegions: true`; other clients get the
  regions as Hint diagnostics tagged `Unnecessary` instead (`extra_diagnostics`).

Everything is computed in the query pool on the snapshot of the change and
sent from the event loop; an answer older than the last one sent is dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from lsprotocol import types

from kconfig_ls.analysis.active_configuration import ConfigurationStatus
from kconfig_ls.analysis.snapshot import Analysis
from kconfig_ls.ide.file_kinds import FileKind, file_kind
from kconfig_ls.server import convert
from kconfig_ls.server.debounce import Debounce
from kconfig_ls.text.line_index import ColumnUnit

if TYPE_CHECKING:
    from kconfig_ls.server.session import Session

__all__ = [
    "CONFIGURATION_STATUS_METHOD",
    "INACTIVE_REGIONS_METHOD",
    "SELECT_CONFIGURATION_COMMAND",
    "SHOW_LOCATIONS_COMMAND",
    "ConfigurationPublisher",
    "status_params",
]

_LOG = logging.getLogger(__name__)

CONFIGURATION_STATUS_METHOD: Final = "kconfig-ls/configurationStatus"
INACTIVE_REGIONS_METHOD: Final = "textDocument/inactiveRegions"
SELECT_CONFIGURATION_COMMAND: Final = "kconfig-ls.selectConfiguration"
SHOW_LOCATIONS_COMMAND: Final = "kconfig-ls.showLocations"
"""A client-side command (the code lenses use it): `[uri, position, locations]`, like VS Code's
`editor.action.showReferences`. The server does not implement it."""

# Edits of a configuration file arrive per keystroke: the status (which runs
# the configuration checks, seconds on a large `.config` whose lines do not
# stick) waits for a pause this long, and runs in the background pool.
_STATUS_DELAY_SECONDS: Final = 0.3
# ... but never longer than this after the first change it waits for
# (`server/debounce.py`): answers said "re-evaluating" while changes kept coming.
_STATUS_MAXIMUM_DELAY_SECONDS: Final = 1.0


def status_params(status: ConfigurationStatus) -> dict[str, Any]:
    """The notification's params (the fixed contract; never add or rename keys)."""
    return {
        "label": status.label,
        "path": status.path,
        "unknownValues": status.unknown_values,
        "problems": status.problems,
    }


class ConfigurationPublisher:
    """Owns the chosen configuration of a session and what was last sent about it."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.selected: tuple[str, ...] | None = None
        """What `kconfig-ls.selectConfiguration` chose; None: follow the `configFile` setting."""
        self._applied: tuple[str, ...] | None = None
        self._status_debounce = Debounce(
            self._send_status, _STATUS_DELAY_SECONDS, _STATUS_MAXIMUM_DELAY_SECONDS
        )
        self._status_sequence = -1
        self._refresh_after_status = False
        self._region_sequences: dict[str, int] = {}
        self.last_status: dict[str, Any] | None = None

    # -- capabilities ------------------------------------------------------------------------

    @property
    def inactive_regions_notification(self) -> bool:
        """Whether the client takes `textDocument/inactiveRegions` (clangd's capability, or our option)."""
        options = self.session.initialization_options
        if isinstance(options, Mapping):
            nested = options.get("kconfig-ls")
            if options.get("inactiveRegions") is True or (
                isinstance(nested, Mapping) and nested.get("inactiveRegions") is True
            ):
                return True
        document = self.session.raw_capabilities.get("textDocument")
        extra = document.get("inactiveRegionsCapabilities") if isinstance(document, Mapping) else None
        return isinstance(extra, Mapping) and extra.get("inactiveRegions") is True

    # -- choosing ----------------------------------------------------------------------------

    @property
    def entries(self) -> tuple[str, ...]:
        if self.selected is not None:
            return self.selected
        return self.session.client_settings.config_files

    def apply(self, *, force: bool = False) -> list[str]:
        """Give the host the current choice if it changed; returns its problems (missing files)."""
        host = self.session.host
        entries = self.entries
        if host is None or (entries == self._applied and not force):
            return []
        self._applied = entries
        choice = host.set_configuration(entries)
        _LOG.info("configuration: %s", ", ".join(choice.files) if choice.files else "none")
        if self.session.loop is not None:
            self.changed()
        return list(choice.problems)

    def select(self, arguments: tuple[object, ...]) -> None:
        """The command's arguments: `[path, ...]` chooses; `[]`, `[null]` or `[""]` clears."""
        paths: list[str] = []
        for argument in arguments:
            if isinstance(argument, list):
                paths.extend(item for item in argument if isinstance(item, str) and item)
            elif isinstance(argument, str) and argument:
                paths.append(argument)
            elif argument is not None and argument != "":
                raise ValueError(f"{SELECT_CONFIGURATION_COMMAND} takes file paths, not {argument!r}")
        self.selected = tuple(
            self.session.paths.path(path) if path.startswith("file:") else path for path in paths
        )
        problems = self.apply()
        if problems:
            self.session.show_problems(problems)

    # -- after a change ------------------------------------------------------------------------

    def changed(self) -> None:
        """The configuration (or the tree it is evaluated on) changed: tell the client everything again."""
        self.schedule_status(immediately=True)
        for document in self.session.documents:
            self.send_regions(document.path)
        self.session.diagnostics.refresh_all()
        self._refresh_client_views()

    def document_changed(self, path: str) -> None:
        """An open document was edited: a configuration file changes the status, any file its regions."""
        host = self.session.host
        if host is None:
            return
        if path in host.configuration_choice.files:
            self.schedule_status()
            for document in self.session.documents:
                if document.path != path:
                    self.send_regions(document.path)
            self._refresh_client_views()
        elif host.configuration_choice.active and self._is_kconfig(path):
            # A new model: answers use the last evaluation until the status has evaluated
            # the configuration on it (in the background); then everything is sent again.
            self._refresh_after_status = True
            self.schedule_status()
        self.send_regions(path)

    def _is_kconfig(self, path: str) -> bool:
        document = self.session.documents.get(path)
        return file_kind(path, document.language_id if document is not None else "") is FileKind.KCONFIG

    def schedule_status(self, *, immediately: bool = False) -> None:
        """Send the status after a pause in the changes, or at the latest a second after the first one."""
        loop = self.session.loop
        if loop is not None:
            self._status_debounce.schedule(loop, immediately=immediately)

    def _send_status(self) -> None:
        host = self.session.host
        loop = self.session.loop
        if host is None or loop is None:
            return
        sequence = host.sequence

        def compute() -> None:
            try:
                status = host.snapshot(sequence).active_configuration.status()
            except Exception:
                _LOG.exception("computing the configuration status failed")
                return
            loop.call_soon_threadsafe(self._deliver_status, sequence, status)

        self.session.background.submit(compute)

    def _deliver_status(self, sequence: int, status: ConfigurationStatus) -> None:
        if sequence < self._status_sequence:
            return
        self._status_sequence = sequence
        params = status_params(status)
        self.last_status = params
        for problem in status.choice_problems:
            _LOG.warning("configuration: %s", problem)
        self.session.server.protocol.notify(CONFIGURATION_STATUS_METHOD, params)
        host = self.session.host
        if self._refresh_after_status and host is not None and sequence >= host.sequence:
            # Evaluated on the latest model: what answers showed meanwhile is up to date again.
            self._refresh_after_status = False
            for document in self.session.documents:
                self.send_regions(document.path)
            self._refresh_client_views()
        # The configuration-file findings are known now: publish them in the open configuration files.
        if host is not None:
            for path in host.configuration_choice.files:
                if self.session.documents.get(path) is not None:
                    self.session.diagnostics.publish(path)

    def search_enabling_sets(self, snapshot: Analysis) -> None:
        """Search, in the background, the enabling sets a hover on `snapshot` wanted and did not have."""
        active = snapshot.active_configuration
        for name, wanted in active.take_pending():
            self.session.background.submit(active.search_enabling_set, name, wanted)

    # -- inactive regions ------------------------------------------------------------------------

    def send_regions(self, path: str) -> None:
        """Send the inactive regions of an open document (clients with the notification only)."""
        host = self.session.host
        loop = self.session.loop
        if host is None or loop is None or not self.inactive_regions_notification:
            return
        if self.session.documents.get(path) is None:
            return
        sequence = host.sequence
        unit = self.session.unit

        def compute() -> None:
            try:
                snapshot = host.snapshot(sequence)
                params = self.regions_params(snapshot, path, unit)
            except Exception:
                _LOG.exception("computing the inactive regions of %s failed", path)
                return
            if params is not None:
                loop.call_soon_threadsafe(self._deliver_regions, path, sequence, params)

        self.session.queries.submit(compute)

    def regions_params(self, snapshot: Analysis, path: str, unit: ColumnUnit) -> dict[str, Any] | None:
        """The notification's params; empty regions when nothing is inactive (or no configuration is active).

        Sending the empty list matters: it is how a client learns that the
        lines it greyed under the previous configuration are live again.
        """
        regions = snapshot.inactive_code(path)
        spans = regions.spans if regions is not None else ()
        index = snapshot.line_index(path)
        return {
            "textDocument": {"uri": self.session.paths.uri(path), "version": snapshot.overlay.version(path)},
            "regions": [convert.range_json(convert.range_of(index, span, unit)) for span in spans],
        }

    def _deliver_regions(self, path: str, sequence: int, params: dict[str, Any]) -> None:
        if self.session.documents.get(path) is None or sequence < self._region_sequences.get(path, -1):
            return
        self._region_sequences[path] = sequence
        self.session.server.protocol.notify(INACTIVE_REGIONS_METHOD, params)

    def document_closed(self, path: str) -> None:
        """A closed configuration file counts with its text on disk again."""
        self._region_sequences.pop(path, None)
        host = self.session.host
        if host is not None and path in host.configuration_choice.files:
            self.changed()

    def files_changed_on_disk(self, paths: list[str]) -> None:
        """Files changed on disk: a configuration file, or a build folder that now has one."""
        host = self.session.host
        if host is None:
            return
        choice = host.configuration_choice
        if choice.problems:
            self.apply(force=True)  # e.g. the build that creates `zephyr/.config` has run
        elif any(path in choice.files for path in paths):
            self.changed()

    # -- the fallback: diagnostics ---------------------------------------------------------------

    def extra_diagnostics(self, snapshot: Analysis, path: str) -> list[types.Diagnostic]:
        """What the configuration adds to a document's diagnostics (called by the diagnostics scheduler).

        Its configuration-file findings (KLS3xx) in a configuration file, and
        for clients without the inactive-regions notification, each inactive
        region as a Hint tagged `Unnecessary`.
        """
        unit = self.session.unit
        result: list[types.Diagnostic] = []
        active = snapshot.active_configuration
        if path in active.files:
            # Only when known: the status computes them in the background, then publishes again.
            result.extend(
                convert.diagnostic(finding, snapshot.line_index, unit, self.session.paths)
                for finding in active.known_findings() or []
                if finding.location.path == path
            )
        if not self.inactive_regions_notification:
            regions = snapshot.inactive_code(path)
            if regions is not None:
                index = snapshot.line_index(path)
                for span in regions.spans:
                    result.append(
                        types.Diagnostic(
                            range=convert.range_of(index, span, unit),
                            message=regions.message,
                            severity=types.DiagnosticSeverity.Hint,
                            source="kconfig-ls",
                            tags=[types.DiagnosticTag.Unnecessary],
                        )
                    )
        return result

    # -- client views ------------------------------------------------------------------------------

    def _refresh_client_views(self) -> None:
        """Ask the client to re-request inlay hints and code lenses (when it supports the refresh)."""
        workspace = self.session.capabilities.workspace
        if workspace is None:
            return
        inlay = workspace.inlay_hint
        if inlay is not None and inlay.refresh_support:
            self._request(types.WORKSPACE_INLAY_HINT_REFRESH)
        lens = workspace.code_lens
        if lens is not None and lens.refresh_support:
            self._request(types.WORKSPACE_CODE_LENS_REFRESH)

    def _request(self, method: str) -> None:
        """A request whose answer does not matter: a client that fails it is logged, nothing more."""

        def answered(future: Any) -> None:
            if not future.cancelled() and future.exception() is not None:
                _LOG.debug("%s failed: %s", method, future.exception())

        self.session.server.protocol.send_request(method, None).add_done_callback(answered)
