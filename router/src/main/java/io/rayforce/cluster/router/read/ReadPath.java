package io.rayforce.cluster.router.read;

import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.QueryOptions;

/** The cluster's read path (planner and executor), which writes use to evaluate the data they are given. */
@FunctionalInterface
public interface ReadPath {
    /** Evaluates {@code tree} over the cluster as one server would. */
    RayValue read(RayValue tree, QueryOptions options);
}
