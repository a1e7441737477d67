#!/usr/bin/env bash
# The image's base layer: a minimal Debian root filesystem (Essential packages only, no apt) with Node from
# Debian (trixie ships nodejs 20.19), CA certificates, and the non-root user 65532 "meshgate".
#   scripts/image/base-layer.sh OUT_DIR   -> OUT_DIR/layer.tar.gz, OUT_DIR/diff_id, OUT_DIR/node-version
# Built with mmdebstrap (root or user namespaces). The layer tar is sorted, numeric owners, every mtime set to
# BASE_EPOCH, gzip without a name or time: the same root filesystem always gives the same bytes. The Debian
# archive moves on, so build.sh caches the result (keyed by this file's hash) instead of rebuilding it.
set -euo pipefail

OUT=${1:?usage: base-layer.sh OUT_DIR}
SUITE=${MESHGATE_DEBIAN_SUITE:-trixie}
MIRROR=${MESHGATE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# A fixed epoch for every file of the base layer (2025-08-09, trixie's release); not the build time.
BASE_EPOCH=1754697600

for tool in mmdebstrap tar gzip sha256sum; do
  command -v "$tool" >/dev/null || { echo "base-layer.sh: $tool not found (apt-get install mmdebstrap)" >&2; exit 3; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/meshgate-base.XXXXXX")
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"

# Documentation, man pages and translations are not installed at all (dpkg path-exclude); logs and caches
# that installing leaves behind are removed; /dev is left out of the layer (the container runtime provides it;
# it is not emptied in a hook because mmdebstrap may have bind-mounted host devices there).
SOURCE_DATE_EPOCH=$BASE_EPOCH mmdebstrap --quiet --variant=essential --format=directory \
  --include=nodejs,ca-certificates \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/lintian/*' \
  --customize-hook='echo "meshgate:x:65532:65532:meshgate:/nonexistent:/usr/sbin/nologin" >> "$1/etc/passwd"' \
  --customize-hook='echo "meshgate:x:65532:" >> "$1/etc/group"' \
  --customize-hook='echo "meshgate:!:1::::::" >> "$1/etc/shadow"' \
  --customize-hook='rm -rf "$1"/var/log/* "$1"/var/cache/* "$1"/var/lib/apt/lists/* "$1"/etc/machine-id "$1"/etc/hostname "$1"/etc/resolv.conf' \
  --customize-hook='chroot "$1" node --version > "$1/../node-version"' \
  "$SUITE" "$rootfs" "$MIRROR"

mkdir -p "$OUT"
tar --create --file "$work/layer.tar" --directory "$rootfs" --sort=name --numeric-owner --mtime="@$BASE_EPOCH" \
    --exclude="./dev/*" --format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime .
echo "sha256:$(sha256sum < "$work/layer.tar" | cut -d' ' -f1)" > "$OUT/diff_id"
gzip -n -6 < "$work/layer.tar" > "$OUT/layer.tar.gz.tmp"
cp "$work/node-version" "$OUT/node-version"
mv "$OUT/layer.tar.gz.tmp" "$OUT/layer.tar.gz"
