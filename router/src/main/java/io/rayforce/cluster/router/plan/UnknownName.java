package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.exec.QueryContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The answer to a query that names something its table does not have: the error one server
 * gives, found by evaluating the query over an empty table with the same columns on the scratch
 * engine ({@code probe}; the engine answers {@code schema} or {@code name} depending on where the
 * name stands, whatever the rows), with a message that names the name and the table's columns.
 * No shard is asked.
 */
public final class UnknownName implements Plan {
    private final Plan probe;
    private final String name;
    private final String table;
    private final List<String> columns;

    public UnknownName(Plan probe, String name, String table, List<String> columns) {
        this.probe = probe;
        this.name = name;
        this.table = table;
        this.columns = List.copyOf(columns);
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        return probe.run(ctx, env).handle((v, e) -> {
            Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            String code = c instanceof RayforceEvaluationError ev ? ev.code() : "name";
            throw new RayforceEvaluationError(code, "'" + name + "' is not a column of " + table + " (" + String.join(" ", columns)
                    + "), a function or a table");
        });
    }

    @Override
    public String describe() {
        return "UnknownName '" + name + "' in " + table + ": the engine's error over an empty " + table;
    }

    @Override
    public List<Plan> inputs() {
        return List.of(probe);
    }
}
