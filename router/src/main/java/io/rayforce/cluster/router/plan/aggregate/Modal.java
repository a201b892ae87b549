package io.rayforce.cluster.router.plan.aggregate;

import io.rayforce.cluster.client.value.Vector;

/** {@code mode}, finished by {@code ModeCombine}: which values it counts. */
public interface Modal {
    /** Whether element {@code i} of {@code values} is a value the mode counts (nulls are not, mostly). */
    boolean counts(Vector values, int i);
}
