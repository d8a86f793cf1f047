FROM node:20-bookworm-slim
WORKDIR /app
# A C compiler for the native TRM engine (npm install builds it; without one the TRM runs on
# its WebAssembly engine, about 3x slower).
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# The install script (scripts/buildNative.mjs) builds native/ during npm ci.
COPY scripts/buildNative.mjs ./scripts/
COPY native ./native
# Exactly as locked (with internet, the optional @tensorflow/tfjs-node installs and gives native
# speed). npm 11 writes lockfiles without other platforms' optional binaries and its own `npm ci`
# then refuses them as "out of sync": fall back to installing from the same lockfile, unchanged
# (the same fallback as .ci/run).
RUN npm ci --no-audit --no-fund || npm install --no-audit --no-fund --no-save
COPY . .
ENV REPORTS_DIR=/app/reports
# `docker compose` sets the role per service (worker: workflows, trainer: activities).
ENTRYPOINT ["node", "bin/regime-retrain.mjs"]
CMD ["worker"]
