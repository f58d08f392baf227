# Multi-stage build: cgo is needed for the embedded SQLite driver (mattn/go-sqlite3).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/zjtx ./cmd/zjtx

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /data zjtx \
    && mkdir -p /data && chown zjtx /data
COPY --from=build /out/zjtx /usr/local/bin/zjtx
USER zjtx
WORKDIR /data
VOLUME ["/data"]
ENV ZJTX_ADDR=0.0.0.0:8080 ZJTX_DB=/data/zjtx.db
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD ["/usr/local/bin/zjtx", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/zjtx"]
CMD ["serve"]
