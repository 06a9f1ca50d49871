# syntax=docker/dockerfile:1
# SecretSync image: build with the full toolchain, run on a slim Node.js image as a non-root user.
#
#   docker build \
#     --build-arg GIT_COMMIT="$(git rev-parse --short=12 HEAD)" \
#     --build-arg SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)" \
#     -t secretsync:dev .
#
# Base images are pinned to exact Node.js releases (requirement 4); Dependabot proposes updates.
# A release also wants each pinned by digest (`FROM node:X.Y.Z-trixie@sha256:<index digest>`, from
# `docker buildx imagetools inspect`): scripts/release-check.ts refuses a release without them, and
# Dependabot then updates tag and digest together.
#
# Multi-arch (linux/amd64, linux/arm64): the build stage runs on the builder's own platform, since
# the compiled JavaScript is the same for every architecture; only the runtime stage is per target.

FROM --platform=$BUILDPLATFORM node:22.23.3-trixie AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
# scripts/build-info.ts writes these into dist/build-info.json (`secretsync version`); the build
# context has no .git, so without them the commit is "unknown" and the date is the build time.
ARG GIT_COMMIT=""
ARG SOURCE_DATE_EPOCH=""
RUN GIT_COMMIT="${GIT_COMMIT}" SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH}" npm run build

FROM node:22.23.3-trixie-slim AS runtime
ARG GIT_COMMIT=""
LABEL org.opencontainers.image.title="secretsync" \
      org.opencontainers.image.description="Keep AWS Secrets Manager in many AWS accounts in step with HashiCorp Vault." \
      org.opencontainers.image.source="https://github.com/extended-data-library/secretsync" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.revision="${GIT_COMMIT}"
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only, no install scripts; then drop the package managers, which the
# image never needs at run time and which only widen what a scanner (or an attacker) finds.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force \
 && rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /opt/yarn-* \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg
COPY --from=build /src/dist/src ./dist/src
COPY --from=build /src/dist/package.json /src/dist/build-info.json ./dist/
COPY schema ./schema
# UID 1001 is the `runner` user of GitHub-hosted runners: the Docker action can then write
# $GITHUB_OUTPUT and read the workspace without running as root. Kubernetes sets it as well.
RUN groupadd --gid 1001 secretsync \
 && useradd --uid 1001 --gid 1001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin secretsync \
 && chmod 0755 /app/dist/src/main.js \
 && ln -s /app/dist/src/main.js /usr/local/bin/secretsync
USER 1001:1001
ENTRYPOINT ["secretsync"]
CMD ["--help"]
