package io.jasyncio.examples.inspect;

import io.jasyncio.TaskInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The text of {@code ./jasyncio ps}: one row per task (id, name, state, who awaits it, the user line it is
 * suspended at, what it awaits), like {@code python -m asyncio ps}. Columns are as wide as their widest cell;
 * what the task awaits comes last and is never cut.
 */
public final class TaskTable {
    private static final String[] HEADER = {"ID", "NAME", "STATE", "AWAITED BY", "AT", "AWAITING"};

    private TaskTable() {}

    /** The table of {@code tasks}, with a header line; each line ends with a newline. */
    public static String format(List<TaskInfo> tasks) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (TaskInfo t : tasks) {
            rows.add(new String[] {
                Long.toString(t.id()), t.name(), t.state(), ids(t.awaitedBy()), orDash(t.location()), orDash(t.awaiting()),
            });
        }
        int[] widths = new int[HEADER.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                String cell = i == 0 ? " ".repeat(widths[0] - r[0].length()) + r[0] : r[i];
                line.append(cell);
                if (i < r.length - 1) {
                    line.append(" ".repeat(widths[i] - cell.length() + 2));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    static String ids(long[] ids) {
        return ids.length == 0 ? "-" : Arrays.stream(ids).mapToObj(Long::toString).collect(Collectors.joining(","));
    }

    static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
