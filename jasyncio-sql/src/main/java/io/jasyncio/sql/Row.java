package io.jasyncio.sql;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of a result: asyncpg's {@code Record}. Columns are found by 0-based index or by name
 * (exact, else ignoring case and underscores). Immutable and detached from the database: a row
 * stays valid after its connection went back to the pool.
 *
 * <pre>{@code
 * Row row = db.fetchRow("SELECT id, title FROM page WHERE url = ?", url);
 * long id = row.getLong("id");
 * Page page = row.as(Page.class);   // record Page(long id, String title)
 * }</pre>
 */
public final class Row {
    private final Columns columns;
    private final Object[] values;

    Row(Columns columns, Object[] values) {
        this.columns = columns;
        this.values = values;
    }

    Columns columns() {
        return columns;
    }

    /** The number of columns. */
    public int size() {
        return values.length;
    }

    /** The column names, in order. */
    public List<String> columnNames() {
        return columns.names;
    }

    /** The value of column {@code index} (0-based), as the driver returned it. */
    public Object get(int index) {
        if (index < 0 || index >= values.length) {
            throw new IndexOutOfBoundsException("column " + index + " does not exist: the row has " + values.length + " columns " + columns.names);
        }
        return values[index];
    }

    /** The value of the column named {@code column}. */
    public Object get(String column) {
        return values[indexOf(column)];
    }

    /** The value of {@code column} converted to {@code type} (numbers widen and narrow exactly, 0/1 become booleans, JDBC dates become java.time). */
    public <V> V get(String column, Class<V> type) {
        @SuppressWarnings("unchecked")
        V v = (V) Values.convert(get(column), type, "column '" + column + "'");
        return v;
    }

    public String getString(String column) {
        return get(column, String.class);
    }

    /** Throws IllegalArgumentException if the value is NULL. */
    public long getLong(String column) {
        return get(column, long.class);
    }

    /** Throws IllegalArgumentException if the value is NULL. */
    public int getInt(String column) {
        return get(column, int.class);
    }

    /** Throws IllegalArgumentException if the value is NULL. */
    public double getDouble(String column) {
        return get(column, double.class);
    }

    /** Throws IllegalArgumentException if the value is NULL. */
    public boolean getBoolean(String column) {
        return get(column, boolean.class);
    }

    /** This row as a record whose components are named like the columns (see {@link Database#fetch(Class, String, Object...)}). */
    public <R> R as(Class<R> type) {
        return RecordMapper.forColumns(type, columns).apply(this);
    }

    /** Column name to value, in column order. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            map.putIfAbsent(columns.names.get(i), values[i]);
        }
        return map;
    }

    private int indexOf(String column) {
        int i = columns.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("no column '" + column + "' in " + columns.names);
        }
        return i;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Row r && r.columns.names.equals(columns.names) && Arrays.deepEquals(r.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * columns.names.hashCode() + Arrays.deepHashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Row[");
        for (int i = 0; i < values.length; i++) {
            b.append(i == 0 ? "" : ", ").append(columns.names.get(i)).append('=');
            b.append(values[i] instanceof byte[] bytes ? "<" + bytes.length + " bytes>" : values[i]);
        }
        return b.append(']').toString();
    }
}
