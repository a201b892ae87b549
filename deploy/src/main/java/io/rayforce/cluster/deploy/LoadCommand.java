package io.rayforce.cluster.deploy;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.RayforceError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.coordinator.security.SecretFiles;
import io.rayforce.cluster.router.load.BadRow;
import io.rayforce.cluster.router.load.BadRowError;
import io.rayforce.cluster.router.load.ChunkSource;
import io.rayforce.cluster.router.load.FileFormat;
import io.rayforce.cluster.router.load.FileLoader;
import io.rayforce.cluster.router.load.FileSchema;
import io.rayforce.cluster.router.load.LoadOptions;
import io.rayforce.cluster.router.load.LoadProgress;
import io.rayforce.cluster.router.load.LoadResult;
import io.rayforce.cluster.router.load.TableLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rfc load}: loads CSV or Parquet files from this machine into a cluster table through a
 * gateway, as one write (docs/operations.md, Loading files), with a progress bar.
 */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Load CSV or Parquet files into a cluster table through a gateway, as one write: readers see every row "
                + "of every file at once, or none. Types are inferred as the engine's own reader infers them, or given. A bad "
                + "row refuses the load (with its file and line) unless --skip-bad.")
public final class LoadCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The files, loaded in this order.")
    List<Path> files;

    @Option(names = "--table", required = true, paramLabel = "NAME", description = "The table to load into.")
    String table;

    @Option(names = "--shard-key", paramLabel = "COLUMN", description = "Create the table (when missing) sharded on COLUMN.")
    String shardKey;

    @Option(names = "--shards", defaultValue = "0", paramLabel = "N",
            description = "Shards of a created table (default: one per node).")
    int shards;

    @Option(names = "--replication", defaultValue = "0", paramLabel = "R",
            description = "Replicas of each shard of a created table (default: 2, or 1 with one node).")
    int replication;

    @Option(names = "--replicated", description = "Create the table (when missing) held whole by every node.")
    boolean replicated;

    @Option(names = "--format", paramLabel = "csv|parquet", description = "The files' format (default: by extension).")
    String format;

    @Option(names = "--columns", paramLabel = "NAME:TYPE,...",
            description = "Column types (and names): every column in file order, or some columns by name; types are "
                    + "b8 u8 i16 i32 i64 f32 f64 date time timestamp guid symbol string.")
    String columns;

    @Option(names = "--skip-bad", description = "Load the other rows when some are bad, and list the bad ones.")
    boolean skipBad;

    @Option(names = "--no-header", description = "The CSV files' first line is data (columns are named V1, V2, ...).")
    boolean noHeader;

    @Option(names = "--separator", paramLabel = "C", description = "CSV field separator (default: a comma, or a tab when the "
            + "first line has more tabs than commas).")
    Character separator;

    @Option(names = "--chunk-rows", defaultValue = "" + LoadOptions.DEFAULT_CHUNK_ROWS, paramLabel = "N",
            description = "Rows per request (default: ${DEFAULT-VALUE}).")
    int chunkRows;

    @Option(names = "--gateway", defaultValue = "${env:RFC_GATEWAY:-127.0.0.1:5100}", paramLabel = "HOST:PORT",
            description = "The gateway (default: $RFC_GATEWAY or ${DEFAULT-VALUE}).")
    String gateway;

    @Option(names = "--user", defaultValue = "${env:RFC_USER}", paramLabel = "NAME", description = "Gateway user (default: $RFC_USER).")
    String user;

    @Option(names = "--password-file", defaultValue = "${env:RFC_PASSWORD_FILE}", paramLabel = "FILE",
            description = "File whose first line is the gateway password (default: $RFC_PASSWORD_FILE).")
    Path passwordFile;

    @Option(names = "--timeout", defaultValue = "10m", paramLabel = "DURATION", converter = NodeCommand.DurationConverter.class,
            description = "How long one request may take (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--progress", defaultValue = "auto", paramLabel = "auto|always|never",
            description = "Draw a progress bar: on a terminal (auto), always, or never (a line every 10 s) (default: ${DEFAULT-VALUE}).")
    String progress;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        try {
            LoadOptions options = options();
            TableLayout layout = new TableLayout(shardKey, shards, replication, replicated);
            int colon = gateway.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("invalid --gateway '" + gateway + "': use HOST:PORT");
            }
            String host = gateway.substring(0, colon);
            int port = Integer.parseInt(gateway.substring(colon + 1));
            String password = passwordFile == null ? null : SecretFiles.readFirstLine(passwordFile, "gateway password");
            ClientOptions client = ClientOptions.DEFAULT.withMaxFrameBytes(Integer.MAX_VALUE - 8).withRequestTimeout(timeout);
            if (user != null || password != null) {
                client = client.withCredentials(user == null ? "" : user, password == null ? "" : password);
            }
            List<ChunkSource> sources = open(options);
            ProgressBar bar = new ProgressBar(out, ProgressBar.Mode.valueOf(progress.toUpperCase(Locale.ROOT)), "loading " + table);
            LoadResult r;
            try (TCPClient tcp = new TCPClient(host, port, client)) {
                r = FileLoader.load(sources, table, options, layout, new GatewayLoadTarget(tcp), p -> show(bar, p));
            }
            bar.done(String.format(Locale.ROOT, "loaded %,d rows into %s%s from %d file(s), %s in %.1f s (%,.0f rows/s)%s",
                    r.rows(), table, r.created() ? " (created)" : "", files.size(), ProgressBar.mb(r.bytes()), r.seconds(),
                    r.rowsPerSecond(), r.skippedCount() == 0 ? "" : String.format(Locale.ROOT, "; %,d bad rows skipped", r.skippedCount())));
            for (BadRow b : r.skipped()) {
                out.println("  skipped " + b);
            }
            if (r.skippedCount() > r.skipped().size()) {
                out.println("  ... and " + (r.skippedCount() - r.skipped().size()) + " more");
            }
            out.flush();
            return 0;
        } catch (BadRowError e) {
            err.println("rfc load: " + e.getMessage());
            return 1;
        } catch (IOException | IllegalArgumentException | IllegalStateException | RayforceError e) {
            err.println("rfc load: " + e.getMessage());
            return 1;
        }
    }

    private LoadOptions options() {
        LoadOptions o = LoadOptions.DEFAULT.withSkipBad(skipBad).withHeader(!noHeader).withChunkRows(chunkRows);
        if (format != null) {
            o = o.withFormat(FileFormat.of(format));
        }
        if (columns != null) {
            o = o.withColumns(FileSchema.parseColumns(columns));
        }
        if (separator != null) {
            o = o.withSeparator(separator);
        }
        return o;
    }

    private List<ChunkSource> open(LoadOptions options) throws IOException {
        List<ChunkSource> out = new ArrayList<>();
        try {
            for (Path f : files) {
                if (!Files.isRegularFile(f)) {
                    throw new IOException("no file " + f);
                }
                out.add(options.formatOf(f.toString()).open(f, f.toString(), options));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            for (ChunkSource s : out) {
                s.close();
            }
            throw e;
        }
    }

    private static void show(ProgressBar bar, LoadProgress p) {
        double fraction = p.bytesTotal() == 0 ? -1 : (double) p.bytesRead() / p.bytesTotal();
        bar.update(fraction, String.format(Locale.ROOT, "%,d rows  %s / %s  %,.0f rows/s  ETA %s%s", p.rows(),
                ProgressBar.mb(p.bytesRead()), ProgressBar.mb(p.bytesTotal()), p.rowsPerSecond(), ProgressBar.duration(p.secondsLeft()),
                p.skipped() == 0 ? "" : String.format(Locale.ROOT, "  %,d skipped", p.skipped())));
    }
}
