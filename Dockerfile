FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NX_DAEMON=false
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json nx.json ./
COPY tools ./tools
COPY migrations ./migrations
COPY libs ./libs
COPY apps ./apps
USER node
EXPOSE 8080
CMD ["node", "-r", "./tools/register.js", "apps/api/src/main.ts"]
