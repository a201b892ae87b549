package io.rayforce.cluster.router.load;

/** A load refused whole because of a bad row (without {@code --skip-bad}). */
public final class BadRowError extends RuntimeException {
    private final BadRow row;

    public BadRowError(BadRow row) {
        super("bad row at " + row + "; nothing was loaded (skip bad rows with --skip-bad, or skipBad: true)");
        this.row = row;
    }

    public BadRow row() {
        return row;
    }
}
