package io.rayforce.cluster.router.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --name value} arguments of a benchmark, and writing its Markdown report. */
final class BenchArgs {
    private final String[] args;

    BenchArgs(String[] args) {
        this.args = args;
    }

    int intArg(String name, int dflt) {
        String v = stringArg(name, null);
        return v == null ? dflt : Integer.parseInt(v.replace("_", ""));
    }

    String stringArg(String name, String dflt) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }

    /** Prints the report and writes it to {@code file}. */
    static void publish(String report, Path file) {
        System.out.println(report);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, report);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        System.out.println("(written to " + file + ")");
    }

    /** The machine the numbers come from, for the report. */
    static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version") + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", load average " + loadAverage();
    }

    /** The 1-minute load average when the report is made (other work on the machine skews the numbers). */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
