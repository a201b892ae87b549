package io.rayforce.cluster.node.shard;

import io.rayforce.cluster.client.value.RayType;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The columns of a shard table on an engine: the table's columns, then the hidden i64
 * {@code __seq} (see {@link ClusterNaming#SEQ_COLUMN}), each with the engine's vector type name
 * ({@code I64}, {@code SYM}, {@code STR}, {@code LIST}, ...) as {@code (map type (value t))}
 * reports it.
 *
 * @param table   the table name
 * @param names   column names, {@code __seq} last
 * @param types   the engine's vector type names, in column order
 */
public record ShardSchema(String table, List<String> names, List<String> types) {
    private static final Pattern COLUMN_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    public ShardSchema {
        names = List.copyOf(names);
        types = List.copyOf(types);
    }

    /**
     * The schema of a table's shards; fails with {@link IllegalArgumentException} naming the
     * problem for an invalid table name, column name or type, a duplicate column, or a column
     * called {@code __seq}.
     */
    public static ShardSchema of(TableSpec spec) {
        ClusterNaming.checkTableName(spec.getName());
        if (spec.getColumnsCount() == 0) {
            throw new IllegalArgumentException("table " + spec.getName() + " has no columns");
        }
        List<String> names = new ArrayList<>();
        List<String> types = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ColumnSpec c : spec.getColumnsList()) {
            String name = c.getName();
            if (name.equals(ClusterNaming.SEQ_COLUMN)) {
                throw new IllegalArgumentException("column name " + name + " is reserved for the cluster's row sequence");
            }
            if (!COLUMN_NAME.matcher(name).matches() || name.length() > 100) {
                throw new IllegalArgumentException("invalid column name '" + name + "' in table " + spec.getName()
                        + ": use a letter then letters, digits or _");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("column " + name + " appears twice in table " + spec.getName());
            }
            names.add(name);
            types.add(engineType(c.getType(), spec.getName(), name));
        }
        names.add(ClusterNaming.SEQ_COLUMN);
        types.add(RayType.I64.castName());
        return new ShardSchema(spec.getName(), names, types);
    }

    /** The engine's vector type name for a column type of a {@link ColumnSpec}. */
    static String engineType(String specType, String table, String column) {
        String t = specType == null ? "" : specType.toLowerCase(Locale.ROOT);
        t = switch (t) {
            case "sym" -> "symbol";
            case "str" -> "string";
            default -> t;
        };
        for (RayType rt : RayType.values()) {
            if ((rt.isScalar() || rt == RayType.LIST) && rt.rayfallName().equals(t)) {
                return rt.castName();
            }
        }
        throw new IllegalArgumentException("column " + column + " of table " + table + " has unknown type '" + specType
                + "': use one of b8 u8 i16 i32 i64 f32 f64 date time timestamp guid symbol string list");
    }

    /** The Rayfall expression of an empty table with these columns. */
    public String emptyTableExpression() {
        StringBuilder b = new StringBuilder("(table [");
        b.append(String.join(" ", names)).append("] (list");
        for (String t : types) {
            b.append(' ').append(t.equals("LIST") ? "(list)" : "(as '" + t + " [])");
        }
        return b.append("))").toString();
    }

    /** True when an engine table with these column names and types has this schema. */
    public boolean matches(List<String> engineNames, List<String> engineTypes) {
        return names.equals(engineNames) && types.equals(engineTypes);
    }

    /** {@code name:TYPE} pairs, for messages. */
    public static String describe(List<String> names, List<String> types) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            parts.add(names.get(i) + ":" + (i < types.size() ? types.get(i) : "?"));
        }
        return "[" + String.join(" ", parts) + "]";
    }

    @Override
    public String toString() {
        return table + describe(names, types);
    }
}
