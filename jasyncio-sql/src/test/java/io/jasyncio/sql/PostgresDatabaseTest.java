package io.jasyncio.sql;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.timeout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.Coroutine;
import io.jasyncio.Event;
import io.jasyncio.Task;
import io.jasyncio.TimeoutException;
import io.jasyncio.sql.testsupport.PostgresExtension;
import io.jasyncio.sql.testsupport.PostgresServer;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Against a real PostgreSQL server that the tests start themselves (see {@link PostgresServer}). */
@ExtendWith(PostgresExtension.class)
class PostgresDatabaseTest {
    private String url;
    /** A table of this test alone, so tests never see each other's rows. */
    private String table;

    @BeforeEach
    void server(PostgresServer pg) {
        url = pg.url();
        table = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static <T> T run(Coroutine<T> body) {
        return Asyncio.run(body);
    }

    private static DatabaseOptions pool(int size) {
        return DatabaseOptions.defaults().withPoolSize(size).withAcquireTimeout(Duration.ofSeconds(30));
    }

    /** Active queries matching {@code pattern}, as the server reports them (asked on another connection). */
    private static long activeQueries(Database admin, String pattern) throws SQLException {
        return admin.fetchValue(Long.class, "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE ? AND pid <> pg_backend_pid()", pattern);
    }

    /** Waits until the server runs a query matching {@code pattern} (failing after 30 s rather than hanging). */
    private static void awaitActive(Database admin, String pattern) throws SQLException {
        timeout(Duration.ofSeconds(30), () -> {
            while (activeQueries(admin, pattern) == 0) {
                sleep(0.02);
            }
            return null;
        });
    }

    @Test
    void queriesTransactionsAndSqlStateAgainstARealServer() {
        run(() -> {
            try (Database db = Database.open(url, pool(4))) {
                db.execute("CREATE TABLE " + table + " (id BIGSERIAL PRIMARY KEY, url TEXT UNIQUE, bytes INT)");
                long id = db.fetchValue(Long.class, "INSERT INTO " + table + " (url, bytes) VALUES (?, ?) RETURNING id", "http://a/", 10);
                assertThat(id).isEqualTo(1L);
                SQLException duplicate = org.assertj.core.api.Assertions.catchThrowableOfType(SQLException.class,
                        () -> db.execute("INSERT INTO " + table + " (url, bytes) VALUES (?, ?)", "http://a/", 11));
                assertThat((Throwable) duplicate).isInstanceOf(org.postgresql.util.PSQLException.class);
                assertThat(duplicate.getSQLState()).isEqualTo("23505");
                assertThat(db.executeMany("INSERT INTO " + table + " (url, bytes) VALUES (?, ?)",
                        List.of(List.of("http://b/", 1), List.of("http://c/", 2)))).isEqualTo(2);
                String level = db.transaction(IsolationLevel.SERIALIZABLE, tx -> tx.fetchValue(String.class, "SHOW transaction_isolation"));
                assertThat(level).isEqualTo("serializable");
                try (Connection c = db.acquire()) { // every pooled connection is back at the default
                    assertThat(c.fetchValue(String.class, "SHOW transaction_isolation")).isEqualTo("read committed");
                }
                db.transaction(tx -> {
                    tx.execute("UPDATE " + table + " SET bytes = bytes + 100");
                    try {
                        tx.transaction(inner -> inner.execute("INSERT INTO " + table + " (url) VALUES (?)", "http://a/"));
                    } catch (SQLException e) {
                        assertThat(e.getSQLState()).isEqualTo("23505"); // the savepoint absorbed the failure
                    }
                    return null;
                });
                assertThat(db.fetchValue(Long.class, "SELECT sum(bytes) FROM " + table)).isEqualTo(313L);
                record Entry(long id, String url, Integer bytes) {}
                assertThat(db.fetch(Entry.class, "SELECT * FROM " + table + " ORDER BY id")).extracting(Entry::url)
                        .containsExactly("http://a/", "http://b/", "http://c/");
            }
            return null;
        });
    }

    @Test
    void cancelledLongQueryIsStoppedInTheServerAndFreesItsConnection() {
        run(() -> {
            try (Database db = Database.open(url, pool(1)); Database admin = Database.open(url, pool(1))) {
                long pid = db.fetchValue(Long.class, "SELECT pg_backend_pid()");
                Task<Object> slow = createTask(() -> db.fetchValue("SELECT pg_sleep(60)"));
                awaitActive(admin, "SELECT pg_sleep(60)%");
                slow.cancel();
                assertThatThrownBy(slow::await).isInstanceOf(CancelledError.class);
                assertThat(activeQueries(admin, "SELECT pg_sleep%")).isZero();
                // the single connection came back, the same one, and clean
                assertThat(db.fetchValue(Long.class, "SELECT pg_backend_pid()")).isEqualTo(pid);
                timeout(Duration.ofSeconds(30), () -> {
                    assertThat(db.fetchValue(Long.class, "SELECT 1")).isEqualTo(1L);
                    return null;
                });
            }
            return null;
        });
    }

    @Test
    void anEnclosingTimeoutCancelsTheStatement() {
        run(() -> {
            try (Database db = Database.open(url, pool(1)); Database admin = Database.open(url, pool(1))) {
                assertThatThrownBy(() -> {
                    timeout(Duration.ofMillis(300), () -> {
                        db.fetchValue("SELECT pg_sleep(60)");
                        return null;
                    });
                }).isInstanceOf(TimeoutException.class);
                assertThat(activeQueries(admin, "SELECT pg_sleep%")).isZero();
                assertThat(db.fetchValue(Long.class, "SELECT 2")).isEqualTo(2L);
            }
            return null;
        });
    }

    @Test
    void cancelInsideATransactionRollsBackAndLeavesNothingLocked() {
        run(() -> {
            try (Database db = Database.open(url, pool(2)); Database admin = Database.open(url, pool(1))) {
                db.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, v TEXT)");
                db.execute("INSERT INTO " + table + " VALUES (1, 'before')");
                Task<Object> t = createTask(() -> db.transaction(tx -> {
                    tx.execute("UPDATE " + table + " SET v = 'during' WHERE id = 1"); // takes the row lock
                    tx.execute("INSERT INTO " + table + " VALUES (2, 'new')");
                    return tx.fetchValue("SELECT pg_sleep(60)");
                }));
                awaitActive(admin, "SELECT pg_sleep(60)%");
                t.cancel();
                assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
                assertThat(db.fetch(String.class, "SELECT v FROM " + table + " ORDER BY id")).containsExactly("before");
                assertThat(admin.fetchValue(Long.class, "SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'")).isZero();
                timeout(Duration.ofSeconds(30), () -> { // the row lock is gone: this does not wait
                    db.execute("UPDATE " + table + " SET v = 'after' WHERE id = 1");
                    return null;
                });
                assertThat(db.fetchValue(String.class, "SELECT v FROM " + table + " WHERE id = 1")).isEqualTo("after");
            }
            return null;
        });
    }

    @Test
    void aKilledServerConnectionIsDetectedAndReplaced() {
        run(() -> {
            try (Database db = Database.open(url, pool(1)); Database admin = Database.open(url, pool(1))) {
                long first = db.fetchValue(Long.class, "SELECT pg_backend_pid()");
                admin.fetchValue("SELECT pg_terminate_backend(?)", (int) first);
                SQLException lost = org.assertj.core.api.Assertions.catchThrowableOfType(SQLException.class, () -> db.fetchValue("SELECT 1"));
                assertThat(lost.getSQLState()).matches("08.*|57P01");
                long second = db.fetchValue(Long.class, "SELECT pg_backend_pid()"); // a new connection
                assertThat(second).isNotEqualTo(first);
            }
            // with a health check before each loan the loss is invisible to the caller
            try (Database db = Database.open(url, pool(1).withHealthCheckAfter(Duration.ZERO)); Database admin = Database.open(url, pool(1))) {
                long first = db.fetchValue(Long.class, "SELECT pg_backend_pid()");
                admin.fetchValue("SELECT pg_terminate_backend(?)", (int) first);
                timeout(Duration.ofSeconds(30), () -> {
                    while (admin.fetchValue(Long.class, "SELECT count(*) FROM pg_stat_activity WHERE pid = ?", (int) first) > 0) {
                        sleep(0.01);
                    }
                    return null;
                });
                assertThat(db.fetchValue(Long.class, "SELECT pg_backend_pid()")).isNotEqualTo(first);
            }
            return null;
        });
    }

    @Test
    void concurrentReadersAndWritersShareTheCappedPool() {
        run(() -> {
            try (Database db = Database.open(url, pool(3)); Database admin = Database.open(url, pool(1))) {
                db.execute("CREATE TABLE " + table + " (task INT, n INT)");
                List<Task<Object>> tasks = new ArrayList<>();
                long[] maxConnections = new long[1];
                for (int i = 0; i < 12; i++) {
                    int task = i;
                    tasks.add(createTask(() -> {
                        for (int n = 0; n < 20; n++) {
                            if (task % 2 == 0) {
                                db.execute("INSERT INTO " + table + " VALUES (?, ?)", task, n);
                            } else {
                                db.fetchValue(Long.class, "SELECT count(*) FROM " + table);
                            }
                        }
                        return null;
                    }));
                }
                tasks.add(createTask(() -> {
                    for (int i = 0; i < 20; i++) {
                        maxConnections[0] = Math.max(maxConnections[0], admin.fetchValue(Long.class,
                                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND application_name = 'PostgreSQL JDBC Driver'"));
                        sleep(0.001);
                    }
                    return null;
                }));
                gather(tasks);
                assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM " + table)).isEqualTo(120L);
                assertThat(maxConnections[0]).isLessThanOrEqualTo(3 + 1); // the pool's three plus admin's one
            }
            return null;
        });
    }

    @Test
    void streamReadsThroughACursorAndCleansUpOnBreakAndCancel() {
        run(() -> {
            try (Database db = Database.open(url, pool(1).withFetchSize(500)); Database admin = Database.open(url, pool(1))) {
                long n = 0;
                try (RowStream rows = db.stream("SELECT i, i * 2 AS twice, 'r' || i AS label FROM generate_series(1, ?) AS i", 20_000)) {
                    for (Row r : rows) {
                        n++;
                        assertThat(r.getLong("twice")).isEqualTo(2 * r.getLong("i"));
                        if (n == 1200) {
                            assertThat(rows.toString()).contains("buffered=300"); // three batches read, never the whole result
                        }
                    }
                }
                assertThat(n).isEqualTo(20_000);
                try (RowStream rows = db.stream("SELECT i FROM generate_series(1, 100000) AS i")) {
                    for (Row r : rows) {
                        if (r.getLong("i") == 10) {
                            break;
                        }
                    }
                }
                assertThat(admin.fetchValue(Long.class, "SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'")).isZero();
                Task<Long> reader = createTask(() -> {
                    long seen = 0;
                    try (RowStream rows = db.stream("SELECT i, pg_sleep(CASE WHEN i = 600 THEN 60 ELSE 0 END) FROM generate_series(1, 1000) AS i")) {
                        for (Row r : rows) {
                            seen++;
                        }
                    }
                    return seen;
                });
                awaitActive(admin, "SELECT i, pg_sleep%");
                sleep(0.05);
                reader.cancel();
                assertThatThrownBy(reader::await).isInstanceOf(CancelledError.class);
                assertThat(activeQueries(admin, "SELECT i, pg_sleep%")).isZero();
                assertThat(db.fetchValue(Long.class, "SELECT 3")).isEqualTo(3L);
            }
            return null;
        });
    }

    @Test
    void listenDeliversNotificationsInOrderAndStopsOnCancel() {
        run(() -> {
            try (Database db = Database.open(url, pool(2))) {
                List<String> got = new ArrayList<>();
                Event listening = new Event();
                Task<Object> consumer = createTask(() -> {
                    try (Listener l = db.listen("jobs \"x\"")) {
                        listening.set();
                        for (Notification n : l) {
                            got.add(n.payload());
                            assertThat(n.channel()).isEqualTo("jobs \"x\"");
                            if (got.size() == 3) {
                                break;
                            }
                        }
                    }
                    return null;
                });
                listening.await();
                for (String p : List.of("one", "two", "three")) {
                    db.notify("jobs \"x\"", p);
                }
                consumer.await();
                assertThat(got).containsExactly("one", "two", "three");
                Task<Object> waiting = createTask(() -> {
                    try (Listener l = db.listen("quiet")) {
                        listening.clear();
                        listening.set();
                        return l.hasNext();
                    }
                });
                sleep(0.3);
                waiting.cancel();
                assertThatThrownBy(waiting::await).isInstanceOf(CancelledError.class);
                assertThatThrownBy(() -> db.listen("")).isInstanceOf(IllegalArgumentException.class);
            }
            return null;
        });
    }

    @Test
    void otherTasksKeepRunningWhileAQueryWaitsInTheServer() {
        run(() -> {
            try (Database db = Database.open(url, pool(1))) {
                long[] ticks = new long[1];
                Task<Object> ticker = createTask(() -> {
                    while (true) {
                        sleep(0.005);
                        ticks[0]++;
                    }
                });
                long before = ticks[0];
                db.fetchValue("SELECT pg_sleep(0.3)");
                long during = ticks[0] - before;
                ticker.cancel();
                assertThat(during).as("ticks of another task during the query").isPositive();
            }
            return null;
        });
    }

    @Test
    void aNotificationArrivingAsTheWaitIsCancelledIsKeptForTheNextRead() {
        run(() -> {
            try (Database db = Database.open(url, pool(1)); Listener l = db.listen("kept")) {
                Task<Boolean> waiter = createTask(l::hasNext);
                sleep(0.05);
                db.notify("kept", "payload");
                waiter.cancel(); // the poll on the worker may already hold the notification
                try {
                    waiter.await();
                } catch (CancelledError expected) {
                    // either outcome is fine; the notification must not be lost
                }
                timeout(Duration.ofSeconds(30), () -> {
                    assertThat(l.next().payload()).isEqualTo("payload");
                    return null;
                });
            }
            return null;
        });
    }

    @Test
    void preparedStatementsAreCachedPerConnection() {
        run(() -> {
            try (Database db = Database.open(url, pool(1))) {
                try (Connection c = db.acquire()) {
                    for (int i = 0; i < 8; i++) { // past the driver's threshold (5) for a server-side prepare
                        assertThat(c.fetchValue(Long.class, "SELECT ?::bigint + 1", i)).isEqualTo(i + 1L);
                    }
                    assertThat(c.fetchValue(Long.class, "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'SELECT $1::bigint + 1%'"))
                            .isEqualTo(1L);
                }
            }
            return null;
        });
    }

    @Test
    void badCredentialsAndUnreachableServersFailAtOpen(PostgresServer pg) {
        run(() -> {
            assertThatThrownBy(() -> Database.open("postgresql://nobody@127.0.0.1:" + pg.port() + "/postgres"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("nobody");
            assertThatThrownBy(() -> Database.open("postgresql://"))
                    .isInstanceOf(DatabaseUrlException.class).hasMessageContaining("names no host");
            return null;
        });
    }
}
