package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.router.exec.Executor;
import java.util.concurrent.ExecutorService;

/**
 * What plans run with: the executor for shard work, the router's scratch engine, and threads for
 * work that blocks (the scratch engine's requests), so that none runs on the common pool.
 */
public record PlanEnv(Executor executor, ScratchEngine scratch, ExecutorService blocking) {
}
