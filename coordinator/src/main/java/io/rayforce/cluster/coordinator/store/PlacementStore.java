package io.rayforce.cluster.coordinator.store;

import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.meta.ZkPaths;
import io.rayforce.cluster.coordinator.proto.NodeState;
import io.rayforce.cluster.coordinator.proto.PlacementEpoch;
import io.rayforce.cluster.coordinator.proto.PlacementIndex;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every write of placement metadata. Each change is one ZooKeeper transaction that rewrites the
 * changed bucket znodes ({@link ZkPaths#SHARDS_PER_BUCKET} shards each, tagged with the new
 * epoch), the changed tables' {@link PlacementIndex} ({@code /placement/<table>}), and then sets
 * {@code /epoch} from E to E+1 with a version check, so concurrent writers serialize: the loser
 * re-reads and applies its change again to the newer state. {@code /epoch} also records the
 * epoch of each table's latest change, which lets readers verify their caches (see
 * {@link ClusterView}).
 *
 * <p>Changes too big for one transaction (more than {@link #TRANSACTION_BUDGET_BYTES} of payload)
 * are committed as several consecutive epochs, each a valid placement; a new table too big for
 * one transaction has its buckets written first (invisible to readers until the table is listed
 * in {@code /epoch}) and appears whole at one epoch.
 *
 * <p>Reads come from a {@link ClusterView}. A store may be fenced: with a fence path (the
 * leader's latch znode) every transaction also checks that znode exists, so a coordinator that
 * lost leadership cannot write.
 */
public final class PlacementStore {
    /** Payload bytes per transaction, well under ZooKeeper's 1 MB request limit. */
    public static final int TRANSACTION_BUDGET_BYTES = 256 * 1024;
    /** How long {@link #currentSnapshot()} waits for the view. */
    public static final Duration CATCH_UP = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(PlacementStore.class);

    private final CuratorFramework curator;
    private final ClusterView view;
    private final Supplier<String> fence;
    private final Duration timeout;
    private final DdlLocks ddlLocks;

    /** A store that writes with no fence and gives up on a change after 30 s of conflicts. */
    public PlacementStore(CuratorFramework curator, ClusterView view) {
        this(curator, view, null, Duration.ofSeconds(30), new DdlLocks());
    }

    private PlacementStore(CuratorFramework curator, ClusterView view, Supplier<String> fence, Duration timeout, DdlLocks ddlLocks) {
        this.curator = curator;
        this.view = view;
        this.fence = fence;
        this.timeout = timeout;
        this.ddlLocks = ddlLocks;
    }

    /** This store (sharing its table locks) with every write conditional on the znode {@code fencePath.get()} existing. */
    public PlacementStore fencedBy(Supplier<String> fencePath) {
        return new PlacementStore(curator, view, fencePath, timeout, ddlLocks);
    }

    /** This store (sharing its table locks) giving up (with {@link PlacementConflictException}) after {@code timeout}. */
    public PlacementStore withTimeout(Duration newTimeout) {
        return new PlacementStore(curator, view, fence, newTimeout, ddlLocks);
    }

    /**
     * Takes this process's lock of a table name (see {@link DdlLocks}), which {@link #createTable}
     * and {@link #dropTable} take too: held across a whole create or drop, it keeps another one of
     * the same name from interleaving.
     */
    public DdlLocks.Held lockTable(String name) {
        return ddlLocks.lock(name);
    }

    public ClusterView view() {
        return view;
    }

    /** Creates the persistent folders and {@code /epoch} (at 0) when missing. Idempotent. */
    public static void ensureLayout(CuratorFramework curator) {
        try {
            for (String p : List.of(ZkPaths.NODES, ZkPaths.NODE_STATE, ZkPaths.TABLES, ZkPaths.PLACEMENT,
                    ZkPaths.ROUTERS, ZkPaths.SEQ)) {
                if (curator.checkExists().forPath(p) == null) {
                    try {
                        curator.create().creatingParentsIfNeeded().forPath(p);
                    } catch (KeeperException.NodeExistsException ignored) {
                        // created concurrently
                    }
                }
            }
            if (curator.checkExists().forPath(ZkPaths.EPOCH) == null) {
                try {
                    curator.create().forPath(ZkPaths.EPOCH, ProtoJson.write(PlacementEpoch.newBuilder().setEpoch(0).build()));
                } catch (KeeperException.NodeExistsException ignored) {
                    // created concurrently
                }
            }
        } catch (Exception e) {
            throw new ZooKeeperUnavailableException("cannot prepare the cluster's ZooKeeper layout: " + e.getMessage(), e);
        }
    }

    // -----------------------------------------------------------------------------------------
    // Tables

    /**
     * Writes a new table: its spec (with {@code created_epoch} set to the new epoch) and every
     * shard's replicas, visible to readers at one epoch.
     *
     * @param placement the spec and a placement for every shard 0..shard_count-1
     * @return the placement as written
     * @throws TableExistsException when a table of that name exists
     */
    @SuppressWarnings("try") // the table lock is held for the block
    public TablePlacement createTable(TablePlacement placement) {
        try (DdlLocks.Held held = lockTable(placement.getSpec().getName())) {
            return createTableOnce(placement);
        }
    }

    private TablePlacement createTableOnce(TablePlacement placement) {
        TableSpec spec = placement.getSpec();
        String name = spec.getName();
        checkComplete(placement);
        ConflictRetry retry = retry("create table " + name);
        TableSpec attempted = null;
        while (true) {
            EpochRead epoch = readEpoch();
            long next = epoch.value() + 1;
            TableSpec stamped = spec.toBuilder().setCreatedEpoch(next).build();
            List<ShardPlacement> shards = stamp(null, placement.getShardsList(), next);
            List<Bucket> buckets = buckets(name, shards, next);
            PlacementIndex.Builder index = PlacementIndex.newBuilder().setCreatedEpoch(next).setEpoch(next);
            buckets.forEach(b -> index.addBucketEpochs(next));
            TablePlacement written = TablePlacement.newBuilder().setSpec(stamped).addAllShards(shards).setEpoch(next).build();
            try {
                TableSpec existing = readSpec(name);
                if (existing != null) {
                    if (attempted != null && attempted.getCreatedEpoch() == existing.getCreatedEpoch() && attempted.equals(existing)) {
                        return written.toBuilder().setSpec(existing).build(); // ours; its reply was lost
                    }
                    throw new TableExistsException("table " + name + " already exists");
                }
                attempted = stamped;
                removeOrphanPlacement(name);
                int bytes = 0;
                for (Bucket b : buckets) {
                    bytes += b.data().length;
                }
                Transaction tx = new Transaction(curator);
                addFence(tx);
                List<Bucket> last = buckets;
                if (bytes <= TRANSACTION_BUDGET_BYTES) {
                    tx.create(ZkPaths.placement(name), ProtoJson.write(index.build()));
                } else {
                    // Too big for one transaction: stage all but the last bucket while /epoch does
                    // not list the table (readers ignore such buckets), then check them in the
                    // final transaction.
                    curator.create().forPath(ZkPaths.placement(name));
                    List<Bucket> staged = buckets.subList(0, buckets.size() - 1);
                    stageBuckets(staged);
                    tx.setData(ZkPaths.placement(name), ProtoJson.write(index.build()), 0);
                    for (Bucket b : staged) {
                        tx.check(b.path(), 0);
                    }
                    last = buckets.subList(buckets.size() - 1, buckets.size());
                }
                for (Bucket b : last) {
                    tx.create(b.path(), b.data());
                }
                tx.create(ZkPaths.table(name), ProtoJson.write(stamped));
                setEpoch(tx, epoch, Map.of(name, next), List.of());
                tx.commit();
                log.info("created table {} ({} shards) at epoch {}", name, spec.getShardCount(), next);
                return written;
            } catch (Exception e) {
                retry.takeException(e); // after a conflict, the next attempt cleans up leftovers first
            }
        }
    }

    /**
     * Removes a table's spec and placement at one new epoch (readers stop seeing it), then its
     * row sequence.
     *
     * @return the epoch at which the table disappeared
     * @throws NoSuchTableException when there is no such table
     */
    @SuppressWarnings("try") // the table lock is held for the block
    public long dropTable(String name) {
        try (DdlLocks.Held held = lockTable(name)) {
            return dropTableOnce(name);
        }
    }

    private long dropTableOnce(String name) {
        ConflictRetry retry = retry("drop table " + name);
        while (true) {
            EpochRead epoch = readEpoch();
            try {
                if (curator.checkExists().forPath(ZkPaths.table(name)) == null) {
                    throw new NoSuchTableException("no table " + name);
                }
                List<String> children = children(ZkPaths.placement(name));
                Transaction tx = new Transaction(curator);
                addFence(tx);
                tx.delete(ZkPaths.table(name));
                for (String c : children) {
                    tx.delete(ZkPaths.placement(name) + "/" + c);
                }
                tx.delete(ZkPaths.placement(name));
                setEpoch(tx, epoch, Map.of(), List.of(name));
                tx.commit();
                deleteQuietly(ZkPaths.sequence(name));
                log.info("dropped table {} at epoch {}", name, epoch.value() + 1);
                return epoch.value() + 1;
            } catch (Exception e) {
                retry.takeException(e);
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Placement changes

    /**
     * Applies {@code change} to the current snapshot and commits the result (see
     * {@link PlacementChange}). Retries on conflicts until the store's timeout.
     */
    public PlacementCommit update(PlacementChange change) {
        ConflictRetry retry = retry("change placement");
        boolean changed = false;
        while (true) {
            EpochRead epoch = readEpoch();
            ClusterSnapshot base = viewAt(epoch.value(), retry.deadline());
            if (base.epoch() != epoch.value()) {
                continue; // the epoch moved while we waited for the view
            }
            long next = epoch.value() + 1;
            List<Bucket> writes = new ArrayList<>();
            for (TablePlacement t : change.apply(base)) {
                writes.addAll(changedBuckets(base, t, next));
            }
            if (writes.isEmpty()) {
                return new PlacementCommit(epoch.value(), changed);
            }
            int n = 0;
            int bytes = 0;
            while (n < writes.size() && (n == 0 || bytes + writes.get(n).data().length <= TRANSACTION_BUDGET_BYTES)) {
                bytes += writes.get(n).data().length;
                n++;
            }
            try {
                Transaction tx = new Transaction(curator);
                addFence(tx);
                Map<String, PlacementIndex.Builder> indexes = new TreeMap<>();
                for (Bucket b : writes.subList(0, n)) {
                    tx.setData(b.path(), b.data());
                    PlacementIndex.Builder index = indexes.get(b.table());
                    if (index == null) {
                        index = readIndex(b.table()).toBuilder().setEpoch(next);
                        indexes.put(b.table(), index);
                    }
                    index.setBucketEpochs(b.number(), next);
                }
                Map<String, Long> tables = new HashMap<>();
                for (Map.Entry<String, PlacementIndex.Builder> e : indexes.entrySet()) {
                    tx.setData(ZkPaths.placement(e.getKey()), ProtoJson.write(e.getValue().build()));
                    tables.put(e.getKey(), next);
                }
                setEpoch(tx, epoch, tables, List.of());
                tx.commit();
                changed = true;
                if (n == writes.size()) {
                    return new PlacementCommit(next, true);
                }
                // the rest goes in the next epoch: apply the change again to the state just written
            } catch (Exception e) {
                retry.takeException(e);
            }
        }
    }

    /**
     * Replaces a table's spec and its whole placement at one new epoch: a replication factor
     * change, or a reshard (the shard count may grow). The spec's {@code created_epoch} stays, its
     * {@code spec_epoch} becomes the new epoch (as does the index's), every bucket is rewritten,
     * and buckets the new shard count no longer needs are deleted. {@code change} is applied to the
     * current placement (again after a lost race) and answers it unchanged to do nothing.
     *
     * @throws NoSuchTableException when there is no such table
     * @throws IllegalArgumentException when the result is incomplete, renames the table, or is
     *         too large for one transaction
     */
    public PlacementCommit replaceTable(String name, java.util.function.UnaryOperator<TablePlacement> change) {
        ConflictRetry retry = retry("change table " + name);
        while (true) {
            EpochRead epoch = readEpoch();
            ClusterSnapshot base = viewAt(epoch.value(), retry.deadline());
            if (base.epoch() != epoch.value()) {
                continue;
            }
            TablePlacement old = base.table(name).orElseThrow(() -> new NoSuchTableException("no table " + name));
            TablePlacement asked = change.apply(old);
            if (asked.equals(old)) {
                return new PlacementCommit(epoch.value(), false);
            }
            long next = epoch.value() + 1;
            TableSpec spec = asked.getSpec().toBuilder().setCreatedEpoch(old.getSpec().getCreatedEpoch()).setSpecEpoch(next).build();
            if (!spec.getName().equals(name)) {
                throw new IllegalArgumentException("a table change cannot rename table " + name);
            }
            TablePlacement full = asked.toBuilder().setSpec(spec).build();
            checkComplete(full);
            List<ShardPlacement> shards = stamp(spec.getShardCount() == old.getSpec().getShardCount() ? old.getShardsList() : null,
                    full.getShardsList(), next);
            List<Bucket> buckets = buckets(name, shards, next);
            int bytes = 0;
            for (Bucket b : buckets) {
                bytes += b.data().length;
            }
            if (bytes > TRANSACTION_BUDGET_BYTES) {
                throw new IllegalArgumentException("table " + name + " would have " + bytes + " bytes of placement, more than one "
                        + "change may write (" + TRANSACTION_BUDGET_BYTES + ")");
            }
            int oldBuckets = ZkPaths.bucketCount(old.getSpec().getShardCount());
            try {
                Transaction tx = new Transaction(curator);
                addFence(tx);
                PlacementIndex.Builder index = readIndex(name).toBuilder().setEpoch(next).setSpecEpoch(next).clearBucketEpochs();
                for (Bucket b : buckets) {
                    if (b.number() < oldBuckets) {
                        tx.setData(b.path(), b.data());
                    } else {
                        tx.create(b.path(), b.data());
                    }
                    index.addBucketEpochs(next);
                }
                for (int b = buckets.size(); b < oldBuckets; b++) {
                    tx.delete(ZkPaths.bucket(name, b));
                }
                tx.setData(ZkPaths.placement(name), ProtoJson.write(index.build()));
                tx.setData(ZkPaths.table(name), ProtoJson.write(spec));
                setEpoch(tx, epoch, Map.of(name, next), List.of());
                tx.commit();
                log.info("table {} changed at epoch {}: {} shards, replication {}", name, next, spec.getShardCount(),
                        spec.getReplicationFactor());
                return new PlacementCommit(next, true);
            } catch (Exception e) {
                retry.takeException(e);
            }
        }
    }

    /**
     * Sets the state of one replica (for example STALE after a failed write, or DOWN). No change
     * when the replica is already in that state.
     *
     * @throws NoSuchTableException when the table does not exist
     * @throws IllegalArgumentException when the shard has no replica on that node
     */
    public PlacementCommit setReplicaState(String table, int shard, String nodeId, ReplicaState state) {
        return update(snap -> {
            TablePlacement t = snap.table(table).orElseThrow(() -> new NoSuchTableException("no table " + table));
            if (shard < 0 || shard >= t.getShardsCount()) {
                throw new IllegalArgumentException("table " + table + " has no shard " + shard);
            }
            ShardPlacement s = t.getShards(shard);
            int i = indexOf(s, nodeId);
            if (i < 0) {
                throw new IllegalArgumentException("shard " + table + "/" + shard + " has no replica on node " + nodeId);
            }
            if (s.getReplicas(i).getState() == state) {
                return List.of();
            }
            ShardPlacement ns = s.toBuilder().setReplicas(i, s.getReplicas(i).toBuilder().setState(state)).build();
            return List.of(t.toBuilder().setShards(shard, ns).build());
        });
    }

    /** Sets or clears a node's draining flag ({@code /node-state/<id>}); not a placement change. */
    public void setDraining(String nodeId, boolean draining) {
        byte[] data = ProtoJson.write(NodeState.newBuilder().setDraining(draining).build());
        try {
            String path = ZkPaths.nodeState(nodeId);
            if (curator.checkExists().forPath(path) == null) {
                try {
                    curator.create().creatingParentsIfNeeded().forPath(path, data);
                    return;
                } catch (KeeperException.NodeExistsException ignored) {
                    // fall through to set
                }
            }
            curator.setData().forPath(path, data);
        } catch (Exception e) {
            throw new ZooKeeperUnavailableException("cannot set draining=" + draining + " for node " + nodeId + ": " + e.getMessage(), e);
        }
    }

    /** The placement epoch as stored now (a ZooKeeper read, not the view). */
    public long currentEpoch() {
        return readEpoch().value();
    }

    /**
     * The view's snapshot once it has caught up with the epoch stored now, so it shows every
     * placement change committed before this call.
     *
     * @throws TimeoutException when the view does not catch up within {@link #CATCH_UP}
     */
    public ClusterSnapshot currentSnapshot() throws InterruptedException, TimeoutException {
        return view.awaitEpoch(currentEpoch(), CATCH_UP);
    }

    // -----------------------------------------------------------------------------------------

    private record EpochRead(PlacementEpoch record, int version) {
        long value() {
            return record.getEpoch();
        }
    }

    private record Bucket(String table, int number, String path, byte[] data) {
    }

    private TableSpec readSpec(String name) throws Exception {
        try {
            return ProtoJson.read(curator.getData().forPath(ZkPaths.table(name)), TableSpec.newBuilder(), ZkPaths.table(name));
        } catch (KeeperException.NoNodeException e) {
            return null;
        }
    }

    private PlacementIndex readIndex(String name) throws Exception {
        try {
            return ProtoJson.read(curator.getData().forPath(ZkPaths.placement(name)), PlacementIndex.newBuilder(), ZkPaths.placement(name));
        } catch (KeeperException.NoNodeException e) {
            throw new NoSuchTableException("no table " + name);
        }
    }

    private EpochRead readEpoch() {
        try {
            Stat stat = new Stat();
            byte[] data = curator.getData().storingStatIn(stat).forPath(ZkPaths.EPOCH);
            return new EpochRead(ProtoJson.read(data, PlacementEpoch.newBuilder(), ZkPaths.EPOCH), stat.getVersion());
        } catch (KeeperException.NoNodeException e) {
            ensureLayout(curator);
            return readEpoch();
        } catch (CorruptMetadataException e) {
            throw e;
        } catch (Exception e) {
            throw new ZooKeeperUnavailableException("cannot read the placement epoch: " + e.getMessage(), e);
        }
    }

    /** Adds the versioned write of /epoch (E+1, with the changed and dropped tables) as the last operation. */
    private static void setEpoch(Transaction tx, EpochRead epoch, Map<String, Long> changed, List<String> dropped) throws Exception {
        PlacementEpoch.Builder next = epoch.record().toBuilder().setEpoch(epoch.value() + 1).putAllTables(changed);
        dropped.forEach(next::removeTables);
        tx.setData(ZkPaths.EPOCH, ProtoJson.write(next.build()), epoch.version());
    }

    private void addFence(Transaction tx) throws Exception {
        if (fence != null) {
            String path = fence.get();
            if (path == null) {
                throw new FencedException("cannot change placement: not the placement leader");
            }
            tx.check(path);
        }
    }

    private ClusterSnapshot viewAt(long epoch, long deadline) {
        try {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            return view.awaitEpoch(epoch, Duration.ofMillis(left));
        } catch (TimeoutException e) {
            throw new PlacementConflictException("the cluster view did not reach epoch " + epoch + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlacementConflictException("interrupted while waiting for epoch " + epoch);
        }
    }

    /** The retry rule of one write, its timeout counted from now. */
    private ConflictRetry retry(String what) {
        return new ConflictRetry(what, timeout, fence);
    }

    /** The buckets of {@code next} that differ from the base snapshot, stamped for epoch {@code epoch}. */
    private static List<Bucket> changedBuckets(ClusterSnapshot base, TablePlacement next, long epoch) {
        String name = next.getSpec().getName();
        TablePlacement old = base.table(name).orElseThrow(() -> new NoSuchTableException("no table " + name));
        if (!old.getSpec().equals(next.getSpec())) {
            throw new IllegalArgumentException("a placement change cannot change the spec of table " + name);
        }
        if (next.getShardsCount() != old.getShardsCount()) {
            throw new IllegalArgumentException("a placement change cannot change the shard count of table " + name);
        }
        for (int i = 0; i < next.getShardsCount(); i++) {
            ShardPlacement s = next.getShards(i);
            if (s.getShard() != i) {
                throw new IllegalArgumentException("placement of table " + name + " lists shard " + s.getShard() + " at position " + i);
            }
            Set<String> nodes = new HashSet<>();
            for (Replica r : s.getReplicasList()) {
                if (!nodes.add(r.getNodeId())) {
                    throw new IllegalArgumentException("shard " + name + "/" + i + " would have two replicas on node " + r.getNodeId());
                }
            }
        }
        List<ShardPlacement> stamped = stamp(old.getShardsList(), next.getShardsList(), epoch);
        List<Bucket> out = new ArrayList<>();
        int buckets = ZkPaths.bucketCount(old.getShardsCount());
        for (int b = 0; b < buckets; b++) {
            int from = b * ZkPaths.SHARDS_PER_BUCKET;
            int to = Math.min(from + ZkPaths.SHARDS_PER_BUCKET, old.getShardsCount());
            if (!sameIgnoringSince(old.getShardsList().subList(from, to), stamped.subList(from, to))) {
                byte[] data = ProtoJson.write(TablePlacement.newBuilder().addAllShards(stamped.subList(from, to)).setEpoch(epoch).build());
                out.add(new Bucket(name, b, ZkPaths.bucket(name, b), data));
            }
        }
        return out;
    }

    private static boolean sameIgnoringSince(List<ShardPlacement> a, List<ShardPlacement> b) {
        for (int i = 0; i < a.size(); i++) {
            ShardPlacement x = a.get(i);
            ShardPlacement y = b.get(i);
            if (x.getShard() != y.getShard() || x.getReplicasCount() != y.getReplicasCount()) {
                return false;
            }
            for (int r = 0; r < x.getReplicasCount(); r++) {
                if (!x.getReplicas(r).getNodeId().equals(y.getReplicas(r).getNodeId())
                        || x.getReplicas(r).getState() != y.getReplicas(r).getState()) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * {@code next} with {@code since_epoch} kept for replicas whose node and state are unchanged
     * from {@code old} and set to {@code epoch} for the others.
     */
    static List<ShardPlacement> stamp(List<ShardPlacement> old, List<ShardPlacement> next, long epoch) {
        List<ShardPlacement> out = new ArrayList<>(next.size());
        for (int i = 0; i < next.size(); i++) {
            ShardPlacement s = next.get(i);
            Map<String, Replica> before = new HashMap<>();
            if (old != null && i < old.size()) {
                old.get(i).getReplicasList().forEach(r -> before.put(r.getNodeId(), r));
            }
            ShardPlacement.Builder sb = s.toBuilder().clearReplicas();
            for (Replica r : s.getReplicasList()) {
                Replica prev = before.get(r.getNodeId());
                long since = prev != null && prev.getState() == r.getState() ? prev.getSinceEpoch() : epoch;
                sb.addReplicas(r.toBuilder().setSinceEpoch(since));
            }
            out.add(sb.build());
        }
        return out;
    }

    private static List<Bucket> buckets(String table, List<ShardPlacement> shards, long epoch) {
        List<Bucket> out = new ArrayList<>();
        for (int b = 0; b < ZkPaths.bucketCount(shards.size()); b++) {
            int from = b * ZkPaths.SHARDS_PER_BUCKET;
            int to = Math.min(from + ZkPaths.SHARDS_PER_BUCKET, shards.size());
            out.add(new Bucket(table, b, ZkPaths.bucket(table, b),
                    ProtoJson.write(TablePlacement.newBuilder().addAllShards(shards.subList(from, to)).setEpoch(epoch).build())));
        }
        return out;
    }

    private void stageBuckets(List<Bucket> buckets) throws Exception {
        Transaction tx = new Transaction(curator);
        int bytes = 0;
        for (Bucket b : buckets) {
            if (!tx.isEmpty() && bytes + b.data().length > TRANSACTION_BUDGET_BYTES) {
                tx.commit();
                tx = new Transaction(curator);
                bytes = 0;
            }
            tx.create(b.path(), b.data());
            bytes += b.data().length;
        }
        if (!tx.isEmpty()) {
            tx.commit();
        }
    }

    /** Deletes what a create that never finished left under /placement/<table> (no spec exists). */
    private void removeOrphanPlacement(String name) throws Exception {
        if (curator.checkExists().forPath(ZkPaths.placement(name)) != null
                && curator.checkExists().forPath(ZkPaths.table(name)) == null) {
            log.info("removing the unfinished placement of table {}", name);
            try {
                curator.delete().deletingChildrenIfNeeded().forPath(ZkPaths.placement(name));
            } catch (KeeperException.NoNodeException ignored) {
                // removed concurrently
            }
        }
    }

    private List<String> children(String path) throws Exception {
        try {
            return curator.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        }
    }

    private void deleteQuietly(String path) {
        try {
            curator.delete().forPath(path);
        } catch (Exception ignored) {
            // best effort: absent, or recreated concurrently
        }
    }

    private static int indexOf(ShardPlacement s, String nodeId) {
        for (int i = 0; i < s.getReplicasCount(); i++) {
            if (s.getReplicas(i).getNodeId().equals(nodeId)) {
                return i;
            }
        }
        return -1;
    }

    private static void checkComplete(TablePlacement placement) {
        TableSpec spec = placement.getSpec();
        if (placement.getShardsCount() != spec.getShardCount()) {
            throw new IllegalArgumentException("table " + spec.getName() + " has " + spec.getShardCount()
                    + " shards but a placement for " + placement.getShardsCount());
        }
        for (int i = 0; i < placement.getShardsCount(); i++) {
            if (placement.getShards(i).getShard() != i) {
                throw new IllegalArgumentException("placement of table " + spec.getName() + " lists shard "
                        + placement.getShards(i).getShard() + " at position " + i);
            }
        }
        for (ShardPlacement s : placement.getShardsList()) {
            for (Replica r : s.getReplicasList()) {
                if (r.getState() == ReplicaState.REPLICA_STATE_UNSPECIFIED) {
                    throw new IllegalArgumentException("replica of " + spec.getName() + "/" + s.getShard() + " on " + r.getNodeId() + " has no state");
                }
            }
        }
    }
}
