package io.jasyncio.sql;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The column names of one result, shared by all its {@link Row}s. Immutable; built on the worker
 * thread, then read on the loop.
 */
final class Columns {
    final List<String> names;
    private final Map<String, Integer> exact = new HashMap<>();
    private final Map<String, Integer> folded = new HashMap<>();

    private Columns(List<String> names) {
        this.names = names;
        for (int i = names.size() - 1; i >= 0; i--) { // the first of duplicate names wins
            exact.put(names.get(i), i);
            folded.put(fold(names.get(i)), i);
        }
    }

    static Columns of(ResultSetMetaData meta) throws SQLException {
        String[] names = new String[meta.getColumnCount()];
        for (int i = 0; i < names.length; i++) {
            names[i] = meta.getColumnLabel(i + 1);
        }
        return new Columns(List.of(names));
    }

    /** The index of {@code name}: exact, else ignoring case and underscores ({@code created_at} = {@code createdAt}); -1 if none. */
    int indexOf(String name) {
        Integer i = exact.get(name);
        if (i == null) {
            i = folded.get(fold(name));
        }
        return i == null ? -1 : i;
    }

    int size() {
        return names.size();
    }

    private static String fold(String name) {
        return name.replace("_", "").toLowerCase(Locale.ROOT);
    }
}
