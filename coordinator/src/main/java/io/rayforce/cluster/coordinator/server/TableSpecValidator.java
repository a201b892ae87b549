package io.rayforce.cluster.coordinator.server;

import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a requested {@link TableSpec} and returns it normalized (a table replicated to all nodes
 * gets one shard and no replication factor; {@code created_epoch} is cleared). Every failure is
 * an {@link InvalidSpecException} naming the field and the rule.
 */
public final class TableSpecValidator {
    /** Most shards one table may have. */
    public static final int MAX_SHARDS = 65_536;
    /** Most copies of a shard. */
    public static final int MAX_REPLICATION = 16;
    /** Column types a table may use (the engine's names), in the order error messages list them. */
    public static final List<String> COLUMN_TYPES = List.of(
            "b8", "u8", "i16", "i32", "i64", "f32", "f64", "date", "time", "timestamp", "guid", "symbol", "string", "list");
    private static final Pattern COLUMN_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private TableSpecValidator() {
    }

    public static TableSpec validate(TableSpec spec) {
        try {
            ClusterNaming.checkTableName(spec.getName());
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException("spec.name", e.getMessage());
        }
        if (spec.getColumnsCount() == 0) {
            throw new InvalidSpecException("spec.columns", "a table needs at least one column");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < spec.getColumnsCount(); i++) {
            ColumnSpec c = spec.getColumns(i);
            String field = "spec.columns[" + i + "]";
            if (c.getName().equals(ClusterNaming.SEQ_COLUMN)) {
                throw new InvalidSpecException(field + ".name", "column name " + ClusterNaming.SEQ_COLUMN + " is reserved");
            }
            if (!COLUMN_NAME.matcher(c.getName()).matches() || c.getName().length() > 100) {
                throw new InvalidSpecException(field + ".name", "invalid column name '" + c.getName()
                        + "': use a letter then letters, digits or _ (at most 100 characters)");
            }
            if (!names.add(c.getName())) {
                throw new InvalidSpecException(field + ".name", "duplicate column '" + c.getName() + "'");
            }
            if (!COLUMN_TYPES.contains(c.getType())) {
                throw new InvalidSpecException(field + ".type", "unknown type '" + c.getType() + "' of column " + c.getName()
                        + " (known: " + String.join(" ", COLUMN_TYPES) + ")");
            }
        }
        TableSpec.Builder out = spec.toBuilder().clearCreatedEpoch();
        if (spec.getReplicatedToAll()) {
            if (!spec.getShardKey().isEmpty()) {
                throw new InvalidSpecException("spec.shard_key", "a table replicated to every node has no shard key");
            }
            if (spec.getShardCount() > 1) {
                throw new InvalidSpecException("spec.shard_count", "a table replicated to every node has one shard, not "
                        + spec.getShardCount());
            }
            return out.setShardCount(1).setReplicationFactor(0).build();
        }
        if (spec.getShardKey().isEmpty()) {
            throw new InvalidSpecException("spec.shard_key", "a sharded table needs a shard key column"
                    + " (or make it replicated to every node)");
        }
        ColumnSpec key = spec.getColumnsList().stream().filter(c -> c.getName().equals(spec.getShardKey())).findFirst()
                .orElseThrow(() -> new InvalidSpecException("spec.shard_key", "shard key '" + spec.getShardKey()
                        + "' is not a column of " + spec.getName()));
        if (key.getType().equals("list")) {
            throw new InvalidSpecException("spec.shard_key", "a list column (" + key.getName() + ") cannot be a shard key");
        }
        if (spec.getShardCount() < 1 || spec.getShardCount() > MAX_SHARDS) {
            throw new InvalidSpecException("spec.shard_count", "shard count must be between 1 and " + MAX_SHARDS
                    + ", not " + spec.getShardCount());
        }
        if (spec.getReplicationFactor() < 1 || spec.getReplicationFactor() > MAX_REPLICATION) {
            throw new InvalidSpecException("spec.replication_factor", "replication factor must be between 1 and "
                    + MAX_REPLICATION + ", not " + spec.getReplicationFactor());
        }
        return out.build();
    }
}
