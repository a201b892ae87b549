package io.rayforce.cluster.chaos.report;

import io.rayforce.cluster.chaos.check.CheckResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes each fault's report as JSON and Markdown ({@code <dir>/<fault>.json}, {@code .md}) and the
 * summary table of every fault run so far ({@code <dir>/summary.md}); with
 * {@code -Dchaos.updateDocs=true} the table also replaces the marked section of docs/chaos.md.
 */
public final class ReportWriter {
    private final Path dir;
    private final List<FaultReport> reports = new ArrayList<>();

    public ReportWriter(Path dir) {
        this.dir = dir;
    }

    public synchronized void write(FaultReport r) {
        reports.add(r);
        try {
            Files.createDirectories(dir);
            String base = r.fault() + (countOf(r.fault()) > 1 ? "-" + countOf(r.fault()) : "");
            Files.writeString(dir.resolve(base + ".json"), json(r));
            Files.writeString(dir.resolve(base + ".md"), markdown(r));
            if (!r.check().details().isEmpty()) {
                Files.writeString(dir.resolve(base + "-anomalies.txt"), String.join("\n\n", r.check().details()) + "\n");
            }
            Files.writeString(dir.resolve("summary.md"), "# Chaos summary (" + r.profile() + " profile)\n\n" + summaryTable());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the chaos report to " + dir, e);
        }
    }

    private int countOf(String fault) {
        return (int) reports.stream().filter(x -> x.fault().equals(fault)).count();
    }

    /** The Markdown table of every fault run so far. */
    public synchronized String summaryTable() {
        StringBuilder s = new StringBuilder();
        s.append("| fault | ops | ok | fail | info | wrong answers | silently partial | lost writes | duplicated writes "
                + "| info present/absent | failed reads java/py | longest read | hostile refused / not | engine restarts | recovery "
                + "| all healthy after |\n");
        s.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (FaultReport r : reports) {
            CheckResult c = r.check();
            s.append("| ").append(r.fault()).append(" | ").append(r.operations())
                    .append(" | ").append(r.outcomes().get("ok")).append(" | ").append(r.outcomes().get("fail"))
                    .append(" | ").append(r.outcomes().get("info"))
                    .append(" | ").append(c.wrongAnswers()).append(" | ").append(c.partialAnswers())
                    .append(" | ").append(c.lostWrites()).append(" | ").append(c.duplicatedWrites())
                    .append(" | ").append(c.infoPresent()).append("/").append(c.infoAbsent())
                    .append(c.infoUnresolved() > 0 ? " (" + c.infoUnresolved() + " unresolved)" : "")
                    .append(" | ").append(r.failedReads().getOrDefault("java-reader", 0)).append("/")
                    .append(r.failedReads().getOrDefault("python-reader", 0))
                    .append(" | ").append(seconds(r.longestReadMillis()))
                    .append(" | ").append(c.hostileRefused()).append("/").append(c.hostileNotRefused())
                    .append(" | ").append(r.engineRestarts())
                    .append(" | ").append(seconds(r.recoveryMillis())).append(" | ").append(seconds(r.healthMillis())).append(" |\n");
        }
        return s.toString();
    }

    /**
     * Replaces the section of {@code doc} between {@code <!-- chaos-summary:PROFILE:begin -->} and
     * {@code <!-- chaos-summary:PROFILE:end -->} with {@code heading} and the current table.
     */
    public synchronized void updateDoc(Path doc, String profile, String heading) throws IOException {
        String begin = "<!-- chaos-summary:" + profile + ":begin -->";
        String end = "<!-- chaos-summary:" + profile + ":end -->";
        String text = Files.readString(doc);
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        if (b < 0 || e < b) {
            throw new IllegalStateException(doc + " has no " + begin + " ... " + end + " section");
        }
        Files.writeString(doc, text.substring(0, b + begin.length()) + "\n" + heading + "\n\n" + summaryTable() + text.substring(e));
    }

    static String seconds(long millis) {
        return millis < 0 ? "never" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    static String markdown(FaultReport r) {
        CheckResult c = r.check();
        StringBuilder s = new StringBuilder();
        s.append("# ").append(r.fault()).append("\n\n").append(r.description()).append("\n\n");
        s.append("- profile: ").append(r.profile()).append(", run took ").append(seconds(r.durationMillis())).append('\n');
        s.append("- operations: ").append(r.operations()).append(' ').append(r.outcomes()).append("; while the fault was held: ")
                .append(r.duringFault()).append('\n');
        s.append("- by kind: ").append(r.byKind()).append('\n');
        s.append("- ok operations by client: ").append(r.okByClient()).append('\n');
        s.append("- failed reads by reader: ").append(r.failedReads()).append("; longest ok read after the injection: ")
                .append(seconds(r.longestReadMillis())).append('\n');
        s.append("- reads checked against the oracle: ").append(c.readsChecked()).append('\n');
        s.append("- wrong answers: ").append(c.wrongAnswers()).append(" (silently partial: ").append(c.partialAnswers()).append(")\n");
        s.append("- lost acknowledged writes: ").append(c.lostWrites()).append(", duplicated: ").append(c.duplicatedWrites()).append('\n');
        s.append("- info writes: ").append(c.infoPresent()).append(" present once, ").append(c.infoAbsent()).append(" absent, ")
                .append(c.infoUnresolved()).append(" unresolved\n");
        s.append("- hostile queries: ").append(c.hostileRefused()).append(" refused with access, ").append(c.hostileNotRefused())
                .append(" answered or refused otherwise; engines restarted by their agents: ").append(r.engineRestarts()).append('\n');
        s.append("- recovery after the fault ended: ").append(seconds(r.recoveryMillis()))
                .append(" (first ok read and write); every container healthy after ").append(seconds(r.healthMillis())).append('\n');
        if (!c.examples().isEmpty()) {
            s.append("\n## Anomalies\n\n");
            c.examples().forEach(x -> s.append("- ").append(x).append('\n'));
        }
        if (!r.topErrors().isEmpty()) {
            s.append("\n## Most frequent errors\n\n");
            r.topErrors().forEach(x -> s.append("- ").append(x).append('\n'));
        }
        return s.toString();
    }

    static String json(FaultReport r) {
        CheckResult c = r.check();
        StringBuilder s = new StringBuilder("{\n");
        field(s, "fault", r.fault());
        field(s, "description", r.description());
        field(s, "profile", r.profile());
        s.append("  \"durationMillis\": ").append(r.durationMillis()).append(",\n");
        s.append("  \"operations\": ").append(r.operations()).append(",\n");
        s.append("  \"outcomes\": ").append(map(r.outcomes())).append(",\n");
        s.append("  \"duringFault\": ").append(map(r.duringFault())).append(",\n");
        s.append("  \"byKind\": ").append(map(r.byKind())).append(",\n");
        s.append("  \"okByClient\": ").append(map(r.okByClient())).append(",\n");
        s.append("  \"failedReads\": ").append(map(r.failedReads())).append(",\n");
        s.append("  \"longestReadMillis\": ").append(r.longestReadMillis()).append(",\n");
        s.append("  \"readsChecked\": ").append(c.readsChecked()).append(",\n");
        s.append("  \"wrongAnswers\": ").append(c.wrongAnswers()).append(",\n");
        s.append("  \"silentlyPartialAnswers\": ").append(c.partialAnswers()).append(",\n");
        s.append("  \"lostWrites\": ").append(c.lostWrites()).append(",\n");
        s.append("  \"duplicatedWrites\": ").append(c.duplicatedWrites()).append(",\n");
        s.append("  \"infoPresent\": ").append(c.infoPresent()).append(",\n");
        s.append("  \"infoAbsent\": ").append(c.infoAbsent()).append(",\n");
        s.append("  \"infoUnresolved\": ").append(c.infoUnresolved()).append(",\n");
        s.append("  \"hostileRefused\": ").append(c.hostileRefused()).append(",\n");
        s.append("  \"hostileNotRefused\": ").append(c.hostileNotRefused()).append(",\n");
        s.append("  \"engineRestarts\": ").append(r.engineRestarts()).append(",\n");
        s.append("  \"recoveryMillis\": ").append(r.recoveryMillis()).append(",\n");
        s.append("  \"healthMillis\": ").append(r.healthMillis()).append(",\n");
        s.append("  \"anomalies\": ").append(list(c.examples())).append(",\n");
        s.append("  \"topErrors\": ").append(list(r.topErrors())).append("\n}\n");
        return s.toString();
    }

    private static void field(StringBuilder s, String k, String v) {
        s.append("  \"").append(k).append("\": ").append(quote(v)).append(",\n");
    }

    private static String map(Map<String, Integer> m) {
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add(quote(k) + ": " + v));
        return "{" + String.join(", ", parts) + "}";
    }

    private static String list(List<String> l) {
        List<String> parts = new ArrayList<>();
        l.forEach(x -> parts.add(quote(x)));
        return "[" + String.join(", ", parts) + "]";
    }

    static String quote(String v) {
        StringBuilder s = new StringBuilder("\"");
        for (char ch : v.toCharArray()) {
            switch (ch) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\t' -> s.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        s.append(String.format("\\u%04x", (int) ch));
                    } else {
                        s.append(ch);
                    }
                }
            }
        }
        return s.append('"').toString();
    }
}
