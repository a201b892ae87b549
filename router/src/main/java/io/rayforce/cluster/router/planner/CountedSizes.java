package io.rayforce.cluster.router.planner;

import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.router.exec.Executor;
import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.exec.ShardResults;
import io.rayforce.cluster.router.exec.UnitId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Table sizes from a cheap count: {@code (count t__s)} on one replica of every shard of a table
 * (the engine answers it from the table's length), asked once per table and query, the first
 * time the planner needs it, at the query's epoch (in a context of its own, so the query's
 * coverage and budget are not touched). A table whose count fails (a shard no replica answers)
 * is unknown; the query itself then says what is missing.
 */
public final class CountedSizes implements TableSizes {
    private static final long WAIT_MILLIS = 10_000;

    private final Executor executor;
    private final QueryContext ctx;
    private final Map<String, long[]> counted = new HashMap<>();

    public CountedSizes(Executor executor, QueryContext ctx) {
        this.executor = executor;
        this.ctx = ctx;
    }

    @Override
    public synchronized long[] shardRows(TablePlacement table) {
        String name = table.getSpec().getName();
        if (counted.containsKey(name)) {
            return counted.get(name);
        }
        long[] rows = count(table);
        counted.put(name, rows);
        return rows;
    }

    private long[] count(TablePlacement table) {
        int shards = table.getSpec().getShardCount();
        List<UnitId> units = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            units.add(new UnitId(table.getSpec().getName(), s, ctx.epoch()));
        }
        try {
            long wait = ctx.timeout() == null ? WAIT_MILLIS : Math.min(WAIT_MILLIS, ctx.remainingMillis());
            // a context of its own: a shard the count cannot read is the query's to report, not the count's
            QueryContext counting = new QueryContext(ctx.snapshot(), Duration.ofMillis(wait), false);
            ShardResults r = executor.runAll(counting, units, u -> RayList.of(Name.of("count"), Name.of(u.global())))
                    .get(wait, TimeUnit.MILLISECONDS);
            long[] rows = new long[shards];
            for (UnitId u : units) {
                RayValue v = r.get(u);
                if (!(v instanceof I64Atom n)) {
                    return null;
                }
                rows[u.shard()] = n.value();
            }
            return rows;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    public long memoryBudget() {
        return ctx.memoryBudget();
    }

    /** The sizes counted so far, without counting more (what a query's plan is annotated with after it ran). */
    public TableSizes counted() {
        return new TableSizes() {
            @Override
            public long[] shardRows(TablePlacement table) {
                synchronized (CountedSizes.this) {
                    return counted.get(table.getSpec().getName());
                }
            }

            @Override
            public long memoryBudget() {
                return ctx.memoryBudget();
            }
        };
    }
}
