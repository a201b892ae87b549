package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.coordinator.security.ClusterSecurity;
import io.rayforce.cluster.coordinator.store.TableLock;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.exec.Executor;
import io.rayforce.cluster.router.exec.NodeConnections;
import io.rayforce.cluster.router.exec.PlacementSource;
import io.rayforce.cluster.router.plan.ScratchEngine;
import io.rayforce.cluster.router.planner.Planner;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The router's write path (docs/router.md): takes a request before the read planner does and
 * carries it out when it is a write to a cluster table ({@code insert}, {@code upsert},
 * {@code update}, {@code delete}), an ipcsave ({@code set}) or a cluster admin function
 * ({@code .cluster.*}). Everything else is left to the read path.
 */
public final class WritePath implements AutoCloseable {
    private final PlacementSource placement;
    private final NodeConnections connections;
    private final InsertWriter inserts;
    private final UpsertWriter upserts;
    private final MutationWriter mutations;
    private final TableSaver saver;
    private final AdminFunctions admin;
    private final CopyForms copies;
    private final ReadLocks readLocks;

    /**
     * @param services the cluster services, made on first use (null when this router has no
     *                 ZooKeeper: then writes fail, naming why)
     */
    public WritePath(PlacementSource placement, ClientOptions nodeOptions, ScratchEngine scratch, ReadPath read,
            Supplier<WriteServices> services) {
        this(placement, nodeOptions, scratch, read, services, ClusterSecurity.NONE);
    }

    /** @param security the cluster secret the engines' passwords derive from, or none */
    public WritePath(PlacementSource placement, ClientOptions nodeOptions, ScratchEngine scratch, ReadPath read,
            Supplier<WriteServices> services, ClusterSecurity security) {
        this.placement = placement;
        this.connections = new NodeConnections(nodeOptions.withMaxFrameBytes(Integer.MAX_VALUE - 8), 4, security);
        ReadPath complete = (tree, o) -> read.read(tree, new QueryOptions(o.timeout(), false, o.hedgeAfter()));
        WriteKit kit = new WriteKit(placement, services, new ReplicaWrites(connections), new Executor(connections), scratch,
                complete);
        TableCreator creator = new TableCreator(kit);
        this.inserts = new InsertWriter(kit);
        this.upserts = new UpsertWriter(kit);
        this.mutations = new MutationWriter(kit);
        this.saver = new TableSaver(kit, inserts, creator);
        this.admin = new AdminFunctions(kit, inserts, creator);
        this.copies = new CopyForms(kit);
        this.readLocks = kit.readLocks;
    }

    /**
     * The read locks of the cluster tables a query reads, held while it reads (docs/architecture.md,
     * Atomic visibility); nothing when it names none or this router has no ZooKeeper.
     */
    public TableLock lockForRead(Collection<String> tables, Duration timeout) {
        return readLocks.lock(tables, timeout);
    }

    /** The answer to {@code tree} when it is a write, ipcsave or admin call; empty for everything else. */
    public Optional<RayValue> execute(RayValue tree, QueryOptions options) {
        Optional<WriteStatement> statement = WriteStatements.recognize(tree, placement.snapshot());
        if (statement.isEmpty()) {
            return Optional.empty();
        }
        // refused before any lock, intent or engine request
        for (RayValue part : statement.get().clientExpressions()) {
            Planner.checkExpression(part, placement.snapshot());
        }
        return Optional.of(run(statement.get(), options));
    }

    private RayValue run(WriteStatement statement, QueryOptions options) {
        if (statement instanceof WriteStatement.Insert s) {
            return inserts.insert(s.table(), s.data(), options);
        }
        if (statement instanceof WriteStatement.Upsert s) {
            return upserts.upsert(s.table(), s.keyColumns(), s.data(), options);
        }
        if (statement instanceof WriteStatement.Update s) {
            return mutations.update(s.query(), s.dict(), options);
        }
        if (statement instanceof WriteStatement.Delete s) {
            return mutations.delete(s.query(), s.dict(), options);
        }
        if (statement instanceof WriteStatement.Save s) {
            return saver.save(s.name(), s.value(), s.countOnly(), options);
        }
        if (statement instanceof WriteStatement.Admin s) {
            return admin.call(s.function(), s.args(), options);
        }
        return copies.evaluate(((WriteStatement.CopyForm) statement).tree(), options);
    }

    @Override
    public void close() {
        connections.close();
    }
}
