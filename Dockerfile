# The connector image. One container runs one partner: `sovc start <partner>` serves that
# nation's registrar and connector (see docker-compose.yml and docs/deployment.md).
# The image holds code and public configuration only: keystores, generated secrets and the
# registrar's state live in the /data volume, the store in the partner's Postgres database,
# and the database password arrives as a Docker secret file (PGPASSWORD_FILE).

# Build stage: the connector runs as compiled JavaScript (`npm run build` → dist/), which idles
# at about 100 MB per partner instead of about 170 MB through tsx (test/bench/dataplane-transfer-rss).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY types/ types/
COPY src/ src/
RUN npm run build

FROM node:20-bookworm-slim

WORKDIR /app

# Dependencies first so source edits reuse this layer. Production dependencies only; tsx among
# them, so `bin/sovc.js` (an admin's `sovc` inside the container) still runs from src/.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY bin/ bin/
COPY types/ types/
COPY tsconfig.json ./
COPY vocab/ vocab/
COPY contracts/ contracts/
COPY connectors/ connectors/
COPY src/ src/
COPY --from=build /app/dist/ dist/

# The data dir belongs to the unprivileged user; a fresh named volume mounted here inherits it.
RUN mkdir -p /data && chown node:node /data
ENV NODE_ENV=production \
    SOVC_DATA_DIR=/data
USER node

# /health answers once the connector serves; the URL is the one it publishes (compose sets it).
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "const base = process.env.SOVC_PUBLIC_BASE_URL || `http://127.0.0.1:${process.env.SOVC_PORT || 7101}`; fetch(`${base}/health`, { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# node-postgres reads PGPASSWORD when DATABASE_URL carries no password, so the password stays
# in a secret file instead of the environment of `docker inspect`. One node process, which
# receives SIGTERM itself and shuts down cleanly; a 1 MB young generation keeps the data path's
# short-lived buffers from piling up between scavenges (peak RSS moving 2 GB: < 150 MB a side).
ENTRYPOINT ["/bin/sh", "-c", "if [ -n \"${PGPASSWORD_FILE:-}\" ]; then PGPASSWORD=\"$(cat \"$PGPASSWORD_FILE\")\" || exit 1; export PGPASSWORD; fi; exec node --max-semi-space-size=1 dist/cli/main.js \"$@\"", "sovc"]
CMD ["start"]
