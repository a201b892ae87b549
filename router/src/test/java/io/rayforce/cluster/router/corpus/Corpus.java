package io.rayforce.cluster.router.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The differential corpus (docs/compatibility.md): files of Rayfall statements taken from
 * RayforceDB's own upstream script tests (test/rfl), grouped into cases. Each statement is sent,
 * in order, to a cluster's gateway and to one native server, and their answers must be equal
 * byte for byte. The files are data ({@code src/test/resources/corpus/*.rfc}, listed in
 * {@code corpus/files.txt}):
 *
 * <pre>
 * ;; a comment
 * &#64;source test/rfl/table/select.rfl      where the facts come from (upstream RayforceDB/rayforce)
 * (set trades (table ...))                 statements before the first case: the file's setup
 * &#64;case count                            a case: the statements that follow, one request per line
 * (count trades)
 * &#64;known issue-14 table write forms: upsert by key name   a documented exception, with its reason
 * </pre>
 */
record Corpus(List<CorpusFile> files) {
    /** One file: its setup and its cases, run in order on one namespace (cleaned up after). */
    record CorpusFile(String name, String source, List<Case> cases) {
    }

    /** One case: statements sent in order; {@code known} is the documented reason it may differ, or null. */
    record Case(String name, List<String> statements, String known) {
        String id(CorpusFile f) {
            return f.name() + "/" + name;
        }
    }

    static Corpus load() {
        List<CorpusFile> files = new ArrayList<>();
        for (String line : resource("files.txt").split("\n")) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                files.add(parse(name, resource(name + ".rfc")));
            }
        }
        return new Corpus(files);
    }

    static CorpusFile parse(String name, String text) {
        String source = null;
        List<Case> cases = new ArrayList<>();
        String caseName = "setup";
        String known = null;
        List<String> statements = new ArrayList<>();
        int lineNo = 0;
        for (String raw : text.split("\n")) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith(";;")) {
                continue;
            }
            if (line.startsWith("@source ")) {
                source = line.substring(8).strip();
            } else if (line.startsWith("@case ")) {
                if (!statements.isEmpty() || known != null) {
                    cases.add(new Case(caseName, List.copyOf(statements), known));
                }
                caseName = line.substring(6).strip();
                statements.clear();
                known = null;
            } else if (line.startsWith("@known ")) {
                known = line.substring(7).strip();
            } else if (line.startsWith("@")) {
                throw new IllegalArgumentException(name + ".rfc line " + lineNo + ": unknown directive " + line);
            } else {
                statements.add(line);
            }
        }
        if (!statements.isEmpty()) {
            cases.add(new Case(caseName, List.copyOf(statements), known));
        }
        if (source == null) {
            throw new IllegalArgumentException(name + ".rfc names no @source");
        }
        return new CorpusFile(name, source, cases);
    }

    int caseCount() {
        return files.stream().mapToInt(f -> f.cases().size()).sum();
    }

    private static String resource(String name) {
        try (InputStream in = Corpus.class.getResourceAsStream("/corpus/" + name)) {
            if (in == null) {
                throw new IllegalStateException("corpus resource " + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
