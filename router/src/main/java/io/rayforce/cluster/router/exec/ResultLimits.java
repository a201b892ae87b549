package io.rayforce.cluster.router.exec;

import io.rayforce.cluster.client.ipc.ValueWriter;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Vector;

/**
 * The largest answer a query may have: rows (of a table, or items of a vector or list) and bytes
 * on the wire; zero means no limit. A query over a limit fails with {@link ResultLimitError}.
 * The router checks the merged answer, and also the shard answers of a plain select as they
 * arrive (their rows are the answer's rows), so such a query stops before the rest is fetched.
 */
public record ResultLimits(long maxRows, long maxBytes) {
    public static final ResultLimits NONE = new ResultLimits(0, 0);

    public ResultLimits {
        if (maxRows < 0 || maxBytes < 0) {
            throw new IllegalArgumentException("result limits must not be negative (zero means none)");
        }
    }

    public boolean none() {
        return maxRows == 0 && maxBytes == 0;
    }

    /** Fails when {@code answer} has more rows or bytes than allowed. */
    public void check(RayValue answer) {
        if (none()) {
            return;
        }
        ResultBudget whole = new ResultBudget(this, "the answer");
        whole.admit(answer);
    }

    /** The rows of {@code v}: a table's rows, a vector's items, 1 for anything else. */
    public static long rows(RayValue v) {
        if (v instanceof RayTable t) {
            return t.rowCount();
        }
        return v instanceof Vector vec ? vec.length() : 1;
    }

    /** The bytes {@code v} takes on the wire. */
    static long bytes(RayValue v) {
        return ValueWriter.sizeOf(v);
    }
}
