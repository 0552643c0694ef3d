# The Slack bot as an image: ghcr.io/gitpod-runner-config/gitpod-runner-config-bot (built and pushed by
# .github/workflows/release.yml on release tags).
#   docker build -t gitpod-runner-config-bot .
#   docker run --env-file bot.env -p 3000:3000 -v gitpod-scm-bot-data:/app/data gitpod-runner-config-bot
# test/release/dockerfile.test.ts rehearses these steps without an engine (so keep to COPY, RUN, ENV,
# WORKDIR and the metadata instructions it knows).

# The bundle is plain JavaScript: build it once on the builder's own platform, whatever the target.
FROM --platform=$BUILDPLATFORM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts off: the pinned `node` devDependency would fetch a second Node; esbuild works without its.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY shared ./shared
COPY bot ./bot
# One self-contained file (every npm dependency inside) behind the Node version guard, the schema
# migrations beside it, and the empty state directory the runtime stage hands to the `node` user.
RUN node scripts/build.mjs --bot-only && mkdir -p data

FROM node:24-slim
ENV NODE_ENV=production PORT=3000
WORKDIR /app
# No npm install: the bundle needs nothing but Node. Owned by root, so the bot cannot change its code.
COPY --from=build /app/dist/bot.mjs /app/dist/bot-bundle.mjs /app/dist/bot-bundle.mjs.map ./dist/
COPY --from=build /app/dist/migrations ./dist/migrations
# The default store (DATABASE_URL=sqlite:./data/bot.sqlite): mount a volume here.
COPY --from=build --chown=node:node /app/data ./data
VOLUME ["/app/data"]
# The image's `node` user, by number so that Kubernetes' runAsNonRoot can check it.
USER 1000:1000
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3000}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/bot.mjs"]
