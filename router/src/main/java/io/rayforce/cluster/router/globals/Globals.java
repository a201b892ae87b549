package io.rayforce.cluster.router.globals;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.ipc.ValueWriter;
import io.rayforce.cluster.client.value.RayValue;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The cluster's globals: every value a client binds with {@code set} (or a top-level
 * {@code let}) that is not a table, shared by every router and gateway of the cluster as one
 * server's globals are shared by its clients (docs/globals.md). Tables a client {@code set}s are
 * cluster tables, not globals.
 */
public interface Globals extends AutoCloseable {
    /** A global holds at most this many bytes on the wire unless configured otherwise. */
    int DEFAULT_MAX_VALUE_BYTES = 256 * 1024;

    /**
     * The values of those of {@code names} that are globals now: every {@code set} and
     * {@code del} acknowledged before this call, through any router, is seen.
     */
    Map<String, RayValue> current(Collection<String> names);

    /** Binds {@code name} to {@code value} (checked against {@link #maxValueBytes()} first). */
    void put(String name, RayValue value);

    /** Unbinds {@code name}; false when it was no global. */
    boolean remove(String name);

    /**
     * The globals' names and the cluster tables in {@code tables}, in the order they were defined
     * (a global or table replaced in place keeps its place).
     */
    List<String> names(Collection<String> tables);

    /** The most bytes one global's value may take on the wire. */
    int maxValueBytes();

    /** The wire bytes of {@code value}, or error {@code limit} naming the global when they pass {@code max}. */
    static byte[] encode(String name, RayValue value, int max) {
        long size = ValueWriter.sizeOf(value);
        if (size > max) {
            throw new RayforceEvaluationError("limit", "global " + name + " would hold " + size + " bytes; a global of the "
                    + "cluster holds at most " + max + " bytes (keep large data in a table: (set " + name + " (table ...)))");
        }
        return ValueWriter.answerPayload(value);
    }

    @Override
    void close();
}
