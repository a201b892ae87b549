#!/usr/bin/env bash
# Writes a docker compose file for a rayforce-cluster on Docker: a 3-member ZooKeeper ensemble,
# 2 coordinators, N nodes (default 3), G gateways (default 2), and HAProxy in front of the gateways.
# HAProxy is published on one port (any Rayforce client); each gateway on the ports after it (for the
# Java TCPClient, which fails over between them itself), and each gateway's status page on a port of
# its own. Every member serves Prometheus metrics on port 9400 of the compose network, which the
# "monitoring" profile's Prometheus scrapes (docs/operations.md). Works with Debian's
# docker-compose 1.29 and with `docker compose` v2.
# Usage: deploy/docker/make-compose.sh [NODES] [GATEWAYS] > deploy/docker/compose.yml
set -euo pipefail
nodes="${1:-3}"
gateways="${2:-2}"
[[ "$nodes" =~ ^[1-9][0-9]*$ ]] || { echo "make-compose: NODES must be a positive number" >&2; exit 2; }
[[ "$gateways" =~ ^[1-9][0-9]*$ ]] || { echo "make-compose: GATEWAYS must be a positive number" >&2; exit 2; }
zk="zk1:2181,zk2:2181,zk3:2181"
scrape_nodes="$(for i in $(seq 1 "$nodes"); do printf 'node%s:9400 ' "$i"; done | sed 's/ $//')"
scrape_gateways="$(for i in $(seq 1 "$gateways"); do printf 'gateway%s:9400 ' "$i"; done | sed 's/ $//')"
cat <<YAML
# rayforce-cluster on Docker: made by deploy/docker/make-compose.sh $nodes $gateways (edit that, not this).
# Build the image first: deploy/docker/build-images.sh. Then: docker-compose -f deploy/docker/compose.yml up -d
# HAProxy in front of the gateways speaks Rayforce IPC on \${RFC_GATEWAY_BIND:-127.0.0.1}:\${RFC_GATEWAY_PORT:-5000};
# gateway i on \${RFC_GATEWAYi_PORT:-5000+i} (the Java TCPClient given every gateway fails over by itself), its status
# page on http://\${RFC_STATUS_BIND:-127.0.0.1}:\${RFC_STATUSi_PORT:-9400+i}/status. With --profile monitoring, Prometheus
# scrapes every member and answers on \${RFC_PROMETHEUS_BIND:-127.0.0.1}:\${RFC_PROMETHEUS_PORT:-9090}.
version: "3.9"

x-rfc: &rfc
  image: \${RFC_IMAGE:-rayforce-cluster:latest}
  restart: unless-stopped
  stop_grace_period: 30s
  networks: [rfc]
  environment:
    RFC_COORDINATOR: "coord1:5300"     # so that \`docker-compose exec coord1 rfc status\` needs no flag
    RFC_METRICS_PORT: "9400"           # every member serves /metrics on the compose network (the gateways /status too)
    RFC_METRICS_BIND: "0.0.0.0"

services:
YAML
for i in 1 2 3; do
cat <<YAML
  zk$i:
    <<: *rfc
    hostname: zk$i
    command: ["zookeeper"]
    environment:
      ZK_MY_ID: "$i"
      ZK_SERVERS: "zk1:2888:3888,zk2:2888:3888,zk3:2888:3888"
    volumes: ["zk$i:/var/lib/rfc"]

YAML
done
for i in 1 2; do
cat <<YAML
  coord$i:
    <<: *rfc
    hostname: coord$i
    command: ["coordinator", "--zookeeper", "$zk", "--cluster", "\${RFC_CLUSTER:-prod}",
              "--host", "coord$i", "--port", "5300"]
    depends_on: [zk1, zk2, zk3]

YAML
done
for i in $(seq 1 "$nodes"); do
cat <<YAML
  node$i:
    <<: *rfc
    hostname: node$i
    command: ["node", "--zookeeper", "$zk", "--cluster", "\${RFC_CLUSTER:-prod}", "--id", "node$i",
              "--host", "node$i", "--ipc-port", "5100", "--control-port", "5200", "--data", "/var/lib/rfc/node"]
    volumes: ["node$i:/var/lib/rfc"]
    depends_on: [zk1, zk2, zk3]

YAML
done
lb_targets=""
for i in $(seq 1 "$gateways"); do
lb_targets="${lb_targets:+$lb_targets,}gateway$i:5000"
cat <<YAML
  gateway$i:
    <<: *rfc
    hostname: gateway$i
    command: ["gateway", "--zookeeper", "$zk", "--cluster", "\${RFC_CLUSTER:-prod}", "--port", "5000"]
    ports: ["\${RFC_GATEWAY_BIND:-127.0.0.1}:\${RFC_GATEWAY${i}_PORT:-$((5000 + i))}:5000",
            "\${RFC_STATUS_BIND:-127.0.0.1}:\${RFC_STATUS${i}_PORT:-$((9400 + i))}:9400"]
    depends_on: [coord1, coord2]

YAML
done
gateway_list="$(seq -s, -f 'gateway%g' 1 "$gateways" | sed 's/,/, /g')"
cat <<YAML
  lb:
    <<: *rfc
    hostname: lb
    command: ["haproxy"]
    environment:
      RFC_LB_GATEWAYS: "$lb_targets"
    ports: ["\${RFC_GATEWAY_BIND:-127.0.0.1}:\${RFC_GATEWAY_PORT:-5000}:5000"]
    depends_on: [$gateway_list]

  prometheus:
    profiles: [monitoring]
    image: \${RFC_PROMETHEUS_IMAGE:-rayforce-cluster-prometheus:latest}
    build:
      context: prometheus
      args: {BASE_IMAGE: "rfc-base:bookworm"}
    restart: unless-stopped
    networks: [rfc]
    environment:
      RFC_SCRAPE_GATEWAYS: "$scrape_gateways"
      RFC_SCRAPE_COORDINATORS: "coord1:9400 coord2:9400"
      RFC_SCRAPE_NODES: "$scrape_nodes"
    ports: ["\${RFC_PROMETHEUS_BIND:-127.0.0.1}:\${RFC_PROMETHEUS_PORT:-9090}:9090"]
    volumes: ["prometheus:/var/lib/prometheus"]
    depends_on: [$gateway_list]

networks:
  rfc: {}

volumes:
YAML
for i in 1 2 3; do echo "  zk$i: {}"; done
for i in $(seq 1 "$nodes"); do echo "  node$i: {}"; done
echo "  prometheus: {}"
