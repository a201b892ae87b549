package io.rayforce.cluster.chaos.fault;

import io.rayforce.cluster.chaos.ChaosEnvironment;
import io.rayforce.cluster.chaos.cluster.DockerCluster;
import io.rayforce.cluster.chaos.cluster.Role;
import io.rayforce.cluster.chaos.cluster.RoleCommands;
import io.rayforce.cluster.chaos.docker.RootShell;
import io.rayforce.cluster.chaos.workload.JavaGatewayClient;
import io.rayforce.cluster.chaos.workload.Reply;
import io.rayforce.cluster.client.value.BoolVector;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.SymbolVector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The operator's side of the topology faults: {@code rfc} admin commands run inside a
 * coordinator container (as an operator would with {@code docker exec}), and the placement read
 * through the gateway's {@code .cluster.*} functions.
 */
final class ClusterAdmin {
    private static final AtomicLong RUNS = new AtomicLong();

    /** One replica as {@code .cluster.describe} lists it. */
    record ReplicaRow(int shard, String node, String state) {
    }

    /** A table's layout as {@code .cluster.describe} gives it. */
    record Layout(String table, int shards, int replication, List<ReplicaRow> replicas) {
        /** Every shard has exactly the replication factor's replicas, all LIVE, none on {@code avoid}. */
        boolean settled(String avoid) {
            for (int s = 0; s < shards; s++) {
                int shard = s;
                List<ReplicaRow> rs = replicas.stream().filter(r -> r.shard() == shard).toList();
                if (rs.size() != replication || !rs.stream().allMatch(r -> r.state().equals("LIVE") && !r.node().equals(avoid))) {
                    return false;
                }
            }
            return true;
        }

        boolean holds(String node) {
            return replicas.stream().anyMatch(r -> r.node().equals(node));
        }
    }

    private ClusterAdmin() {
    }

    /**
     * Runs {@code rfc ARGS --coordinator coord1:PORT} in a running coordinator container and waits
     * for it at most {@code limit} (in the background there, so a long reshard is not cut by the
     * exec's own limit); answers its output, or fails with it when it exits non-zero.
     */
    static String rfc(DockerCluster c, Duration limit, String... args) {
        String coordinator = c.members(Role.COORDINATOR).stream().filter(c::running).findFirst()
                .orElseThrow(() -> new IllegalStateException("no coordinator runs"));
        String id = c.containerId(coordinator);
        String file = "/tmp/rfc-chaos-" + RUNS.incrementAndGet();
        String command = "rfc " + String.join(" ", args) + " --coordinator " + coordinator + ":" + RoleCommands.COORDINATOR_PORT
                + " --timeout " + limit.toSeconds() + "s";
        RootShell.run(id, "(" + command + " > " + file + ".out 2>&1; echo $? > " + file + ".rc) < /dev/null > /dev/null 2>&1 &");
        long deadline = System.nanoTime() + limit.plusSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            RootShell.Result rc = RootShell.tryRun(id, "cat " + file + ".rc 2>/dev/null");
            if (!rc.output().isBlank()) {
                String out = RootShell.run(id, "cat " + file + ".out; rm -f " + file + ".out " + file + ".rc");
                if (!rc.output().strip().equals("0")) {
                    throw new IllegalStateException("`" + command + "` exited " + rc.output().strip() + ": " + out.strip()
                            + evidence(c, args));
                }
                return out;
            }
            ChaosEnvironment.sleep(500);
        }
        throw new IllegalStateException("`" + command + "` did not finish within " + limit + evidence(c, args));
    }

    /**
     * For a failed {@code rfc table VERB NAME ...}: the table's shards that are not settled (their
     * replicas and states) and the coordinators' last log lines about it, so that a CI run's
     * message alone says where the change stopped.
     */
    private static String evidence(DockerCluster c, String... args) {
        if (args.length < 3 || !args[0].equals("table")) {
            return "";
        }
        String table = args[2];
        StringBuilder b = new StringBuilder();
        try {
            Layout l = layout(c, table);
            b.append("\n  layout of ").append(table).append(" (").append(l.shards()).append(" shards, replication ")
                    .append(l.replication()).append("), shards not settled:");
            for (int s = 0; s < l.shards(); s++) {
                int shard = s;
                List<ReplicaRow> rs = l.replicas().stream().filter(r -> r.shard() == shard).toList();
                if (rs.size() != l.replication() || !rs.stream().allMatch(r -> r.state().equals("LIVE"))) {
                    b.append(" ").append(s).append(rs.stream().map(r -> r.node() + " " + r.state()).toList());
                }
            }
        } catch (RuntimeException e) {
            b.append("\n  layout of ").append(table).append(" unavailable: ").append(e.getMessage());
        }
        for (String line : c.logLines("coord", table, 25)) {
            b.append("\n  ").append(line.length() > 300 ? line.substring(0, 300) + "..." : line);
        }
        return b.toString();
    }

    /** The sharded tables (not replicated to every node), by name. */
    static List<String> shardedTables(DockerCluster c) {
        RayTable t = (RayTable) ask(c, "(.cluster.tables)");
        SymbolVector names = (SymbolVector) t.column("name");
        BoolVector replicated = (BoolVector) t.column("replicated");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < t.rowCount(); i++) {
            if (!replicated.get(i)) {
                out.add(names.get(i));
            }
        }
        return out;
    }

    static Layout layout(DockerCluster c, String table) {
        RayDict d = (RayDict) ask(c, "(.cluster.describe '" + table + ")");
        RayTable r = (RayTable) d.get("replicas");
        I64Vector shard = (I64Vector) r.column("shard");
        SymbolVector node = (SymbolVector) r.column("node");
        SymbolVector state = (SymbolVector) r.column("state");
        List<ReplicaRow> rows = new ArrayList<>();
        for (int i = 0; i < r.rowCount(); i++) {
            rows.add(new ReplicaRow((int) shard.at(i).value(), node.get(i), state.get(i)));
        }
        return new Layout(table, (int) ((I64Atom) d.get("shards")).value(), (int) ((I64Atom) d.get("replication")).value(), rows);
    }

    /** Waits until {@code done} holds for every sharded table's layout; fails naming the first that does not. */
    static void awaitLayouts(DockerCluster c, Duration limit, String what, Predicate<Layout> done) {
        long deadline = System.nanoTime() + limit.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                last = "";
                for (String t : shardedTables(c)) {
                    Layout l = layout(c, t);
                    if (!done.test(l)) {
                        last = l.toString();
                        break;
                    }
                }
                if (last.isEmpty()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e.getMessage();
            }
            ChaosEnvironment.sleep(500);
        }
        throw new IllegalStateException(what + " did not happen within " + limit + "; last: " + abbreviate(last));
    }

    private static io.rayforce.cluster.client.value.RayValue ask(DockerCluster c, String request) {
        try (JavaGatewayClient client = new JavaGatewayClient(c.gatewayAddresses(), Duration.ofSeconds(30))) {
            Reply r = client.execute(request);
            if (!r.ok()) {
                throw new IllegalStateException(request + ": " + r.error());
            }
            return r.value();
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 400 ? s : s.substring(0, 400) + "...";
    }
}
