package io.rayforce.cluster.router.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.metrics.PlacementEvents;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.router.exec.UnitId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The read-only status page of a gateway (docs/operations.md): {@link #html()} is a page that
 * fetches {@link #json()} every two seconds and shows the nodes, the tables with every shard's
 * replicas and their states, the placement epoch, recent failovers and repairs
 * ({@link PlacementEvents}), the running and slow queries ({@link QueryLog}) and key meters of the
 * process. Nothing on it changes the cluster.
 */
public final class StatusPage {
    /** Where the endpoint serves the page and its data. */
    public static final String PATH = "/status";
    public static final String JSON_PATH = "/status.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Supplier<ClusterSnapshot> placement;
    private final BooleanSupplier connected;
    private final QueryLog queries;
    private final PlacementEvents events;
    private final MeterRegistry meters;
    private final byte[] html;

    /**
     * @param placement the placement the router plans with (its latest snapshot, even while ZooKeeper is away)
     * @param connected whether the router's ZooKeeper connection is up
     */
    public StatusPage(Supplier<ClusterSnapshot> placement, BooleanSupplier connected, QueryLog queries, PlacementEvents events,
                      MeterRegistry meters) {
        this.placement = placement;
        this.connected = connected;
        this.queries = queries;
        this.events = events;
        this.meters = meters;
        try (InputStream in = StatusPage.class.getResourceAsStream("status.html")) {
            if (in == null) {
                throw new IllegalStateException("status.html is missing from the router's resources");
            }
            html = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page (static; it loads its data from {@link #JSON_PATH}). */
    public byte[] html() {
        return html.clone();
    }

    /** The page's data now, as JSON. */
    public byte[] json() {
        ObjectNode root = JSON.createObjectNode();
        ClusterSnapshot s = placement.get();
        root.put("generatedAt", Instant.now().toString());
        root.put("epoch", s.epoch());
        root.put("zookeeperConnected", connected.getAsBoolean());
        nodes(root.putArray("nodes"), s);
        tables(root.putArray("tables"), s);
        ArrayNode ev = root.putArray("events");
        for (PlacementEvents.Event e : events.recent()) {
            ev.addObject().put("at", e.at().toString()).put("epoch", e.epoch()).put("kind", e.kind()).put("text", e.text());
        }
        running(root.putArray("running"));
        slow(root.putArray("slow"));
        root.put("slowAfterMs", queries.slowAfter().toMillis());
        keyMeters(root.putObject("metrics"));
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void nodes(ArrayNode out, ClusterSnapshot s) {
        Map<String, Integer> replicas = new HashMap<>();
        Map<String, Integer> live = new HashMap<>();
        for (TablePlacement t : s.tables().values()) {
            for (ShardPlacement sp : t.getShardsList()) {
                for (Replica r : sp.getReplicasList()) {
                    replicas.merge(r.getNodeId(), 1, Integer::sum);
                    if (r.getState().name().equals("LIVE")) {
                        live.merge(r.getNodeId(), 1, Integer::sum);
                    }
                }
            }
        }
        for (NodeInfo n : new TreeMap<>(s.nodes()).values()) {
            out.addObject().put("id", n.getId()).put("host", n.getHost()).put("ipcPort", n.getIpcPort())
                    .put("engineUp", n.getEngineUp()).put("draining", n.getDraining()).put("version", n.getEngineVersion())
                    .put("replicas", replicas.getOrDefault(n.getId(), 0)).put("live", live.getOrDefault(n.getId(), 0));
        }
    }

    private static void tables(ArrayNode out, ClusterSnapshot s) {
        for (TablePlacement t : new TreeMap<>(s.tables()).values()) {
            TableSpec spec = t.getSpec();
            ObjectNode o = out.addObject().put("name", spec.getName()).put("shardKey", spec.getShardKey())
                    .put("shards", spec.getShardCount()).put("replication", spec.getReplicationFactor())
                    .put("replicated", spec.getReplicatedToAll());
            Map<String, Integer> states = new TreeMap<>();
            ArrayNode shards = o.putArray("shardList");
            for (ShardPlacement sp : t.getShardsList()) {
                ArrayNode rs = shards.addObject().put("shard", sp.getShard()).putArray("replicas");
                for (Replica r : sp.getReplicasList()) {
                    states.merge(r.getState().name(), 1, Integer::sum);
                    rs.addObject().put("node", r.getNodeId()).put("state", r.getState().name()).put("since", r.getSinceEpoch());
                }
            }
            ObjectNode st = o.putObject("states");
            states.forEach(st::put);
        }
    }

    private void running(ArrayNode out) {
        for (RunningQuery q : queries.running()) {
            List<UnitId> pending = q.pendingUnits();
            ArrayNode waiting = out.addObject().put("id", q.id()).put("user", QueryMeters.label(q.user())).put("query", q.text())
                    .put("started", q.startedAt().toString()).put("elapsedMs", q.elapsedNanos() / 1_000_000)
                    .put("plan", q.operator()).put("shardsPending", pending.size()).putArray("waitingOn");
            pending.stream().limit(16).forEach(u -> waiting.add(u.table() + "/" + u.shard()));
        }
    }

    private void slow(ArrayNode out) {
        for (SlowQuery q : queries.slow()) {
            out.addObject().put("id", q.id()).put("user", QueryMeters.label(q.user())).put("query", q.text())
                    .put("started", q.startedAt().toString()).put("ms", q.millis()).put("outcome", q.outcome())
                    .put("rows", q.rows()).put("lockWaitMs", q.lockWaitMillis()).put("shardRequests", q.shardRequests())
                    .put("slowestShardMs", q.slowestShardMillis()).put("plan", q.plan());
        }
    }

    /** Totals of the process's meters the page shows (it turns them into rates itself). */
    private void keyMeters(ObjectNode out) {
        long queriesOk = 0;
        long queriesFailed = 0;
        for (Timer t : meters.find("rfc.query.duration").timers()) {
            if ("ok".equals(t.getId().getTag("outcome"))) {
                queriesOk += t.count();
            } else {
                queriesFailed += t.count();
            }
        }
        out.put("queries", queriesOk + queriesFailed).put("queryErrors", queriesFailed);
        out.put("slowQueries", counter("rfc.queries.slow"));
        out.put("shardRequests", counter("rfc.shard.requests")).put("shardRetries", counter("rfc.shard.retries"))
                .put("shardFailovers", counter("rfc.shard.failovers")).put("hedges", counter("rfc.shard.hedges"))
                .put("shardsMissing", counter("rfc.shard.missing")).put("rowsFromShards", counter("rfc.shard.rows"))
                .put("bytesFromShards", counter("rfc.shard.bytes")).put("resultRows", counter("rfc.query.result.rows"))
                .put("gatewayErrors", counter("rfc.gateway.errors"))
                .put("writesAcknowledged", counter("rfc.write.acks", "outcome", "acknowledged"))
                .put("writesRefused", counter("rfc.write.acks", "outcome", "refused"))
                .put("connections", gauge("rfc.gateway.connections"))
                .put("connectionsRefused", counter("rfc.gateway.connections.refused"))
                .put("runningQueries", queries.running().size());
    }

    /** The sum of the counters named {@code name} (with the tag, when given). */
    private long counter(String name, String... tag) {
        var search = meters.find(name);
        if (tag.length == 2) {
            search = search.tag(tag[0], tag[1]);
        }
        double sum = search.counters().stream().mapToDouble(Counter::count).sum()
                + search.functionCounters().stream().mapToDouble(FunctionCounter::count).sum();
        return Math.round(sum);
    }

    private long gauge(String name) {
        return Math.round(meters.find(name).gauges().stream().mapToDouble(Gauge::value).sum());
    }
}
