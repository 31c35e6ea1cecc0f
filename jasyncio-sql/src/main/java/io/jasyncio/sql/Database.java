package io.jasyncio.sql;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * An async database: a pool of JDBC connections, each confined to its own worker thread, used from
 * jasyncio tasks with plain methods that suspend (asyncpg's {@code Pool}, aiosqlite's threads).
 *
 * <pre>{@code
 * Asyncio.run(() -> {
 *     try (Database db = Database.open("sqlite:crawl.db")) {
 *         db.execute("CREATE TABLE IF NOT EXISTS page (url TEXT PRIMARY KEY, status INT, title TEXT)");
 *         db.execute("INSERT INTO page VALUES (?, ?, ?)", url, 200, title);
 *         List<Page> pages = db.fetch(Page.class, "SELECT url, status, title FROM page WHERE status = ?", 200);
 *         db.transaction(tx -> tx.execute("DELETE FROM page WHERE status >= ?", 500));
 *     }
 *     return null;
 * });
 * }</pre>
 *
 * <p>Each query method acquires a connection, runs, and gives it back; tasks that find every
 * connection lent out wait on the loop, FIFO, at most {@link DatabaseOptions#acquireTimeout()}
 * ({@link PoolTimeoutException}). Hold one connection across calls with {@link #acquire()}.
 * Parameters are always bound ({@code ?}), never spliced into the SQL. The driver's
 * {@link SQLException}s reach the caller unchanged, with their SQLSTATE.
 *
 * <p>URLs: {@code sqlite:FILE} (the default; works with nothing installed), {@code sqlite::memory:},
 * {@code postgresql://user:password@host:port/db}, or any {@code jdbc:} URL whose driver is on the class path.
 *
 * <p>SQLite: the file is put in WAL mode and gets one writer connection and a pool of
 * {@code poolSize} read-only reader connections, so readers never wait for the writer and writers
 * queue on the loop instead of failing with SQLITE_BUSY. Queries that start with SELECT, WITH or
 * VALUES go to the readers; everything else, {@link #acquire()} and {@link #transaction} go to
 * the writer. ({@code sqlite::memory:} has only the writer: each connection would see its own database.)
 *
 * <p>Cancellation: see {@link Connection}: a cancelled task's statement is cancelled in the
 * database, its transaction rolled back, and the connection returned clean or discarded.
 *
 * <p>Threading: a Database belongs to the event loop it was opened on; its methods must be called
 * from tasks of that loop ({@link IllegalStateException} otherwise). Close it when done
 * (try-with-resources): idle connections close, waiters fail with {@link DatabaseClosedException}.
 * A database left open when its loop ends keeps its (daemon) connection threads and connections.
 *
 * <p>States: OPEN (after {@link #open}) and CLOSED (after {@link #close()}: every method throws
 * {@link DatabaseClosedException}; connections still lent out close when they are given back).
 */
public final class Database implements AutoCloseable {
    private final EventLoop loop;
    private final DatabaseUrl url;
    private final DatabaseOptions options;
    private final ConnectionPool writers;
    /** The same pool as {@code writers} except for a SQLite file. */
    private final ConnectionPool readers;
    private final Set<Listener> listeners = new LinkedHashSet<>();
    private boolean closed;

    private Database(EventLoop loop, DatabaseUrl url, DatabaseOptions options) {
        this.loop = loop;
        this.url = url;
        this.options = options;
        if (url.kind() == DatabaseUrl.Kind.SQLITE) {
            boolean memory = isMemory(url.jdbcUrl());
            List<String> writerInit = new ArrayList<>(List.of("PRAGMA busy_timeout = 10000", "PRAGMA foreign_keys = ON"));
            if (!memory) {
                writerInit.add("PRAGMA journal_mode = WAL");
                writerInit.add("PRAGMA synchronous = NORMAL");
            }
            writers = new ConnectionPool(loop, url.display() + " writer", 1, options, connector(writerInit));
            readers = memory ? writers : new ConnectionPool(loop, url.display() + " readers", options.poolSize(), options,
                    connector(List.of("PRAGMA busy_timeout = 10000", "PRAGMA query_only = ON")));
        } else {
            writers = new ConnectionPool(loop, url.display(), options.poolSize(), options, connector(List.of()));
            readers = writers;
        }
    }

    /** {@link #open(String, DatabaseOptions)} with {@link DatabaseOptions#defaults()}. */
    public static Database open(String url) throws SQLException {
        return open(url, DatabaseOptions.defaults());
    }

    /**
     * Opens a database and one connection to it, so that a wrong address, password or file fails
     * here; suspends while connecting. Call it from a task: the database belongs to that task's loop.
     *
     * @throws DatabaseUrlException for an empty or unknown URL, or one no driver accepts
     * @throws SQLException what the driver says when it cannot connect
     */
    public static Database open(String url, DatabaseOptions options) throws SQLException {
        Objects.requireNonNull(options, "options");
        DatabaseUrl parsed = DatabaseUrl.parse(url);
        EventLoop loop = runningLoop();
        Database db = new Database(loop, parsed, options);
        try {
            db.acquireFrom(db.writers).close(); // fail fast; the connection stays in the pool
        } catch (Throwable t) {
            db.close();
            throw t;
        }
        return db;
    }

    // ================================================================ queries

    /** See {@link Connection#execute}; runs on the writer. */
    public long execute(String sql, Object... params) throws SQLException {
        try (Connection c = acquireFrom(writers)) {
            return c.execute(sql, params);
        }
    }

    /** See {@link Connection#executeMany}: one atomic batch; runs on the writer. */
    public long executeMany(String sql, Iterable<? extends List<?>> paramSets) throws SQLException {
        try (Connection c = acquireFrom(writers)) {
            return c.executeMany(sql, paramSets);
        }
    }

    /** See {@link Connection#fetch(String, Object...)}. */
    public List<Row> fetch(String sql, Object... params) throws SQLException {
        try (Connection c = acquireFrom(poolFor(sql))) {
            return c.fetch(sql, params);
        }
    }

    /** See {@link Connection#fetch(Class, String, Object...)}: rows mapped to a record (components named like the columns). */
    public <R> List<R> fetch(Class<R> type, String sql, Object... params) throws SQLException {
        try (Connection c = acquireFrom(poolFor(sql))) {
            return c.fetch(type, sql, params);
        }
    }

    /** See {@link Connection#fetchRow(String, Object...)}. */
    public Row fetchRow(String sql, Object... params) throws SQLException {
        try (Connection c = acquireFrom(poolFor(sql))) {
            return c.fetchRow(sql, params);
        }
    }

    /** See {@link Connection#fetchRow(Class, String, Object...)}. */
    public <R> R fetchRow(Class<R> type, String sql, Object... params) throws SQLException {
        try (Connection c = acquireFrom(poolFor(sql))) {
            return c.fetchRow(type, sql, params);
        }
    }

    /** See {@link Connection#fetchValue(String, Object...)}. */
    public Object fetchValue(String sql, Object... params) throws SQLException {
        try (Connection c = acquireFrom(poolFor(sql))) {
            return c.fetchValue(sql, params);
        }
    }

    /** See {@link Connection#fetchValue(Class, String, Object...)}. */
    public <V> V fetchValue(Class<V> type, String sql, Object... params) throws SQLException {
        try (Connection c = acquireFrom(poolFor(sql))) {
            return c.fetchValue(type, sql, params);
        }
    }

    /**
     * A {@link RowStream} over the query's rows, on a connection of its own until the stream is
     * closed or drained. Suspends until a connection is free.
     */
    public RowStream stream(String sql, Object... params) throws SQLException {
        Connection c = acquireFrom(poolFor(sql));
        try {
            return c.openStream(sql, params, true);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** See {@link Connection#transaction(IsolationLevel, TransactionBody)}; on the writer. */
    public <T> T transaction(TransactionBody<T> body) throws Exception {
        return transaction(null, body);
    }

    /** See {@link Connection#transaction(IsolationLevel, TransactionBody)}; on the writer. */
    public <T> T transaction(IsolationLevel isolation, TransactionBody<T> body) throws Exception {
        Objects.requireNonNull(body, "body");
        try (Connection c = acquireFrom(writers)) {
            return c.transaction(isolation, body);
        }
    }

    /**
     * Lends a connection (SQLite: the writer) until its {@link Connection#close()}.
     *
     * <p>Cancellation: a cancel while waiting for a free connection gives up the place in the queue only.
     *
     * @throws PoolTimeoutException when none became free within the acquire timeout
     */
    public Connection acquire() throws SQLException {
        return acquireFrom(writers);
    }

    // ================================================================ LISTEN/NOTIFY

    /**
     * Listens on a PostgreSQL channel, on a connection of its own (outside the pool).
     *
     * @throws UnsupportedOperationException when the database is not PostgreSQL
     */
    public Listener listen(String channel) throws SQLException {
        Listener.quoteIdentifier(channel);
        checkUsable();
        requirePostgres("LISTEN");
        ConnectionWorker w = awaitOpened(connector(List.of()).get());
        Listener l = Listener.start(this, w, channel);
        listeners.add(l);
        return l;
    }

    /** Sends {@code NOTIFY channel, payload} (PostgreSQL's {@code pg_notify}, parameters bound). */
    public void notify(String channel, String payload) throws SQLException {
        Listener.quoteIdentifier(channel);
        Objects.requireNonNull(payload, "payload");
        requirePostgres("NOTIFY");
        fetchValue("SELECT pg_notify(?, ?)", channel, payload);
    }

    // ================================================================ lifecycle

    /**
     * Closes the database: waiting tasks fail with {@link DatabaseClosedException}, idle
     * connections and listeners close (awaited), lent connections close when given back; idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Listener l : List.copyOf(listeners)) {
            l.close();
        }
        readers.close();
        writers.close();
    }

    /** True after {@link #close()}. */
    public boolean isClosed() {
        return closed;
    }

    /** The options the database was opened with. */
    public DatabaseOptions options() {
        return options;
    }

    // ================================================================ internals

    private Connection acquireFrom(ConnectionPool pool) throws SQLException {
        checkUsable();
        return new Connection(this, pool, pool.acquire());
    }

    private ConnectionPool poolFor(String sql) {
        return readers == writers || !isRead(sql) ? writers : readers;
    }

    /** SQL that only reads: its first keyword (after comments and parentheses) is SELECT, WITH or VALUES. */
    static boolean isRead(String sql) {
        if (sql == null) {
            return false;
        }
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (sql.startsWith("--", i)) {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                break;
            }
        }
        int j = i;
        while (j < n && Character.isLetter(sql.charAt(j))) {
            j++;
        }
        String word = sql.substring(i, j).toUpperCase(Locale.ROOT);
        return word.equals("SELECT") || word.equals("WITH") || word.equals("VALUES");
    }

    private java.util.function.Supplier<CompletableFuture<ConnectionWorker>> connector(List<String> initSql) {
        return () -> ConnectionWorker.open(url, options, initSql, loop.time());
    }

    private static ConnectionWorker awaitOpened(CompletableFuture<ConnectionWorker> opening) {
        try {
            return Asyncio.await(opening.copy());
        } catch (Throwable t) {
            opening.thenAccept(ConnectionWorker::closeAsync); // cancelled while connecting: close what opens
            throw t;
        }
    }

    private void requirePostgres(String what) {
        if (url.kind() != DatabaseUrl.Kind.POSTGRESQL) {
            throw new UnsupportedOperationException(what + " needs PostgreSQL; " + url.display() + " is not");
        }
    }

    void listenerClosed(Listener l) {
        listeners.remove(l);
    }

    private void checkUsable() {
        checkLoop();
        if (closed) {
            throw new DatabaseClosedException("the database " + url.display() + " is closed");
        }
    }

    /** Database methods run on the loop the database was opened on, inside a task. */
    void checkLoop() {
        EventLoop current = runningLoop();
        if (current != loop) {
            throw new IllegalStateException("the database " + url.display() + " belongs to another event loop: use it from tasks of "
                    + loop + " (or open one database per loop)");
        }
    }

    private static EventLoop runningLoop() {
        try {
            return Asyncio.getRunningLoop();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("database methods suspend: call them from a task (inside Asyncio.run(...)), not from "
                    + Thread.currentThread().getName(), e);
        }
    }

    private static boolean isMemory(String jdbcUrl) {
        String rest = jdbcUrl.substring("jdbc:sqlite:".length());
        return rest.isEmpty() || rest.startsWith(":memory:") || rest.contains("mode=memory");
    }

    @Override
    public String toString() {
        return "Database[" + url.display() + (closed ? ", closed" : "") + ", " + writers + (readers == writers ? "" : ", " + readers) + "]";
    }
}
