FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
# With internet, the optional @tensorflow/tfjs-node installs and gives native speed.
RUN npm ci --no-audit --no-fund
COPY . .
CMD ["npm", "run", "worker"]
