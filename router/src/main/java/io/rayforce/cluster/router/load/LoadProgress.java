package io.rayforce.cluster.router.load;

/** Where a load is: rows written, bytes of the files read and in all, seconds since it started, bad rows skipped. */
public record LoadProgress(long rows, long bytesRead, long bytesTotal, double seconds, long skipped) {
    /** Rows per second so far. */
    public double rowsPerSecond() {
        return seconds <= 0 ? 0 : rows / seconds;
    }

    /** Seconds left at the rate so far, by bytes; negative when unknown. */
    public double secondsLeft() {
        if (bytesRead <= 0 || seconds <= 0 || bytesTotal <= 0) {
            return -1;
        }
        return seconds * (bytesTotal - bytesRead) / bytesRead;
    }
}
