package io.rayforce.cluster.coordinator.store;

import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.meta.ZkPaths;
import io.rayforce.cluster.coordinator.proto.ClusterState;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.NodeState;
import io.rayforce.cluster.coordinator.proto.PlacementEpoch;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live, read-only view of the cluster's metadata: {@link CuratorCache}s over {@code /nodes},
 * {@code /node-state}, {@code /tables}, {@code /placement} and {@code /epoch} (not the whole
 * namespace, so write locks and sequence counters never reach readers), turned into an immutable
 * {@link ClusterSnapshot} after every change. ZooKeeper pushes the changes; nothing polls.
 *
 * <p><b>Consistency at an epoch.</b> A snapshot labelled epoch E holds every table and bucket as
 * written at E. A placement change is one transaction that writes its buckets (each tagged with
 * the new epoch) and then {@code /epoch}; ZooKeeper delivers one session's notifications and
 * replies in order, so after a round trip issued behind the cache's own refreshes (a "barrier"
 * read of {@code /epoch}) the caches hold everything up to the epoch they show. Data of a newer
 * transaction may already be visible then; it is recognized by its epoch tag and the snapshot
 * waits for that transaction's {@code /epoch}. The one thing a reader can see early is a table
 * dropped at the next epoch: it vanishes one epoch early, which no reader can tell apart from
 * the drop itself.
 *
 * <p><b>Membership.</b> Nodes joining or leaving and drain flags produce a new snapshot at the
 * same epoch: the epoch counts placement changes only. (The leader reacts to a node's loss by
 * marking its replicas DOWN, which is a placement change at E+1.)
 */
public final class ClusterView implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterView.class);

    private final CuratorFramework curator;
    private final CuratorCache nodesCache;
    private final CuratorCache nodeStateCache;
    private final CuratorCache tablesCache;
    private final CuratorCache placementCache;
    private final CuratorCache epochCache;
    private final ExecutorService builder;
    private final List<Consumer<ClusterSnapshot>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Parsed<?>> parsed = new ConcurrentHashMap<>();
    private final Object monitor = new Object();
    private final CountDownLatch initialized = new CountDownLatch(5);
    private final ConnectionStateListener connectionListener = this::connectionChanged;
    private volatile ClusterSnapshot snapshot = ClusterSnapshot.empty();
    private volatile boolean placementSeen;
    private volatile boolean connected = true;
    private volatile boolean closed;

    private ClusterView(CuratorFramework curator) {
        this.curator = curator;
        this.builder = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cluster-view");
            t.setDaemon(true);
            return t;
        });
        this.nodesCache = cache(ZkPaths.NODES, false);
        this.nodeStateCache = cache(ZkPaths.NODE_STATE, false);
        this.tablesCache = cache(ZkPaths.TABLES, true);
        this.placementCache = cache(ZkPaths.PLACEMENT, true);
        this.epochCache = cache(ZkPaths.EPOCH, true);
    }

    /**
     * Starts watching and waits (at most {@code timeout}) for the first complete snapshot. Fails
     * with {@link ZooKeeperUnavailableException} when the caches do not load in time.
     */
    public static ClusterView start(CuratorFramework curator, Duration timeout) {
        ClusterView view = new ClusterView(curator);
        curator.getConnectionStateListenable().addListener(view.connectionListener);
        view.nodesCache.start();
        view.nodeStateCache.start();
        view.tablesCache.start();
        view.placementCache.start();
        view.epochCache.start();
        try {
            if (!view.initialized.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                view.close();
                throw new ZooKeeperUnavailableException("cluster metadata did not load from ZooKeeper within " + timeout.toMillis() + " ms");
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (view.monitor) {
                while (!view.placementSeen) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        view.close();
                        throw new ZooKeeperUnavailableException("cluster metadata did not settle within " + timeout.toMillis() + " ms");
                    }
                    view.monitor.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            view.close();
            throw new ZooKeeperUnavailableException("interrupted while loading cluster metadata", e);
        }
        return view;
    }

    /** Starts watching with a 30 s load timeout. */
    public static ClusterView start(CuratorFramework curator) {
        return start(curator, Duration.ofSeconds(30));
    }

    /** The latest snapshot (never null; immutable). */
    public ClusterSnapshot snapshot() {
        return snapshot;
    }

    /**
     * Calls {@code listener} with every new snapshot (each new epoch and each membership change),
     * in order, on the view's own thread. Listeners should return quickly.
     */
    public void addListener(Consumer<ClusterSnapshot> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<ClusterSnapshot> listener) {
        listeners.remove(listener);
    }

    /**
     * Waits until the view has reached at least {@code epoch} and returns that snapshot.
     *
     * @throws TimeoutException when it has not within {@code timeout}; the message names both epochs
     */
    public ClusterSnapshot awaitEpoch(long epoch, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            while (snapshot.epoch() < epoch) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) {
                    throw new TimeoutException("cluster view is at epoch " + snapshot.epoch() + ", not " + epoch
                            + " after " + timeout.toMillis() + " ms");
                }
                monitor.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            return snapshot;
        }
    }

    /**
     * False while the ZooKeeper connection is suspended or lost: the snapshot may then be behind
     * the cluster (a router stops serving reads then).
     */
    public boolean isConnected() {
        return connected;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        curator.getConnectionStateListenable().removeListener(connectionListener);
        for (CuratorCache c : List.of(nodesCache, nodeStateCache, tablesCache, placementCache, epochCache)) {
            try {
                c.close();
            } catch (RuntimeException e) {
                log.debug("closing cache", e);
            }
        }
        builder.shutdownNow();
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    // -----------------------------------------------------------------------------------------

    private CuratorCache cache(String path, boolean placement) {
        CuratorCache cache = CuratorCache.build(curator, path);
        CuratorCacheListener listener = CuratorCacheListener.builder()
                .forAll((type, oldData, data) -> changed(placement))
                .forInitialized(() -> {
                    initialized.countDown();
                    if (initialized.getCount() == 0) {
                        changed(false);
                        changed(true);
                    }
                })
                .build();
        cache.listenable().addListener(listener);
        return cache;
    }

    private void connectionChanged(CuratorFramework client, ConnectionState state) {
        connected = state.isConnected();
        if (state == ConnectionState.RECONNECTED) {
            changed(true);
            changed(false);
        }
    }

    /** Runs on ZooKeeper's event thread, right after the cache applied a change. */
    private void changed(boolean placement) {
        if (closed || initialized.getCount() > 0) {
            return;
        }
        if (!placement) {
            submit(this::rebuildMembership);
            return;
        }
        // The barrier: a read issued behind every refresh the caches have issued so far. When it
        // returns, the caches hold everything up to the epoch they show.
        try {
            curator.checkExists().inBackground((client, event) -> {
                List<ChildData> tables = List.copyOf(tablesCache.stream().toList());
                List<ChildData> buckets = List.copyOf(placementCache.stream().toList());
                ChildData epoch = epochCache.get(ZkPaths.EPOCH).orElse(null);
                submit(() -> rebuildPlacement(tables, buckets, epoch));
            }).forPath(ZkPaths.EPOCH);
        } catch (Exception e) {
            log.warn("cannot issue the cluster view barrier: {}", e.toString());
        }
    }

    private void submit(Runnable task) {
        try {
            builder.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("cluster view rebuild failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private void rebuildMembership() {
        ClusterSnapshot current = snapshot;
        List<NodeInfo> nodes = readNodes();
        if (nodes.equals(current.state().getNodesList())) {
            return;
        }
        publish(new ClusterSnapshot(current.state().toBuilder().clearNodes().addAllNodes(nodes).build()));
    }

    private List<NodeInfo> readNodes() {
        Map<String, Boolean> draining = new HashMap<>();
        for (ChildData d : nodeStateCache.stream().toList()) {
            String id = child(ZkPaths.NODE_STATE, d.getPath());
            if (id != null) {
                NodeState s = parse(d, NodeState.newBuilder());
                draining.put(id, s != null && s.getDraining());
            }
        }
        TreeMap<String, NodeInfo> nodes = new TreeMap<>();
        for (ChildData d : nodesCache.stream().toList()) {
            String id = child(ZkPaths.NODES, d.getPath());
            if (id == null) {
                continue;
            }
            NodeInfo info = parse(d, NodeInfo.newBuilder());
            if (info == null) {
                continue;
            }
            if (!info.getId().equals(id)) {
                info = info.toBuilder().setId(id).build();
            }
            if (draining.getOrDefault(id, false) && !info.getDraining()) {
                info = info.toBuilder().setDraining(true).build();
            }
            nodes.put(id, info);
        }
        return List.copyOf(nodes.values());
    }

    private void rebuildPlacement(List<ChildData> tableData, List<ChildData> bucketData, ChildData epochData) {
        long epoch = 0;
        if (epochData != null) {
            PlacementEpoch e = parse(epochData, PlacementEpoch.newBuilder());
            epoch = e == null ? 0 : e.getEpoch();
        }
        ClusterSnapshot current = snapshot;
        if (placementSeen && epoch <= current.epoch()) {
            return;
        }
        Map<String, TableSpec> specs = new TreeMap<>();
        for (ChildData d : tableData) {
            String name = child(ZkPaths.TABLES, d.getPath());
            TableSpec spec = name == null ? null : parse(d, TableSpec.newBuilder());
            if (spec != null) {
                if (spec.getCreatedEpoch() > epoch) {
                    return; // a newer transaction is partly visible: its /epoch follows
                }
                specs.put(name, spec);
            }
        }
        Map<String, List<TablePlacement>> bucketsByTable = new HashMap<>();
        for (ChildData d : bucketData) {
            String[] parts = d.getPath().substring(ZkPaths.PLACEMENT.length()).split("/");
            if (parts.length != 3 || !specs.containsKey(parts[1])) {
                continue; // the /placement root, a table's folder, or an orphan bucket
            }
            TablePlacement bucket = parse(d, TablePlacement.newBuilder());
            if (bucket == null) {
                continue;
            }
            if (bucket.getEpoch() > epoch) {
                return; // a newer transaction is partly visible: its /epoch follows
            }
            bucketsByTable.computeIfAbsent(parts[1], k -> new ArrayList<>()).add(bucket);
        }
        ClusterState.Builder state = ClusterState.newBuilder().setEpoch(epoch).addAllNodes(readNodes());
        for (Map.Entry<String, TableSpec> e : specs.entrySet()) {
            TablePlacement table = assemble(e.getValue(), bucketsByTable.getOrDefault(e.getKey(), List.of()));
            if (table != null) {
                state.addTables(table);
            }
        }
        publish(new ClusterSnapshot(state.build()));
        parsed.keySet().removeIf(path -> (path.startsWith(ZkPaths.PLACEMENT + "/") || path.startsWith(ZkPaths.TABLES + "/")
                || path.startsWith(ZkPaths.NODES + "/") || path.startsWith(ZkPaths.NODE_STATE + "/"))
                && !live(path));
        if (!placementSeen) {
            synchronized (monitor) {
                placementSeen = true;
                monitor.notifyAll();
            }
        }
    }

    private static TablePlacement assemble(TableSpec spec, List<TablePlacement> buckets) {
        List<ShardPlacement> shards = new ArrayList<>();
        long tableEpoch = spec.getCreatedEpoch();
        for (TablePlacement b : buckets) {
            shards.addAll(b.getShardsList());
            tableEpoch = Math.max(tableEpoch, b.getEpoch());
        }
        shards.sort(Comparator.comparingInt(ShardPlacement::getShard));
        if (shards.size() != spec.getShardCount()) {
            log.warn("table {} has {} of its {} shards placed; left out of the view", spec.getName(), shards.size(), spec.getShardCount());
            return null;
        }
        for (int i = 0; i < shards.size(); i++) {
            if (shards.get(i).getShard() != i) {
                log.warn("table {} has no placement for shard {}; left out of the view", spec.getName(), i);
                return null;
            }
        }
        return TablePlacement.newBuilder().setSpec(spec).addAllShards(shards).setEpoch(tableEpoch).build();
    }

    private void publish(ClusterSnapshot next) {
        synchronized (monitor) {
            snapshot = next;
            monitor.notifyAll();
        }
        for (Consumer<ClusterSnapshot> l : listeners) {
            try {
                l.accept(next);
            } catch (RuntimeException e) {
                log.error("cluster view listener failed", e);
            }
        }
    }

    private boolean live(String path) {
        return (path.startsWith(ZkPaths.PLACEMENT + "/") ? placementCache : path.startsWith(ZkPaths.TABLES + "/") ? tablesCache
                : path.startsWith(ZkPaths.NODES + "/") ? nodesCache : nodeStateCache).get(path).isPresent();
    }

    /** The child name of {@code path} directly under {@code parent}, or null. */
    private static String child(String parent, String path) {
        if (!path.startsWith(parent + "/")) {
            return null;
        }
        String rest = path.substring(parent.length() + 1);
        return rest.isEmpty() || rest.contains("/") ? null : rest;
    }

    /** Parses (once per znode version) a cached znode; null for empty or corrupt data. */
    @SuppressWarnings("unchecked")
    private <T extends com.google.protobuf.Message> T parse(ChildData d, com.google.protobuf.Message.Builder builder) {
        long mzxid = d.getStat() == null ? -1 : d.getStat().getMzxid();
        Parsed<?> p = parsed.get(d.getPath());
        if (p != null && p.mzxid == mzxid && mzxid != -1 && p.type == builder.getDescriptorForType()) {
            return (T) p.value;
        }
        if (d.getData() == null || d.getData().length == 0) {
            return null;
        }
        try {
            T value = ProtoJson.read(d.getData(), builder, d.getPath());
            parsed.put(d.getPath(), new Parsed<>(mzxid, builder.getDescriptorForType(), value));
            return value;
        } catch (CorruptMetadataException e) {
            log.error("{}", e.getMessage());
            return null;
        }
    }

    private record Parsed<T>(long mzxid, com.google.protobuf.Descriptors.Descriptor type, T value) {
    }
}
