# The bot as a container: the compiled bundle on Node 20 (Alpine), production dependencies only,
# run as the unprivileged `node` user. See docs/operations.md, "Container".
#
#   docker build -t helpdesk-bot .
#   docker run --rm -p 3000:3000 -e SANDBOX=1 helpdesk-bot     # sandbox mode: http://localhost:3000/console
#   docker run --rm -p 3000:3000 -e FEISHU_APP_ID=… … helpdesk-bot

# Build stage: dev dependencies (esbuild) to compile src/ into dist/main.js, bundling the workspace
# packages it imports (packages/: the stand-in the sandbox runs), which are TypeScript sources.
FROM node:20-alpine AS build
WORKDIR /app
# The workspace's manifests with the root's, so npm ci links the workspace packages (their sources
# come later, and a source change does not reinstall).
COPY package.json package-lock.json ./
COPY packages/feishu-standin/package.json ./packages/feishu-standin/
# Scripts stay off: `prepare` would build before the sources are here.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY scripts/build.mjs ./scripts/
COPY src ./src
COPY packages ./packages
RUN node scripts/build.mjs

# Run stage: production dependencies and the bundle; no sources, no compiler, no npm at run time.
# The workspace packages are in the bundle and are dev dependencies of the root, so npm ci --omit=dev
# neither needs packages/ nor links it.
FROM node:20-alpine
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY app.yaml ./
# Without Redis the watches, live cards and boards are kept in data/ (state.file): the unprivileged
# user may write there, and a volume keeps them across containers.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME /app/data
USER node
# The webhooks (server.port) and Prometheus metrics (metrics.port).
EXPOSE 3000 9464
# Busybox wget is in the image; PORT, if set, moves the bot and so its health check.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD wget -q -O /dev/null "http://127.0.0.1:${PORT:-3000}/healthz" || exit 1
# node itself, not npm, so SIGTERM reaches the bot and it drains its work (server.shutdown_timeout_ms,
# 15 s: give `docker stop` a longer --time than its default 10 s). The flags are npm start's (docs/operations.md,
# "Memory"); test/container.test.ts checks they stay the same.
CMD ["node", "--enable-source-maps", "--max-semi-space-size=4", "dist/main.js"]
