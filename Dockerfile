FROM node:20-bookworm-slim
# Projects are git repositories: the service runs the git binary.
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production NX_DAEMON=false
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json nx.json ./
COPY tools ./tools
COPY migrations ./migrations
COPY libs ./libs
COPY apps ./apps
# Embedded mode (no DATABASE_URL): the database and generated local secrets live in a volume the service may write.
ENV LANYARD_DATA_DIR=/data
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 8080
# Node runs as PID 1 and handles SIGTERM itself: requests finish and the embedded database closes cleanly.
STOPSIGNAL SIGTERM
CMD ["node", "-r", "./tools/register.js", "apps/api/src/main.ts"]
