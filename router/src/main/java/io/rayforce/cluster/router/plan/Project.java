package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.router.exec.QueryContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Keeps the named columns of a table, in that order, or every column that is not {@link Hidden}. */
public final class Project implements Plan {
    private final Plan input;
    private final List<String> columns;

    /** @param columns the columns to keep, or null for the visible ones */
    public Project(Plan input, List<String> columns) {
        this.input = input;
        this.columns = columns == null ? null : List.copyOf(columns);
    }

    /** Keeps the columns that are not the router's own. */
    public static Project visible(Plan input) {
        return new Project(input, null);
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        return input.run(ctx, env).thenApply(v -> apply((RayTable) v));
    }

    RayTable apply(RayTable t) {
        return columns == null ? dropHidden(t) : keep(t, columns);
    }

    /**
     * {@code t} without the router's own columns, the others by position: a join's answer may
     * have two columns of one name (a non-key column both sides have, as on one server).
     */
    static RayTable dropHidden(RayTable t) {
        List<String> names = new ArrayList<>();
        List<Vector> cols = new ArrayList<>();
        for (int i = 0; i < t.columnCount(); i++) {
            if (!Hidden.is(t.columnNames().get(i))) {
                names.add(t.columnNames().get(i));
                cols.add(t.column(i));
            }
        }
        return names.size() == t.columnCount() ? t : RayTable.of(names, cols);
    }

    /** The columns {@code names} of {@code t}, in that order. */
    static RayTable keep(RayTable t, List<String> names) {
        if (names.equals(t.columnNames())) {
            return t;
        }
        List<Vector> cols = new ArrayList<>(names.size());
        for (String n : names) {
            cols.add(t.column(n));
        }
        return RayTable.of(names, cols);
    }

    @Override
    public String describe() {
        return "Project " + (columns == null ? "visible columns" : columns);
    }

    @Override
    public List<Plan> inputs() {
        return List.of(input);
    }
}
