package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.ipc.ValueWriter;
import io.rayforce.cluster.client.ipc.Wire;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts rows into pieces that each travel in one request well under the engine's 256 MiB frame
 * limit (a larger request kills the connection on the engine side).
 */
final class Chunks {
    /** Target payload bytes per request. */
    static final long TARGET_BYTES = 64L * 1024 * 1024;

    private Chunks() {
    }

    /** {@code rows} as consecutive slices of at most about {@code targetBytes} each (at least one slice). */
    static List<RayTable> of(RayTable rows, long targetBytes, String what) {
        int n = rows.rowCount();
        long bytes = ValueWriter.sizeOf(rows);
        if (bytes <= targetBytes || n <= 1) {
            check(rows, what);
            return List.of(rows);
        }
        int perChunk = (int) Math.max(1, Math.min(n, (long) n * targetBytes / bytes));
        List<RayTable> out = new ArrayList<>();
        for (int from = 0; from < n; from += perChunk) {
            RayTable slice = rows.slice(from, Math.min(n, from + perChunk));
            check(slice, what);
            out.add(slice);
        }
        return out;
    }

    static List<RayTable> of(RayTable rows, String what) {
        return of(rows, TARGET_BYTES, what);
    }

    private static void check(RayTable slice, String what) {
        if (ValueWriter.sizeOf(slice) > Wire.MAX_PAYLOAD_BYTES - 64 * 1024) {
            throw new ClusterQueryError(what + ": a single row is larger than the engine's 256 MiB request limit");
        }
    }
}
