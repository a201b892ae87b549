package io.rayforce.cluster.router.testing;

import java.util.stream.Collectors;

/** Reading explain's plan trees in tests. */
public final class PlanTrees {
    private static final String REUSED = "Reused while ";

    private PlanTrees() {
    }

    /**
     * The tree that computes a plan's value: {@code plan} itself, or, when its root keeps the value
     * while the table is unchanged ({@code Reused while t is unchanged}), the tree under it, one
     * level less indented.
     */
    public static String computing(String plan) {
        if (!plan.startsWith(REUSED)) {
            return plan;
        }
        return plan.lines().skip(1).map(l -> l.startsWith("  ") ? l.substring(2) : l).collect(Collectors.joining("\n"));
    }
}
