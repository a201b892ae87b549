package io.rayforce.cluster.router.load;

import io.rayforce.cluster.client.value.BoolVector;
import io.rayforce.cluster.client.value.DateVector;
import io.rayforce.cluster.client.value.F32Vector;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.GuidVector;
import io.rayforce.cluster.client.value.I16Vector;
import io.rayforce.cluster.client.value.I32Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayType;
import io.rayforce.cluster.client.value.StringVector;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.TimeVector;
import io.rayforce.cluster.client.value.TimestampVector;
import io.rayforce.cluster.client.value.U8Vector;
import io.rayforce.cluster.client.value.Vector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The columns a load reads, decided once from the first file: their names and types, and the
 * order the table wants them in.
 * <ul>
 *   <li>Into an existing table, each file column is read as the table's column of its name; the
 *       file must have every column of the table and no other (in any order).</li>
 *   <li>Into a new table, the file's columns with their inferred (CSV) or own (Parquet) types,
 *       unless {@code --columns} says otherwise: naming every column in file order renames and
 *       types them all; naming some by their file names sets those columns' types.</li>
 * </ul>
 */
public record FileSchema(List<String> fileNames, List<RayType> readTypes, List<FileColumn> tableColumns, int[] tableOrder) {

    /** Decides the schema; fails with a message naming the columns that do not fit. */
    public static FileSchema resolve(ChunkSource first, List<FileColumn> given, Optional<List<FileColumn>> table) {
        List<String> names = first.columnNames();
        List<RayType> found = first.fileTypes();
        String file = first.file();
        if (table.isPresent()) {
            List<FileColumn> cols = table.get();
            if (!given.isEmpty()) {
                throw new IllegalArgumentException("the table exists, so its columns give the types: leave out --columns");
            }
            Map<String, Integer> at = new HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                at.put(names.get(i), i);
            }
            List<String> tableNames = cols.stream().map(FileColumn::name).toList();
            if (names.size() != cols.size() || !at.keySet().containsAll(tableNames)) {
                throw new IllegalArgumentException(file + " has columns " + names + " but the table has " + tableNames
                        + " (a load must give every column of the table and no other)");
            }
            RayType[] types = new RayType[names.size()];
            int[] order = new int[cols.size()];
            for (int t = 0; t < cols.size(); t++) {
                int f = at.get(cols.get(t).name());
                types[f] = cols.get(t).type();
                order[t] = f;
            }
            return new FileSchema(names, List.of(types), cols, order);
        }
        List<FileColumn> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            out.add(new FileColumn(names.get(i), found.get(i)));
        }
        if (!given.isEmpty()) {
            boolean byName = given.stream().allMatch(g -> names.contains(g.name()));
            if (byName) {
                for (FileColumn g : given) {
                    out.set(names.indexOf(g.name()), g);
                }
            } else if (given.size() == names.size()) {
                out = new ArrayList<>(given);
            } else {
                throw new IllegalArgumentException("--columns names " + given.stream().map(FileColumn::name).toList() + " but "
                        + file + " has columns " + names + ": give every column in file order (names and types), or only "
                        + "columns of the file by their names (their types)");
            }
        }
        int[] order = new int[out.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        return new FileSchema(names, out.stream().map(FileColumn::type).toList(), List.copyOf(out), order);
    }

    /** Checks that another file of the same load has the first one's columns. */
    public void checkSameColumns(ChunkSource other) {
        if (!other.columnNames().equals(fileNames)) {
            throw new IllegalArgumentException(other.file() + " has columns " + other.columnNames() + " but the first file has "
                    + fileNames + "; the files of one load must have the same columns in the same order");
        }
    }

    /** A chunk's rows with the table's column names, in the table's order. */
    public RayTable toTable(RayTable rows) {
        List<String> names = new ArrayList<>(tableColumns.size());
        List<Vector> cols = new ArrayList<>(tableColumns.size());
        for (int t = 0; t < tableColumns.size(); t++) {
            names.add(tableColumns.get(t).name());
            cols.add(rows.column(tableOrder[t]));
        }
        return RayTable.of(names, cols);
    }

    /** An empty table with the table's columns and types: what a new table is created from. */
    public RayTable emptyTable() {
        RayTable.Builder b = RayTable.builder();
        for (FileColumn c : tableColumns) {
            b.column(c.name(), emptyVector(c.type()));
        }
        return b.build();
    }

    static Vector emptyVector(RayType t) {
        return switch (t) {
            case B8 -> new BoolVector(new boolean[0]);
            case U8 -> new U8Vector(new byte[0]);
            case I16 -> new I16Vector(new short[0]);
            case I32 -> new I32Vector(new int[0]);
            case I64 -> new I64Vector(new long[0]);
            case F32 -> new F32Vector(new float[0]);
            case F64 -> new F64Vector(new double[0]);
            case DATE -> new DateVector(new int[0]);
            case TIME -> new TimeVector(new int[0]);
            case TIMESTAMP -> new TimestampVector(new long[0]);
            case GUID -> new GuidVector(new long[0]);
            case SYMBOL -> new SymbolVector(new String[0]);
            case STRING -> new StringVector(new String[0]);
            default -> throw new IllegalArgumentException("a loaded column cannot be of type " + t.rayfallName());
        };
    }

    /**
     * Reads {@code --columns}: {@code name:type} entries separated by commas, types by their engine
     * names ({@code b8 u8 i16 i32 i64 f32 f64 date time timestamp guid symbol string}, also
     * {@code sym}, {@code str}, {@code bool}).
     */
    public static List<FileColumn> parseColumns(String spec) {
        Map<String, FileColumn> out = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int colon = p.indexOf(':');
            if (colon <= 0 || colon == p.length() - 1) {
                throw new IllegalArgumentException("column '" + p + "': use name:type, e.g. id:i64,sym:symbol");
            }
            String name = p.substring(0, colon).trim();
            RayType type = typeNamed(p.substring(colon + 1).trim());
            if (out.put(name, new FileColumn(name, type)) != null) {
                throw new IllegalArgumentException("column " + name + " is given twice in --columns");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--columns is empty: use name:type, e.g. id:i64,sym:symbol");
        }
        return List.copyOf(out.values());
    }

    /** The type of a name as {@code --columns} takes it. */
    public static RayType typeNamed(String name) {
        String t = switch (name.toLowerCase(Locale.ROOT)) {
            case "sym" -> "symbol";
            case "str" -> "string";
            case "bool", "boolean" -> "b8";
            default -> name.toLowerCase(Locale.ROOT);
        };
        for (RayType rt : RayType.values()) {
            if (rt.isScalar() && rt.rayfallName().equals(t)) {
                return rt;
            }
        }
        throw new IllegalArgumentException("unknown column type '" + name + "': use b8 u8 i16 i32 i64 f32 f64 date time "
                + "timestamp guid symbol string");
    }
}
