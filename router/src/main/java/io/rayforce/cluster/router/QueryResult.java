package io.rayforce.cluster.router;

import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.exec.MissingShard;
import io.rayforce.cluster.router.exec.QueryTrace;
import java.util.List;

/**
 * A query's answer with what it covers: {@link #missing()} lists the shards left out (only
 * when partial results were allowed; empty means the answer is complete), and the trace says
 * which replica answered each unit and how long it took. {@code movedBytes}: what came to the
 * router from the engines (wire bytes, all steps); {@code sentBytes}: what the router sent the
 * nodes (a shipped right side, a shuffle's partitions); {@code routerPeakBytes}: the most of its
 * memory budget the query held at once.
 */
public record QueryResult(RayValue value, long epoch, List<MissingShard> missing, QueryTrace trace, String plan, long movedBytes,
                          long sentBytes, long routerPeakBytes) {
    public QueryResult(RayValue value, long epoch, List<MissingShard> missing, QueryTrace trace, String plan) {
        this(value, epoch, missing, trace, plan, 0, 0, 0);
    }

    public boolean complete() {
        return missing.isEmpty();
    }
}
