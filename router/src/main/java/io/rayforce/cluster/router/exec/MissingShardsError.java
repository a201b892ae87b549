package io.rayforce.cluster.router.exec;

import java.util.List;
import java.util.stream.Collectors;

/** Some shards could not be read from any replica, and the caller did not accept partial results. */
public final class MissingShardsError extends ClusterQueryError {
    private final List<MissingShard> missing;

    public MissingShardsError(List<MissingShard> missing) {
        super("no replica could answer for " + missing.size() + " shard(s): "
                + missing.stream().map(MissingShard::toString).collect(Collectors.joining("; ")));
        this.missing = List.copyOf(missing);
    }

    public List<MissingShard> missing() {
        return missing;
    }
}
