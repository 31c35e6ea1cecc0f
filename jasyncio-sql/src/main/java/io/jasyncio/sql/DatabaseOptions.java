package io.jasyncio.sql;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * How a {@link Database} pools and uses its connections. Immutable: every {@code with...} method
 * returns a copy, and checks its argument at the call.
 *
 * <pre>{@code
 * DatabaseOptions options = DatabaseOptions.defaults()
 *         .withPoolSize(16)
 *         .withAcquireTimeout(Duration.ofSeconds(5))
 *         .withProperty("user", "crawler");
 * }</pre>
 *
 * <table>
 * <caption>Options and defaults</caption>
 * <tr><th>option</th><th>default</th><th>meaning</th></tr>
 * <tr><td>poolSize</td><td>10</td><td>at most this many connections (SQLite: readers; there is always one writer)</td></tr>
 * <tr><td>acquireTimeout</td><td>30 s</td><td>a task waits this long for a free connection, then {@link PoolTimeoutException}</td></tr>
 * <tr><td>idleTimeout</td><td>10 min</td><td>an idle connection unused this long is closed</td></tr>
 * <tr><td>maxLifetime</td><td>30 min</td><td>a connection older than this is closed when it comes back (never while lent out)</td></tr>
 * <tr><td>healthCheckAfter</td><td>30 s</td><td>a connection idle longer than this is validated before it is lent ({@code ZERO}: always)</td></tr>
 * <tr><td>statementCacheSize</td><td>100</td><td>prepared statements kept per connection (0: none)</td></tr>
 * <tr><td>fetchSize</td><td>1000</td><td>rows a {@link RowStream} holds at a time</td></tr>
 * <tr><td>cancelGrace</td><td>10 s</td><td>after a cancel, how long to wait for the database to stop the statement before the connection is given up</td></tr>
 * <tr><td>properties</td><td>none</td><td>JDBC connection properties (user, password, driver settings)</td></tr>
 * </table>
 */
public final class DatabaseOptions {
    private static final DatabaseOptions DEFAULTS = new DatabaseOptions(10, Duration.ofSeconds(30), Duration.ofMinutes(10),
            Duration.ofMinutes(30), Duration.ofSeconds(30), 100, 1000, Duration.ofSeconds(10), Map.of());

    private final int poolSize;
    private final Duration acquireTimeout;
    private final Duration idleTimeout;
    private final Duration maxLifetime;
    private final Duration healthCheckAfter;
    private final int statementCacheSize;
    private final int fetchSize;
    private final Duration cancelGrace;
    private final Map<String, String> properties;

    private DatabaseOptions(int poolSize, Duration acquireTimeout, Duration idleTimeout, Duration maxLifetime,
            Duration healthCheckAfter, int statementCacheSize, int fetchSize, Duration cancelGrace, Map<String, String> properties) {
        this.poolSize = poolSize;
        this.acquireTimeout = acquireTimeout;
        this.idleTimeout = idleTimeout;
        this.maxLifetime = maxLifetime;
        this.healthCheckAfter = healthCheckAfter;
        this.statementCacheSize = statementCacheSize;
        this.fetchSize = fetchSize;
        this.cancelGrace = cancelGrace;
        this.properties = properties;
    }

    /** The defaults of the table above. */
    public static DatabaseOptions defaults() {
        return DEFAULTS;
    }

    public DatabaseOptions withPoolSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1, got " + size);
        }
        return new DatabaseOptions(size, acquireTimeout, idleTimeout, maxLifetime, healthCheckAfter, statementCacheSize, fetchSize, cancelGrace, properties);
    }

    public DatabaseOptions withAcquireTimeout(Duration timeout) {
        return new DatabaseOptions(poolSize, positive("acquireTimeout", timeout), idleTimeout, maxLifetime, healthCheckAfter, statementCacheSize, fetchSize, cancelGrace, properties);
    }

    public DatabaseOptions withIdleTimeout(Duration timeout) {
        return new DatabaseOptions(poolSize, acquireTimeout, positive("idleTimeout", timeout), maxLifetime, healthCheckAfter, statementCacheSize, fetchSize, cancelGrace, properties);
    }

    public DatabaseOptions withMaxLifetime(Duration lifetime) {
        return new DatabaseOptions(poolSize, acquireTimeout, idleTimeout, positive("maxLifetime", lifetime), healthCheckAfter, statementCacheSize, fetchSize, cancelGrace, properties);
    }

    /** {@link Duration#ZERO} validates every connection before it is lent out. */
    public DatabaseOptions withHealthCheckAfter(Duration idle) {
        Objects.requireNonNull(idle, "healthCheckAfter");
        if (idle.isNegative()) {
            throw new IllegalArgumentException("healthCheckAfter must not be negative, got " + idle);
        }
        return new DatabaseOptions(poolSize, acquireTimeout, idleTimeout, maxLifetime, idle, statementCacheSize, fetchSize, cancelGrace, properties);
    }

    public DatabaseOptions withStatementCacheSize(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("statementCacheSize must not be negative, got " + size);
        }
        return new DatabaseOptions(poolSize, acquireTimeout, idleTimeout, maxLifetime, healthCheckAfter, size, fetchSize, cancelGrace, properties);
    }

    public DatabaseOptions withFetchSize(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("fetchSize must be at least 1, got " + rows);
        }
        return new DatabaseOptions(poolSize, acquireTimeout, idleTimeout, maxLifetime, healthCheckAfter, statementCacheSize, rows, cancelGrace, properties);
    }

    public DatabaseOptions withCancelGrace(Duration grace) {
        return new DatabaseOptions(poolSize, acquireTimeout, idleTimeout, maxLifetime, healthCheckAfter, statementCacheSize, fetchSize, positive("cancelGrace", grace), properties);
    }

    /** Adds one JDBC connection property (for example {@code user}, {@code password}). */
    public DatabaseOptions withProperty(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Map<String, String> copy = new LinkedHashMap<>(properties);
        copy.put(name, value);
        return new DatabaseOptions(poolSize, acquireTimeout, idleTimeout, maxLifetime, healthCheckAfter, statementCacheSize, fetchSize, cancelGrace,
                Collections.unmodifiableMap(copy));
    }

    public int poolSize() {
        return poolSize;
    }

    public Duration acquireTimeout() {
        return acquireTimeout;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public Duration maxLifetime() {
        return maxLifetime;
    }

    public Duration healthCheckAfter() {
        return healthCheckAfter;
    }

    public int statementCacheSize() {
        return statementCacheSize;
    }

    public int fetchSize() {
        return fetchSize;
    }

    public Duration cancelGrace() {
        return cancelGrace;
    }

    /** The JDBC properties, unmodifiable. */
    public Map<String, String> properties() {
        return properties;
    }

    Properties jdbcProperties() {
        Properties p = new Properties();
        p.putAll(properties);
        return p;
    }

    private static Duration positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }

    @Override
    public String toString() {
        return "DatabaseOptions[poolSize=" + poolSize + ", acquireTimeout=" + acquireTimeout + ", idleTimeout=" + idleTimeout
                + ", maxLifetime=" + maxLifetime + ", healthCheckAfter=" + healthCheckAfter + ", statementCacheSize="
                + statementCacheSize + ", fetchSize=" + fetchSize + ", cancelGrace=" + cancelGrace + ", properties="
                + properties.keySet() + "]";
    }
}
