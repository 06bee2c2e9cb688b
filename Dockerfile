# nutfleet: one image for both processes (orchestrator and worker).
FROM node:20-bookworm-slim AS build
WORKDIR /app
# Workspace manifests and what postinstall (prisma generate) needs, before the sources, so the
# dependency layer is cached across code changes.
COPY package.json package-lock.json tsconfig.base.json tsconfig.build.json prisma.config.ts ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY apps/orchestrator/package.json apps/orchestrator/package.json
COPY apps/worker/package.json apps/worker/package.json
COPY libs ./libs
RUN npm ci --no-audit --no-fund
COPY apps ./apps
COPY bench ./bench
RUN npx tsc -b tsconfig.build.json && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app /app
COPY --chown=node:node docker/entrypoint.sh /usr/local/bin/nutfleet-entrypoint
# The artifacts volume takes this directory's owner when Docker first creates it.
RUN mkdir -p /var/lib/nutfleet/artifacts && chown node:node /var/lib/nutfleet/artifacts
USER node
ENTRYPOINT ["nutfleet-entrypoint"]
CMD ["orchestrator"]
