package io.rayforce.cluster.client.rayfall;

import io.rayforce.cluster.client.ipc.Wire;
import io.rayforce.cluster.client.value.Lambda;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Vector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The one walk over expression trees: every value that holds other values (a list, a dict's keys
 * and values, a lambda's parameters, body and closure, a table's columns) is entered, depth-first,
 * to at most {@link #MAX_DEPTH} levels, the nesting the engine itself decodes. A deeper tree
 * fails with {@link TooDeep} rather than exhausting the stack.
 */
public final class TreeWalk {
    /** Levels of nesting a walk follows (as the engine's decoder and the Rayfall reader). */
    public static final int MAX_DEPTH = Wire.MAX_DEPTH;

    private TreeWalk() {
    }

    /** A tree nested deeper than {@link #MAX_DEPTH}. */
    public static final class TooDeep extends IllegalArgumentException {
        public TooDeep() {
            super("expression nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    /** Sees each node on the way down and on the way back up. */
    public interface Visitor {
        /**
         * Called before the children of {@code node}; {@code path} holds its ancestors, outermost
         * first (not including {@code node}). Returns false to skip the children.
         */
        boolean enter(RayValue node, List<RayValue> path);

        /** Called after the children of {@code node} (also when they were skipped). */
        default void exit(RayValue node, List<RayValue> path) {
        }
    }

    /**
     * Whether list {@code l}, a child of {@code parent} (null at the top), stands where the engine
     * evaluates it as a call: not as a dict's keys or values, a lambda's parameters or body (the
     * engine sends a body as the list of its expressions, each of them code), a table's column, or
     * quoted data.
     */
    public static boolean evaluatedAsCall(RayValue parent, RayList l) {
        if (parent instanceof RayDict || parent instanceof RayTable) {
            return false;
        }
        if (parent instanceof Lambda f) {
            return f.params() != l && f.body() != l;
        }
        return !(parent instanceof RayList pl && pl.length() > 0 && pl.get(0) instanceof Name h && h.name().equals("quote"));
    }

    /** Walks {@code tree} depth-first, pre-order. */
    public static void walk(RayValue tree, Visitor visitor) {
        walk(tree, visitor, new ArrayList<>());
    }

    private static void walk(RayValue node, Visitor visitor, List<RayValue> path) {
        if (path.size() > MAX_DEPTH) {
            throw new TooDeep();
        }
        if (visitor.enter(node, path)) {
            List<RayValue> children = children(node);
            if (!children.isEmpty()) {
                path.add(node);
                for (RayValue c : children) {
                    walk(c, visitor, path);
                }
                path.remove(path.size() - 1);
            }
        }
        visitor.exit(node, path);
    }

    /** Whether some node of {@code tree} satisfies {@code test}. */
    public static boolean any(RayValue tree, Predicate<RayValue> test) {
        boolean[] found = {false};
        walk(tree, (node, path) -> {
            if (found[0]) {
                return false;
            }
            if (test.test(node)) {
                found[0] = true;
                return false;
            }
            return true;
        });
        return found[0];
    }

    /**
     * {@code tree} with every node replaced bottom-up by {@code f} (children first, then the node
     * rebuilt from them); a subtree {@code f} leaves alone keeps its identity.
     */
    public static RayValue rewrite(RayValue tree, UnaryOperator<RayValue> f) {
        return rewrite(tree, f, 0);
    }

    private static RayValue rewrite(RayValue node, UnaryOperator<RayValue> f, int depth) {
        if (depth > MAX_DEPTH) {
            throw new TooDeep();
        }
        List<RayValue> children = children(node);
        RayValue rebuilt = node;
        if (!children.isEmpty()) {
            List<RayValue> out = new ArrayList<>(children.size());
            boolean changed = false;
            for (RayValue c : children) {
                RayValue r = rewrite(c, f, depth + 1);
                changed |= r != c;
                out.add(r);
            }
            if (changed) {
                rebuilt = withChildren(node, out);
            }
        }
        return f.apply(rebuilt);
    }

    /** The values {@code node} holds directly, in order; empty for atoms and typed vectors. */
    public static List<RayValue> children(RayValue node) {
        if (node instanceof RayList l) {
            return l.toList();
        }
        if (node instanceof RayDict d) {
            return List.of(d.keys(), d.values());
        }
        if (node instanceof Lambda f) {
            return f.closure() == null ? List.of(f.params(), f.body()) : List.of(f.params(), f.body(), f.closure());
        }
        if (node instanceof RayTable t) {
            List<RayValue> out = new ArrayList<>(t.columnCount() + 1);
            out.add(t.names());
            out.addAll(t.columns());
            return out;
        }
        return List.of();
    }

    /** {@code node} rebuilt with {@code children} in place of its own (as {@link #children} lists them). */
    public static RayValue withChildren(RayValue node, List<RayValue> children) {
        if (node instanceof RayList) {
            return RayList.of(children);
        }
        if (node instanceof RayDict) {
            return new RayDict(children.get(0), children.get(1));
        }
        if (node instanceof Lambda f) {
            return new Lambda(f.attrs(), children.get(0), children.get(1), children.size() > 2 ? children.get(2) : null);
        }
        if (node instanceof RayTable) {
            List<Vector> columns = new ArrayList<>();
            for (int i = 1; i < children.size(); i++) {
                if (!(children.get(i) instanceof Vector v)) {
                    throw new IllegalArgumentException("a table column must stay a vector, got " + children.get(i).type());
                }
                columns.add(v);
            }
            return new RayTable((SymbolVector) children.get(0), columns);
        }
        throw new IllegalArgumentException(node.type() + " holds no values to replace");
    }
}
