package io.rayforce.cluster.router.admin;

import io.rayforce.cluster.client.RayforceError;
import io.rayforce.cluster.client.value.BoolAtom;
import io.rayforce.cluster.client.value.BoolVector;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.proto.ClusterState;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.exec.PlacementSource;
import io.rayforce.cluster.router.exec.UnsupportedQueryError;
import io.rayforce.cluster.router.ops.QueryFunctions;
import io.rayforce.cluster.router.read.ReadPath;
import io.rayforce.cluster.router.statement.Statements;
import io.rayforce.cluster.router.write.WritePath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The cluster admin functions, callable as Rayfall by any client (see docs/router.md):
 * <pre>
 * (.cluster.create 'trades t 'sym 8 2)   create sharded on sym, 8 shards, 2 replicas; load t's rows
 * (.cluster.createReplicated 'dim t)     create a table held whole by every node; load t's rows
 * (.cluster.load 'trades t)              append t's rows (as (insert 'trades t))
 * (.cluster.drop 'trades)
 * (.cluster.tables)                      name, shardKey, shards, replication, replicated, rows
 * (.cluster.describe 'trades)            the spec and every replica with its state and row count
 * (.cluster.status)                      epoch, leader, coordinators and the nodes
 * </pre>
 * and the functions about queries ({@link QueryFunctions}: explain, queries, cancel, slowlog).
 * Names may be given as symbols or strings. Tables (and their schema) are given as table values
 * or any expression the cluster can evaluate, such as another table or a select.
 */
public final class AdminFunctions {
    private final PlacementSource placement;
    private final WritePath writes;
    private final ReadPath read;
    private final QueryFunctions queries;

    public AdminFunctions(PlacementSource placement, WritePath writes, ReadPath read, QueryFunctions queries) {
        this.placement = placement;
        this.writes = writes;
        this.read = read;
        this.queries = queries;
    }

    /** Runs {@code function} (one of {@link Statements#ADMIN_FUNCTIONS}) with its arguments as the client wrote them. */
    public RayValue call(String function, List<RayValue> args, QueryOptions options) {
        return switch (function) {
            case ".cluster.create" -> create(args, options);
            case ".cluster.createReplicated" -> createReplicated(args, options);
            case ".cluster.load" -> load(args, options);
            case ".cluster.drop" -> drop(args);
            case ".cluster.tables" -> tables(args, options);
            case ".cluster.describe" -> describe(args, options);
            case ".cluster.status" -> status(args);
            case ".cluster.explain", ".cluster.queries", ".cluster.cancel", ".cluster.slowlog" -> queries.call(function, args);
            default -> throw new UnsupportedQueryError("unknown cluster function " + function + "; the cluster functions are "
                    + String.join(", ", Statements.ADMIN_FUNCTIONS));
        };
    }

    private RayValue create(List<RayValue> args, QueryOptions options) {
        String usage = "(.cluster.create 'name table 'shardKey [shards [replication]])";
        arity(args, 3, 5, usage);
        String name = name(args.get(0), "name", usage);
        String what = ".cluster.create " + name;
        RayTable rows = table(args.get(1), usage, options);
        String key = name(args.get(2), "shard key", usage);
        int nodes = Math.max(1, placement.snapshot().nodes().size());
        int shards = args.size() > 3 ? positive(args.get(3), "shard count", usage) : nodes;
        int replication = args.size() > 4 ? positive(args.get(4), "replication", usage) : Math.min(2, nodes);
        if (!rows.hasColumn(key)) {
            throw new UnsupportedQueryError(what + ": the shard key " + key + " is not a column of the table " + rows.columnNames());
        }
        if (!WritePath.shardableKey(rows.column(key))) {
            throw new UnsupportedQueryError(what + ": a list column cannot be the shard key");
        }
        TableSpec spec = WritePath.tableSpec(name, rows, what).setShardKey(key).setShardCount(shards)
                .setReplicationFactor(replication).build();
        return createAndLoad(spec, rows, options, what);
    }

    private RayValue createReplicated(List<RayValue> args, QueryOptions options) {
        String usage = "(.cluster.createReplicated 'name table)";
        arity(args, 2, 2, usage);
        String name = name(args.get(0), "name", usage);
        String what = ".cluster.createReplicated " + name;
        RayTable rows = table(args.get(1), usage, options);
        TableSpec spec = WritePath.tableSpec(name, rows, what).setReplicatedToAll(true).setShardCount(1)
                .setReplicationFactor(1).build();
        return createAndLoad(spec, rows, options, what);
    }

    private RayValue createAndLoad(TableSpec spec, RayTable rows, QueryOptions options, String what) {
        TablePlacement created = writes.createTable(spec, what);
        writes.load(created.getSpec(), rows, options, what);
        return Symbol.of(spec.getName());
    }

    private RayValue load(List<RayValue> args, QueryOptions options) {
        String usage = "(.cluster.load 'name table)";
        arity(args, 2, 2, usage);
        String name = name(args.get(0), "name", usage);
        if (placement.snapshot().table(name).isEmpty()) {
            throw new UnsupportedQueryError(".cluster.load: there is no cluster table " + name);
        }
        return writes.insert(name, args.get(1), options);
    }

    private RayValue drop(List<RayValue> args) {
        String usage = "(.cluster.drop 'name)";
        arity(args, 1, 1, usage);
        String name = name(args.get(0), "name", usage);
        writes.dropTable(name, ".cluster.drop " + name);
        return Symbol.of(name);
    }

    private RayValue tables(List<RayValue> args, QueryOptions options) {
        arity(args, 0, 0, "(.cluster.tables)");
        ClusterState state = writes.control(".cluster.tables").describeCluster();
        int n = state.getTablesCount();
        String[] names = new String[n];
        String[] keys = new String[n];
        long[] shards = new long[n];
        long[] replication = new long[n];
        boolean[] replicated = new boolean[n];
        long[] rows = new long[n];
        for (int i = 0; i < n; i++) {
            TableSpec s = state.getTables(i).getSpec();
            names[i] = s.getName();
            keys[i] = s.getShardKey();
            shards[i] = s.getShardCount();
            replication[i] = s.getReplicatedToAll() && state.getTables(i).getShardsCount() > 0
                    ? state.getTables(i).getShards(0).getReplicasCount() : s.getReplicationFactor();
            replicated[i] = s.getReplicatedToAll();
            rows[i] = rowCount(s.getName(), options);
        }
        return RayTable.builder().column("name", new SymbolVector(names)).column("shardKey", new SymbolVector(keys))
                .column("shards", new I64Vector(shards)).column("replication", new I64Vector(replication))
                .column("replicated", new BoolVector(replicated)).column("rows", new I64Vector(rows)).build();
    }

    private long rowCount(String table, QueryOptions options) {
        try {
            RayValue v = read.read(RayList.of(Name.of("count"), Name.of(table)), options);
            return v instanceof I64Atom a ? a.value() : Nulls.I64;
        } catch (RayforceError e) {
            return Nulls.I64; // a shard nobody can read: the count is unknown
        }
    }

    private RayValue describe(List<RayValue> args, QueryOptions options) {
        String usage = "(.cluster.describe 'name)";
        arity(args, 1, 1, usage);
        String name = name(args.get(0), "name", usage);
        TablePlacement t = writes.control(".cluster.describe").describeTable(name);
        TableSpec s = t.getSpec();
        Map<String, NodeInfo> nodes = new HashMap<>(placement.snapshot().nodes());
        List<Long> shard = new ArrayList<>();
        List<String> node = new ArrayList<>();
        List<String> state = new ArrayList<>();
        List<Long> since = new ArrayList<>();
        List<CompletableFuture<RayValue>> counts = new ArrayList<>();
        for (ShardPlacement sp : t.getShardsList()) {
            for (Replica r : sp.getReplicasList()) {
                shard.add((long) sp.getShard());
                node.add(r.getNodeId());
                state.add(r.getState().name());
                since.add(r.getSinceEpoch());
                NodeInfo info = nodes.get(r.getNodeId());
                RayValue count = RayList.of(Name.of("count"), Name.of(ClusterNaming.shardGlobal(name, sp.getShard())));
                counts.add(info == null ? CompletableFuture.failedFuture(new IllegalStateException("not a member"))
                        : writes.askReplica(info, count, 5_000));
            }
        }
        long[] rows = new long[counts.size()];
        for (int i = 0; i < rows.length; i++) {
            try {
                rows[i] = counts.get(i).get() instanceof I64Atom a ? a.value() : Nulls.I64;
            } catch (Exception e) {
                rows[i] = Nulls.I64;
            }
        }
        RayTable replicas = RayTable.builder()
                .column("shard", new I64Vector(shard.stream().mapToLong(Long::longValue).toArray()))
                .column("node", SymbolVector.of(node)).column("state", SymbolVector.of(state))
                .column("since", new I64Vector(since.stream().mapToLong(Long::longValue).toArray()))
                .column("rows", new I64Vector(rows)).build();
        List<String> colNames = s.getColumnsList().stream().map(ColumnSpec::getName).toList();
        List<String> colTypes = s.getColumnsList().stream().map(ColumnSpec::getType).toList();
        RayTable columns = RayTable.builder().column("name", SymbolVector.of(colNames)).column("type", SymbolVector.of(colTypes))
                .build();
        return new RayDict(SymbolVector.of("name", "shardKey", "shards", "replication", "replicated", "createdEpoch",
                "columns", "replicas"),
                RayList.of(Symbol.of(name), Symbol.of(s.getShardKey()), I64Atom.of(s.getShardCount()),
                        I64Atom.of(s.getReplicationFactor()), new BoolAtom(s.getReplicatedToAll()),
                        I64Atom.of(s.getCreatedEpoch()), columns, replicas));
    }

    private RayValue status(List<RayValue> args) {
        arity(args, 0, 0, "(.cluster.status)");
        ClusterState st = writes.control(".cluster.status").describeCluster();
        Map<String, Long> replicaCounts = new HashMap<>();
        for (TablePlacement t : st.getTablesList()) {
            for (ShardPlacement sp : t.getShardsList()) {
                for (Replica r : sp.getReplicasList()) {
                    replicaCounts.merge(r.getNodeId(), 1L, Long::sum);
                }
            }
        }
        int n = st.getNodesCount();
        String[] id = new String[n];
        String[] host = new String[n];
        long[] ipc = new long[n];
        long[] control = new long[n];
        boolean[] up = new boolean[n];
        boolean[] draining = new boolean[n];
        long[] replicas = new long[n];
        for (int i = 0; i < n; i++) {
            NodeInfo ni = st.getNodes(i);
            id[i] = ni.getId();
            host[i] = ni.getHost();
            ipc[i] = ni.getIpcPort();
            control[i] = ni.getControlPort();
            up[i] = ni.getEngineUp();
            draining[i] = ni.getDraining();
            replicas[i] = replicaCounts.getOrDefault(ni.getId(), 0L);
        }
        RayTable nodes = RayTable.builder().column("id", new SymbolVector(id)).column("host", new SymbolVector(host))
                .column("ipcPort", new I64Vector(ipc)).column("controlPort", new I64Vector(control))
                .column("engineUp", new BoolVector(up)).column("draining", new BoolVector(draining))
                .column("replicas", new I64Vector(replicas)).build();
        return new RayDict(SymbolVector.of("epoch", "leader", "coordinators", "tables", "nodes"),
                RayList.of(I64Atom.of(st.getEpoch()), Symbol.of(st.getLeader()), SymbolVector.of(st.getCoordinatorsList()),
                        I64Atom.of(st.getTablesCount()), nodes));
    }

    private RayTable table(RayValue arg, String usage, QueryOptions options) {
        RayValue v = writes.evaluate(arg, options);
        if (!(v instanceof RayTable t)) {
            throw new UnsupportedQueryError("expected a table (its columns give the schema) in " + usage + ", got a "
                    + v.type().rayfallName());
        }
        return t;
    }

    private static String name(RayValue v, String what, String usage) {
        if (v instanceof Symbol s && !s.name().isEmpty()) {
            return s.name();
        }
        if (v instanceof Str s && !s.value().isEmpty()) {
            return s.value();
        }
        throw new UnsupportedQueryError("expected the " + what + " as a symbol or string in " + usage + ", got " + v);
    }

    private static int positive(RayValue v, String what, String usage) {
        Long n = Statements.integer(v);
        if (n == null || n < 1 || n > 100_000) {
            throw new UnsupportedQueryError("expected the " + what + " as a positive integer in " + usage + ", got " + v);
        }
        return n.intValue();
    }

    private static void arity(List<RayValue> args, int min, int max, String usage) {
        if (args.size() < min || args.size() > max) {
            throw new UnsupportedQueryError("wrong number of arguments: " + usage);
        }
    }
}
