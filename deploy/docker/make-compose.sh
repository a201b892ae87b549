#!/usr/bin/env bash
# Writes a docker compose file for a rayforce-cluster on Docker: a 3-member ZooKeeper ensemble,
# 2 coordinators, N nodes (default 3), G gateways (default 2), and HAProxy in front of the gateways.
# HAProxy is published on one port (any Rayforce client); each gateway on the ports after it (for the
# Java TCPClient, which fails over between them itself). Works with Debian's docker-compose 1.29 and
# with `docker compose` v2.
# Usage: deploy/docker/make-compose.sh [NODES] [GATEWAYS] > deploy/docker/compose.yml
set -euo pipefail
nodes="${1:-3}"
gateways="${2:-2}"
[[ "$nodes" =~ ^[1-9][0-9]*$ ]] || { echo "make-compose: NODES must be a positive number" >&2; exit 2; }
[[ "$gateways" =~ ^[1-9][0-9]*$ ]] || { echo "make-compose: GATEWAYS must be a positive number" >&2; exit 2; }
zk="zk1:2181,zk2:2181,zk3:2181"
cat <<YAML
# rayforce-cluster on Docker: made by deploy/docker/make-compose.sh $nodes $gateways (edit that, not this).
# Build the image first: deploy/docker/build-images.sh. Then: docker-compose -f deploy/docker/compose.yml up -d
# HAProxy in front of the gateways speaks Rayforce IPC on \${RFC_GATEWAY_BIND:-127.0.0.1}:\${RFC_GATEWAY_PORT:-5000};
# gateway i on \${RFC_GATEWAYi_PORT:-5000+i} (the Java TCPClient given every gateway fails over by itself).
version: "3.7"

x-rfc: &rfc
  image: \${RFC_IMAGE:-rayforce-cluster:latest}
  restart: unless-stopped
  stop_grace_period: 30s
  networks: [rfc]
  environment:
    RFC_COORDINATOR: "coord1:5300"     # so that \`docker-compose exec coord1 rfc status\` needs no flag

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
    ports: ["\${RFC_GATEWAY_BIND:-127.0.0.1}:\${RFC_GATEWAY${i}_PORT:-$((5000 + i))}:5000"]
    depends_on: [coord1, coord2]

YAML
done
cat <<YAML
  lb:
    <<: *rfc
    hostname: lb
    command: ["haproxy"]
    environment:
      RFC_LB_GATEWAYS: "$lb_targets"
    ports: ["\${RFC_GATEWAY_BIND:-127.0.0.1}:\${RFC_GATEWAY_PORT:-5000}:5000"]
    depends_on: [$(seq -s, -f 'gateway%g' 1 "$gateways" | sed 's/,/, /g')]

networks:
  rfc: {}

volumes:
YAML
for i in 1 2 3; do echo "  zk$i: {}"; done
for i in $(seq 1 "$nodes"); do echo "  node$i: {}"; done
