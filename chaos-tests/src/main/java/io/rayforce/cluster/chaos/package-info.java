/**
 * The chaos suite: a rayforce-cluster in Docker containers ({@link io.rayforce.cluster.chaos.cluster}),
 * faults injected into it ({@link io.rayforce.cluster.chaos.fault}), a Jepsen-style workload whose every
 * operation is recorded as ok, fail or info ({@link io.rayforce.cluster.chaos.workload}), one native
 * Rayforce server as the oracle ({@link io.rayforce.cluster.chaos.oracle}), the checker
 * ({@link io.rayforce.cluster.chaos.check}) and the per-fault reports ({@link io.rayforce.cluster.chaos.report}).
 */
package io.rayforce.cluster.chaos;
