package io.jasyncio.examples.demo;

import io.jasyncio.Asyncio;
import io.jasyncio.Queue;
import io.jasyncio.Task;
import io.jasyncio.sql.Database;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where {@code demo crawl --db FILE} keeps the pages it fetched: an SQLite table written by one task.
 * Crawler tasks {@link #put} rows into a bounded queue (a slow disk slows the crawl down instead of
 * filling memory); the writer takes what is queued, up to {@value #BATCH} rows, and writes them in one
 * {@code executeMany} batch, one transaction: SQLite's fast path, and no SQLITE_BUSY between writers.
 *
 * <p>{@link #close()} waits until every queued row is written, then closes the database. A write that fails
 * is kept in {@link #failure()}; the writer then drops what follows, so the crawl goes on and ends cleanly.
 */
final class PageStore implements AutoCloseable {
    static final int BATCH = 200;

    private final Database db;
    private final Queue<List<Object>> rows = new Queue<>(1000);
    private final Task<Void> writer;
    private long written;
    private SQLException failure;

    private PageStore(Database db) {
        this.db = db;
        this.writer = Asyncio.createTask("page-store-writer", this::writeForever);
    }

    static PageStore open(Path file) throws SQLException {
        Database db = Database.open("sqlite:" + file);
        db.execute("""
                CREATE TABLE IF NOT EXISTS pages (
                    url TEXT PRIMARY KEY, status INTEGER NOT NULL, bytes INTEGER NOT NULL,
                    title TEXT, links INTEGER NOT NULL, fetched_at TEXT NOT NULL)""");
        return new PageStore(db);
    }

    /** Queues one page's row; suspends while 1000 rows wait to be written. */
    void put(String url, int status, long bytes, String title, int links) {
        rows.put(List.of(url, status, bytes, title == null ? "" : title, links, java.time.Instant.now().toString()));
    }

    long written() {
        return written;
    }

    /** The first write that failed, or null; rows after it are dropped (and counted as not written). */
    SQLException failure() {
        return failure;
    }

    private Void writeForever() {
        while (true) {
            List<List<Object>> batch = new ArrayList<>();
            batch.add(rows.get());
            while (batch.size() < BATCH && !rows.empty()) {
                batch.add(rows.getNowait());
            }
            try {
                if (failure == null) {
                    db.executeMany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?)", batch);
                    written += batch.size();
                }
            } catch (SQLException e) {
                failure = e; // keep taking rows, so that close() never waits on a dead writer
            } finally {
                for (int i = 0; i < batch.size(); i++) {
                    rows.taskDone();
                }
            }
        }
    }

    /** Writes what is queued, stops the writer, closes the database. */
    @Override
    public void close() {
        try {
            rows.join();
        } finally {
            writer.cancel();
            db.close();
        }
    }
}
