package io.rayforce.cluster.deploy;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a long operation on the terminal: one line redrawn in place (a bar, the percentage
 * and what the caller says: rows, megabytes, rate, time left), at most ten times a second. When
 * the output is not a terminal (a log, a pipe) it prints a plain line every
 * {@value #PLAIN_EVERY_SECONDS} seconds instead, so logs get progress without carriage returns.
 */
final class ProgressBar {
    static final int PLAIN_EVERY_SECONDS = 10;
    private static final int WIDTH = 30;

    /** When to draw: on a terminal (a bar), always as a bar, or never (plain lines only). */
    enum Mode { AUTO, ALWAYS, NEVER }

    private final PrintStream out;
    private final boolean bar;
    private final String label;
    private long lastDrawn;
    private int lastLength;
    private boolean drawn;

    ProgressBar(PrintStream out, Mode mode, String label) {
        this.out = out;
        this.bar = mode == Mode.ALWAYS || (mode == Mode.AUTO && System.console() != null);
        this.label = label;
    }

    /** Shows {@code fraction} (0..1, or negative when unknown) and {@code detail}; skipped when drawn a moment ago. */
    void update(double fraction, String detail) {
        long now = System.nanoTime();
        long every = bar ? 100_000_000L : PLAIN_EVERY_SECONDS * 1_000_000_000L;
        if (drawn && now - lastDrawn < every) {
            return;
        }
        lastDrawn = now;
        drawn = true;
        if (!bar) {
            out.println(label + ": " + percent(fraction) + detail);
            out.flush();
            return;
        }
        StringBuilder b = new StringBuilder("\r").append(label).append(" [");
        int filled = fraction < 0 ? 0 : (int) Math.round(Math.min(1, fraction) * WIDTH);
        b.append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ").append(percent(fraction)).append(detail);
        int len = b.length();
        if (len < lastLength) {
            b.append(" ".repeat(lastLength - len));
        }
        lastLength = len;
        out.print(b);
        out.flush();
    }

    /** Ends the bar's line and prints {@code summary}. */
    void done(String summary) {
        if (bar && drawn) {
            out.println();
        }
        out.println(summary);
        out.flush();
    }

    private static String percent(double fraction) {
        return fraction < 0 ? "" : String.format(Locale.ROOT, "%3d%%  ", (int) Math.floor(Math.min(1, fraction) * 100));
    }

    /** {@code 1:02:03} or {@code 2:03}; "?" when unknown (negative). */
    static String duration(double seconds) {
        if (seconds < 0 || Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** Megabytes with one decimal. */
    static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
