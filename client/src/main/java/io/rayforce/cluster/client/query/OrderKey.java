package io.rayforce.cluster.client.query;

import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import java.util.Objects;

/** One sort key of a select: a column and a direction. */
public record OrderKey(String column, Direction direction) {
    /** Sort direction; nulls sort first ascending and last descending. */
    public enum Direction {
        ASC("asc"), DESC("desc");

        private final String key;

        Direction(String key) {
            this.key = key;
        }

        /** The select dict key: {@code asc} or {@code desc}. */
        public String key() {
            return key;
        }
    }

    public OrderKey {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(direction, "direction");
        if (!RayfallPrinter.isNameToken(column)) {
            // the key's value is a name reference, so it must read back as one
            throw new IllegalArgumentException("'" + column + "' is not a Rayfall name (letters, digits and "
                    + "!#$%&*+,-./<=>?@^_|~, not starting with a digit)");
        }
    }

    public static OrderKey asc(String column) {
        return new OrderKey(column, Direction.ASC);
    }

    public static OrderKey desc(String column) {
        return new OrderKey(column, Direction.DESC);
    }
}
