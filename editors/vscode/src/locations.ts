/**
 * The client side of the server's `kconfig-ls.showLocations` command: the code lenses above
 * `config X` ("selected by 3 · implied by 1 · 41 uses in code") carry it with the arguments
 * `[uri, position, locations]` in LSP's JSON shapes.  It opens VS Code's references peek, which
 * takes VS Code's own types, so the arguments are converted first.
 */
import * as vscode from 'vscode';
import type { Location as ProtocolLocation, Position as ProtocolPosition } from 'vscode-languageclient';

export const SHOW_LOCATIONS_COMMAND = 'kconfig-ls.showLocations';

/** The conversions used here (the client's protocol2CodeConverter has them). */
export interface LocationConverter {
  asUri(value: string): vscode.Uri;
  asPosition(value: ProtocolPosition): vscode.Position;
  asLocation(value: ProtocolLocation): vscode.Location;
}

/** The arguments of `editor.action.showReferences` for the command's arguments (JSON or already converted). */
export function showReferencesArguments(
  converter: LocationConverter,
  uri: unknown,
  position: unknown,
  locations: unknown,
): [vscode.Uri, vscode.Position, vscode.Location[]] {
  if (typeof uri !== 'string' && !(uri instanceof vscode.Uri)) {
    throw new Error(`${SHOW_LOCATIONS_COMMAND}: the first argument is not a URI: ${JSON.stringify(uri)}`);
  }
  if (!Array.isArray(locations)) {
    throw new Error(`${SHOW_LOCATIONS_COMMAND}: the third argument is not a list of locations`);
  }
  return [
    typeof uri === 'string' ? converter.asUri(uri) : uri,
    position instanceof vscode.Position ? position : converter.asPosition(position as ProtocolPosition),
    locations.map((location: unknown) =>
      location instanceof vscode.Location ? location : converter.asLocation(location as ProtocolLocation),
    ),
  ];
}

/** Opens the references peek at `position` in `uri` with the locations. */
export async function showLocations(
  converter: LocationConverter,
  uri: unknown,
  position: unknown,
  locations: unknown,
): Promise<void> {
  await vscode.commands.executeCommand(
    'editor.action.showReferences',
    ...showReferencesArguments(converter, uri, position, locations),
  );
}
