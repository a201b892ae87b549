package io.rayforce.cluster.coordinator.metrics;

import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.store.ClusterView;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * What changed in the cluster lately, as an operator reads it on the status page: nodes joining
 * and leaving, engines going down and coming back, replicas failing over (LIVE to DOWN or STALE),
 * repairs and moves (a replica COPYING, then LIVE; an old one DROPPING, then removed), tables
 * created and dropped. Found by comparing each snapshot a {@link ClusterView} publishes with the
 * one before; the last {@value #KEPT} events are kept, one per kind of change, node and snapshot.
 */
public final class PlacementEvents implements AutoCloseable {
    /** How many events are kept. */
    public static final int KEPT = 100;
    /** How many shards an event names before it says how many more. */
    private static final int SHARDS_NAMED = 6;

    /**
     * One change.
     *
     * @param kind {@code node-joined}, {@code node-left}, {@code engine-down}, {@code engine-up},
     *             {@code failover} (replicas no longer LIVE), {@code repair} (replicas being copied),
     *             {@code live} (replicas became LIVE), {@code dropping}, {@code removed},
     *             {@code table-created}, {@code table-dropped}
     */
    public record Event(Instant at, long epoch, String kind, String text) {
    }

    private final ClusterView view;
    private final Consumer<ClusterSnapshot> listener = this::changed;
    private final Deque<Event> events = new ArrayDeque<>();
    private ClusterSnapshot previous;

    private PlacementEvents(ClusterView view) {
        this.view = view;
        this.previous = view == null ? ClusterSnapshot.empty() : view.snapshot();
    }

    /** Watches {@code view} from now on. */
    public static PlacementEvents watch(ClusterView view) {
        PlacementEvents e = new PlacementEvents(view);
        view.addListener(e.listener);
        return e;
    }

    /** Records nothing by itself: fed with {@link #changed} (tests, fixed placements). */
    public static PlacementEvents detached() {
        return new PlacementEvents(null);
    }

    /** Compares {@code next} with the snapshot before it and records what changed. */
    public synchronized void changed(ClusterSnapshot next) {
        ClusterSnapshot before = previous;
        previous = next;
        Instant now = Instant.now();
        long epoch = next.epoch();
        List<Event> found = new ArrayList<>();
        for (String id : next.nodes().keySet()) {
            if (!before.nodes().containsKey(id)) {
                found.add(new Event(now, epoch, "node-joined", "node " + id + " joined"));
            }
        }
        for (String id : before.nodes().keySet()) {
            if (!next.nodes().containsKey(id)) {
                found.add(new Event(now, epoch, "node-left", "node " + id + " left membership"));
            }
        }
        for (Map.Entry<String, NodeInfo> n : next.nodes().entrySet()) {
            NodeInfo was = before.nodes().get(n.getKey());
            if (was != null && was.getEngineUp() != n.getValue().getEngineUp()) {
                found.add(new Event(now, epoch, n.getValue().getEngineUp() ? "engine-up" : "engine-down",
                        "the engine of node " + n.getKey() + (n.getValue().getEngineUp() ? " is up again" : " is down")));
            }
        }
        for (String t : next.tables().keySet()) {
            if (!before.tables().containsKey(t)) {
                found.add(new Event(now, epoch, "table-created", "table " + t + " created"));
            }
        }
        for (String t : before.tables().keySet()) {
            if (!next.tables().containsKey(t)) {
                found.add(new Event(now, epoch, "table-dropped", "table " + t + " dropped"));
            }
        }
        found.addAll(replicaChanges(before, next, now));
        for (int i = found.size() - 1; i >= 0; i--) {
            events.addFirst(found.get(i)); // newest snapshot first, its events in the order found
        }
        while (events.size() > KEPT) {
            events.removeLast();
        }
    }

    /** Replica state changes of tables in both snapshots, one event per kind and node. */
    private static List<Event> replicaChanges(ClusterSnapshot before, ClusterSnapshot next, Instant now) {
        // kind -> node -> the shards, and the states they came from
        Map<String, Map<String, List<String>>> byKind = new TreeMap<>();
        for (Map.Entry<String, TablePlacement> t : next.tables().entrySet()) {
            TablePlacement old = before.tables().get(t.getKey());
            if (old == null) {
                continue;
            }
            Map<String, ReplicaState> was = states(old);
            Map<String, ReplicaState> after = states(t.getValue());
            for (Map.Entry<String, ReplicaState> r : after.entrySet()) {
                ReplicaState from = was.get(r.getKey());
                ReplicaState to = r.getValue();
                if (from == to) {
                    continue;
                }
                String kind = switch (to) {
                    case DOWN, STALE -> "failover";
                    case COPYING -> "repair";
                    case LIVE -> "live";
                    case DROPPING -> "dropping";
                    default -> null;
                };
                if (kind != null) {
                    add(byKind, kind, r.getKey(), t.getKey(), (from == null ? "new" : from.name()) + " to " + to.name());
                }
            }
            for (String key : was.keySet()) {
                if (!after.containsKey(key)) {
                    add(byKind, "removed", key, t.getKey(), was.get(key).name() + " removed");
                }
            }
        }
        List<Event> out = new ArrayList<>();
        byKind.forEach((kind, nodes) -> nodes.forEach((node, shards) -> {
            String named = String.join(", ", shards.subList(0, Math.min(SHARDS_NAMED, shards.size())))
                    + (shards.size() > SHARDS_NAMED ? " and " + (shards.size() - SHARDS_NAMED) + " more" : "");
            out.add(new Event(now, next.epoch(), kind, "node " + node + ": " + shards.size() + " replica"
                    + (shards.size() == 1 ? "" : "s") + " " + verb(kind) + ": " + named));
        }));
        return out;
    }

    private static String verb(String kind) {
        return switch (kind) {
            case "failover" -> "failed over (no longer LIVE)";
            case "repair" -> "being copied";
            case "live" -> "now LIVE";
            case "dropping" -> "being dropped";
            default -> "removed";
        };
    }

    private static void add(Map<String, Map<String, List<String>>> byKind, String kind, String replicaKey, String table,
                            String change) {
        int at = replicaKey.indexOf('@');
        String shard = replicaKey.substring(0, at);
        String node = replicaKey.substring(at + 1);
        byKind.computeIfAbsent(kind, k -> new TreeMap<>()).computeIfAbsent(node, k -> new ArrayList<>())
                .add(table + "/" + shard + " (" + change + ")");
    }

    /** Each replica's state, keyed {@code shard@node}. */
    private static Map<String, ReplicaState> states(TablePlacement t) {
        Map<String, ReplicaState> out = new HashMap<>();
        for (ShardPlacement s : t.getShardsList()) {
            for (Replica r : s.getReplicasList()) {
                out.put(s.getShard() + "@" + r.getNodeId(), r.getState());
            }
        }
        return out;
    }

    /** The events kept, newest first. */
    public synchronized List<Event> recent() {
        return List.copyOf(events);
    }

    @Override
    public void close() {
        if (view != null) {
            view.removeListener(listener);
        }
    }
}
