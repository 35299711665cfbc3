#!/bin/sh
# Install and unpack the Linux 6.12 corpus the Linux tests and the benchmark use.
#
#   bench/get_corpus.sh [DESTINATION]     (default: /work/corpus)
#
# Uses Debian's packages only (no other network access): linux-source-6.12
# (the source tarball) and linux-config-6.12 (Debian's real kernel
# configurations, left in /usr/src/linux-config-6.12). Unpacks the source to
# DESTINATION/linux-source-6.12. Idempotent: does nothing that is done.
set -eu

destination="${1:-/work/corpus}"
tree="$destination/linux-source-6.12"
tarball_dir=/usr/src

need_packages=""
ls "$tarball_dir"/linux-source-6.12.tar.* >/dev/null 2>&1 || need_packages="linux-source-6.12"
[ -d "$tarball_dir/linux-config-6.12" ] || need_packages="$need_packages linux-config-6.12"

if [ -n "$need_packages" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        sudo=sudo
    else
        sudo=
    fi
    echo "installing:$need_packages" >&2
    $sudo apt-get update
    # shellcheck disable=SC2086  # the package list is meant to split
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends $need_packages
fi

if [ -f "$tree/Kconfig" ] && [ -f "$tree/mm/Kconfig" ]; then
    echo "corpus present: $tree" >&2
else
    tarball=$(ls "$tarball_dir"/linux-source-6.12.tar.* | head -n 1)
    mkdir -p "$destination"
    echo "unpacking $tarball to $destination" >&2
    # Unpack to a temporary folder, then rename: an interrupted run leaves
    # no half tree that a later run would take for a complete one.
    partial="$destination/.linux-source-6.12.partial"
    rm -rf "$partial"
    mkdir -p "$partial"
    tar -xf "$tarball" -C "$partial"
    rm -rf "$tree"
    mv "$partial/linux-source-6.12" "$tree"
    rm -rf "$partial"
fi

echo "$tree"
