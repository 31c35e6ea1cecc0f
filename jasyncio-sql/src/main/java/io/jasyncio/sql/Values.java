package io.jasyncio.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Date;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

/**
 * Converts a column value as the driver returned it to the Java type the caller asked for:
 * the widening and narrowing between number types (SQLite returns Integer where a column is
 * declared BIGINT), 0/1 to boolean, JDBC's date types to java.time. A narrowing that would lose
 * the value, or any other mismatch, is a clear {@link IllegalArgumentException}; never a silent
 * truncation.
 */
final class Values {
    private static final Map<Class<?>, Class<?>> BOXES = Map.of(int.class, Integer.class, long.class, Long.class,
            double.class, Double.class, float.class, Float.class, short.class, Short.class, byte.class, Byte.class,
            boolean.class, Boolean.class, char.class, Character.class);

    private Values() {}

    static Object convert(Object value, Class<?> type, String what) {
        Class<?> target = type.isPrimitive() ? BOXES.get(type) : type;
        if (value == null) {
            if (type.isPrimitive()) {
                throw new IllegalArgumentException(what + " is NULL and cannot become a " + type.getName() + " (use " + target.getSimpleName() + ")");
            }
            return null;
        }
        if (target.isInstance(value)) {
            return value;
        }
        if (value instanceof Number n) {
            Object converted = number(n, target);
            if (converted != null) {
                return converted;
            }
        }
        if (target == Boolean.class && value instanceof Number n && (n.longValue() == 0 || n.longValue() == 1)) {
            return n.longValue() == 1;
        }
        if (target == String.class && (value instanceof Character || value instanceof UUID)) {
            return value.toString();
        }
        if (target == UUID.class && value instanceof String s) {
            return UUID.fromString(s);
        }
        Object time = time(value, target);
        if (time != null) {
            return time;
        }
        throw new IllegalArgumentException(what + " holds a " + value.getClass().getName() + " (" + abbreviate(value)
                + "), not a " + type.getName());
    }

    private static Object number(Number n, Class<?> target) {
        BigDecimal exact = n instanceof BigDecimal b ? b : n instanceof BigInteger bi ? new BigDecimal(bi)
                : n instanceof Double || n instanceof Float ? BigDecimal.valueOf(n.doubleValue()) : BigDecimal.valueOf(n.longValue());
        try {
            if (target == Long.class) return exact.longValueExact();
            if (target == Integer.class) return exact.intValueExact();
            if (target == Short.class) return exact.shortValueExact();
            if (target == Byte.class) return exact.byteValueExact();
        } catch (ArithmeticException lossy) {
            throw new IllegalArgumentException("the value " + n + " does not fit a " + target.getSimpleName());
        }
        if (target == Double.class) return n.doubleValue();
        if (target == Float.class) return n.floatValue();
        if (target == BigDecimal.class) return exact;
        if (target == BigInteger.class) return exact.toBigIntegerExact();
        return null;
    }

    private static Object time(Object value, Class<?> target) {
        if (value instanceof Timestamp ts) {
            if (target == Instant.class) return ts.toInstant();
            if (target == LocalDateTime.class) return ts.toLocalDateTime();
            if (target == OffsetDateTime.class) return ts.toInstant().atOffset(ZoneOffset.UTC);
        }
        if (value instanceof Date d && target == LocalDate.class) return d.toLocalDate();
        if (value instanceof Time t && target == LocalTime.class) return t.toLocalTime();
        if (value instanceof OffsetDateTime o && target == Instant.class) return o.toInstant();
        return null;
    }

    private static String abbreviate(Object value) {
        String s = String.valueOf(value);
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
