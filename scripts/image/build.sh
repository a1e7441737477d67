#!/usr/bin/env bash
# npm run image: the controller's OCI image without Docker -> dist/image/meshgate-<version>.tar
#   - an OCI image layout (index.json, blobs/) that is also a `docker load` archive (manifest.json);
#   - layer 1: Debian trixie, Essential packages + nodejs + ca-certificates, user 65532 (scripts/image/base-layer.sh,
#     built once with mmdebstrap and cached in ~/.cache/meshgate/image/base-<hash of base-layer.sh>);
#   - layer 2: /app (dist/ without source maps, production node_modules) and /usr/local/bin/meshgate;
#   - entrypoint /usr/local/bin/meshgate, cmd `controller`, user 65532:65532, nothing written at run time.
# Reproducible: tars sorted with numeric owners and every mtime = SOURCE_DATE_EPOCH (default: the last commit's
# time), gzip -n, JSON with sorted keys; the same inputs and base cache give the same digest.
# Needs: mmdebstrap (first run only), GNU tar, gzip, sha256sum, node. As root or with user namespaces.
# Environment: MESHGATE_CACHE_DIR (default ~/.cache/meshgate), MESHGATE_IMAGE_REPOSITORY (default
# docker.io/meshgate/meshgate), MESHGATE_IMAGE_OUT (output file), MESHGATE_IMAGE_SKIP_BUILD=1 (use dist/ as is),
# MESHGATE_DEBIAN_MIRROR, MESHGATE_DEBIAN_SUITE.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
SECONDS=0
VERSION=$(node -p "require('./package.json').version")
REPOSITORY=${MESHGATE_IMAGE_REPOSITORY:-docker.io/meshgate/meshgate}
CACHE=${MESHGATE_CACHE_DIR:-$HOME/.cache/meshgate}/image
OUT=${MESHGATE_IMAGE_OUT:-$ROOT/dist/image/meshgate-$VERSION.tar}
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
export SOURCE_DATE_EPOCH
log() { echo "[image] $*" >&2; }

for tool in tar gzip sha256sum; do
  command -v "$tool" >/dev/null || { log "$tool not found"; exit 3; }
done
tar --version | grep -q 'GNU tar' || { log "GNU tar is needed (--sort=name)"; exit 3; }

if [ "${MESHGATE_IMAGE_SKIP_BUILD:-}" != 1 ]; then
  # A clean dist/ so files of deleted sources never reach the image.
  rm -rf dist/src dist/translators dist/gui
  npm run --silent build >&2
fi

# ---- layer 1: the Debian root filesystem (cached) ------------------------------------------------------
key=$(sha256sum < scripts/image/base-layer.sh | cut -c1-16)
base="$CACHE/base-$key"
mkdir -p "$CACHE"
(
  flock 9
  if [ ! -s "$base/layer.tar.gz" ]; then
    log "building the Debian base layer with mmdebstrap into $base (first run only)"
    bash scripts/image/base-layer.sh "$base"
  fi
) 9>"$CACHE/.lock"
log "base layer: $base ($(cat "$base/node-version") from Debian)"

# ---- layer 2: the app ----------------------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/meshgate-image.XXXXXX")
trap 'rm -rf "$work"' EXIT
TSNODE=(node -r ts-node/register/transpile-only scripts/image/oci.ts)
"${TSNODE[@]}" stage "$work/root"
tar --create --file "$work/app.tar" --directory "$work/root" --sort=name --owner=0 --group=0 --numeric-owner \
    --mtime="@$SOURCE_DATE_EPOCH" --mode='a+rX,u+w,go-w' \
    --format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime app usr
app_diff="sha256:$(sha256sum < "$work/app.tar" | cut -d' ' -f1)"
gzip -n -6 < "$work/app.tar" > "$work/app.tar.gz"

# ---- the layout and the archive ------------------------------------------------------------------------
digest=$("${TSNODE[@]}" layout "$work/layout" --repository "$REPOSITORY" --tag "$VERSION" --created "$SOURCE_DATE_EPOCH" \
  --layer "$base/layer.tar.gz=$(cat "$base/diff_id")=mmdebstrap trixie: essential, nodejs, ca-certificates, user meshgate (65532)" \
  --layer "$work/app.tar.gz=$app_diff=meshgate $VERSION: /app and /usr/local/bin/meshgate" \
  --label "org.opencontainers.image.title=meshgate" --label "org.opencontainers.image.version=$VERSION" \
  --label "org.opencontainers.image.licenses=Apache-2.0")
mkdir -p "$(dirname "$OUT")"
tar --create --file "$OUT.tmp" --directory "$work/layout" --sort=name --owner=0 --group=0 --numeric-owner \
    --mtime="@$SOURCE_DATE_EPOCH" --mode='a+rX,u+w,go-w' --format=ustar oci-layout index.json manifest.json blobs
mv "$OUT.tmp" "$OUT"
echo "$digest" > "$OUT.digest"
log "$REPOSITORY:$VERSION $digest"
log "$OUT ($(du -m "$OUT" | cut -f1) MB, sha256 $(sha256sum < "$OUT" | cut -c1-16)…) in ${SECONDS} s"
echo "$OUT"
