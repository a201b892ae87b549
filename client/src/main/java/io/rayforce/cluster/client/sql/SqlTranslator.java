package io.rayforce.cluster.client.sql;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Literal;
import io.rayforce.cluster.client.query.Literals;
import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.query.OrderKey;
import io.rayforce.cluster.client.query.Query;
import io.rayforce.cluster.client.query.SelectQuery;
import io.rayforce.cluster.client.query.Table;
import io.rayforce.cluster.client.query.UpdateQuery;
import io.rayforce.cluster.client.value.BoolAtom;
import io.rayforce.cluster.client.value.DateAtom;
import io.rayforce.cluster.client.value.F64Atom;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.TimeAtom;
import io.rayforce.cluster.client.value.TimestampAtom;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.CaseExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.DateValue;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.TimeValue;
import net.sf.jsqlparser.expression.TimestampValue;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.Division;
import net.sf.jsqlparser.expression.operators.arithmetic.IntegerDivision;
import net.sf.jsqlparser.expression.operators.arithmetic.Modulo;
import net.sf.jsqlparser.expression.operators.arithmetic.Multiplication;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExistsExpression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.GroupByElement;
import net.sf.jsqlparser.statement.select.Limit;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;

/**
 * Translates one SQL statement, parsed with JSqlParser, into a query object. The subset:
 * SELECT with projections (aliases, {@code *}, arithmetic, aggregates), WHERE, GROUP BY, ORDER
 * BY and LIMIT/OFFSET; INSERT; UPDATE; INSERT ... ON CONFLICT (an upsert); DELETE ... WHERE.
 * Everything else is a {@link SqlException} naming the construct. See {@code docs/queries.md}.
 */
final class SqlTranslator {
    private final Table given;
    /** A column the statement refers to, for COUNT(*). */
    private String anyColumn;
    /** The table a SELECT reads, for COUNT(*) when no column is named. */
    private Table countTable;

    private SqlTranslator(Table given) {
        this.given = given;
    }

    static Query translate(String sql, Table table) {
        refuseNestedBrackets(sql);
        Statement st;
        try {
            st = CCJSqlParserUtil.parse(sql);
        } catch (JSQLParserException e) {
            String msg = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
            throw new SqlException("SQL syntax error: " + firstLines(msg), e);
        } catch (RuntimeException e) {
            throw new SqlException("SQL syntax error: " + e.getMessage(), e);
        }
        if (st == null) {
            // JSqlParser returns no statement for empty text or text that is only comments
            throw new SqlException("SQL text has no statement");
        }
        try {
            return new SqlTranslator(table).statement(st);
        } catch (SqlException e) {
            throw e;
        } catch (IllegalArgumentException | ClassCastException | UnsupportedOperationException e) {
            throw new SqlException("SQL statement cannot be translated to Rayfall: " + e.getMessage(), e);
        }
    }

    private Query statement(Statement st) {
        SqlTranslator t = this;
        if (st instanceof PlainSelect ps) {
            return t.select(ps);
        }
        if (st instanceof SetOperationList) {
            throw SqlException.unsupported("UNION, INTERSECT or EXCEPT");
        }
        if (st instanceof ParenthesedSelect || st instanceof Values) {
            throw SqlException.unsupported("statement " + st.getClass().getSimpleName());
        }
        if (st instanceof Insert ins) {
            return t.insert(ins);
        }
        if (st instanceof Update up) {
            return t.update(up);
        }
        if (st instanceof Delete del) {
            return t.delete(del);
        }
        throw SqlException.unsupported("statement " + st.getClass().getSimpleName().toUpperCase(Locale.ROOT));
    }

    /**
     * JSqlParser's time grows about fourfold with each square bracket opened inside another
     * ({@code SELECT [[[[[[1 FROM t}: 2 s; eight: its 16 s timeout). No SQL this translator supports
     * nests them, so such text is refused before it is parsed (quoted text is skipped).
     */
    private static void refuseNestedBrackets(String sql) {
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '[' && ++depth > 1) {
                throw new SqlException("SQL syntax error: square brackets nested inside square brackets at character " + i);
            } else if (c == ']' && depth > 0) {
                depth--;
            }
        }
    }

    private static String firstLines(String msg) {
        String[] lines = msg.split("\n");
        return lines.length <= 2 ? msg.strip() : (lines[0] + " " + lines[1]).strip();
    }

    // ---- SELECT ----

    private Query select(PlainSelect ps) {
        if (ps.getWithItemsList() != null && !ps.getWithItemsList().isEmpty()) {
            throw SqlException.unsupported("WITH (common table expressions)");
        }
        if (ps.getJoins() != null && !ps.getJoins().isEmpty()) {
            throw SqlException.unsupported("JOIN");
        }
        if (ps.getHaving() != null) {
            throw SqlException.unsupported("HAVING");
        }
        if (ps.getFetch() != null || ps.getTop() != null) {
            throw SqlException.unsupported("FETCH/TOP (use LIMIT)");
        }
        if (ps.getIntoTables() != null && !ps.getIntoTables().isEmpty()) {
            throw SqlException.unsupported("SELECT INTO");
        }
        Table table = table(ps.getFromItem());
        SelectQuery q = SelectQuery.from(table);
        countTable = table;
        noteColumns(ps);
        if (ps.getWhere() != null) {
            q = q.where(expr(ps.getWhere()));
        }
        GroupByElement g = ps.getGroupBy();
        if (g != null) {
            ExpressionList<?> keys = g.getGroupByExpressionList();
            for (Object k : keys) {
                if (!(k instanceof net.sf.jsqlparser.schema.Column c)) {
                    throw SqlException.unsupported("GROUP BY on an expression (" + k + ")");
                }
                q = q.by(name(c));
            }
        }
        boolean distinct = ps.getDistinct() != null;
        List<Named> projections = new ArrayList<>();
        int index = 0;
        for (SelectItem<?> item : ps.getSelectItems()) {
            index++;
            Expression e = item.getExpression();
            if (e instanceof AllColumns) {
                if (ps.getSelectItems().size() > 1) {
                    throw SqlException.unsupported("* together with other columns");
                }
                continue;
            }
            Expr x = expr(e);
            if (distinct) {
                if (ps.getSelectItems().size() != 1 || !(x instanceof Column)) {
                    throw SqlException.unsupported("SELECT DISTINCT on several columns or on an expression");
                }
                x = x.distinct();
            }
            String alias = item.getAlias() != null ? unquote(item.getAlias().getName()) : defaultName(e, index);
            projections.add(new Named(alias, x));
        }
        if (distinct && projections.isEmpty()) {
            throw SqlException.unsupported("SELECT DISTINCT *");
        }
        q = q.withProjections(projections);
        if (ps.getOrderByElements() != null) {
            for (OrderByElement o : ps.getOrderByElements()) {
                if (!(o.getExpression() instanceof net.sf.jsqlparser.schema.Column c)) {
                    throw SqlException.unsupported("ORDER BY on an expression (" + o.getExpression() + "); order by a column or alias");
                }
                String key = column(name(c)).name();
                q = q.orderBy(o.isAsc() ? OrderKey.asc(key) : OrderKey.desc(key));
            }
        }
        Limit limit = ps.getLimit();
        Long offset = ps.getOffset() != null ? longValue(ps.getOffset().getOffset(), "OFFSET") : null;
        if (limit != null) {
            if (limit.getOffset() != null) {
                offset = longValue(limit.getOffset(), "LIMIT offset");
            }
            if (limit.getRowCount() == null || limit.isLimitAll() || limit.isLimitNull()) {
                throw SqlException.unsupported("LIMIT without a row count");
            }
            long n = longValue(limit.getRowCount(), "LIMIT");
            q = offset == null ? q.limit(n) : q.limit(n, offset);
        } else if (offset != null) {
            throw SqlException.unsupported("OFFSET without LIMIT");
        }
        return q;
    }

    private static String defaultName(Expression e, int index) {
        if (e instanceof net.sf.jsqlparser.schema.Column c) {
            return unquote(c.getColumnName());
        }
        if (e instanceof Function f) {
            String fn = f.getName().toLowerCase(Locale.ROOT);
            boolean star = f.isAllColumns() || (f.getParameters() != null && f.getParameters().size() == 1
                && f.getParameters().get(0) instanceof AllColumns);
        if (star) {
                return fn;
            }
            ExpressionList<?> params = f.getParameters();
            if (params != null && params.size() == 1 && params.get(0) instanceof net.sf.jsqlparser.schema.Column c) {
                return fn + (f.isDistinct() ? "_distinct_" : "_") + unquote(c.getColumnName());
            }
        }
        return "col" + index;
    }

    /** Remembers a column the statement names, for COUNT(*). */
    private void noteColumns(PlainSelect ps) {
        List<String> found = new ArrayList<>();
        collect(ps.getWhere(), found);
        if (ps.getGroupBy() != null) {
            for (Object k : ps.getGroupBy().getGroupByExpressionList()) {
                collect((Expression) k, found);
            }
        }
        for (SelectItem<?> item : ps.getSelectItems()) {
            collect(item.getExpression(), found);
        }
        anyColumn = found.isEmpty() ? null : found.get(0);
    }

    private static void collect(Expression e, List<String> out) {
        if (e == null) {
            return;
        }
        e.accept(new net.sf.jsqlparser.util.deparser.ExpressionDeParser() {
            @Override
            public <S> StringBuilder visit(net.sf.jsqlparser.schema.Column column, S context) {
                String n = unquote(column.getColumnName());
                String l = n.toLowerCase(Locale.ROOT);
                if (!l.equals("true") && !l.equals("false")) {
                    out.add(n);
                }
                return super.visit(column, context);
            }
        }, null);
    }

    private Table table(FromItem from) {
        if (from == null) {
            throw SqlException.unsupported("SELECT without FROM");
        }
        if (from instanceof net.sf.jsqlparser.schema.Table t) {
            return given != null ? given : tableNamed(t);
        }
        if (from instanceof ParenthesedSelect) {
            throw SqlException.unsupported("subquery in FROM");
        }
        throw SqlException.unsupported("FROM " + from.getClass().getSimpleName());
    }

    private Table tableNamed(net.sf.jsqlparser.schema.Table t) {
        if (given != null) {
            return given;
        }
        if (t == null || t.getName() == null) {
            // JSqlParser reads "DELETE FROM WHERE ..." as a delete from no table
            throw new SqlException("the SQL statement names no table");
        }
        String name = unquote(t.getName());
        try {
            return Table.of(name);
        } catch (IllegalArgumentException e) {
            throw new SqlException("SQL table name '" + name + "' is not a Rayfall name");
        }
    }

    // ---- expressions ----

    private Expr expr(Expression e) {
        if (e instanceof ParenthesedExpressionList<?> p) {
            if (p.size() != 1) {
                throw SqlException.unsupported("row value " + p);
            }
            return expr((Expression) p.get(0));
        }
        if (e instanceof net.sf.jsqlparser.schema.Column c) {
            String n = unquote(c.getColumnName());
            String l = n.toLowerCase(Locale.ROOT);
            if (l.equals("true") || l.equals("false")) {
                return new Literal(BoolAtom.of(l.equals("true")));
            }
            if (c.getTable() != null && c.getTable().getName() != null) {
                // t.col: the table qualifier adds nothing without joins
                return column(n);
            }
            return column(n);
        }
        RayValue literal = literal(e, false);
        if (literal != null) {
            return Literals.of(literal);
        }
        if (e instanceof SignedExpression s) {
            Expr inner = expr(s.getExpression());
            return s.getSign() == '-' ? inner.neg() : inner;
        }
        if (e instanceof AndExpression a) {
            return flatten("and", expr(a.getLeftExpression()), expr(a.getRightExpression()));
        }
        if (e instanceof OrExpression o) {
            return flatten("or", expr(o.getLeftExpression()), expr(o.getRightExpression()));
        }
        if (e instanceof NotExpression n) {
            return expr(n.getExpression()).not();
        }
        if (e instanceof Addition b) {
            return expr(b.getLeftExpression()).plus(expr(b.getRightExpression()));
        }
        if (e instanceof Subtraction b) {
            return expr(b.getLeftExpression()).minus(expr(b.getRightExpression()));
        }
        if (e instanceof Multiplication b) {
            return expr(b.getLeftExpression()).times(expr(b.getRightExpression()));
        }
        if (e instanceof Division b) {
            return expr(b.getLeftExpression()).divide(expr(b.getRightExpression()));
        }
        if (e instanceof IntegerDivision b) {
            return expr(b.getLeftExpression()).div(expr(b.getRightExpression()));
        }
        if (e instanceof Modulo b) {
            return expr(b.getLeftExpression()).mod(expr(b.getRightExpression()));
        }
        if (e instanceof EqualsTo b) {
            return expr(b.getLeftExpression()).eq(expr(b.getRightExpression()));
        }
        if (e instanceof NotEqualsTo b) {
            return expr(b.getLeftExpression()).ne(expr(b.getRightExpression()));
        }
        if (e instanceof GreaterThan b) {
            return expr(b.getLeftExpression()).gt(expr(b.getRightExpression()));
        }
        if (e instanceof GreaterThanEquals b) {
            return expr(b.getLeftExpression()).ge(expr(b.getRightExpression()));
        }
        if (e instanceof MinorThan b) {
            return expr(b.getLeftExpression()).lt(expr(b.getRightExpression()));
        }
        if (e instanceof MinorThanEquals b) {
            return expr(b.getLeftExpression()).le(expr(b.getRightExpression()));
        }
        if (e instanceof InExpression in) {
            return in(in);
        }
        if (e instanceof LikeExpression like) {
            return like(like);
        }
        if (e instanceof Between b) {
            RayValue lo = literal(b.getBetweenExpressionStart(), false);
            RayValue hi = literal(b.getBetweenExpressionEnd(), false);
            if (lo == null || hi == null) {
                throw SqlException.unsupported("BETWEEN with bounds that are not literals");
            }
            Expr w = expr(b.getLeftExpression()).within(lo, hi);
            return b.isNot() ? w.not() : w;
        }
        if (e instanceof IsNullExpression n) {
            Expr x = expr(n.getLeftExpression()).isNull();
            return n.isNot() ? x.not() : x;
        }
        if (e instanceof Function f) {
            return function(f);
        }
        if (e instanceof AnalyticExpression) {
            throw SqlException.unsupported("window function (OVER)");
        }
        if (e instanceof CaseExpression) {
            throw SqlException.unsupported("CASE");
        }
        if (e instanceof CastExpression) {
            throw SqlException.unsupported("CAST");
        }
        if (e instanceof ExistsExpression) {
            throw SqlException.unsupported("EXISTS");
        }
        if (e instanceof Select) {
            throw SqlException.unsupported("subquery");
        }
        if (e instanceof NullValue) {
            throw SqlException.unsupported("NULL here (use IS NULL / IS NOT NULL)");
        }
        throw SqlException.unsupported("expression " + e + " (" + e.getClass().getSimpleName() + ")");
    }

    private static Expr flatten(String op, Expr a, Expr b) {
        List<Expr> args = new ArrayList<>();
        for (Expr x : List.of(a, b)) {
            if (x instanceof Call c && c.function().equals(op)) {
                args.addAll(c.args());
            } else {
                args.add(x);
            }
        }
        return new Call(op, args);
    }

    private static Column column(String name) {
        try {
            return Column.of(name);
        } catch (IllegalArgumentException e) {
            throw new SqlException("SQL column name '" + name + "' is not a Rayfall name");
        }
    }

    private Expr in(InExpression in) {
        Expression right = in.getRightExpression();
        if (!(right instanceof ExpressionList<?> list)) {
            throw SqlException.unsupported("IN with a subquery");
        }
        List<RayValue> items = new ArrayList<>();
        for (Object o : list) {
            RayValue v = literal((Expression) o, true);
            if (v == null) {
                throw SqlException.unsupported("IN with values that are not literals (" + o + ")");
            }
            items.add(v);
        }
        Expr left = expr(in.getLeftExpression());
        Call c = new Call(in.isNot() ? "not-in" : "in", List.of(left, new Literal(Literals.vectorOfAtoms(items))));
        return c;
    }

    private Expr like(LikeExpression like) {
        if (like.getLikeKeyWord() != null && like.getLikeKeyWord() != LikeExpression.KeyWord.LIKE) {
            throw SqlException.unsupported(like.getLikeKeyWord() + "");
        }
        if (like.getEscape() != null) {
            throw SqlException.unsupported("LIKE ... ESCAPE");
        }
        if (!(like.getRightExpression() instanceof StringValue s)) {
            throw SqlException.unsupported("LIKE with a pattern that is not a string literal");
        }
        String pattern = s.getValue().replace('%', '*').replace('_', '?');
        Expr x = expr(like.getLeftExpression()).like(pattern);
        return like.isNot() ? x.not() : x;
    }

    private Expr function(Function f) {
        String name = f.getName().toLowerCase(Locale.ROOT);
        if (f.getKeep() != null || f.getNullHandling() != null) {
            throw SqlException.unsupported("function modifier in " + f);
        }
        boolean star = f.isAllColumns() || (f.getParameters() != null && f.getParameters().size() == 1
                && f.getParameters().get(0) instanceof AllColumns);
        if (star) {
            if (!name.equals("count")) {
                throw SqlException.unsupported(f.getName() + "(*)");
            }
            if (anyColumn != null) {
                return column(anyColumn).count();
            }
            // no column anywhere, so no filter and no grouping: the table's row count. Inside select a
            // bare table name would be read as a column, so the global is looked up with eval.
            return new Call("count", List.of(new Call("eval", List.of(new Literal(countTable.symbol())))));
        }
        ExpressionList<?> params = f.getParameters();
        List<Expr> args = new ArrayList<>();
        if (params != null) {
            for (Object p : params) {
                args.add(expr((Expression) p));
            }
        }
        if (f.isDistinct()) {
            if (!name.equals("count") || args.size() != 1) {
                throw SqlException.unsupported(f.getName() + "(DISTINCT ...)");
            }
            return args.get(0).countDistinct();
        }
        String rayfall = switch (name) {
            case "count", "sum", "avg", "min", "max", "first", "last", "abs", "sqrt", "exp", "log", "floor", "ceil",
                    "upper", "lower", "trim" -> name;
            case "median" -> "med";
            case "stddev", "stddev_samp" -> "stddev";
            case "stddev_pop" -> "dev";
            case "variance", "var_samp" -> "var";
            case "var_pop" -> "var_pop";
            default -> throw SqlException.unsupported("function " + f.getName().toUpperCase(Locale.ROOT));
        };
        if (args.size() != 1) {
            throw new SqlException("SQL function " + f.getName().toUpperCase(Locale.ROOT) + " takes one argument, got "
                    + args.size());
        }
        return new Call(rayfall, args);
    }

    /**
     * The value of a literal, or null when {@code e} is not one. Strings are symbols when
     * {@code symbols} (IN lists and written data), else string atoms.
     */
    private static RayValue literal(Expression e, boolean symbols) {
        if (e instanceof LongValue l) {
            return I64Atom.of(l.getValue());
        }
        if (e instanceof DoubleValue d) {
            return F64Atom.of(d.getValue());
        }
        if (e instanceof StringValue s) {
            return symbols ? Symbol.of(s.getValue()) : Str.of(s.getValue());
        }
        if (e instanceof DateValue d) {
            return DateAtom.of(year(d.getValue().toLocalDate(), "DATE", d.toString()));
        }
        if (e instanceof TimeValue t) {
            return TimeAtom.of(t.getValue().toLocalTime());
        }
        if (e instanceof TimestampValue t) {
            LocalDateTime dt = t.getValue().toLocalDateTime();
            year(dt.toLocalDate(), "TIMESTAMP", t.toString());
            return TimestampAtom.of(dt);
        }
        if (e instanceof CastExpression c && c.getLeftExpression() instanceof StringValue text && c.getColDataType() != null) {
            // DATE '2024-01-15', TIME '09:30:00', TIMESTAMP '2024-01-15 09:30:00'
            String type = c.getColDataType().getDataType().toUpperCase(Locale.ROOT);
            try {
                switch (type) {
                    case "DATE":
                        return DateAtom.of(year(java.time.LocalDate.parse(text.getValue()), type, text.getValue()));
                    case "TIME":
                        return TimeAtom.of(java.time.LocalTime.parse(text.getValue()));
                    case "TIMESTAMP":
                        LocalDateTime dt = LocalDateTime.parse(text.getValue().replace(' ', 'T'));
                        year(dt.toLocalDate(), type, text.getValue());
                        return TimestampAtom.of(dt);
                    default:
                        return null;
                }
            } catch (java.time.format.DateTimeParseException ex) {
                throw new SqlException("SQL " + type + " literal '" + text.getValue() + "' is malformed: " + ex.getMessage());
            }
        }
        if (e instanceof SignedExpression s && s.getSign() == '-') {
            RayValue v = literal(s.getExpression(), symbols);
            if (v instanceof I64Atom i) {
                return I64Atom.of(-i.value());
            }
            if (v instanceof F64Atom d) {
                return F64Atom.of(-d.value());
            }
        }
        if (e instanceof net.sf.jsqlparser.schema.Column c) {
            String l = c.getColumnName().toLowerCase(Locale.ROOT);
            if (l.equals("true") || l.equals("false")) {
                return BoolAtom.of(l.equals("true"));
            }
        }
        return null;
    }

    /**
     * {@code d} when its year has four digits, as Rayfall writes a date ({@code yyyy.mm.dd});
     * {@code DATE '-2024-01-02'} or a year past 9999 has no Rayfall literal.
     */
    private static java.time.LocalDate year(java.time.LocalDate d, String type, String text) {
        if (d.getYear() < 0 || d.getYear() > 9999) {
            throw new SqlException("SQL " + type + " literal '" + text + "' is out of range: its year must have four digits "
                    + "(0000 to 9999)");
        }
        return d;
    }

    private static long longValue(Expression e, String clause) {
        if (e instanceof LongValue l) {
            return l.getValue();
        }
        throw SqlException.unsupported(clause + " that is not an integer literal");
    }

    // ---- INSERT / UPSERT ----

    private Query insert(Insert ins) {
        if (ins.getWithItemsList() != null && !ins.getWithItemsList().isEmpty()) {
            throw SqlException.unsupported("WITH (common table expressions)");
        }
        if (ins.getDuplicateUpdateSets() != null && !ins.getDuplicateUpdateSets().isEmpty()) {
            throw SqlException.unsupported("ON DUPLICATE KEY UPDATE (use ON CONFLICT (keys) DO UPDATE)");
        }
        if (ins.getReturningClause() != null) {
            throw SqlException.unsupported("RETURNING");
        }
        Table table = tableNamed(ins.getTable());
        if (!(ins.getSelect() instanceof Values values)) {
            throw SqlException.unsupported("INSERT ... SELECT");
        }
        List<List<RayValue>> rows = new ArrayList<>();
        ExpressionList<?> exprs = values.getExpressions();
        boolean singleRowFlat = exprs.stream().noneMatch(x -> x instanceof ParenthesedExpressionList<?>);
        if (singleRowFlat) {
            rows.add(rowValues(exprs));
        } else {
            for (Object r : exprs) {
                if (!(r instanceof ExpressionList<?> row)) {
                    throw SqlException.unsupported("VALUES item " + r);
                }
                rows.add(rowValues(row));
            }
        }
        int width = rows.get(0).size();
        for (List<RayValue> r : rows) {
            if (r.size() != width) {
                throw new SqlException("SQL VALUES rows have different numbers of values (" + width + " and " + r.size() + ")");
            }
        }
        List<String> columns = new ArrayList<>();
        if (ins.getColumns() != null) {
            for (Object c : ins.getColumns()) {
                columns.add(unquote(((net.sf.jsqlparser.schema.Column) c).getColumnName()));
            }
            if (columns.size() != width) {
                throw new SqlException("SQL INSERT names " + columns.size() + " columns but gives " + width + " values");
            }
        }
        Integer keys = null;
        if (ins.getConflictTarget() != null || ins.getConflictAction() != null) {
            keys = conflictKeys(ins, columns);
        }
        Map<String, Object> dict = new LinkedHashMap<>();
        List<Object> positional = new ArrayList<>();
        for (int c = 0; c < width; c++) {
            Object v;
            if (rows.size() == 1) {
                v = rows.get(0).get(c);
            } else {
                List<RayValue> col = new ArrayList<>();
                for (List<RayValue> r : rows) {
                    col.add(r.get(c));
                }
                v = Literals.vectorOfAtoms(col);
            }
            if (columns.isEmpty()) {
                positional.add(v);
            } else {
                dict.put(columns.get(c), v);
            }
        }
        if (keys == null) {
            return columns.isEmpty() ? table.insert(positional.toArray()) : table.insert(dict);
        }
        return columns.isEmpty() ? table.upsert(keys, positional.toArray()) : table.upsert(keys, dict);
    }

    private int conflictKeys(Insert ins, List<String> columns) {
        if (ins.getConflictAction() == null
                || ins.getConflictAction().getConflictActionType() != net.sf.jsqlparser.statement.insert.ConflictActionType.DO_UPDATE) {
            throw SqlException.unsupported("ON CONFLICT without DO UPDATE (an upsert always updates)");
        }
        if (ins.getConflictAction().getWhereExpression() != null) {
            throw SqlException.unsupported("ON CONFLICT ... DO UPDATE ... WHERE");
        }
        if (ins.getConflictTarget() == null || ins.getConflictTarget().getIndexColumnNames() == null
                || ins.getConflictTarget().getIndexColumnNames().isEmpty()) {
            throw SqlException.unsupported("ON CONFLICT without key columns");
        }
        List<String> keys = ins.getConflictTarget().getIndexColumnNames().stream().map(SqlTranslator::unquote).toList();
        if (!columns.isEmpty() && !columns.subList(0, Math.min(keys.size(), columns.size())).equals(keys)) {
            throw new SqlException("SQL ON CONFLICT keys " + keys + " must be the first columns of the INSERT column list "
                    + columns + " (an upsert keys on the table's leading columns)");
        }
        return keys.size();
    }

    private static List<RayValue> rowValues(ExpressionList<?> row) {
        List<RayValue> out = new ArrayList<>();
        for (Object o : row) {
            RayValue v = literal((Expression) o, true);
            if (v == null) {
                if (o instanceof NullValue) {
                    throw SqlException.unsupported("NULL in VALUES (the column type is unknown; the engine needs a typed null)");
                }
                throw SqlException.unsupported("VALUES item that is not a literal (" + o + ")");
            }
            out.add(v);
        }
        return out;
    }

    // ---- UPDATE / DELETE ----

    private Query update(Update up) {
        if ((up.getJoins() != null && !up.getJoins().isEmpty()) || up.getFromItem() != null) {
            throw SqlException.unsupported("UPDATE with FROM or JOIN");
        }
        if (up.getOrderByElements() != null || up.getLimit() != null) {
            throw SqlException.unsupported("UPDATE with ORDER BY or LIMIT");
        }
        Table table = tableNamed(up.getTable());
        UpdateQuery q = table.update();
        for (UpdateSet set : up.getUpdateSets()) {
            if (set.getColumns().size() != set.getValues().size()) {
                throw SqlException.unsupported("UPDATE SET of a row value");
            }
            for (int i = 0; i < set.getColumns().size(); i++) {
                String col = unquote(set.getColumns().get(i).getColumnName());
                Expression v = (Expression) set.getValues().get(i);
                RayValue lit = literal(v, true);
                q = q.set(col, lit != null ? lit : expr(v));
            }
        }
        if (up.getWhere() != null) {
            q = q.where(expr(up.getWhere()));
        }
        return q;
    }

    private Query delete(Delete del) {
        if ((del.getJoins() != null && !del.getJoins().isEmpty()) || (del.getTables() != null && !del.getTables().isEmpty())) {
            throw SqlException.unsupported("DELETE with JOIN or several tables");
        }
        if (del.getWhere() == null) {
            throw SqlException.unsupported("DELETE without WHERE (the engine's delete needs a predicate)");
        }
        Table table = tableNamed(del.getTable());
        return table.delete(expr(del.getWhere()));
    }

    private static String name(net.sf.jsqlparser.schema.Column c) {
        return unquote(c.getColumnName());
    }

    private static String unquote(String id) {
        if (id.length() >= 2 && ((id.startsWith("\"") && id.endsWith("\"")) || (id.startsWith("`") && id.endsWith("`")))) {
            return id.substring(1, id.length() - 1);
        }
        return id;
    }
}
