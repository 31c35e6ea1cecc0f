package io.jasyncio.sql;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.timeout;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.Coroutine;
import io.jasyncio.Task;
import io.jasyncio.TimeoutException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default: SQLite files in WAL mode with one writer and a reader pool. */
class SqliteDatabaseTest {
    record Page(long id, String url, int status, String pageTitle) {}

    @TempDir
    Path dir;

    private String url() {
        return "sqlite:" + dir.resolve("test.db");
    }

    private static <T> T run(Coroutine<T> body) {
        return Asyncio.run(body);
    }

    private static void createPages(Database db) throws SQLException {
        db.execute("CREATE TABLE page (id INTEGER PRIMARY KEY, url TEXT UNIQUE NOT NULL, status INT, page_title TEXT)");
    }

    @Test
    void boundParametersRoundTripAndAreNeverSpliced() {
        run(() -> {
            try (Database db = Database.open(url())) {
                createPages(db);
                String hostile = "x'); DROP TABLE page; --";
                assertThat(db.execute("INSERT INTO page (url, status, page_title) VALUES (?, ?, ?)", "http://a/", 200, hostile)).isEqualTo(1);
                assertThat(db.execute("INSERT INTO page (url, status, page_title) VALUES (?, ?, ?)", "http://b/", 404, null)).isEqualTo(1);
                Row row = db.fetchRow("SELECT * FROM page WHERE url = ?", "http://a/");
                assertThat(row.getString("page_title")).isEqualTo(hostile);
                assertThat(row.getInt("status")).isEqualTo(200);
                assertThat(row.columnNames()).containsExactly("id", "url", "status", "page_title");
                assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM page")).isEqualTo(2L);
                assertThat(db.fetchRow("SELECT * FROM page WHERE url = ?", "nowhere")).isNull();
                assertThat(db.fetchValue("SELECT page_title FROM page WHERE url = ?", "http://b/")).isNull();
                assertThat(db.execute("UPDATE page SET status = ? WHERE status >= ?", 500, 0)).isEqualTo(2);
            }
            return null;
        });
    }

    @Test
    void rowsMapToRecordsByColumnName() {
        run(() -> {
            try (Database db = Database.open(url())) {
                createPages(db);
                db.executeMany("INSERT INTO page (url, status, page_title) VALUES (?, ?, ?)",
                        List.of(List.of("http://a/", 200, "A"), List.of("http://b/", 301, "B")));
                List<Page> pages = db.fetch(Page.class, "SELECT id, url, status, page_title FROM page ORDER BY id");
                assertThat(pages).extracting(Page::url, Page::status, Page::pageTitle)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("http://a/", 200, "A"), org.assertj.core.groups.Tuple.tuple("http://b/", 301, "B"));
                assertThat(db.fetch(String.class, "SELECT url FROM page ORDER BY url")).containsExactly("http://a/", "http://b/");
                assertThat(db.fetchRow(Page.class, "SELECT * FROM page WHERE status = ?", 301).pageTitle()).isEqualTo("B");
                assertThatThrownBy(() -> db.fetch(Page.class, "SELECT id, url FROM page"))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a column 'status'");
                assertThatThrownBy(() -> db.fetch(String.class, "SELECT id, url FROM page"))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly one column");
                Row row = db.fetchRow("SELECT url FROM page WHERE status = 200");
                assertThatThrownBy(() -> row.getLong("url")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.String");
                assertThatThrownBy(() -> row.get("nope")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[url]");
            }
            return null;
        });
    }

    @Test
    void executeManyIsOneAtomicBatchAndDriverErrorsArriveUnchanged() {
        run(() -> {
            try (Database db = Database.open(url())) {
                createPages(db);
                List<List<?>> rows = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    rows.add(List.of("http://x/" + i, 200));
                }
                assertThat(db.executeMany("INSERT INTO page (url, status) VALUES (?, ?)", rows)).isEqualTo(1000);
                List<List<?>> clash = List.of(List.of("http://new/", 200), List.of("http://x/5", 200));
                assertThatThrownBy(() -> db.executeMany("INSERT INTO page (url, status) VALUES (?, ?)", clash))
                        .isInstanceOf(org.sqlite.SQLiteException.class).hasMessageContaining("UNIQUE");
                assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM page WHERE url = ?", "http://new/")).isZero();
                assertThatThrownBy(() -> db.fetch("SELEKT 1")).isInstanceOf(SQLException.class).hasMessageContaining("syntax error");
                assertThat(db.executeMany("INSERT INTO page (url) VALUES (?)", List.of())).isZero();
            }
            return null;
        });
    }

    @Test
    void concurrentReadersAndWritersNeverSeeBusy() {
        run(() -> {
            try (Database db = Database.open(url(), DatabaseOptions.defaults().withPoolSize(4))) {
                db.execute("CREATE TABLE event (id INTEGER PRIMARY KEY, writer INT, n INT)");
                List<Task<Long>> tasks = new ArrayList<>();
                for (int w = 0; w < 6; w++) {
                    int writer = w;
                    tasks.add(createTask(() -> {
                        for (int n = 0; n < 40; n++) {
                            db.execute("INSERT INTO event (writer, n) VALUES (?, ?)", writer, n);
                        }
                        return 0L;
                    }));
                }
                for (int r = 0; r < 6; r++) {
                    tasks.add(createTask(() -> {
                        long seen = 0;
                        for (int i = 0; i < 40; i++) {
                            long now = db.fetchValue(Long.class, "SELECT count(*) FROM event");
                            assertThat(now).isGreaterThanOrEqualTo(seen); // a reader never goes back in time
                            seen = now;
                        }
                        return seen;
                    }));
                }
                gather(tasks);
                assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM event")).isEqualTo(240L);
                assertThat(db.fetchValue(String.class, "PRAGMA journal_mode")).isEqualTo("wal");
            }
            return null;
        });
    }

    @Test
    void readersAreReadOnly() {
        run(() -> {
            try (Database db = Database.open(url())) {
                createPages(db);
                assertThatThrownBy(() -> db.fetch("WITH x AS (SELECT 1) INSERT INTO page (url) VALUES ('w') RETURNING id"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("readonly");
                assertThat(db.fetchValue(Long.class, "INSERT INTO page (url) VALUES (?) RETURNING id", "http://ret/")).isEqualTo(1L);
            }
            return null;
        });
    }

    @Test
    void transactionsCommitOnReturnRollBackOnThrowAndNestAsSavepoints() {
        run(() -> {
            try (Database db = Database.open(url())) {
                createPages(db);
                long id = db.transaction(tx -> {
                    tx.execute("INSERT INTO page (url) VALUES (?)", "http://kept/");
                    try {
                        tx.transaction(inner -> {
                            assertThat(inner.transactionDepth()).isEqualTo(2);
                            inner.execute("INSERT INTO page (url) VALUES (?)", "http://inner/");
                            throw new IllegalStateException("inner fails");
                        });
                    } catch (IllegalStateException expected) {
                        assertThat(expected).hasMessage("inner fails");
                    }
                    tx.transaction(inner -> inner.execute("INSERT INTO page (url) VALUES (?)", "http://inner-ok/"));
                    return tx.fetchValue(Long.class, "SELECT id FROM page WHERE url = ?", "http://kept/");
                });
                assertThat(id).isEqualTo(1L);
                assertThat(db.fetch(String.class, "SELECT url FROM page ORDER BY id")).containsExactly("http://kept/", "http://inner-ok/");
                assertThatThrownBy(() -> db.transaction(tx -> {
                    tx.execute("INSERT INTO page (url) VALUES (?)", "http://lost/");
                    throw new java.io.IOException("body failed");
                })).isInstanceOf(java.io.IOException.class).hasMessage("body failed");
                assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM page")).isEqualTo(2L);
                assertThatThrownBy(() -> db.transaction(tx -> tx.transaction(IsolationLevel.SERIALIZABLE, in -> 1)))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outermost");
                try (Connection c = db.acquire()) {
                    assertThat(c.transactionDepth()).isZero();
                    assertThat(c.fetchValue(Long.class, "SELECT count(*) FROM page")).isEqualTo(2L);
                }
            }
            return null;
        });
    }

    @Test
    void cancelInsideTransactionRollsBackAndFreesTheWriter() {
        run(() -> {
            try (Database db = Database.open(url(), DatabaseOptions.defaults().withAcquireTimeout(Duration.ofSeconds(30)))) {
                createPages(db);
                var inserted = new io.jasyncio.Event();
                Task<Object> t = createTask(() -> db.transaction(tx -> {
                    tx.execute("INSERT INTO page (url) VALUES (?)", "http://cancelled/");
                    inserted.set();
                    sleep(60);
                    return null;
                }));
                inserted.await();
                t.cancel();
                assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
                assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM page")).isZero();
                db.execute("INSERT INTO page (url) VALUES (?)", "http://after/"); // the writer is free and clean
                try (Connection c = db.acquire()) {
                    assertThat(c.fetchValue(Long.class, "SELECT count(*) FROM page")).isEqualTo(1L);
                }
            }
            return null;
        });
    }

    @Test
    void timeoutCancelsARunningQueryInTheDatabase() {
        run(() -> {
            try (Database db = Database.open(url())) {
                String endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n";
                assertThatThrownBy(() -> {
                    timeout(Duration.ofMillis(300), () -> {
                        db.fetchValue(endless);
                        return null;
                    });
                }).isInstanceOf(TimeoutException.class);
                Task<Object> task = createTask(() -> db.execute("CREATE TABLE t AS " + endless));
                sleep(0.2);
                task.cancel();
                assertThatThrownBy(task::await).isInstanceOf(CancelledError.class);
                assertThat(db.fetchValue(Long.class, "SELECT 41 + 1")).isEqualTo(42L);
                assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM sqlite_master WHERE name = 't'")).isZero();
            }
            return null;
        });
    }

    @Test
    void streamReadsBatchesLazilyAndFreesItsConnectionOnBreak() {
        run(() -> {
            DatabaseOptions small = DatabaseOptions.defaults().withPoolSize(1).withFetchSize(100).withAcquireTimeout(Duration.ofSeconds(5));
            try (Database db = Database.open(url(), small)) {
                db.execute("CREATE TABLE n (i INTEGER PRIMARY KEY)");
                db.executeMany("INSERT INTO n VALUES (?)", java.util.stream.IntStream.range(0, 2500).mapToObj(i -> List.of(i)).toList());
                long sum = 0;
                try (RowStream rows = db.stream("SELECT i FROM n WHERE i >= ? ORDER BY i", 0)) {
                    for (Row r : rows) {
                        sum += r.getLong("i");
                    }
                    assertThatThrownBy(rows::iterator).isInstanceOf(IllegalStateException.class).hasMessageContaining("only once");
                }
                assertThat(sum).isEqualTo(2499L * 2500 / 2);
                int seen = 0;
                try (RowStream rows = db.stream("SELECT i FROM n ORDER BY i")) {
                    for (Row r : rows) {
                        if (++seen == 150) {
                            break;
                        }
                    }
                    assertThat(rows.toString()).contains("buffered=50"); // the second batch of 100, half consumed
                }
                // the single reader is back: this would time out otherwise
                assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM n")).isEqualTo(2500L);
                try (Connection c = db.acquire()) {
                    RowStream s = c.stream("SELECT i FROM n");
                    assertThatThrownBy(() -> c.execute("DELETE FROM n")).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("another operation");
                    s.close();
                    assertThat(c.execute("DELETE FROM n WHERE i < 10")).isEqualTo(10);
                }
            }
            return null;
        });
    }

    @Test
    void poolWaitersAreServedFifoAndACancelledWaiterLosesOnlyItsPlace() {
        run(() -> {
            try (Database db = Database.open(url())) {
                List<String> order = new ArrayList<>();
                Connection held = db.acquire(); // the only writer
                List<Task<Object>> waiters = new ArrayList<>();
                for (String name : List.of("A", "B", "C", "D")) {
                    waiters.add(createTask(() -> {
                        try (Connection c = db.acquire()) {
                            order.add(name);
                            yieldNow();
                        }
                        return null;
                    }));
                }
                for (int i = 0; i < 5; i++) {
                    yieldNow(); // every waiter queues
                }
                waiters.get(1).cancel();
                yieldNow();
                held.close();
                for (Task<Object> w : waiters) {
                    try {
                        w.await();
                    } catch (CancelledError expected) {
                        assertThat(w).isSameAs(waiters.get(1));
                    }
                }
                assertThat(order).containsExactly("A", "C", "D");
                db.execute("CREATE TABLE still_works (i INT)");
            }
            return null;
        });
    }

    @Test
    void exhaustedPoolTimesOutWithItsOwnError() {
        run(() -> {
            DatabaseOptions quick = DatabaseOptions.defaults().withAcquireTimeout(Duration.ofMillis(50));
            try (Database db = Database.open(url(), quick)) {
                try (Connection held = db.acquire()) {
                    assertThatThrownBy(db::acquire).isInstanceOf(PoolTimeoutException.class)
                            .isInstanceOf(TimeoutException.class).hasMessageContaining("all 1 are in use");
                    assertThat(held.fetchValue(Long.class, "SELECT 1")).isEqualTo(1L);
                }
                try (Connection again = db.acquire()) {
                    assertThat(again.isReleased()).isFalse();
                }
            }
            return null;
        });
    }

    @Test
    void closingFailsWaitersAndRefusesNewWork() {
        run(() -> {
            Database db = Database.open(url());
            Connection held = db.acquire();
            Task<Connection> waiter = createTask(db::acquire);
            yieldNow();
            db.close();
            assertThatThrownBy(waiter::await).isInstanceOf(DatabaseClosedException.class).hasMessageContaining("closed");
            assertThatThrownBy(() -> db.fetch("SELECT 1")).isInstanceOf(DatabaseClosedException.class);
            assertThatThrownBy(() -> held.fetch("SELECT 1")).isInstanceOf(DatabaseClosedException.class);
            held.close();
            held.close(); // idempotent
            db.close();
            assertThat(db.isClosed()).isTrue();
            return null;
        });
    }

    @Test
    void badInputGetsClearErrorsAtTheCall() {
        assertThatThrownBy(() -> Database.open("sqlite:x.db")).isInstanceOf(IllegalStateException.class).hasMessageContaining("from a task");
        run(() -> {
            assertThatThrownBy(() -> Database.open("")).isInstanceOf(DatabaseUrlException.class).hasMessageContaining("empty");
            assertThatThrownBy(() -> Database.open("mysql://h/db")).isInstanceOf(DatabaseUrlException.class).hasMessageContaining("unknown database URL");
            assertThatThrownBy(() -> Database.open("sqlite:")).isInstanceOf(DatabaseUrlException.class).hasMessageContaining("names no file");
            assertThatThrownBy(() -> Database.open("jdbc:nosuchdb://h/db?password=secret")).isInstanceOf(DatabaseUrlException.class)
                    .hasMessageContaining("no JDBC driver").hasMessageNotContaining("secret");
            assertThatThrownBy(() -> Database.open("sqlite:" + dir.resolve("missing/dir/x.db"))).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> DatabaseOptions.defaults().withPoolSize(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> DatabaseOptions.defaults().withAcquireTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
            try (Database db = Database.open(url())) {
                assertThatThrownBy(() -> db.execute(" ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
                assertThatThrownBy(() -> db.fetch(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null");
                assertThatThrownBy(() -> db.listen("chan")).isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("PostgreSQL");
                assertThatThrownBy(() -> db.executeMany("INSERT INTO x VALUES (?)", java.util.Arrays.asList(List.of(1), null)))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("paramSets[1]");
                try (Connection c = db.acquire()) {
                    Task<Object> other = createTask(() -> c.fetchValue("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) SELECT count(*) FROM n"));
                    yieldNow();
                    yieldNow();
                    assertThatThrownBy(() -> c.fetch("SELECT 1")).isInstanceOf(IllegalStateException.class).hasMessageContaining("another operation");
                    assertThat(other.await()).isEqualTo(300000);
                }
                Connection released = db.acquire();
                released.close();
                assertThatThrownBy(() -> released.fetch("SELECT 1")).isInstanceOf(IllegalStateException.class).hasMessageContaining("given back");
            }
            return null;
        });
    }

    @Test
    void aDatabaseBelongsToTheLoopItWasOpenedOn() {
        Database db = run(() -> Database.open("sqlite::memory:"));
        run(() -> {
            assertThatThrownBy(() -> db.fetch("SELECT 1")).isInstanceOf(IllegalStateException.class).hasMessageContaining("another event loop");
            return null;
        });
    }

    @Test
    void memoryDatabaseUsesOneConnection() {
        run(() -> {
            try (Database db = Database.open("sqlite::memory:")) {
                db.execute("CREATE TABLE m (v TEXT)");
                db.execute("INSERT INTO m VALUES (?)", "kept");
                assertThat(db.fetchValue(String.class, "SELECT v FROM m")).isEqualTo("kept"); // same connection: same database
            }
            return null;
        });
    }

    @Test
    void theLoopKeepsRunningWhileAQueryRuns() {
        run(() -> {
            try (Database db = Database.open(url())) {
                AtomicLong ticks = new AtomicLong();
                Task<Object> ticker = createTask(() -> {
                    while (true) {
                        sleep(0.005);
                        ticks.incrementAndGet();
                    }
                });
                long before = ticks.get();
                db.fetchValue("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000000) SELECT count(*) FROM n");
                long during = ticks.get() - before;
                ticker.cancel();
                assertThat(during).as("ticks of another task while the query ran").isPositive();
            }
            return null;
        });
    }

    @Test
    void idleConnectionsExpireAndAreReplaced() {
        run(() -> {
            DatabaseOptions brief = DatabaseOptions.defaults().withIdleTimeout(Duration.ofMillis(50)).withHealthCheckAfter(Duration.ZERO);
            try (Database db = Database.open(url(), brief)) {
                db.execute("CREATE TABLE e (v INT)");
                sleep(0.2); // the reaper closes the idle writer
                assertThat(db.toString()).contains("writer[open=0/1");
                db.execute("INSERT INTO e VALUES (1)");
                assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM e")).isEqualTo(1L);
            }
            return null;
        });
    }
}
