package io.jasyncio.sql;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.Task;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pool's hard paths: hand-over racing a cancel, a cancel while connecting, expiry. */
class ConnectionPoolTest {
    @TempDir
    Path dir;

    private String url() {
        return "sqlite:" + dir.resolve("pool.db");
    }

    @Test
    void aConnectionHandedToAWaiterThatIsCancelledAtTheSameTimeGoesToTheNextWaiter() {
        Asyncio.run(() -> {
            try (Database db = Database.open(url())) {
                Connection held = db.acquire();
                Task<String> first = createTask(() -> {
                    try (Connection c = db.acquire()) {
                        return "first";
                    }
                });
                Task<String> second = createTask(() -> {
                    try (Connection c = db.acquire()) {
                        return "second";
                    }
                });
                yieldNow();
                held.close();      // hands the writer to `first`, whose wake-up is now queued ...
                first.cancel();    // ... and is cancelled before it runs
                assertThatThrownBy(first::await).isInstanceOf(CancelledError.class);
                assertThat(second.await()).isEqualTo("second");
                assertThat(db.toString()).contains("writer[open=1/1, lent=0, idle=1, waiting=0");
            }
            return null;
        });
    }

    @Test
    void aTaskCancelledWhileItsConnectionOpensLeavesTheConnectionInThePool() {
        Asyncio.run(() -> {
            try (Database db = Database.open(url(), DatabaseOptions.defaults().withPoolSize(2))) {
                Task<Object> opener = createTask(() -> db.fetchValue("SELECT 1")); // the first reader connection opens
                for (int i = 0; i < 10_000 && !db.toString().contains("readers[open=1/2, lent=1"); i++) {
                    yieldNow(); // until the opener is inside connectNew
                }
                opener.cancel();
                assertThatThrownBy(opener::await).isInstanceOf(CancelledError.class);
                for (int i = 0; i < 1000 && !db.toString().contains("readers[open=1/2, lent=0, idle=1"); i++) {
                    sleep(0.01); // the connection arrives after the cancel
                }
                assertThat(db.toString()).contains("readers[open=1/2, lent=0, idle=1");
                assertThat(db.fetchValue(Long.class, "SELECT 7")).isEqualTo(7L);
            }
            return null;
        });
    }

    @Test
    void aConnectionPastItsMaxLifetimeIsClosedWhenItComesBack() {
        Asyncio.run(() -> {
            try (Database db = Database.open(url(), DatabaseOptions.defaults().withMaxLifetime(Duration.ofMillis(100)))) {
                Connection c = db.acquire();
                sleep(0.15);
                c.close();
                assertThat(db.toString()).contains("writer[open=0/1");
                db.execute("CREATE TABLE after_lifetime (i INT)"); // a new one opens
                assertThat(db.toString()).contains("writer[open=1/1");
            }
            return null;
        });
    }

    @Test
    void aWaiterGetsAReplacementWhenTheReturnedConnectionIsBroken() {
        Asyncio.run(() -> {
            try (Database db = Database.open(url())) {
                Connection held = db.acquire();
                Task<Long> waiter = createTask(() -> db.fetchValue(Long.class, "INSERT INTO t VALUES (1) RETURNING i"));
                yieldNow();
                held.execute("CREATE TABLE t (i INT)");
                held.worker.markBroken(); // as after a lost connection
                held.close();
                assertThat(waiter.await()).isEqualTo(1L); // served by a newly opened connection
            }
            return null;
        });
    }
}
