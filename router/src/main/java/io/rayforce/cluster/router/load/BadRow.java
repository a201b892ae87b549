package io.rayforce.cluster.router.load;

/** A row of a file that could not be loaded: the file, its line (CSV) or row number (Parquet), and why. */
public record BadRow(String file, long line, String reason) {
    @Override
    public String toString() {
        return file + ":" + line + ": " + reason;
    }
}
