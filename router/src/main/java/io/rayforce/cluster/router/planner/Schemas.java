package io.rayforce.cluster.router.planner;

import io.rayforce.cluster.client.value.BoolVector;
import io.rayforce.cluster.client.value.DateVector;
import io.rayforce.cluster.client.value.F32Vector;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.GuidVector;
import io.rayforce.cluster.client.value.I16Vector;
import io.rayforce.cluster.client.value.I32Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.StringVector;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.TimeVector;
import io.rayforce.cluster.client.value.TimestampVector;
import io.rayforce.cluster.client.value.U8Vector;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import java.util.ArrayList;
import java.util.List;

/** Table shapes from a table's spec. */
public final class Schemas {
    private Schemas() {
    }

    /** An empty vector of a column type name (b8 ... string, list). */
    public static Vector empty(String type) {
        return switch (type) {
            case "b8" -> new BoolVector(new boolean[0]);
            case "u8" -> new U8Vector(new byte[0]);
            case "i16" -> I16Vector.of();
            case "i32" -> I32Vector.of();
            case "i64" -> I64Vector.of();
            case "f32" -> F32Vector.of();
            case "f64" -> F64Vector.of();
            case "date" -> DateVector.of();
            case "time" -> TimeVector.of();
            case "timestamp" -> TimestampVector.of();
            case "guid" -> GuidVector.of();
            case "symbol" -> SymbolVector.of();
            case "string" -> StringVector.of();
            default -> RayList.EMPTY;
        };
    }

    /** The columns {@code names} with no rows: typed as in the spec where the spec has them, else lists. */
    public static RayTable emptyTable(TableSpec spec, List<String> names) {
        List<Vector> cols = new ArrayList<>(names.size());
        for (String n : names) {
            String type = spec.getColumnsList().stream().filter(c -> c.getName().equals(n)).map(ColumnSpec::getType)
                    .findFirst().orElse("list");
            cols.add(empty(type));
        }
        return RayTable.of(names, cols);
    }

    public static List<String> columnNames(TableSpec spec) {
        return spec.getColumnsList().stream().map(ColumnSpec::getName).toList();
    }

    /**
     * About how many bytes one value of a column type takes on the wire (what a row of it costs
     * to move): the fixed widths, and a guess for symbols and strings (short words), lists and
     * computed columns (8). For estimates only.
     */
    public static int wireBytes(String type) {
        if (type == null) {
            return 8;
        }
        return switch (type) {
            case "b8", "u8" -> 1;
            case "i16" -> 2;
            case "i32", "f32", "date", "time" -> 4;
            case "guid" -> 16;
            case "symbol" -> 6;
            case "string" -> 12;
            case "list" -> 24;
            default -> 8;
        };
    }

    public static String columnType(TableSpec spec, String column) {
        return spec.getColumnsList().stream().filter(c -> c.getName().equals(column)).map(ColumnSpec::getType)
                .findFirst().orElse(null);
    }
}
