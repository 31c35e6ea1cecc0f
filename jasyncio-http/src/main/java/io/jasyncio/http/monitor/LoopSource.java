package io.jasyncio.http.monitor;

import io.jasyncio.EventLoop;
import io.jasyncio.EventLoopMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Where a monitor reads event loops from: the {@link EventLoopMXBean}s of one JVM, this one or another.
 * Every form goes through the beans, so the in-process page, {@code ./jasyncio monitor PID} and
 * {@code --web} read exactly the same data the same way.
 *
 * <p>Threading: {@link #loops()} and every call on the beans it returns block (a JMX call; the loop answers
 * on its own thread, within a second or with what can be read from outside), so call them off any event
 * loop's thread, e.g. through {@code Asyncio.toThread}, as {@link MonitorPage} does.
 */
@FunctionalInterface
public interface LoopSource {

    /** The beans of the loops to show, in loop id order; an empty list when there is none (yet). */
    List<EventLoopMXBean> loops();

    /**
     * Every loop of this JVM. The first call creates the platform MBean server if nothing did (about 150 ms
     * of CPU, once): loops register their beans when one exists, within a fraction of a second, so the first
     * reading may still be empty. A JVM started with {@code -Djasyncio.jmx=false} shows none.
     */
    static LoopSource thisJvm() {
        return of(ManagementFactory.getPlatformMBeanServer());
    }

    /** Only {@code loop}, of this JVM (see {@link #thisJvm()} for when its bean appears). */
    static LoopSource of(EventLoop loop) {
        return query(ManagementFactory.getPlatformMBeanServer(), "io.jasyncio:type=EventLoop,name=loop-" + loop.getId());
    }

    /** Every loop registered in {@code connection}: another JVM's MBean server reached through JMX. */
    static LoopSource of(MBeanServerConnection connection) {
        return query(Objects.requireNonNull(connection, "connection"), "io.jasyncio:type=EventLoop,*");
    }

    private static LoopSource query(MBeanServerConnection connection, String namePattern) {
        ObjectName pattern;
        try {
            pattern = new ObjectName(namePattern);
        } catch (MalformedObjectNameException impossible) {
            throw new IllegalStateException(impossible);
        }
        return () -> {
            List<ObjectName> names;
            try {
                names = new ArrayList<>(connection.queryNames(pattern, null));
            } catch (IOException e) {
                throw new UncheckedIOException("lost the JMX connection: " + e.getMessage(), e);
            }
            names.sort(Comparator.comparingLong(LoopSource::loopIdOf)); // by the name: no call per comparison
            List<EventLoopMXBean> loops = new ArrayList<>();
            for (ObjectName name : names) {
                loops.add(JMX.newMXBeanProxy(connection, name, EventLoopMXBean.class));
            }
            return loops;
        };
    }

    /** The id in a bean name {@code ...,name=loop-<id>}; unknown forms sort last. */
    private static long loopIdOf(ObjectName name) {
        String n = name.getKeyProperty("name");
        try {
            return n != null && n.startsWith("loop-") ? Long.parseLong(n.substring(5)) : Long.MAX_VALUE;
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
