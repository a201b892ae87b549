package io.rayforce.cluster.deploy;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.ipc.ValueWriter;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.router.load.FileColumn;
import io.rayforce.cluster.router.load.FileSchema;
import io.rayforce.cluster.router.load.LoadTarget;
import io.rayforce.cluster.router.load.TableLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The cluster behind a gateway as the target of {@code rfc load}: the table is looked up and
 * created with the admin functions, and the rows go in a load fed in pieces
 * ({@code .cluster.loadBegin}, {@code loadRows}, {@code loadCommit}). The next piece is sent while
 * the gateway writes the one before (two in flight on the connection, answered in order).
 */
final class GatewayLoadTarget implements LoadTarget {
    /** The largest request a piece makes. */
    static final long MAX_REQUEST_BYTES = 64L << 20;

    private final TCPClient gateway;

    GatewayLoadTarget(TCPClient gateway) {
        this.gateway = gateway;
    }

    @Override
    public Optional<List<FileColumn>> columns(String table) {
        RayTable tables = (RayTable) run(call(".cluster.tables"));
        if (!((SymbolVector) tables.column("name")).toList().contains(table)) {
            return Optional.empty();
        }
        RayDict d = (RayDict) run(call(".cluster.describe", Symbol.of(table)));
        RayTable cols = (RayTable) d.get("columns");
        List<FileColumn> out = new ArrayList<>();
        SymbolVector names = (SymbolVector) cols.column("name");
        SymbolVector types = (SymbolVector) cols.column("type");
        for (int i = 0; i < names.length(); i++) {
            out.add(new FileColumn(names.get(i), FileSchema.typeNamed(types.get(i))));
        }
        return Optional.of(out);
    }

    @Override
    public void create(String table, RayTable shape, TableLayout layout) {
        if (layout.replicated()) {
            run(call(".cluster.createReplicated", Symbol.of(table), shape));
            return;
        }
        List<RayValue> args = new ArrayList<>(List.of(Symbol.of(table), shape, Symbol.of(layout.shardKey())));
        if (layout.shards() > 0 || layout.replication() > 0) {
            int shards = layout.shards() > 0 ? layout.shards() : liveNodes();
            args.add(I64Atom.of(shards));
            if (layout.replication() > 0) {
                args.add(I64Atom.of(layout.replication()));
            }
        }
        run(call(".cluster.create", args.toArray(new RayValue[0])));
    }

    private int liveNodes() {
        RayDict st = (RayDict) run(call(".cluster.status"));
        return Math.max(1, ((RayTable) st.get("nodes")).rowCount());
    }

    @Override
    public void drop(String table) {
        run(call(".cluster.drop", Symbol.of(table)));
    }

    @Override
    public Load begin(String table) {
        long id = ((I64Atom) run(call(".cluster.loadBegin", Symbol.of(table)))).value();
        return new Load() {
            private CompletableFuture<RayValue> inFlight;

            @Override
            public void append(RayTable rows) {
                // wide rows: pieces stay far below the gateway's request limit (256 MiB by default)
                int n = rows.rowCount();
                int parts = (int) Math.max(1, (ValueWriter.sizeOf(rows) + MAX_REQUEST_BYTES - 1) / MAX_REQUEST_BYTES);
                for (int p = 0; p < parts; p++) {
                    RayTable piece = parts == 1 ? rows : rows.slice((int) ((long) n * p / parts), (int) ((long) n * (p + 1) / parts));
                    CompletableFuture<RayValue> next = gateway.submit(call(".cluster.loadRows", I64Atom.of(id), piece));
                    if (inFlight != null) {
                        await(inFlight);
                    }
                    inFlight = next;
                }
            }

            @Override
            public long commit() {
                if (inFlight != null) {
                    await(inFlight);
                    inFlight = null;
                }
                return ((I64Atom) run(call(".cluster.loadCommit", I64Atom.of(id)))).value();
            }

            @Override
            public void abort(String why) {
                if (inFlight != null) {
                    try {
                        inFlight.join();
                    } catch (RuntimeException e) {
                        // the piece failed: the load has ended already, or ends now
                    }
                }
                try {
                    run(call(".cluster.loadAbort", I64Atom.of(id)));
                } catch (RuntimeException e) {
                    // a load that failed is over already (its rows removed); nothing is left to abort
                }
            }
        };
    }

    private RayValue run(RayList request) {
        try {
            return gateway.execute(request);
        } catch (RayforceEvaluationError e) {
            throw withGatewayText(e);
        }
    }

    private RayValue await(CompletableFuture<RayValue> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RayforceEvaluationError r) {
                throw withGatewayText(r);
            }
            throw e;
        }
    }

    /** The gateway sends only an error's code; its text is asked for with {@code (.cluster.lastError)}. */
    private RuntimeException withGatewayText(RayforceEvaluationError e) {
        try {
            RayValue text = gateway.execute(call(".cluster.lastError"));
            return new IllegalStateException(text instanceof Str s && !s.value().isEmpty() ? s.value() : e.getMessage(), e);
        } catch (RuntimeException ignored) {
            return e;
        }
    }

    static RayList call(String function, RayValue... args) {
        RayValue[] items = new RayValue[args.length + 1];
        items[0] = Name.of(function);
        System.arraycopy(args, 0, items, 1, args.length);
        return RayList.of(items);
    }
}
