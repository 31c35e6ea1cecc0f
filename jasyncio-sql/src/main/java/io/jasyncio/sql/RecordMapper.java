package io.jasyncio.sql;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Maps rows to a record (each component from the column of the same name: exact, else ignoring
 * case and underscores, so {@code created_at} fills {@code createdAt}) or, for any other type, a
 * one-column row to its value. The mapping is resolved once per result, so a missing column is
 * reported before any row is converted.
 */
final class RecordMapper {
    private RecordMapper() {}

    @SuppressWarnings("unchecked")
    static <R> Function<Row, R> forColumns(Class<R> type, Columns columns) {
        if (!type.isRecord()) {
            if (columns.size() != 1) {
                throw new IllegalArgumentException(type.getName() + " is not a record, so the query must return exactly one column; it returns "
                        + columns.names);
            }
            return row -> (R) Values.convert(row.get(0), type, "column '" + columns.names.get(0) + "'");
        }
        RecordComponent[] components = type.getRecordComponents();
        int[] index = new int[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            index[i] = columns.indexOf(components[i].getName());
            types[i] = components[i].getType();
            if (index[i] < 0) {
                throw new IllegalArgumentException("record " + type.getSimpleName() + " needs a column '" + components[i].getName()
                        + "' but the query returns " + columns.names);
            }
        }
        Constructor<R> constructor;
        try {
            constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
        } catch (NoSuchMethodException | RuntimeException e) {
            throw new IllegalArgumentException("cannot use the canonical constructor of " + type.getName() + ": " + e.getMessage(), e);
        }
        return row -> {
            Object[] args = new Object[index.length];
            for (int i = 0; i < index.length; i++) {
                args[i] = Values.convert(row.get(index[i]), types[i], type.getSimpleName() + "." + components[i].getName());
            }
            try {
                return constructor.newInstance(args);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof RuntimeException r ? r
                        : new IllegalArgumentException("the constructor of " + type.getName() + " failed for " + Arrays.toString(args), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException("cannot construct " + type.getName(), e);
            }
        };
    }
}
