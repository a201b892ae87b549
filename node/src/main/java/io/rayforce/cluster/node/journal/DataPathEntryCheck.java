package io.rayforce.cluster.node.journal;

import io.rayforce.cluster.client.ipc.FrameHeader;
import io.rayforce.cluster.client.ipc.MessageDecoder;
import io.rayforce.cluster.client.ipc.RawFrame;
import io.rayforce.cluster.client.ipc.ValueReader;
import io.rayforce.cluster.client.ipc.Wire;
import io.rayforce.cluster.client.rayfall.DataPathGate;
import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import io.rayforce.cluster.client.rayfall.RayfallReader;
import io.rayforce.cluster.client.rayfall.RayfallSyntaxError;
import io.rayforce.cluster.client.rayfall.TreeWalk;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Predicate;

/**
 * The data-path rule applied to a journal entry (docs/security.md): the entry is decoded as the
 * engine decodes a request (a string is read as Rayfall source), then
 *
 * <ul>
 *   <li>an expression that may only compute ({@link DataPathGate#checkExpression}) changes
 *   nothing when replayed: dropped;</li>
 *   <li>a request that writes only a query's temporaries ({@link ClusterNaming#isTemporaryGlobal}):
 *   they live for one query and must not come back at a restart: dropped (routers send these
 *   with the restricted flag anyway, which drops them by the header);</li>
 *   <li>a request that writes only globals the cluster owns on a node ({@link DataPathGate#checkRequest}
 *   with {@link ClusterNaming#isClusterGlobal}: shard globals, write staging, shard copies in
 *   progress), in statement position: kept;</li>
 *   <li>anything else (an entry that does not decode, a refused function, a write of another
 *   global): quarantined, naming the function.</li>
 * </ul>
 */
public final class DataPathEntryCheck implements EntryCheck {
    private static final int TEXT_CHARS = 80;

    private final Predicate<String> owned;

    /** The node's check: writes of cluster globals are kept. */
    public DataPathEntryCheck() {
        this(ClusterNaming::isClusterGlobal);
    }

    public DataPathEntryCheck(Predicate<String> owned) {
        this.owned = owned;
    }

    @Override
    public EntryVerdict check(JournalEntry entry) {
        RayValue request;
        try {
            FrameHeader header = FrameHeader.read(ByteBuffer.wrap(entry.frame()));
            request = MessageDecoder.decode(new RawFrame(header, entry.payload()), ValueReader.Mode.EXPRESSION,
                    Wire.MAX_PAYLOAD_BYTES).value();
        } catch (RuntimeException e) {
            return EntryVerdict.quarantine("(undecodable)", "the entry does not decode: " + e.getMessage(), "");
        }
        RayValue tree = request;
        String text;
        if (request instanceof Str s) {
            if (s.isNull() || s.value().isEmpty()) {
                return EntryVerdict.DROP; // the engine evaluates an empty string to null
            }
            text = abbreviate(s.value());
            try {
                tree = RayfallReader.read(s.value());
            } catch (RayfallSyntaxError e) {
                return EntryVerdict.quarantine("(unreadable)", "the source does not read: " + e.getMessage(), text);
            }
        } else {
            text = null; // printed only for a quarantine: printing a large write costs more than checking it
        }
        try {
            // one walk: what the request writes (a temporary is never replayed: its query ended)
            List<String> written = DataPathGate.checkedWrites(tree, g -> owned.test(g) || ClusterNaming.isTemporaryGlobal(g));
            if (written.stream().allMatch(ClusterNaming::isTemporaryGlobal)) {
                return EntryVerdict.DROP; // an expression, or writes of temporaries only
            }
            if (!written.stream().allMatch(owned)) {
                DataPathGate.checkRequest(tree, owned); // a temporary beside a write: refused as the rule refuses it
            }
            return EntryVerdict.KEEP;
        } catch (DataPathGate.Refusal r) {
            return EntryVerdict.quarantine(r.function(), why(r), shown(text, request));
        } catch (TreeWalk.TooDeep e) {
            return EntryVerdict.quarantine("(nesting)", "the request nests too deeply to be checked", shown(text, request));
        }
    }

    /** The entry as a quarantine shows it: its source text, or the request printed (only then: printing costs). */
    private static String shown(String text, RayValue request) {
        return text != null ? text : abbreviate(RayfallPrinter.abbreviated(request, 8));
    }

    /** The refusal's reason without the engine-error wrapping: "it reaches outside ... (at the top level)". */
    private static String why(DataPathGate.Refusal r) {
        String m = r.getMessage();
        int i = m.indexOf("on behalf of clients: ");
        String why = i >= 0 ? m.substring(i + "on behalf of clients: ".length()) : m;
        return why.endsWith("))") ? why.substring(0, why.length() - 1) : why;
    }

    /**
     * A verdict for an entry that {@code effect} (e.g. "made the engine exit with code 3") when it
     * was replayed, naming the function it calls.
     */
    public static EntryVerdict poison(JournalEntry entry, String effect) {
        String function = "(request)";
        String text = "(" + entry.length() + " bytes that do not decode)";
        try {
            FrameHeader header = FrameHeader.read(ByteBuffer.wrap(entry.frame()));
            RayValue v = MessageDecoder.decode(new RawFrame(header, entry.payload()), ValueReader.Mode.EXPRESSION,
                    Wire.MAX_PAYLOAD_BYTES).value();
            text = abbreviate(v instanceof Str s ? s.value() : RayfallPrinter.abbreviated(v, 8));
            RayValue tree = v instanceof Str s ? RayfallReader.read(s.value()) : v;
            if (tree instanceof RayList l && l.length() > 0 && l.get(0) instanceof Name n) {
                function = n.name();
            }
        } catch (RuntimeException e) {
            // the text says what could be read
        }
        return EntryVerdict.quarantine(function, effect + " when replayed", text);
    }

    static String abbreviate(String s) {
        String one = s.strip().replaceAll("\\s+", " ");
        return one.length() <= TEXT_CHARS ? one : one.substring(0, TEXT_CHARS) + "...";
    }
}
