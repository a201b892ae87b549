package io.rayforce.cluster.node.journal;

import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.engine.ServerOptions;
import io.rayforce.cluster.client.ipc.Wire;
import io.rayforce.cluster.node.journal.JournalCompactor.ReplaySource;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the journal entry that keeps an engine from coming back: a scratch engine is started on
 * a copy of the snapshot with an empty journal, on a loopback port with a random password, and
 * is sent the entries the real engine would replay, one at a time, as sync requests carrying
 * their journaled frames byte for byte, until one gets no answer: the engine exited, or it did
 * not answer within the timeout (it is then killed). That entry is the culprit.
 */
public final class PoisonEntryFinder {
    private static final Logger log = LoggerFactory.getLogger(PoisonEntryFinder.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path scratch;
    private final Duration entryTimeout;
    private final Duration startupTimeout;

    /**
     * @param scratch        a directory of its own for the scratch engine (emptied before and after)
     * @param entryTimeout   how long one entry may take before it counts as hanging the engine
     * @param startupTimeout how long the scratch engine may take to load the snapshot
     */
    public PoisonEntryFinder(Path scratch, Duration entryTimeout, Duration startupTimeout) {
        this.scratch = scratch;
        this.entryTimeout = entryTimeout;
        this.startupTimeout = startupTimeout;
    }

    /** The entry that kills or hangs the engine, where it is, and what it did. */
    public record Culprit(ReplaySource source, JournalEntry entry, String effect) {
    }

    /**
     * Replays {@code sources} on a scratch engine (the executable {@code binary}) loaded with
     * {@code snapshot} (if it exists); empty when every entry was answered, or when the scratch
     * engine could not even start.
     */
    public Optional<Culprit> find(Path binary, Path snapshot, List<ReplaySource> sources) {
        long t0 = System.nanoTime();
        clear();
        NativeServer engine = null;
        try {
            Files.createDirectories(scratch);
            Path base = scratch.resolve("engine");
            if (Files.isRegularFile(snapshot)) {
                try {
                    Files.createLink(base.resolveSibling("engine.qdb"), snapshot);
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(snapshot, base.resolveSibling("engine.qdb"));
                }
            }
            byte[] pw = new byte[16];
            RANDOM.nextBytes(pw);
            String password = HexFormat.of().formatHex(pw);
            try {
                engine = NativeServer.start(binary, ServerOptions.onPort(NativeServer.freePort()).bind("127.0.0.1")
                        .password(password).journal(base, false).startupTimeout(startupTimeout));
            } catch (RuntimeException e) {
                log.error("poison entry search: a scratch engine could not load the snapshot {}: {}", snapshot, e.getMessage());
                return Optional.empty();
            }
            Optional<Culprit> found = feed(engine, password, sources);
            log.info("poison entry search over {} journal file(s) took {} ms: {}", sources.size(),
                    (System.nanoTime() - t0) / 1_000_000, found.map(c -> "entry #" + c.entry().index() + " at byte "
                            + c.entry().offset() + " of " + c.source().file().getFileName() + " " + c.effect())
                            .orElse("every entry was answered"));
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException("poison entry search in " + scratch + " failed: " + e.getMessage(), e);
        } finally {
            if (engine != null) {
                engine.kill();
            }
            clear();
        }
    }

    private Optional<Culprit> feed(NativeServer engine, String password, List<ReplaySource> sources) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(engine.host(), engine.port()), 5000);
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, entryTimeout.toMillis())));
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            handshake(out, in, password);
            for (ReplaySource src : sources) {
                try (JournalReader r = JournalReader.open(src.file(), src.from())) {
                    for (JournalEntry e = r.next(); e != null; e = r.next()) {
                        if (e.restricted() || e.messageType() != 1) {
                            continue; // never replayed with effect (and never in a compacted journal)
                        }
                        String effect = send(engine, out, in, e);
                        if (effect != null) {
                            return Optional.of(new Culprit(src, e, effect));
                        }
                    }
                }
            }
            return Optional.empty();
        }
    }

    /** Sends one entry; null when it was answered, else what happened to the engine. */
    private String send(NativeServer engine, OutputStream out, DataInputStream in, JournalEntry e) {
        try {
            out.write(e.frame());
            out.flush();
            byte[] header = new byte[Wire.HEADER_BYTES];
            in.readFully(header);
            long size = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getLong(8);
            in.skipNBytes(size);
            return null;
        } catch (SocketTimeoutException t) {
            if (engine.isAlive()) {
                engine.kill();
                return "gave no answer within " + entryTimeout.toMillis() + " ms (the engine was killed)";
            }
            return exited(engine);
        } catch (EOFException | java.net.SocketException x) {
            return exited(engine);
        } catch (IOException x) {
            return exited(engine);
        }
    }

    private static String exited(NativeServer engine) {
        try {
            engine.process().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        if (engine.isAlive()) {
            return "closed the connection";
        }
        log.debug("the scratch engine's last output: {}", engine.output());
        return "made the engine exit with code " + engine.process().exitValue();
    }

    private static void handshake(OutputStream out, InputStream in, String password) throws IOException {
        out.write(new byte[] {Wire.VERSION, 0});
        out.flush();
        byte[] reply = in.readNBytes(2);
        if (reply.length < 2 || reply[0] != Wire.VERSION) {
            throw new IOException("the scratch engine did not answer the handshake");
        }
        if (reply[1] == 1) {
            byte[] creds = (":" + password + "\0").getBytes(StandardCharsets.UTF_8);
            out.write(creds.length);
            out.write(creds);
            out.flush();
            int ok = in.read();
            if (ok != 0) {
                throw new IOException("the scratch engine refused its password");
            }
        }
    }

    private void clear() {
        if (!Files.exists(scratch)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(scratch)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.warn("could not empty the scratch directory {}: {}", scratch, e.getMessage());
        }
    }
}
