package io.jasyncio.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.management.ObjectName;

/**
 * A live-object class histogram of this JVM (what {@code jcmd <pid> GC.class_histogram} and
 * {@code jmap -histo:live} print, taken through the {@code DiagnosticCommand} MBean, so no second
 * process is needed), and the difference of two of them divided by a count: "where do the bytes
 * of one parked task / one idle connection go". Taking a histogram runs a full GC first, so only
 * reachable objects are counted.
 *
 * <p>Threading: a histogram is an immutable value; {@link #take()} may be called from any thread
 * (it stops the world for the GC and the heap walk).
 */
final class ClassHistogram {

    /** Bytes and instance count of one class. */
    record Row(String className, long instances, long bytes) {}

    private final Map<String, Row> rows;

    private ClassHistogram(Map<String, Row> rows) {
        this.rows = rows;
    }

    /** A histogram of the live heap now (after a full GC). */
    static ClassHistogram take() {
        String text;
        try {
            text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (Exception e) {
            throw new IllegalStateException("this JVM offers no class histogram (DiagnosticCommand MBean): " + e, e);
        }
        return parse(text);
    }

    /** Parses the text of {@code GC.class_histogram}: " num: #instances #bytes class-name (module)". */
    static ClassHistogram parse(String text) {
        Map<String, Row> rows = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4 || !f[0].endsWith(":")) {
                continue; // header, separator and the Total line
            }
            try {
                long instances = Long.parseLong(f[1]);
                long bytes = Long.parseLong(f[2]);
                rows.merge(f[3], new Row(f[3], instances, bytes),
                        (a, b) -> new Row(a.className(), a.instances() + b.instances(), a.bytes() + b.bytes()));
            } catch (NumberFormatException notARow) {
                // a line of another shape: ignore
            }
        }
        return new ClassHistogram(rows);
    }

    /**
     * Total bytes of the live objects counted by this histogram, without the GC's filler arrays
     * ({@code jdk.internal.vm.FillerElement[]}: unused heap made parsable, not objects of the
     * program; they come and go between two histograms by megabytes, which is why a figure from
     * {@code totalMemory() - freeMemory()} can even turn negative).
     */
    long totalBytes() {
        long sum = 0;
        for (Row r : rows.values()) {
            if (!r.className().equals(FILLER)) {
                sum += r.bytes();
            }
        }
        return sum;
    }

    private static final String FILLER = "[Ljdk.internal.vm.FillerElement;";

    /**
     * The classes whose bytes changed from {@code before} to this histogram by at least
     * {@code minBytesPerUnit} per unit ({@code units} objects of interest), largest growth first
     * (shrinking ones last, negative), as a text table: bytes per unit, instances per unit, class;
     * then the total per unit.
     */
    String perUnitChangeSince(ClassHistogram before, int units, double minBytesPerUnit) {
        List<Row> grown = new ArrayList<>();
        for (Row then : before.rows.values()) {
            if (!rows.containsKey(then.className()) && then.bytes() / (double) units >= minBytesPerUnit
                    && !then.className().equals(FILLER)) {
                grown.add(new Row(then.className(), -then.instances(), -then.bytes()));
            }
        }
        for (Row now : rows.values()) {
            Row then = before.rows.get(now.className());
            long db = now.bytes() - (then == null ? 0 : then.bytes());
            long di = now.instances() - (then == null ? 0 : then.instances());
            if (Math.abs(db / (double) units) >= minBytesPerUnit && !now.className().equals(FILLER)) {
                grown.add(new Row(now.className(), di, db));
            }
        }
        grown.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%10s %10s  %s%n", "B/unit", "objs/unit", "class"));
        for (Row r : grown) {
            sb.append(String.format(Locale.ROOT, "%10.1f %10.2f  %s%n", r.bytes() / (double) units,
                    r.instances() / (double) units, r.className()));
        }
        sb.append(String.format(Locale.ROOT, "%10.1f %10s  %s%n", (totalBytes() - before.totalBytes()) / (double) units,
                "", "total (every class, GC fillers excepted)"));
        return sb.toString();
    }
}
