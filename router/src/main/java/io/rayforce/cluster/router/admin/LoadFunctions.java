package io.rayforce.cluster.router.admin;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.value.BoolAtom;
import io.rayforce.cluster.client.value.F64Atom;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.client.value.StringVector;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.exec.PlacementSource;
import io.rayforce.cluster.router.exec.UnsupportedQueryError;
import io.rayforce.cluster.router.load.BadRow;
import io.rayforce.cluster.router.load.BadRowError;
import io.rayforce.cluster.router.load.ChunkSource;
import io.rayforce.cluster.router.load.FileFormat;
import io.rayforce.cluster.router.load.FileLoader;
import io.rayforce.cluster.router.load.FileSchema;
import io.rayforce.cluster.router.load.LoadDirectory;
import io.rayforce.cluster.router.load.LoadOptions;
import io.rayforce.cluster.router.load.LoadResult;
import io.rayforce.cluster.router.load.TableLayout;
import io.rayforce.cluster.router.statement.Statements;
import io.rayforce.cluster.router.write.TableLoad;
import io.rayforce.cluster.router.write.WritePath;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loading as admin functions (docs/operations.md, Loading files):
 * <pre>
 * (.cluster.loadFile 'trades "trades.csv")                       into an existing table
 * (.cluster.loadFile 'trades ["a.csv" "b.csv"] {shardKey: 'sym shards: 8 replication: 2 skipBad: true})
 * (.cluster.loadBegin 'trades)        a load fed in pieces: answers its id
 * (.cluster.loadRows id rows)         appends a table of the table's columns; answers the rows so far
 * (.cluster.loadCommit id)            all rows become visible at once; answers the rows loaded
 * (.cluster.loadAbort id)             nothing of it stays
 * </pre>
 * {@code loadFile} reads files on the router's (gateway's) machine, only inside its load
 * directory ({@link LoadDirectory}); without one it is refused. A load fed in pieces is what
 * {@code rfc load} uses to send a file from the client's machine; one not used for
 * {@link #IDLE} is aborted (its client went away).
 */
public final class LoadFunctions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LoadFunctions.class);
    /** A load fed in pieces that gets no call for this long is aborted. */
    public static final Duration IDLE = Duration.ofSeconds(60);
    static final List<String> FILE_OPTIONS = List.of("format", "columns", "skipBad", "header", "separator", "chunkRows",
            "shardKey", "shards", "replication", "replicated");

    private final PlacementSource placement;
    private final WritePath writes;
    private final Map<Long, TableLoad> open = new ConcurrentHashMap<>();
    private final SecureRandom ids = new SecureRandom();
    private volatile LoadDirectory directory;
    private ScheduledExecutorService reaper;

    LoadFunctions(PlacementSource placement, WritePath writes) {
        this.placement = placement;
        this.writes = writes;
    }

    /** Lets {@code .cluster.loadFile} read files in {@code dir} (null: refuse it). */
    public void directory(Path dir) {
        this.directory = dir == null ? null : LoadDirectory.of(dir);
    }

    RayValue call(String function, List<RayValue> args, QueryOptions options) {
        return switch (function) {
            case ".cluster.loadFile" -> loadFile(args, options);
            case ".cluster.loadBegin" -> begin(args, options);
            case ".cluster.loadRows" -> rows(args, options);
            case ".cluster.loadCommit" -> commit(args);
            case ".cluster.loadAbort" -> abort(args);
            default -> throw new IllegalArgumentException(function);
        };
    }

    // ------------------------------------------------------------------------------ in pieces

    private RayValue begin(List<RayValue> args, QueryOptions options) {
        String usage = "(.cluster.loadBegin 'table)";
        AdminFunctions.arity(args, 1, 1, usage);
        String table = AdminFunctions.name(args.get(0), "table", usage);
        TableLoad load = writes.beginLoad(table, options);
        long id;
        do {
            id = ids.nextLong() & Long.MAX_VALUE;
        } while (id == 0 || open.putIfAbsent(id, load) != null);
        startReaper();
        log.info("load {} into {} begun", id, table);
        return I64Atom.of(id);
    }

    private RayValue rows(List<RayValue> args, QueryOptions options) {
        String usage = "(.cluster.loadRows id rows)";
        AdminFunctions.arity(args, 2, 2, usage);
        TableLoad load = load(args.get(0), usage);
        RayValue v = args.get(1) instanceof RayTable t ? t : writes.evaluate(args.get(1), options);
        if (!(v instanceof RayTable rows)) {
            throw new UnsupportedQueryError("expected a table of the table's columns in " + usage + ", got a " + v.type().rayfallName());
        }
        // a load that failed stays listed (until it is idle) so that its pieces still on their way are told why
        return I64Atom.of(load.append(rows));
    }

    private RayValue commit(List<RayValue> args) {
        String usage = "(.cluster.loadCommit id)";
        AdminFunctions.arity(args, 1, 1, usage);
        long id = id(args.get(0), usage);
        TableLoad load = load(args.get(0), usage);
        try {
            long rows = load.commit();
            log.info("load {} into {} committed: {} rows", id, load.table(), rows);
            return I64Atom.of(rows);
        } finally {
            open.remove(id);
        }
    }

    private RayValue abort(List<RayValue> args) {
        String usage = "(.cluster.loadAbort id)";
        AdminFunctions.arity(args, 1, 1, usage);
        long id = id(args.get(0), usage);
        TableLoad load = open.remove(id);
        if (load == null) {
            throw new UnsupportedQueryError("no load " + id + " is open (it was committed, aborted, or aborted after "
                    + IDLE.toSeconds() + " s without a call)");
        }
        load.abort("the client aborted it");
        return Symbol.of(load.table());
    }

    private TableLoad load(RayValue arg, String usage) {
        long id = id(arg, usage);
        TableLoad load = open.get(id);
        if (load == null) {
            throw new UnsupportedQueryError("no load " + id + " is open (it was committed, aborted, failed, or aborted after "
                    + IDLE.toSeconds() + " s without a call)");
        }
        return load;
    }

    private static long id(RayValue v, String usage) {
        Long id = Statements.integer(v);
        if (id == null) {
            throw new UnsupportedQueryError("expected the load id (from .cluster.loadBegin) in " + usage + ", got " + v);
        }
        return id;
    }

    private synchronized void startReaper() {
        if (reaper != null) {
            return;
        }
        reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rayforce-load-reaper");
            t.setDaemon(true);
            return t;
        });
        reaper.scheduleWithFixedDelay(this::abortIdle, 1, 1, TimeUnit.SECONDS);
    }

    /** Aborts the loads fed in pieces whose client has not called for {@link #IDLE}. */
    void abortIdle() {
        for (Map.Entry<Long, TableLoad> e : open.entrySet()) {
            TableLoad l = e.getValue();
            if (l.idleNanos() > IDLE.toNanos()) {
                if (open.remove(e.getKey(), l) && !l.ended()) {
                    log.warn("load {} into {} aborted: no call for {} s (its client went away)", e.getKey(), l.table(),
                            IDLE.toSeconds());
                    try {
                        l.abort("no call for " + IDLE.toSeconds() + " s: its client went away");
                    } catch (RuntimeException ex) {
                        log.warn("aborting load {} failed: {}", e.getKey(), ex.toString());
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------------------ files

    private RayValue loadFile(List<RayValue> args, QueryOptions options) {
        String usage = "(.cluster.loadFile 'table \"path\" [{options}])  or  (.cluster.loadFile 'table [\"path\" ...] {...})";
        AdminFunctions.arity(args, 2, 3, usage);
        String table = AdminFunctions.name(args.get(0), "table", usage);
        String what = ".cluster.loadFile " + table;
        List<String> paths = paths(args.get(1), usage);
        LoadDirectory dir = directory;
        if (dir == null) {
            throw new RayforceEvaluationError("access", what + ": loading files from the cluster's machines is off; start the "
                    + "gateway with --load-dir DIR to allow files in DIR (or send a file from your machine with rfc load)");
        }
        FileRequest req = args.size() == 3 ? options(args.get(2), usage) : new FileRequest(LoadOptions.DEFAULT, TableLayout.NONE);
        List<ChunkSource> sources = new ArrayList<>();
        try {
            for (String p : paths) {
                Path real = dir.resolve(p);
                sources.add(req.options().formatOf(p).open(real, p, req.options()));
            }
            long[] lastLog = {System.nanoTime()};
            LoadResult r = FileLoader.load(sources, table, req.options(), req.layout(),
                    new ClusterLoadTarget(placement, writes, options), progress -> {
                        if (System.nanoTime() - lastLog[0] > TimeUnit.SECONDS.toNanos(5)) {
                            lastLog[0] = System.nanoTime();
                            log.info("{}: {} rows, {} of {} MB, {} rows/s", what, progress.rows(), progress.bytesRead() >> 20,
                                    progress.bytesTotal() >> 20, (long) progress.rowsPerSecond());
                        }
                    });
            log.info("{}: {} rows loaded from {} in {} s", what, r.rows(), paths, String.format("%.1f", r.seconds()));
            return answer(r);
        } catch (LoadDirectory.Refused e) {
            throw new RayforceEvaluationError("access", what + ": " + e.getMessage());
        } catch (NoSuchFileException e) {
            throw new RayforceEvaluationError("io", what + ": no file '" + e.getFile() + "' in the load directory " + dir.root());
        } catch (BadRowError e) {
            throw new RayforceEvaluationError("domain", what + ": " + e.getMessage());
        } catch (IOException e) {
            throw new RayforceEvaluationError("io", what + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UnsupportedQueryError(what + ": " + e.getMessage());
        } finally {
            for (ChunkSource s : sources) {
                try {
                    s.close();
                } catch (IOException e) {
                    // read already
                }
            }
        }
    }

    private static List<String> paths(RayValue v, String usage) {
        if (v instanceof Str s && !s.value().isEmpty()) {
            return List.of(s.value());
        }
        if (v instanceof Symbol s && !s.name().isEmpty()) {
            return List.of(s.name());
        }
        if (v instanceof StringVector sv && sv.length() > 0) {
            return sv.toList();
        }
        if (v instanceof RayList l && l.length() > 0) {
            List<String> out = new ArrayList<>();
            // (list "a.csv" "b.csv") as written, or the list it makes
            boolean call = l.get(0) instanceof Name n && n.name().equals("list");
            for (int i = call ? 1 : 0; i < l.length(); i++) {
                if (!(l.get(i) instanceof Str s)) {
                    throw new UnsupportedQueryError("expected the paths as strings in " + usage + ", got " + l.get(i));
                }
                out.add(s.value());
            }
            return out;
        }
        throw new UnsupportedQueryError("expected a path (a string) or a list of paths in " + usage + ", got " + v);
    }

    /** What a {@code loadFile} call asks for: how to read the files, how to create the table. */
    record FileRequest(LoadOptions options, TableLayout layout) {
    }

    /** Reads the options dict (its keys are {@link #FILE_OPTIONS}). */
    static FileRequest options(RayValue v, String usage) {
        if (!(v instanceof RayDict d) || !(d.keys() instanceof SymbolVector keys) || !(d.values() instanceof Vector vals)) {
            throw new UnsupportedQueryError("expected the options as a dict, e.g. {shardKey: 'sym shards: 8 skipBad: true}, in "
                    + usage);
        }
        LoadOptions o = LoadOptions.DEFAULT;
        String key = null;
        int shards = 0;
        int replication = 0;
        boolean replicated = false;
        try {
            for (int i = 0; i < vals.length(); i++) {
                String k = keys.get(i);
                RayValue x = vals.at(i);
                switch (k) {
                    case "format" -> o = o.withFormat(FileFormat.of(text(x, k)));
                    case "columns" -> o = o.withColumns(FileSchema.parseColumns(text(x, k)));
                    case "skipBad" -> o = o.withSkipBad(flag(x, k));
                    case "header" -> o = o.withHeader(flag(x, k));
                    case "separator" -> {
                        String s = text(x, k);
                        if (s.length() != 1) {
                            throw new IllegalArgumentException("separator must be one character, got '" + s + "'");
                        }
                        o = o.withSeparator(s.charAt(0));
                    }
                    case "chunkRows" -> o = o.withChunkRows(AdminFunctions.positive(x, k, usage));
                    case "shardKey" -> key = text(x, k);
                    case "shards" -> shards = AdminFunctions.positive(x, k, usage);
                    case "replication" -> replication = AdminFunctions.positive(x, k, usage);
                    case "replicated" -> replicated = flag(x, k);
                    default -> throw new IllegalArgumentException("unknown option " + k + "; the options are " + FILE_OPTIONS);
                }
            }
            return new FileRequest(o, new TableLayout(key, shards, replication, replicated));
        } catch (IllegalArgumentException e) {
            throw new UnsupportedQueryError(".cluster.loadFile: " + e.getMessage());
        }
    }

    private static String text(RayValue v, String key) {
        if (v instanceof Symbol s) {
            return s.name();
        }
        if (v instanceof Str s) {
            return s.value();
        }
        throw new IllegalArgumentException("option " + key + " must be a symbol or string, got " + v);
    }

    private static boolean flag(RayValue v, String key) {
        if (v instanceof BoolAtom b) {
            return b.value();
        }
        throw new IllegalArgumentException("option " + key + " must be true or false, got " + v);
    }

    /** {@code table rows created bytes seconds skipped bad}; {@code bad} is a table {@code file line reason}. */
    static RayDict answer(LoadResult r) {
        List<BadRow> bad = r.skipped();
        RayTable badRows = RayTable.builder()
                .column("file", SymbolVector.of(bad.stream().map(BadRow::file).toList()))
                .column("line", new I64Vector(bad.stream().mapToLong(BadRow::line).toArray()))
                .column("reason", new StringVector(bad.stream().map(BadRow::reason).toArray(String[]::new))).build();
        return new RayDict(SymbolVector.of("table", "rows", "created", "bytes", "seconds", "skipped", "bad"),
                RayList.of(Symbol.of(r.table()), I64Atom.of(r.rows()), new BoolAtom(r.created()), I64Atom.of(r.bytes()),
                        new F64Atom(r.seconds()), I64Atom.of(r.skippedCount()), badRows));
    }

    @Override
    public void close() {
        ScheduledExecutorService r;
        synchronized (this) {
            r = reaper;
        }
        if (r != null) {
            r.shutdownNow();
        }
        for (Long id : List.copyOf(open.keySet())) {
            TableLoad l = open.remove(id);
            if (l != null) {
                try {
                    l.abort("the router closed");
                } catch (RuntimeException e) {
                    log.warn("aborting load {} on close failed: {}", id, e.toString());
                }
            }
        }
    }
}
