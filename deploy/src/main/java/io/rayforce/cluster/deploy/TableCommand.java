package io.rayforce.cluster.deploy;

import com.google.protobuf.util.JsonFormat;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.CreateTableRequest;
import io.rayforce.cluster.coordinator.proto.DescribeTableRequest;
import io.rayforce.cluster.coordinator.proto.DropTableRequest;
import io.rayforce.cluster.coordinator.proto.ReshardRequest;
import io.rayforce.cluster.coordinator.proto.SetReplicationRequest;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rfc table create|drop|describe|set-replication|reshard}. */
@Command(name = "table", mixinStandardHelpOptions = true,
        description = "Create, drop, describe, re-replicate and reshard cluster tables.",
        subcommands = {TableCommand.Create.class, TableCommand.Drop.class, TableCommand.Describe.class,
            TableCommand.SetReplication.class, TableCommand.Reshard.class})
public final class TableCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "name a subcommand: create, drop, describe, set-replication or reshard");
    }

    /** {@code rfc table create}. */
    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Create a table: sharded by a key column over N shards with R replicas each, or replicated whole "
                    + "to every node (small dimension tables, so joins against them run locally).")
    public static final class Create implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "Table name: a letter, then letters, digits or _.")
        String name;

        @Option(names = "--columns", required = true, paramLabel = "NAME:TYPE[,NAME:TYPE...]", split = ",",
                description = "Columns and their Rayfall types (b8 u8 i16 i32 i64 f32 f64 date time timestamp guid symbol "
                        + "string list), e.g. id:i64,sym:symbol,px:f64.")
        List<String> columns = new ArrayList<>();

        @ArgGroup(exclusive = true, multiplicity = "1")
        Layout layout;

        static final class Layout {
            @ArgGroup(exclusive = false)
            Sharded sharded;

            @Option(names = "--replicated", required = true, description = "Hold the whole table on every node.")
            boolean replicated;
        }

        static final class Sharded {
            @Option(names = "--shard-key", required = true, paramLabel = "COLUMN", description = "The column whose value picks a row's shard.")
            String shardKey;

            @Option(names = "--shards", defaultValue = "8", paramLabel = "N", description = "Number of shards (default: ${DEFAULT-VALUE}).")
            int shards;

            @Option(names = "--replication", defaultValue = "2", paramLabel = "R", description = "Copies of each shard (default: ${DEFAULT-VALUE}).")
            int replication;
        }

        @Option(names = "--if-not-exists", description = "Succeed when an identical table exists.")
        boolean ifNotExists;

        @Mixin
        CoordinatorOptions coordinator;

        @Override
        public Integer call() throws Exception {
            TableSpec.Builder b = TableSpec.newBuilder().setName(name);
            for (String c : columns) {
                int colon = c.indexOf(':');
                if (colon <= 0 || colon == c.length() - 1) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "invalid column '" + c + "' in --columns: use NAME:TYPE, e.g. px:f64");
                }
                b.addColumns(ColumnSpec.newBuilder().setName(c.substring(0, colon).strip()).setType(c.substring(colon + 1).strip()));
            }
            if (layout.replicated) {
                b.setReplicatedToAll(true).setShardCount(1);
            } else {
                b.setShardKey(layout.sharded.shardKey).setShardCount(layout.sharded.shards).setReplicationFactor(layout.sharded.replication);
            }
            return ControlClient.answer(spec, coordinator, "create table " + name,
                    stub -> stub.createTable(CreateTableRequest.newBuilder().setSpec(b).setIfNotExists(ifNotExists).build()),
                    p -> "table " + name + " at epoch " + p.getEpoch() + ":\n" + StatusPrinter.table(p));
        }
    }

    /** What every command on one existing table has: its name, the coordinator to ask, and picocli's spec. */
    abstract static class OneTable implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The table.")
        String name;

        @Mixin
        CoordinatorOptions coordinator;
    }

    /** {@code rfc table drop}. */
    @Command(name = "drop", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Drop a table: it disappears from the placement at once, then its shards are removed from the nodes.")
    public static final class Drop extends OneTable {
        @Option(names = "--if-exists", description = "Succeed when there is no such table.")
        boolean ifExists;

        @Override
        public Integer call() throws Exception {
            return ControlClient.answer(spec, coordinator, "drop table " + name,
                    stub -> stub.dropTable(DropTableRequest.newBuilder().setName(name).setIfExists(ifExists).build()),
                    r -> (r.getDropped() ? "dropped table " + name + " at epoch " + r.getEpoch() : "no table " + name
                            + " (nothing to drop)") + "\n");
        }
    }

    /** {@code rfc table describe}. */
    @Command(name = "describe", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Show a table's spec and where every replica of every shard is, with its state.")
    public static final class Describe extends OneTable {
        @Option(names = "--json", description = "Print the TablePlacement message as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return ControlClient.answer(spec, coordinator, "describe table " + name,
                    stub -> stub.describeTable(DescribeTableRequest.newBuilder().setName(name).build()),
                    p -> json ? JsonFormat.printer().print(p) + "\n" : StatusPrinter.table(p));
        }
    }

    /** {@code rfc table set-replication}. */
    @Command(name = "set-replication", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Change a sharded table's replication factor online: replicas are copied onto the least loaded "
                    + "nodes (LIVE before they count), or retired and dropped once no router reads them.")
    public static final class SetReplication extends OneTable {
        @Parameters(index = "1", paramLabel = "R", description = "Copies of each shard.")
        int replication;

        @Option(names = "--wait", description = "Return only when every shard has R LIVE replicas.")
        boolean await;

        @Override
        public Integer call() throws Exception {
            return ControlClient.answer(spec, coordinator, "set the replication of " + name,
                    stub -> stub.setReplication(SetReplicationRequest.newBuilder().setTable(name).setReplicationFactor(replication)
                            .setWait(await).build()),
                    r -> {
                        int n = r.getReplicaChange();
                        return "table " + name + ": replication " + replication + " at epoch " + r.getEpoch()
                                + (n == 0 ? " (unchanged)" : ", " + Math.abs(n) + " replica(s) " + (n > 0 ? "added" : "retired")
                                + (await ? "" : " in the background")) + "\n";
                    });
        }
    }

    /** {@code rfc table reshard}. */
    @Command(name = "reshard", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Split a sharded table into more shards online (a larger multiple of its shard count): the rows are "
                    + "copied into the new shards while reads and writes go on, then the new layout replaces the old at once "
                    + "(readers and writers wait only for that switch).")
    public static final class Reshard extends OneTable {
        @Option(names = "--shards", required = true, paramLabel = "N", description = "The new shard count.")
        int shards;

        @Override
        public Integer call() throws Exception {
            return ControlClient.answer(spec, coordinator, "reshard " + name,
                    stub -> stub.reshard(ReshardRequest.newBuilder().setTable(name).setShardCount(shards).build()),
                    r -> "table " + name + ": " + shards + " shards at epoch " + r.getEpoch() + " (" + r.getRows()
                            + " rows split; reads and writes held " + r.getSwitchMillis() + " ms at the switch)\n");
        }
    }
}
