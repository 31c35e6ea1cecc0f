package io.jasyncio.bench;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.sql.Database;
import io.jasyncio.sql.DatabaseOptions;
import io.jasyncio.sql.Row;
import io.jasyncio.sql.RowStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SQL workloads of issue 14, against a PostgreSQL server given by URL (scripts/sql-bench.sh
 * starts a throw-away one and runs the asyncpg peer, sql_asyncpg.py, in the same session):
 *
 * <ul>
 * <li><b>S1 point selects</b>: {@code --queries} single-row SELECTs by primary key from {@code --tasks}
 *     concurrent tasks (pool size = tasks); queries/s and the worst loop lag meanwhile.</li>
 * <li><b>S2 bulk fetch</b>: all {@code --rows} rows of 5 columns, once as one {@code fetch} and once
 *     as a {@code stream} (fetch size 1000); rows/s and loop lag.</li>
 * </ul>
 * Beside each, plain JDBC on virtual threads (one connection per thread, the same statements).
 * Every workload runs twice as a warm-up, then the rounds interleave them; the median round counts.
 * Output: one line per measurement, {@code name  value unit  [lag]}.
 *
 * <p>Loop lag: a task asks to sleep 1 ms over and over; the lag is how much later than asked it wakes
 * up, worst case over the measurement (what every other task on the loop would feel).
 */
public final class SqlWorkloads {
    private int queries = 10_000;
    private int tasks = 16;
    private int rows = 100_000;
    private int rounds = 3;
    private String url;

    public static void main(String[] args) throws Exception {
        SqlWorkloads w = new SqlWorkloads();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> w.url = value(args, ++i);
                case "--queries" -> w.queries = Integer.parseInt(value(args, ++i));
                case "--tasks" -> w.tasks = Integer.parseInt(value(args, ++i));
                case "--rows" -> w.rows = Integer.parseInt(value(args, ++i));
                case "--rounds" -> w.rounds = Integer.parseInt(value(args, ++i));
                case "--help", "-h" -> {
                    System.out.println("""
                            usage: SqlWorkloads --url postgresql://user@host:port/db [--queries 10000] [--tasks 16] [--rows 100000] [--rounds 3]
                              S1: QUERIES single-row SELECTs by primary key from TASKS tasks; S2: fetch ROWS rows of 5 columns.
                              Each beside plain JDBC on virtual threads; the median of ROUNDS rounds after one warm-up.""");
                    return;
                }
                default -> {
                    System.err.println("SqlWorkloads: unknown argument '" + args[i] + "' (try --help)");
                    System.exit(2); // a command-line program's exit status, not library code
                }
            }
        }
        if (w.url == null) {
            System.err.println("SqlWorkloads: --url is required (try --help)");
            System.exit(2);
        }
        w.run();
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private String jdbcUrl() {
        // postgresql://user@host:port/db -> jdbc:postgresql://host:port/db?user=user
        String rest = url.substring(url.indexOf("://") + 3);
        int at = rest.indexOf('@');
        String user = at < 0 ? null : rest.substring(0, at);
        String hostDb = at < 0 ? rest : rest.substring(at + 1);
        return "jdbc:postgresql://" + hostDb + (user == null ? "" : (hostDb.contains("?") ? "&" : "?") + "user=" + user);
    }

    private void run() throws Exception {
        setUp();
        System.out.printf(Locale.ROOT, "# engine=%s queries=%d tasks=%d rows=%d rounds=%d%n",
                Asyncio.run(() -> Asyncio.getRunningLoop().engine()), queries, tasks, rows, rounds);
        List<Measurement> all = List.of(
                new Measurement("S1 jasyncio-sql point selects", "queries/s", queries, this::jasyncioPointSelects),
                new Measurement("S1 JDBC virtual threads point selects", "queries/s", queries, this::jdbcPointSelects),
                new Measurement("S2 jasyncio-sql fetch 5 columns", "rows/s", rows, this::jasyncioFetch),
                new Measurement("S2 jasyncio-sql stream 5 columns", "rows/s", rows, this::jasyncioStream),
                new Measurement("S2 JDBC virtual thread fetch 5 columns", "rows/s", rows, this::jdbcFetch));
        // Warm every workload up before timing any (the JIT compiles the driver's code once for all,
        // and pinned to one core it compiles slowly), then interleave the rounds, so no workload is
        // favoured by running later, on hotter code.
        for (int i = 0; i < WARM_UP_ROUNDS; i++) {
            for (Measurement m : all) {
                m.workload.run();
            }
        }
        for (int i = 0; i < rounds; i++) {
            for (Measurement m : all) {
                m.results.add(m.workload.run());
            }
        }
        for (Measurement m : all) {
            m.report();
        }
    }

    private static final int WARM_UP_ROUNDS = 2;

    /** One measurement: seconds taken and the worst loop lag (NaN where no loop runs). */
    private record Measured(double seconds, double lagSeconds) {}

    @FunctionalInterface
    private interface Workload {
        Measured run() throws Exception;
    }

    /** One line of the output: a workload and its timed rounds. */
    private record Measurement(String name, String unit, long work, Workload workload, List<Measured> results) {
        Measurement(String name, String unit, long work, Workload workload) {
            this(name, unit, work, workload, new ArrayList<>());
        }

        /** Prints the median rate and the worst loop lag over the rounds. */
        void report() {
            List<Measured> sorted = new ArrayList<>(results);
            sorted.sort((a, b) -> Double.compare(a.seconds, b.seconds));
            Measured median = sorted.get(sorted.size() / 2);
            double worstLag = sorted.stream().mapToDouble(Measured::lagSeconds).max().orElse(Double.NaN);
            System.out.printf(Locale.ROOT, "%-42s %,14.0f %-10s %s%n", name, work / median.seconds, unit,
                    Double.isNaN(worstLag) ? "" : String.format(Locale.ROOT, "loop lag max %.1f ms", worstLag * 1000));
        }
    }

    private void setUp() throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl()); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS bench_kv");
            s.execute("CREATE TABLE bench_kv (id INT PRIMARY KEY, a BIGINT, b TEXT, c DOUBLE PRECISION, d TIMESTAMPTZ)");
            s.execute("INSERT INTO bench_kv SELECT i, i * 7, 'value ' || i, i / 3.0, now() FROM generate_series(1, " + rows + ") AS i");
            s.execute("ANALYZE bench_kv");
        }
    }

    // ---------------------------------------------------------------- jasyncio-sql

    private Measured jasyncioPointSelects() {
        return Asyncio.run(() -> {
            try (Database db = Database.open(url, DatabaseOptions.defaults().withPoolSize(tasks))) {
                List<Task<Object>> warm = new ArrayList<>(); // open every connection before the clock starts
                for (int t = 0; t < tasks; t++) {
                    warm.add(createTask(() -> db.fetchValue("SELECT 1")));
                }
                gather(warm);
                LagProbe lag = new LagProbe();
                long start = System.nanoTime();
                List<Task<Long>> workers = new ArrayList<>();
                int per = queries / tasks;
                for (int t = 0; t < tasks; t++) {
                    int first = t * per;
                    int count = t == tasks - 1 ? queries - first : per;
                    workers.add(createTask(() -> {
                        long sum = 0;
                        for (int q = 0; q < count; q++) {
                            int id = 1 + (first + q) % rows;
                            sum += db.fetchValue(Long.class, "SELECT a FROM bench_kv WHERE id = ?", id);
                        }
                        return sum;
                    }));
                }
                gather(workers);
                double seconds = (System.nanoTime() - start) / 1e9;
                return new Measured(seconds, lag.stop());
            }
        });
    }

    private Measured jasyncioFetch() {
        return Asyncio.run(() -> {
            try (Database db = Database.open(url)) {
                db.fetchValue("SELECT 1"); // the pool connects lazily: connect before the clock starts, as JDBC does
                LagProbe lag = new LagProbe();
                long start = System.nanoTime();
                List<Row> all = db.fetch("SELECT id, a, b, c, d FROM bench_kv");
                check(all.size());
                return new Measured((System.nanoTime() - start) / 1e9, lag.stop());
            }
        });
    }

    private Measured jasyncioStream() {
        return Asyncio.run(() -> {
            try (Database db = Database.open(url)) {
                db.fetchValue("SELECT 1"); // the pool connects lazily: connect before the clock starts, as JDBC does
                LagProbe lag = new LagProbe();
                long start = System.nanoTime();
                long n = 0;
                try (RowStream s = db.stream("SELECT id, a, b, c, d FROM bench_kv")) {
                    for (Row r : s) {
                        n++;
                    }
                }
                check(n);
                return new Measured((System.nanoTime() - start) / 1e9, lag.stop());
            }
        });
    }

    /** Sleeps 1 ms in a loop and records the worst lateness; {@link #stop()} ends it. */
    private static final class LagProbe {
        private final AtomicLong worstNanos = new AtomicLong();
        private final Task<Object> task;

        LagProbe() {
            EventLoop loop = Asyncio.getRunningLoop();
            task = createTask(() -> {
                while (true) {
                    double asked = loop.time() + 0.001;
                    sleep(0.001);
                    long late = (long) ((loop.time() - asked) * 1e9);
                    worstNanos.accumulateAndGet(late, Math::max);
                }
            });
        }

        double stop() {
            task.cancel();
            return worstNanos.get() / 1e9;
        }
    }

    // ---------------------------------------------------------------- plain JDBC, virtual threads

    private Measured jdbcPointSelects() throws Exception {
        List<Connection> connections = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            connections.add(DriverManager.getConnection(jdbcUrl()));
        }
        try {
            int per = queries / tasks;
            List<Thread> threads = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < tasks; t++) {
                Connection c = connections.get(t);
                int first = t * per;
                int count = t == tasks - 1 ? queries - first : per;
                threads.add(Thread.ofVirtual().start(() -> {
                    try (PreparedStatement ps = c.prepareStatement("SELECT a FROM bench_kv WHERE id = ?")) {
                        for (int q = 0; q < count; q++) {
                            ps.setInt(1, 1 + (first + q) % rows);
                            try (ResultSet rs = ps.executeQuery()) {
                                rs.next();
                                rs.getLong(1);
                            }
                        }
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (Thread th : threads) {
                th.join();
            }
            return new Measured((System.nanoTime() - start) / 1e9, Double.NaN);
        } finally {
            for (Connection c : connections) {
                c.close();
            }
        }
    }

    private Measured jdbcFetch() throws Exception {
        Measured[] out = new Measured[1];
        Thread th = Thread.ofVirtual().start(() -> {
            try (Connection c = DriverManager.getConnection(jdbcUrl()); Statement s = c.createStatement()) {
                long start = System.nanoTime();
                List<Object[]> all = new ArrayList<>(); // kept, as fetch keeps its rows: the GC's share is the same
                try (ResultSet rs = s.executeQuery("SELECT id, a, b, c, d FROM bench_kv")) {
                    int cols = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        Object[] row = new Object[cols]; // the same work as a Row: every value as an object
                        for (int i = 0; i < cols; i++) {
                            row[i] = rs.getObject(i + 1);
                        }
                        all.add(row);
                    }
                }
                check(all.size());
                out[0] = new Measured((System.nanoTime() - start) / 1e9, Double.NaN);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        th.join();
        if (out[0] == null) {
            throw new IllegalStateException("the JDBC fetch failed (see the thread's exception above)");
        }
        return out[0];
    }

    private void check(long n) {
        if (n != rows) {
            throw new IllegalStateException("read " + n + " rows, expected " + rows);
        }
    }
}
