package io.jasyncio.testsupport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what the library logs through {@code System.Logger "io.jasyncio"} (which the tests route to
 * java.util.logging) while open: the messages and their exceptions, at WARNING and above.
 */
public final class LogCapture extends Handler implements AutoCloseable {
    private final Logger jul = Logger.getLogger("io.jasyncio");
    private final List<LogRecord> records = Collections.synchronizedList(new ArrayList<>());

    public LogCapture() {
        jul.addHandler(this);
    }

    @Override
    public void publish(LogRecord r) {
        if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
            records.add(r);
        }
    }

    /** The messages logged so far. */
    public List<String> messages() {
        synchronized (records) {
            return records.stream().map(LogRecord::getMessage).toList();
        }
    }

    @Override
    public void flush() {
        // records are kept in memory
    }

    @Override
    public void close() {
        jul.removeHandler(this);
    }
}
