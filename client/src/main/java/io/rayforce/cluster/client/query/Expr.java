package io.rayforce.cluster.client.query;

import io.rayforce.cluster.client.value.Encodable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.client.value.Symbol;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An expression inside a query: a {@link Column} reference, a {@link Literal} value, or a
 * {@link Call} of a named Rayfall function. Fluent methods build calls; each compiles to the
 * Rayfall function named in its javadoc. Java values given as operands become literals through
 * {@link Literals#of}: a {@code String} is a string atom (which {@code select} compares with
 * symbol and string columns alike); {@link #isin} takes strings as symbols, as {@code in} needs.
 */
public sealed interface Expr extends Encodable permits Column, Literal, Call {

    /** A column (or any name) reference. */
    static Column col(String name) {
        return Column.of(name);
    }

    /** A literal: see {@link Literals#of} for the Java types accepted. */
    static Expr lit(Object value) {
        return Literals.of(value);
    }

    /** A literal symbol {@code 'name}. */
    static Literal sym(String name) {
        return new Literal(Symbol.of(name));
    }

    /** A literal string {@code "text"}. */
    static Literal str(String text) {
        return new Literal(Str.of(text));
    }

    /** A call {@code (function args...)}. */
    static Call call(String function, Object... args) {
        List<Expr> a = new ArrayList<>(args.length);
        for (Object o : args) {
            a.add(Literals.of(o));
        }
        return new Call(function, a);
    }

    /** The tree the engine evaluates. */
    @Override
    RayValue ipc();

    /** This expression under an output name, for select projections, group keys and aggregations. */
    default Named as(String name) {
        return new Named(name, this);
    }

    // arithmetic

    /** {@code (+ this x)}. */
    default Call plus(Object x) {
        return call("+", this, x);
    }

    /** {@code (- this x)}. */
    default Call minus(Object x) {
        return call("-", this, x);
    }

    /** {@code (* this x)}. */
    default Call times(Object x) {
        return call("*", this, x);
    }

    /** {@code (/ this x)}: division, always f64. */
    default Call divide(Object x) {
        return call("/", this, x);
    }

    /** {@code (div this x)}: integer (floor) division. */
    default Call div(Object x) {
        return call("div", this, x);
    }

    /** {@code (% this x)}: floor modulo. */
    default Call mod(Object x) {
        return call("%", this, x);
    }

    /** {@code (neg this)}. */
    default Call neg() {
        return call("neg", this);
    }

    /** {@code (abs this)}. */
    default Call abs() {
        return call("abs", this);
    }

    /** {@code (xbar this bucket)}: rounds down to a multiple of {@code bucket}. */
    default Call xbar(Object bucket) {
        return call("xbar", this, bucket);
    }

    /** {@code (as 'TYPE this)}, e.g. {@code cast("I64")}. */
    default Call cast(String type) {
        return call("as", Expr.sym(type), this);
    }

    // comparison

    /** {@code (== this x)}. */
    default Call eq(Object x) {
        return call("==", this, x);
    }

    /** {@code (!= this x)}. */
    default Call ne(Object x) {
        return call("!=", this, x);
    }

    /** {@code (< this x)}. */
    default Call lt(Object x) {
        return call("<", this, x);
    }

    /** {@code (<= this x)}. */
    default Call le(Object x) {
        return call("<=", this, x);
    }

    /** {@code (> this x)}. */
    default Call gt(Object x) {
        return call(">", this, x);
    }

    /** {@code (>= this x)}. */
    default Call ge(Object x) {
        return call(">=", this, x);
    }

    // logic

    /** {@code (and this others...)}. */
    default Call and(Expr... others) {
        List<Expr> a = new ArrayList<>();
        a.add(this);
        a.addAll(Arrays.asList(others));
        return new Call("and", a);
    }

    /** {@code (or this others...)}. */
    default Call or(Expr... others) {
        List<Expr> a = new ArrayList<>();
        a.add(this);
        a.addAll(Arrays.asList(others));
        return new Call("or", a);
    }

    /** {@code (not this)}. */
    default Call not() {
        return call("not", this);
    }

    /** {@code (in this [values])}; strings become a symbol vector (the engine's {@code in} finds no string in a symbol column). */
    default Call isin(Object... values) {
        return new Call("in", List.of(this, new Literal(Literals.symbolsOrVector(Arrays.asList(values)))));
    }

    /** {@code (not-in this [values])}, with values as in {@link #isin}. */
    default Call notIn(Object... values) {
        return new Call("not-in", List.of(this, new Literal(Literals.symbolsOrVector(Arrays.asList(values)))));
    }

    /** {@code (like this "pattern")}: glob pattern, {@code *} any run, {@code ?} one character. */
    default Call like(String pattern) {
        return call("like", this, Expr.str(pattern));
    }

    /** {@code (within this [lo hi])}: both ends inclusive. */
    default Call within(Object lo, Object hi) {
        return new Call("within", List.of(this, new Literal(Literals.vector(List.of(lo, hi)))));
    }

    /** {@code (nil? this)}: true where null. */
    default Call isNull() {
        return call("nil?", this);
    }

    /** {@code (not (nil? this))}. */
    default Call isNotNull() {
        return isNull().not();
    }

    // aggregates

    /** {@code (sum this)}. */
    default Call sum() {
        return call("sum", this);
    }

    /** {@code (count this)}: rows, nulls included. */
    default Call count() {
        return call("count", this);
    }

    /** {@code (avg this)}. */
    default Call avg() {
        return call("avg", this);
    }

    /** {@code (min this)}. */
    default Call min() {
        return call("min", this);
    }

    /** {@code (max this)}. */
    default Call max() {
        return call("max", this);
    }

    /** {@code (first this)}: the first non-null value. */
    default Call first() {
        return call("first", this);
    }

    /** {@code (last this)}: the last non-null value. */
    default Call last() {
        return call("last", this);
    }

    /** {@code (med this)}. */
    default Call median() {
        return call("med", this);
    }

    /** {@code (dev this)}: population standard deviation. */
    default Call dev() {
        return call("dev", this);
    }

    /** {@code (stddev this)}: sample standard deviation. */
    default Call stddev() {
        return call("stddev", this);
    }

    /** {@code (var this)}: sample variance. */
    default Call var() {
        return call("var", this);
    }

    /** {@code (distinct this)}. */
    default Call distinct() {
        return call("distinct", this);
    }

    /** {@code (count (distinct this))}. */
    default Call countDistinct() {
        return distinct().count();
    }

    /** {@code (wavg weights this)}: the average of this weighted by {@code weights}. */
    default Call wavg(Object weights) {
        return call("wavg", weights, this);
    }

    /** {@code (wsum weights this)}. */
    default Call wsum(Object weights) {
        return call("wsum", weights, this);
    }
}
