# Containerised build of the Outpost tarball, for machines without Node 20:
#   DOCKER_BUILDKIT=1 docker build -f Dockerfile.builder -t outpost-builder .
#   docker run --rm -v "$PWD/dist:/out" outpost-builder
# leaves dist/outpost-<version>-linux-<arch>.tar.gz built for the builder's arch (glibc, Debian 12).
# Not exercised by this project's CI: that machine cannot pull node:20-bookworm from Docker Hub.
FROM node:20-bookworm

WORKDIR /src
# Dockerfile.builder.dockerignore keeps the host's node_modules/ and dist/ out of this copy.
COPY . .
RUN npm ci --no-audit --no-fund && make dist

CMD ["sh", "-c", "cp dist/outpost-*.tar.gz /out/"]
