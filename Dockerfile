# syntax=docker/dockerfile:1
# meshgate controller image, for people with Docker. Without Docker, `npm run image` builds the same layout
# (docs/image.md): Debian trixie with its nodejs (20.19), user 65532, /app, entrypoint /usr/local/bin/meshgate.
#   docker build -t docker.io/meshgate/meshgate:0.1.0 .
#   docker run --rm docker.io/meshgate/meshgate:0.1.0 --help

# ---- build: compile TypeScript with the full (dev) dependency set, then keep production dependencies only ----
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/bundle-cli.js ./scripts/bundle-cli.js
COPY src ./src
COPY translators ./translators
# `npm run build`: tsc into dist/ (the CLI is dist/src/cli.js), `translate` bundled into one file, the GUI into dist/gui.
RUN npm run build && find dist -name '*.map' -delete && npm ci --omit=dev --no-audit --no-fund

# ---- runtime: the same base as scripts/image/base-layer.sh ------------------------------------------------------
FROM debian:trixie-slim AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends nodejs ca-certificates \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/* \
 && echo 'meshgate:x:65532:65532:meshgate:/nonexistent:/usr/sbin/nologin' >> /etc/passwd \
 && echo 'meshgate:x:65532:' >> /etc/group
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN chmod 0755 /app/dist/src/cli.js && ln -s /app/dist/src/cli.js /usr/local/bin/meshgate
# Non-root; nothing is written at run time (the chart also sets runAsUser/runAsGroup 65532, runAsNonRoot and a
# read-only root filesystem).
USER 65532:65532
EXPOSE 9090
ENTRYPOINT ["/usr/local/bin/meshgate"]
CMD ["controller"]
