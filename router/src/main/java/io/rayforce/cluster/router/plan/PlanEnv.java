package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.router.exec.Executor;

/** What plans run with: the executor for shard work and the router's scratch engine. */
public record PlanEnv(Executor executor, ScratchEngine scratch) {
}
