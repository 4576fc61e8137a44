# ================================
# Build image
# ================================
FROM swift:6.3-noble AS build

RUN export DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends libjemalloc-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /build

# Resolve and build every dependency in layers of their own: stub sources stand in for the app, so editing the
# app's code rebuilds only the app, not Vapor, Fluent and the database drivers.
COPY ./Package.swift ./
RUN swift package resolve
RUN mkdir -p Sources/App Sources/TaskAPI Sources/TaskAPIContract Sources/TaskAPIClient Tests/TaskAPITests \
    && touch Sources/TaskAPIContract/openapi.yaml Sources/TaskAPIContract/openapi-generator-config.yaml \
        Sources/TaskAPIClient/openapi-generator-config.yaml \
    && echo 'import OpenAPIRuntime' > Sources/TaskAPIContract/Stub.swift \
    && echo 'import OpenAPIRuntime' > Sources/TaskAPIClient/Stub.swift \
    && printf 'import Fluent\nimport FluentPostgresDriver\nimport FluentSQLiteDriver\nimport JWT\nimport OpenAPIVapor\nimport Prometheus\n' \
        > Sources/TaskAPI/Stub.swift \
    && echo '' > Sources/App/main.swift \
    && echo '' > Tests/TaskAPITests/Stub.swift \
    && swift build -c release --product TaskAPIServer --static-swift-stdlib -Xlinker -ljemalloc \
    && rm -rf Sources

# Symbols are stripped: a third of the binary's size, needed only to symbolicate crash backtraces.
COPY ./Sources ./Sources
RUN swift build -c release --product TaskAPIServer --static-swift-stdlib -Xlinker -ljemalloc -Xlinker --strip-all

WORKDIR /staging
COPY ./deploy/alembic ./alembic
RUN cp "$(swift build --package-path /build -c release --show-bin-path)/TaskAPIServer" ./ \
    && mkdir data

# ================================
# Run image
# ================================
FROM ubuntu:noble

# Only what the statically linked binary needs: jemalloc, CA certificates for TLS database connections.
RUN export DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends libjemalloc2 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --user-group --create-home --system --skel /dev/null --home-dir /app taskapi

WORKDIR /app
COPY --from=build --chown=taskapi:taskapi /staging /app
# The binary on PATH, so `docker-compose exec api TaskAPIServer migrate --yes` works from any directory, and so
# does `alembic upgrade head`, the original's command, mapped onto it by deploy/alembic.
ENV PATH="/app:$PATH" \
    VAPOR_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    SQLITE_PATH=/app/data/task-api.sqlite

USER taskapi:taskapi
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8000 && printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

ENTRYPOINT ["TaskAPIServer"]
CMD ["serve"]
