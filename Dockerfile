# The Slack bot. Build: docker build -t gitpod-scm-bot .   Run: docker run --env-file bot.env -p 3000:3000 gitpod-scm-bot
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json ./
COPY shared ./shared
COPY bot ./bot
# One ESM file for our code; npm packages stay external and come from the runtime stage.
RUN npx esbuild bot/main.ts --bundle --platform=node --format=esm --target=node24 \
      --packages=external --outfile=dist/bot.mjs

FROM node:24-slim
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist/bot.mjs ./dist/bot.mjs
# Schema migrations, read at start-up next to the bundle (dist/migrations/<sqlite|postgres>/NNN_*.sql).
COPY bot/state/migrations ./dist/migrations
# The default store (DATABASE_URL=sqlite:./data/bot.sqlite): keep it on a volume.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3000}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/bot.mjs"]
