# syntax=docker/dockerfile:1
# meshgate controller image.
#   docker build -t meshgate:dev .
#   docker run --rm meshgate:dev controller --help
# Entrypoint: ["node", "/app/dist/src/cli.js"]; the chart passes `controller` and the flags as args.

ARG NODE_VERSION=20

# ---- build: compile TypeScript with the full (dev) dependency set ----------------------------------
FROM node:${NODE_VERSION}-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY translators ./translators
# `npm run build`: tsc into dist/ (the controller is dist/src/cli.js), plus the GUI front end bundled from
# src/gui/web into dist/gui (served by the controller from there).
RUN npm run build

# ---- runtime: production dependencies + compiled output only ---------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund && npm cache clean --force && rm -rf /root/.npm /tmp/*
COPY --from=build /app/dist ./dist
# Non-root (the chart also sets runAsUser/runAsGroup 65532, runAsNonRoot and a read-only root filesystem).
USER 65532:65532
EXPOSE 9090
ENTRYPOINT ["node", "/app/dist/src/cli.js"]
CMD ["controller"]
