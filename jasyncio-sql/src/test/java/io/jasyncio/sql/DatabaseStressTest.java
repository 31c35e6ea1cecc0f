package io.jasyncio.sql;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.LoopOptions;
import io.jasyncio.Task;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many tasks use a small pool while a random half of them is cancelled at random points (waiting for
 * a connection, inside a query, inside a transaction, during a stream). Afterwards no connection is
 * lost or still lent, every cancelled transaction left nothing behind, and the pool still serves.
 * Scaled by {@code -Djasyncio.stress.factor} (default 1: 300 tasks).
 */
class DatabaseStressTest {
    @TempDir
    Path dir;

    @Test
    void randomCancelsNeverLoseAConnectionOrLeaveATransactionOpen() {
        int tasks = 300 * Integer.getInteger("jasyncio.stress.factor", 1);
        Random random = new Random(42);
        Asyncio.run(() -> {
            DatabaseOptions small = DatabaseOptions.defaults().withPoolSize(2).withFetchSize(10).withAcquireTimeout(Duration.ofSeconds(60));
            try (Database db = Database.open("sqlite:" + dir.resolve("stress.db"), small)) {
                db.execute("CREATE TABLE kv (k INTEGER PRIMARY KEY, v INT)");
                db.executeMany("INSERT INTO kv VALUES (?, 0)", java.util.stream.IntStream.range(0, 100).mapToObj(i -> List.of(i)).toList());
                List<Task<Object>> all = new ArrayList<>();
                for (int i = 0; i < tasks; i++) {
                    int kind = random.nextInt(4);
                    int k = random.nextInt(100);
                    all.add(createTask(() -> {
                        switch (kind) {
                            case 0 -> db.fetchValue("SELECT v FROM kv WHERE k = ?", k);
                            case 1 -> db.execute("UPDATE kv SET v = v + 1 WHERE k = ?", k);
                            case 2 -> db.transaction(tx -> {
                                tx.execute("UPDATE kv SET v = v - 1000000 WHERE k = ?", k); // undone below: net 0 if committed
                                yieldNow();
                                tx.execute("UPDATE kv SET v = v + 1000000 WHERE k = ?", k);
                                return null;
                            });
                            default -> {
                                try (RowStream rows = db.stream("SELECT k FROM kv")) {
                                    for (Row r : rows) {
                                        r.get(0);
                                    }
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (int i = 0; i < tasks / 2; i++) {
                    sleep(random.nextInt(3) / 1000.0);
                    all.get(random.nextInt(tasks)).cancel();
                }
                int cancelled = 0;
                for (Task<Object> t : all) {
                    try {
                        t.await();
                    } catch (CancelledError e) {
                        cancelled++;
                    }
                }
                assertThat(cancelled).isPositive();
                assertThat(db.toString()).doesNotContainPattern("lent=[1-9]").doesNotContainPattern("waiting=[1-9]");
                // a cancelled transaction never leaves half its work: every value is a count of increments
                assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM kv WHERE v < 0 OR v >= 1000000")).isZero();
                assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM kv")).isEqualTo(100L);
            }
            return null;
        });
    }

    @Test
    void theAcquireTimeoutRunsOnTheVirtualClock() {
        Asyncio.run(() -> {
            try (Database db = Database.open("sqlite:" + dir.resolve("virtual.db"),
                    DatabaseOptions.defaults().withAcquireTimeout(Duration.ofHours(1)))) {
                double start = Asyncio.getRunningLoop().time();
                try (Connection held = db.acquire()) {
                    org.assertj.core.api.Assertions.assertThatThrownBy(db::acquire).isInstanceOf(PoolTimeoutException.class);
                }
                assertThat(Asyncio.getRunningLoop().time() - start).isGreaterThanOrEqualTo(3600.0); // an hour passed, at once
            }
            return null;
        }, LoopOptions.defaults().withVirtualTime(true));
    }
}
