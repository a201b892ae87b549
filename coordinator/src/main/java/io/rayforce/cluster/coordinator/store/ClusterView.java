package io.rayforce.cluster.coordinator.store;

import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.meta.ZkPaths;
import io.rayforce.cluster.coordinator.proto.ClusterState;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.NodeState;
import io.rayforce.cluster.coordinator.proto.PlacementEpoch;
import io.rayforce.cluster.coordinator.proto.PlacementIndex;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live, read-only view of the cluster's metadata: {@link CuratorCache}s over {@code /nodes},
 * {@code /node-state}, {@code /tables}, {@code /placement} and {@code /epoch} (not the whole
 * namespace, so write locks and sequence counters never reach readers), turned into an immutable
 * {@link ClusterSnapshot} after every change. ZooKeeper pushes the changes; nothing polls.
 *
 * <p><b>Consistency at an epoch.</b> A snapshot labelled epoch E holds every table exactly as
 * written at E. The caches refresh znodes one by one, so at any moment they may hold a mix of
 * older and newer znodes; the view therefore publishes only a state it can verify: {@code /epoch}
 * lists the epoch of each table's latest change, each table's {@link PlacementIndex} lists the
 * epoch that wrote each of its buckets, and every bucket carries that epoch. A table whose spec,
 * index or buckets disagree is still loading, and the snapshot waits for the refreshes that are
 * on their way (each one triggers another attempt).
 *
 * <p><b>Membership.</b> Nodes joining or leaving and drain flags produce a new snapshot at the
 * same epoch: the epoch counts placement changes only. (The leader reacts to a node's loss by
 * marking its replicas DOWN, which is a placement change at E+1.)
 */
public final class ClusterView implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterView.class);
    /** How long the caches may disagree before the view re-reads the placement directly. */
    private static final long RESYNC_AFTER_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final CuratorFramework curator;
    private final CuratorCache nodesCache;
    private final CuratorCache nodeStateCache;
    private final CuratorCache tablesCache;
    private final CuratorCache placementCache;
    private final CuratorCache epochCache;
    private final ScheduledExecutorService builder;
    private final List<Consumer<ClusterSnapshot>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();
    private final Object monitor = new Object();
    private final CountDownLatch initialized = new CountDownLatch(5);
    private final AtomicBoolean placementQueued = new AtomicBoolean();
    private final AtomicBoolean membershipQueued = new AtomicBoolean();
    private final ConnectionStateListener connectionListener = this::connectionChanged;
    private volatile ClusterSnapshot snapshot = ClusterSnapshot.empty();
    private volatile boolean placementSeen;
    private volatile boolean connected = true;
    private volatile boolean closed;
    private long inconsistentSince;

    private ClusterView(CuratorFramework curator) {
        this.curator = curator;
        this.builder = Executors.newSingleThreadScheduledExecutor(r -> {
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
     * with {@link ZooKeeperUnavailableException} when the metadata does not load in time.
     */
    public static ClusterView start(CuratorFramework curator, Duration timeout) {
        ClusterView view = new ClusterView(curator);
        curator.getConnectionStateListenable().addListener(view.connectionListener);
        view.nodesCache.start();
        view.nodeStateCache.start();
        view.tablesCache.start();
        view.placementCache.start();
        view.epochCache.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!view.initialized.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                view.close();
                throw new ZooKeeperUnavailableException("cluster metadata did not load from ZooKeeper within " + timeout.toMillis() + " ms");
            }
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
     * in order, on the view's own thread, after {@link #snapshot()} already returns it. Listeners
     * should return quickly.
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
     * Reads the placement epoch stored in ZooKeeper now and waits until the view has reached it
     * (at most {@code timeout}): afterwards the snapshot is at least as new as the cluster was
     * when this was called.
     *
     * @throws ZooKeeperUnavailableException when ZooKeeper cannot be read
     * @throws TimeoutException when the view stays behind
     */
    public ClusterSnapshot catchUp(Duration timeout) throws InterruptedException, TimeoutException {
        long stored = readDirect(ZkPaths.EPOCH).map(d -> this.<PlacementEpoch>parse(d, PlacementEpoch.newBuilder()))
                .map(PlacementEpoch::getEpoch).orElse(0L);
        return awaitEpoch(stored, timeout);
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
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forAll((type, oldData, data) -> changed(placement))
                .forInitialized(() -> {
                    initialized.countDown();
                    if (initialized.getCount() == 0) {
                        changed(false);
                        changed(true);
                    }
                })
                .build());
        return cache;
    }

    private void connectionChanged(CuratorFramework client, ConnectionState state) {
        connected = state.isConnected();
        if (state == ConnectionState.RECONNECTED) {
            changed(false);
            changed(true);
        }
    }

    /** Queues one rebuild (several changes in a row coalesce into one). */
    private void changed(boolean placement) {
        if (closed || initialized.getCount() > 0) {
            return;
        }
        AtomicBoolean queued = placement ? placementQueued : membershipQueued;
        if (queued.compareAndSet(false, true)) {
            submit(() -> {
                queued.set(false);
                if (placement) {
                    rebuildPlacement(false);
                } else {
                    rebuildMembership();
                }
            });
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
            NodeState s = id == null ? null : parse(d, NodeState.newBuilder());
            if (s != null) {
                draining.put(id, s.getDraining());
            }
        }
        TreeMap<String, NodeInfo> nodes = new TreeMap<>();
        for (ChildData d : nodesCache.stream().toList()) {
            String id = child(ZkPaths.NODES, d.getPath());
            NodeInfo info = id == null ? null : parse(d, NodeInfo.newBuilder());
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

    /**
     * Publishes the placement at the epoch the caches show, when they are consistent at it (see
     * the class comment); {@code direct} reads ZooKeeper itself instead of the caches.
     */
    private void rebuildPlacement(boolean direct) {
        Function<String, Optional<ChildData>> source = direct ? this::readDirect : this::readCached;
        Optional<ChildData> epochData = source.apply(ZkPaths.EPOCH);
        PlacementEpoch epoch = epochData.map(d -> this.<PlacementEpoch>parse(d, PlacementEpoch.newBuilder()))
                .orElse(PlacementEpoch.getDefaultInstance());
        ClusterSnapshot current = snapshot;
        if (placementSeen && epoch.getEpoch() <= current.epoch() && !direct) {
            inconsistentSince = 0;
            return;
        }
        ClusterState.Builder state = ClusterState.newBuilder().setEpoch(epoch.getEpoch());
        String problem = null;
        for (Map.Entry<String, Long> t : new TreeMap<>(epoch.getTablesMap()).entrySet()) {
            Object table = table(source, t.getKey(), t.getValue());
            if (table instanceof TablePlacement placement) {
                state.addTables(placement);
            } else {
                problem = (String) table;
                if (!direct) {
                    break;
                }
                log.error("table {} left out of the view at epoch {}: {}", t.getKey(), epoch.getEpoch(), problem);
            }
        }
        if (problem == null && !direct) {
            for (ChildData d : tablesCache.stream().toList()) {
                String name = child(ZkPaths.TABLES, d.getPath());
                if (name != null && !epoch.getTablesMap().containsKey(name)) {
                    problem = "table " + name + " is not listed at epoch " + epoch.getEpoch();
                    break;
                }
            }
        }
        if (problem != null && !direct) {
            long now = System.nanoTime();
            if (inconsistentSince == 0) {
                inconsistentSince = now;
                recheckLater();
            } else if (now - inconsistentSince > RESYNC_AFTER_NANOS) {
                log.warn("cluster view caches still disagree ({}); reading the placement directly", problem);
                inconsistentSince = 0;
                rebuildPlacement(true);
            }
            return;
        }
        inconsistentSince = 0;
        if (direct && placementSeen && epoch.getEpoch() <= current.epoch()) {
            return;
        }
        publish(new ClusterSnapshot(state.addAllNodes(readNodes()).build()));
        pruneParsed();
        if (!placementSeen) {
            synchronized (monitor) {
                placementSeen = true;
                monitor.notifyAll();
            }
        }
    }

    /** Looks again in a second, so a state that stays inconsistent without events gets resynced. */
    private void recheckLater() {
        try {
            builder.schedule(() -> changed(true), 1, TimeUnit.SECONDS);
            builder.schedule(() -> changed(true), RESYNC_AFTER_NANOS + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    /** The table as of its change at {@code tableEpoch}, or a String saying what is not there yet. */
    private Object table(Function<String, Optional<ChildData>> source, String name, long tableEpoch) {
        TableSpec spec = source.apply(ZkPaths.table(name)).map(d -> this.<TableSpec>parse(d, TableSpec.newBuilder())).orElse(null);
        PlacementIndex index = source.apply(ZkPaths.placement(name)).map(d -> this.<PlacementIndex>parse(d, PlacementIndex.newBuilder())).orElse(null);
        if (spec == null || index == null) {
            return "table " + name + " has no " + (spec == null ? "spec" : "placement index") + " yet";
        }
        if (index.getEpoch() != tableEpoch || index.getCreatedEpoch() != spec.getCreatedEpoch()) {
            return "table " + name + " index is at epoch " + index.getEpoch() + ", not " + tableEpoch;
        }
        if (index.getSpecEpoch() != spec.getSpecEpoch()) {
            return "table " + name + " spec is of epoch " + spec.getSpecEpoch() + ", its index of " + index.getSpecEpoch();
        }
        int buckets = ZkPaths.bucketCount(spec.getShardCount());
        if (index.getBucketEpochsCount() != buckets) {
            return "table " + name + " index lists " + index.getBucketEpochsCount() + " buckets, not " + buckets;
        }
        List<ShardPlacement> shards = new ArrayList<>(spec.getShardCount());
        for (int b = 0; b < buckets; b++) {
            TablePlacement bucket = source.apply(ZkPaths.bucket(name, b))
                    .map(d -> this.<TablePlacement>parse(d, TablePlacement.newBuilder())).orElse(null);
            if (bucket == null || bucket.getEpoch() != index.getBucketEpochs(b)) {
                return "table " + name + " bucket " + b + " is not at epoch " + index.getBucketEpochs(b);
            }
            shards.addAll(bucket.getShardsList());
        }
        for (int i = 0; i < shards.size(); i++) {
            if (shards.get(i).getShard() != i) {
                return "table " + name + " has no placement for shard " + i;
            }
        }
        if (shards.size() != spec.getShardCount()) {
            return "table " + name + " places " + shards.size() + " of its " + spec.getShardCount() + " shards";
        }
        return TablePlacement.newBuilder().setSpec(spec).addAllShards(shards).setEpoch(tableEpoch).build();
    }

    private Optional<ChildData> readCached(String path) {
        CuratorCache cache = path.equals(ZkPaths.EPOCH) ? epochCache
                : path.startsWith(ZkPaths.TABLES + "/") ? tablesCache : placementCache;
        return cache.get(path);
    }

    private Optional<ChildData> readDirect(String path) {
        try {
            Stat stat = new Stat();
            byte[] data = curator.getData().storingStatIn(stat).forPath(path);
            return Optional.of(new ChildData(path, stat, data));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw new ZooKeeperUnavailableException("cannot read " + path + ": " + e.getMessage(), e);
        }
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

    private void pruneParsed() {
        parsed.keySet().removeIf(path -> {
            CuratorCache c = path.startsWith(ZkPaths.PLACEMENT) ? placementCache : path.startsWith(ZkPaths.TABLES) ? tablesCache
                    : path.startsWith(ZkPaths.NODES + "/") ? nodesCache : path.startsWith(ZkPaths.NODE_STATE) ? nodeStateCache : epochCache;
            return c.get(path).isEmpty();
        });
    }

    /** The child name of {@code path} directly under {@code parent}, or null. */
    private static String child(String parent, String path) {
        if (!path.startsWith(parent + "/")) {
            return null;
        }
        String rest = path.substring(parent.length() + 1);
        return rest.isEmpty() || rest.contains("/") ? null : rest;
    }

    /** Parses (once per znode version) a znode; null for empty or corrupt data. */
    @SuppressWarnings("unchecked")
    private <T extends Message> T parse(ChildData d, Message.Builder builder) {
        long mzxid = d.getStat() == null ? -1 : d.getStat().getMzxid();
        Parsed p = parsed.get(d.getPath());
        if (p != null && p.mzxid == mzxid && mzxid != -1 && p.type == builder.getDescriptorForType()) {
            return (T) p.value;
        }
        if (d.getData() == null || d.getData().length == 0) {
            return null;
        }
        try {
            T value = ProtoJson.read(d.getData(), builder, d.getPath());
            parsed.put(d.getPath(), new Parsed(mzxid, builder.getDescriptorForType(), value));
            return value;
        } catch (CorruptMetadataException e) {
            log.error("{}", e.getMessage());
            return null;
        }
    }

    private record Parsed(long mzxid, Descriptors.Descriptor type, Message value) {
    }
}
