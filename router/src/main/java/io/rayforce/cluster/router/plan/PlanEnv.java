package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.router.exec.Executor;
import java.util.concurrent.ExecutorService;

/**
 * What plans run with: the executor for shard work, the router's scratch engine, threads for
 * work that blocks (the scratch engine's requests), so that none runs on the common pool, and
 * the values steps may reuse while their tables are unchanged ({@link ReadCache}).
 */
public record PlanEnv(Executor executor, ScratchEngine scratch, ExecutorService blocking, ReadCache cache) {
    public PlanEnv(Executor executor, ScratchEngine scratch, ExecutorService blocking) {
        this(executor, scratch, blocking, new ReadCache(ReadCache.DEFAULT_BYTES));
    }
}
