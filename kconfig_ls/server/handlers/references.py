"""`textDocument/references`, honest while the tree is still being indexed.

An answer on a snapshot whose load is incomplete (the Kconfig files are
still being read, or the C, Makefile and config files indexed: 30-45 s on a
cold Linux tree) lacks uses. LSP has no field that marks a result as
incomplete, so:

- a client that sent a `partialResultToken` gets the uses found so far at
  once as a partial result, then, when the indexing ends, the uses it added
  as a second one; the response itself is then empty, as the specification
  asks of a result streamed as partial results. The answer is complete.
- any other client gets the uses found so far, marked by a work-done
  progress "Indexing C files: references may be incomplete" (on the
  request's `workDoneToken`, ended with the response; else on a progress of
  the server's own, ended when the indexing ends).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from lsprotocol import types

from kconfig_ls.analysis.snapshot import Analysis
from kconfig_ls.server import convert
from kconfig_ls.server.guards import guard

if TYPE_CHECKING:
    from kconfig_ls.server.server import KconfigLanguageServer
    from kconfig_ls.server.session import Session

_LOG = logging.getLogger(__name__)

PARTIAL_TITLE: Final = "Indexing C files: references may be incomplete"


def register(server: KconfigLanguageServer, session: Session) -> None:
    # The server's own "may be incomplete" progress, one at a time, until the indexing ends.
    shown: list[asyncio.Task[None]] = []

    @server.feature(types.TEXT_DOCUMENT_REFERENCES, types.ReferenceOptions(work_done_progress=True))
    @guard([])
    async def references(params: types.ReferenceParams) -> list[types.Location]:
        path = session.paths.path(params.text_document.uri)

        def answer(snapshot: Analysis) -> tuple[list[types.Location], str | None]:
            offset = session.offset(snapshot, path, params.position)
            sites = snapshot.references(path, offset, params.context.include_declaration)
            locations = [
                convert.location(site.location, snapshot.line_index, session.unit, session.paths)
                for site in sites
            ]
            return locations, snapshot.load_state.partial_reason

        locations, partial = await session.answer(answer)
        if partial is None:
            return locations
        _LOG.info("references answered on a partial snapshot (%s): %d found so far", partial, len(locations))
        if params.partial_result_token is not None:
            return await _streamed(server, session, params, locations, answer)
        _mark_incomplete(server, session, params, partial, len(locations), shown)
        return locations


async def _streamed(
    server: KconfigLanguageServer,
    session: Session,
    params: types.ReferenceParams,
    first: list[types.Location],
    answer: Callable[[Analysis], tuple[list[types.Location], str | None]],
) -> list[types.Location]:
    """Send what is known now, wait for the indexing, send the rest; the response is then empty."""
    token = params.partial_result_token
    assert token is not None
    _send_partial(server, token, first)
    await session.indexing_finished()
    complete, _ = await session.answer(answer)
    sent = {(location.uri, location.range.start.line, location.range.start.character) for location in first}
    rest = [
        location
        for location in complete
        if (location.uri, location.range.start.line, location.range.start.character) not in sent
    ]
    if rest:
        _send_partial(server, token, rest)
    return []


def _send_partial(
    server: KconfigLanguageServer, token: types.ProgressToken, batch: list[types.Location]
) -> None:
    # pygls's own converter turns the lsprotocol objects into JSON values.
    value = server.protocol._converter.unstructure(batch, list[types.Location])
    server.protocol.notify(types.PROGRESS, types.ProgressParams(token=token, value=value))


def _mark_incomplete(
    server: KconfigLanguageServer,
    session: Session,
    params: types.ReferenceParams,
    reason: str,
    found: int,
    shown: list[asyncio.Task[None]],
) -> None:
    message = f"{reason}: {found} found so far; ask again when indexing ends"
    begin = types.WorkDoneProgressBegin(title=PARTIAL_TITLE, message=message, cancellable=False)
    if params.work_done_token is not None:
        # Tied to the request: it ends with the response.
        server.work_done_progress.begin(params.work_done_token, begin)
        server.work_done_progress.end(params.work_done_token, types.WorkDoneProgressEnd(message=message))
        return
    if not session.work_done_progress or any(not task.done() for task in shown):
        return
    shown[:] = [asyncio.ensure_future(_server_progress(server, session, begin))]


async def _server_progress(
    server: KconfigLanguageServer, session: Session, begin: types.WorkDoneProgressBegin
) -> None:
    """A progress of the server's own, shown until the indexing ends."""
    token = f"kconfig-ls/partial-references/{uuid.uuid4()}"
    try:
        await asyncio.wait_for(server.work_done_progress.create_async(token), 10)
    except Exception:
        _LOG.debug("the client refused a progress token for partial references")
        return
    server.work_done_progress.begin(token, begin)
    try:
        await session.indexing_finished()
    finally:
        server.work_done_progress.end(
            token, types.WorkDoneProgressEnd(message="indexing finished: every reference is found now")
        )
