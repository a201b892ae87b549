package io.rayforce.cluster.client.query;

/** The engine's key joins. */
public enum JoinKind {
    LEFT("left-join"), INNER("inner-join"), FULL("full-join"), ANTI("anti-join"), ASOF("asof-join");

    private final String function;

    JoinKind(String function) {
        this.function = function;
    }

    /** The Rayfall function, e.g. {@code left-join}. */
    public String function() {
        return function;
    }

    static JoinKind ofFunction(String name) {
        for (JoinKind k : values()) {
            if (k.function.equals(name)) {
                return k;
            }
        }
        return null;
    }
}
