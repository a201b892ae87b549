package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.coordinator.security.ClusterSecurity;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.exec.Executor;
import io.rayforce.cluster.router.exec.NodeConnections;
import io.rayforce.cluster.router.exec.PlacementSource;
import io.rayforce.cluster.router.plan.ScratchEngine;
import io.rayforce.cluster.router.read.ReadLocks;
import io.rayforce.cluster.router.read.ReadPath;
import io.rayforce.cluster.router.services.ClusterServices;
import io.rayforce.cluster.router.services.ControlPlane;
import io.rayforce.cluster.router.statement.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The router's write path (docs/router.md): carries out the statements that change data
 * ({@code insert}, {@code upsert}, {@code update}, {@code delete} of a cluster table, an ipcsave
 * ({@code set}), and the copy forms that answer a changed table), and offers the admin functions
 * what they change tables with. Its reads' side of atomic visibility is {@link #readLocks()}.
 */
public final class WritePath implements AutoCloseable {
    private final NodeConnections connections;
    private final WriteKit kit;
    private final TableCreator creator;
    private final InsertWriter inserts;
    private final UpsertWriter upserts;
    private final MutationWriter mutations;
    private final ShardRebuild rebuild;
    private final TableSaver saver;
    private final CopyForms copies;

    /**
     * @param services the cluster services, made on first use (null when this router has no
     *                 ZooKeeper: then writes fail, naming why)
     */
    public WritePath(PlacementSource placement, ClientOptions nodeOptions, ScratchEngine scratch, ReadPath read,
            Supplier<ClusterServices> services) {
        this(placement, nodeOptions, scratch, read, services, ClusterSecurity.NONE);
    }

    /** @param security the cluster secret the engines' passwords derive from, or none */
    public WritePath(PlacementSource placement, ClientOptions nodeOptions, ScratchEngine scratch, ReadPath read,
            Supplier<ClusterServices> services, ClusterSecurity security) {
        this.connections = new NodeConnections(nodeOptions.withMaxFrameBytes(Integer.MAX_VALUE - 8), 4, security);
        ReadPath complete = (tree, o) -> read.read(tree, new QueryOptions(o.timeout(), false, o.hedgeAfter()));
        // every write request is sent only while this router still holds its table's write lock (WriteFence)
        ReplicaWrites.Fence fence = table -> {
            ClusterServices s = services.get();
            return s == null ? CompletableFuture.completedFuture(null) : s.writeFence().beforeSend(table);
        };
        this.kit = new WriteKit(placement, services, new ReplicaWrites(connections, fence), new Executor(connections), scratch,
                complete);
        this.creator = new TableCreator(kit);
        this.inserts = new InsertWriter(kit);
        this.upserts = new UpsertWriter(kit);
        this.mutations = new MutationWriter(kit);
        this.rebuild = new ShardRebuild(kit);
        this.copies = new CopyForms(kit);
        this.saver = new TableSaver(kit, inserts, creator, rebuild, copies);
    }

    /**
     * The read locks of the cluster tables a query reads, held while it reads (docs/architecture.md,
     * Atomic visibility); nothing when it names none or this router has no ZooKeeper.
     */
    public ReadLocks readLocks() {
        return kit.readLocks;
    }

    /**
     * Carries out a statement that is not an admin function call; the answer is one server's. A
     * write that finds its table resharded when it gets the table's lock (nothing written) is
     * planned again with the new layout.
     */
    public RayValue execute(Statement statement, QueryOptions options) {
        for (int attempt = 1; ; attempt++) {
            try {
                return executeOnce(statement, options);
            } catch (LayoutChangedError e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private RayValue executeOnce(Statement statement, QueryOptions options) {
        if (statement instanceof Statement.Insert s) {
            return inserts.insert(s.table(), s.data(), options);
        }
        if (statement instanceof Statement.Concat s) {
            return rebuild.alterConcat(s.table(), s.data(), options);
        }
        if (statement instanceof Statement.Upsert s) {
            return upserts.upsert(s.table(), s.keyColumns(), s.keyName(), s.data(), options);
        }
        if (statement instanceof Statement.Update s) {
            return mutations.update(s.query(), s.dict(), options);
        }
        if (statement instanceof Statement.Delete s) {
            return mutations.delete(s.query(), s.dict(), options);
        }
        if (statement instanceof Statement.Save s) {
            return saver.save(s.name(), s.value(), s.countOnly(), options);
        }
        if (statement instanceof Statement.CopyForm s) {
            return copies.evaluate(s.tree(), s.table(), options);
        }
        throw new IllegalArgumentException("not a write statement: " + statement);
    }

    /** Creates a table as the coordinator places it and waits until this router's placement has it. */
    public TablePlacement createTable(TableSpec spec, String what) {
        return creator.create(spec, what);
    }

    public void dropTable(String name, String what) {
        creator.drop(name, what);
    }

    /** A table spec with the columns (names and types) of {@code shape}, or a clear refusal of a column the cluster cannot keep. */
    public static TableSpec.Builder tableSpec(String name, RayTable shape, String what) {
        return TableCreator.spec(name, shape, what);
    }

    /** Whether a column of this type can be a shard key (a list column cannot). */
    public static boolean shardableKey(Vector column) {
        return SpecTypes.shardable(SpecTypes.of(column));
    }

    /** Appends rows that have exactly the table's columns and types (a new table's first load). */
    public void load(TableSpec spec, RayTable rows, QueryOptions options, String what) {
        inserts.append(spec, rows, options, what);
    }

    /**
     * Starts a load into {@code table}: many appends as one write, under the table's write lock
     * until it is committed or aborted ({@link TableLoad}).
     */
    public TableLoad beginLoad(String table, QueryOptions options) {
        return TableLoad.begin(kit, inserts, table, options);
    }

    /** {@code (insert 'table data)}, planned again when the table was resharded meanwhile (as {@link #execute}). */
    public RayValue insert(String table, RayValue data, QueryOptions options) {
        for (int attempt = 1; ; attempt++) {
            try {
                return inserts.insert(table, data, options);
            } catch (LayoutChangedError e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /** Evaluates data a client gave (an expression, a table) as one server would. */
    public RayValue evaluate(RayValue data, QueryOptions options) {
        return kit.normalizer.evaluate(data, options);
    }

    /** Asks one node's engine {@code request} (it passes the data-path rule first). */
    public CompletableFuture<RayValue> askReplica(NodeInfo node, RayValue request, long timeoutMillis) {
        return kit.replicas.ask(node, request, timeoutMillis);
    }

    /** The coordinator, for {@code what}; fails naming why when this router has no ZooKeeper. */
    public ControlPlane control(String what) {
        return kit.services(what).control();
    }

    @Override
    public void close() {
        kit.leases.close();
        connections.close();
    }
}
