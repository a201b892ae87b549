package io.rayforce.cluster.router.corpus;

import io.rayforce.cluster.client.ipc.ValueReader;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.router.globals.GlobalStatements;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs the corpus through one kind of client: every statement to the cluster and to one native
 * server, in order, their answers compared ({@link AnswerDiff}); after each file both are cleaned
 * of what it defined (its globals and tables), so files do not see each other.
 */
final class CorpusRun {
    /** A server as a client reaches it: the payload of the answer to a statement (an error is its 7f payload). */
    interface Endpoint {
        byte[] ask(String statement) throws Exception;
    }

    /** How one case went: {@code diff} is null when every answer was the same. */
    record Outcome(String id, String known, String statement, String diff) {
        boolean passed() {
            return diff == null;
        }
    }

    private CorpusRun() {
    }

    static List<Outcome> run(Corpus corpus, Endpoint cluster, Endpoint oracle) throws Exception {
        List<Outcome> out = new ArrayList<>();
        clean(cluster, true);
        for (Corpus.CorpusFile f : corpus.files()) {
            for (Corpus.Case c : f.cases()) {
                String diff = null;
                String at = null;
                for (String s : c.statements()) {
                    byte[] o = oracle.ask(s);
                    byte[] k;
                    try {
                        k = cluster.ask(s);
                    } catch (Exception e) {
                        k = null;
                        if (diff == null) {
                            diff = "the cluster's client failed: " + e;
                            at = s;
                        }
                        continue;
                    }
                    String d = AnswerDiff.diff(o, k);
                    if (d != null && diff == null) {
                        diff = d + describe(o, k);
                        if (k.length > 0 && k[0] == 127) {
                            diff += "\n      lastError:  " + text(cluster.ask("(.cluster.lastError)"));
                        }
                        at = s;
                    }
                }
                out.add(new Outcome(c.id(f), c.known(), at, diff));
            }
            clean(cluster, true);
            clean(oracle, false);
        }
        return out;
    }

    private static String describe(byte[] oracle, byte[] cluster) {
        return "\n      one server: " + text(oracle) + "\n      cluster:    " + text(cluster);
    }

    private static String text(byte[] payload) {
        try {
            String s = ValueReader.read(payload).toString();
            return s.length() > 300 ? s.substring(0, 300) + "..." : s;
        } catch (RuntimeException e) {
            return "(undecodable)";
        }
    }

    /** Deletes every name a file defined: tables of the cluster with .cluster.drop, the rest with del. */
    static void clean(Endpoint e, boolean cluster) throws Exception {
        RayValue names = ValueReader.read(e.ask("(key (env 0))"));
        if (!(names instanceof SymbolVector sv)) {
            throw new IllegalStateException("(key (env 0)) answered " + names);
        }
        Set<String> builtins = new HashSet<>(GlobalStatements.engineEnv());
        Set<String> tables = new HashSet<>();
        if (cluster && ValueReader.read(e.ask("(.cluster.tables)")) instanceof RayTable t) {
            tables.addAll(((SymbolVector) t.column("name")).toList());
        }
        for (String n : sv.toList()) {
            if (builtins.contains(n)) {
                continue;
            }
            e.ask(tables.contains(n) ? "(.cluster.drop '" + n + ")" : "(del " + n + ")");
        }
    }
}
