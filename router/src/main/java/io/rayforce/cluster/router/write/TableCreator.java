package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.exec.UnsupportedQueryError;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Creates and drops cluster tables through the coordinator and waits until this router's
 * placement shows the change, so the caller can write to (or stop using) the table at once.
 */
final class TableCreator {
    private static final Pattern COLUMN_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Duration VIEW_WAIT = Duration.ofSeconds(30);

    private final WriteKit kit;

    TableCreator(WriteKit kit) {
        this.kit = kit;
    }

    /** A spec with the columns (names and types) of {@code shape}; fails naming a column the cluster cannot hold. */
    static TableSpec.Builder spec(String name, RayTable shape, String what) {
        try {
            ClusterNaming.checkTableName(name);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedQueryError(what + ": " + e.getMessage());
        }
        if (shape.columnCount() == 0) {
            throw new UnsupportedQueryError(what + ": a table needs at least one column");
        }
        TableSpec.Builder b = TableSpec.newBuilder().setName(name);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < shape.columnCount(); i++) {
            String c = shape.columnNames().get(i);
            if (!COLUMN_NAME.matcher(c).matches() || c.length() > 100) {
                throw new UnsupportedQueryError(what + ": column name '" + c + "' cannot be used in a cluster table "
                        + "(use a letter then letters, digits or _)");
            }
            if (!seen.add(c)) {
                throw new UnsupportedQueryError(what + ": column " + c + " appears twice");
            }
            b.addColumns(ColumnSpec.newBuilder().setName(c).setType(SpecTypes.of(shape.column(i))));
        }
        return b;
    }

    /** Creates the table and waits until this router sees it; answers its placement. */
    TablePlacement create(TableSpec spec, String what) {
        return create(spec, "", what);
    }

    /**
     * As above, its shards placed beside those of table {@code like} as far as they can be (the
     * nodes holding LIVE replicas of the same shard of {@code like}); "" for the usual placement.
     */
    TablePlacement create(TableSpec spec, String like, String what) {
        TablePlacement created = like.isEmpty() ? kit.services(what).control().createTable(spec)
                : kit.services(what).control().createTable(spec, like);
        long epoch = created.getSpec().getCreatedEpoch();
        return awaitView(spec.getName(), what, s -> s.table(spec.getName())
                .filter(t -> epoch == 0 || t.getSpec().getCreatedEpoch() >= epoch));
    }

    /** Drops the table when it exists and waits until this router no longer sees it. */
    void dropIfExists(String name, String what) {
        if (kit.placement.snapshot().table(name).isEmpty()) {
            return;
        }
        kit.services(what).control().dropTable(name, true);
        awaitView(name, what, s -> s.table(name).isPresent() ? Optional.empty() : Optional.of(TablePlacement.getDefaultInstance()));
    }

    /** Drops the table; fails (naming it) when there is none. */
    void drop(String name, String what) {
        kit.services(what).control().dropTable(name, false);
        awaitView(name, what, s -> s.table(name).isPresent() ? Optional.empty() : Optional.of(TablePlacement.getDefaultInstance()));
    }

    private interface Condition {
        Optional<TablePlacement> test(ClusterSnapshot s);
    }

    private TablePlacement awaitView(String name, String what, Condition condition) {
        long deadline = System.nanoTime() + VIEW_WAIT.toNanos();
        while (true) {
            Optional<TablePlacement> t = condition.test(kit.placement.snapshot());
            if (t.isPresent()) {
                return t.get();
            }
            if (System.nanoTime() > deadline) {
                throw new ClusterQueryError(what + ": the coordinator changed table " + name + " but this router's placement "
                        + "did not show it within " + VIEW_WAIT.toSeconds() + " s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClusterQueryError(what + ": interrupted", e);
            }
        }
    }
}
