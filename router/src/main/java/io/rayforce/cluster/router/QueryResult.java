package io.rayforce.cluster.router;

import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.exec.MissingShard;
import io.rayforce.cluster.router.exec.QueryTrace;
import java.util.List;

/**
 * A query's answer with what it covers: {@link #missing()} lists the shards left out (only
 * when partial results were allowed; empty means the answer is complete), and the trace says
 * which replica answered each unit and how long it took.
 */
public record QueryResult(RayValue value, long epoch, List<MissingShard> missing, QueryTrace trace, String plan) {
    public boolean complete() {
        return missing.isEmpty();
    }
}
