# syntax=docker/dockerfile:1
# One multi-stage image for every role:
#   node services/wormhole/dist/main.js all|api|worker|executor
# and the migration job: node services/wormhole/dist/main.js migrate

# Build: every dependency (TypeScript and the rest of the dev tools), compile all workspaces, then
# drop the dev dependencies so the runtime stage copies production ones only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json tsconfig.build.json ./
COPY shared ./shared
COPY services ./services
RUN npm ci --no-audit --no-fund \
 && npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# Runtime: production dependencies and the compiled workspaces, owned by root and run as the
# unprivileged `node` user (uid 1000), so the process cannot change its own code.
# The whole workspace trees are copied, not only dist/: at run time the storage package reads its
# SQL migrations (shared/storage/migrations) and the Redis Lua scripts of storage and transport
# from src/ (see test/deploy.test.ts, which keeps this list honest).
FROM node:20-bookworm-slim AS runtime
# Local data outside the read-only code, owned by the app user: the embedded database when
# DATABASE_TYPE is left at its default (embedded), and the `fs` blob store (BLOB_STORE defaults to
# fs, in /data/blobs). /data/blobs exists in the image so that a named volume mounted there starts
# owned by uid 1000 (docker-compose.yml shares one between the roles).
ENV NODE_ENV=production WORMHOLE_DATA_DIR=/data
RUN mkdir -p /data/blobs && chown -R 1000:1000 /data
VOLUME /data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/shared ./shared
COPY --from=build /app/services ./services
USER 1000:1000
# api, worker health/metrics, executor health/metrics
EXPOSE 8080 8081 8082
# node is PID 1 and handles SIGTERM itself (graceful shutdown within SHUTDOWN_GRACE_MS).
CMD ["node", "services/wormhole/dist/main.js", "all"]
