package io.jasyncio.examples.inspect;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import io.jasyncio.EventLoopMXBean;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A connection to the jasyncio loops of another running JVM: the JDK's attach mechanism starts that JVM's
 * local management agent (no flag needed when it was started; same user only), then JMX reaches the
 * {@link EventLoopMXBean} each loop registered.
 *
 * <p>Why attach + JMX: it works on any HotSpot JVM of the same user without an agent jar, a port or a
 * restart, and the same beans serve JConsole and Mission Control. The PID is first looked up among the
 * JVMs the JDK can see ({@code VirtualMachine.list()}, like {@code jps}): attaching sends SIGQUIT to the
 * target, which would kill a process that is not a JVM.
 *
 * <p>Errors: every failure is an {@link InspectException} with one line saying what is wrong (not a JVM,
 * no jasyncio loop, cannot attach); the command line prints it and exits with 2.
 */
public final class AttachedJvm implements AutoCloseable {
    /** How long to wait for the target's loops to register their beans after the agent started. */
    private static final long BEANS_APPEAR_NANOS = 3_000_000_000L;

    private final long pid;
    private final JMXConnector connector;
    private final MBeanServerConnection connection;

    private AttachedJvm(long pid, JMXConnector connector) throws IOException {
        this.pid = pid;
        this.connector = connector;
        this.connection = connector.getMBeanServerConnection();
    }

    /** Attaches to JVM {@code pid}. */
    public static AttachedJvm attach(long pid) {
        if (pid <= 0) {
            throw new InspectException("PID must be a positive number, not " + pid);
        }
        if (pid == ProcessHandle.current().pid()) {
            throw new InspectException("PID " + pid + " is this jasyncio command itself: give the PID of the program to inspect");
        }
        if (ProcessHandle.of(pid).isEmpty()) {
            throw new InspectException("there is no process with PID " + pid);
        }
        String id = Long.toString(pid);
        boolean listed = VirtualMachine.list().stream().map(VirtualMachineDescriptor::id).anyMatch(id::equals);
        if (!listed) {
            throw new InspectException("PID " + pid + " is not a Java virtual machine this user can attach to"
                    + " (not a JVM, another user's, or started with -XX:-UsePerfData)");
        }
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(id);
        } catch (AttachNotSupportedException | IOException e) {
            throw new InspectException("cannot attach to PID " + pid + ": " + e.getMessage());
        }
        try {
            String address = vm.startLocalManagementAgent();
            return new AttachedJvm(pid, JMXConnectorFactory.connect(new JMXServiceURL(address)));
        } catch (IOException | RuntimeException e) {
            throw new InspectException("cannot reach the management agent of PID " + pid + ": " + e.getMessage());
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the JMX connection does not need the attach channel any more
            }
        }
    }

    /** The beans of every loop of the JVM, by loop id; fails when there is none. */
    public List<EventLoopMXBean> loops() {
        Set<ObjectName> names = loopNames();
        // A loop registers its bean only once an MBean server exists; the agent we started just created it,
        // and the target's watcher notices within a fraction of a second.
        long until = System.nanoTime() + BEANS_APPEAR_NANOS;
        while (names.isEmpty() && System.nanoTime() < until) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            names = loopNames();
        }
        if (names.isEmpty()) {
            throw new InspectException("PID " + pid + " runs no jasyncio event loop (no io.jasyncio:type=EventLoop bean;"
                    + " a program started with -Djasyncio.jmx=false registers none)");
        }
        List<EventLoopMXBean> loops = new ArrayList<>();
        for (ObjectName n : names) {
            loops.add(JMX.newMXBeanProxy(connection, n, EventLoopMXBean.class));
        }
        loops.sort(Comparator.comparingLong(EventLoopMXBean::getId));
        return loops;
    }

    private Set<ObjectName> loopNames() {
        try {
            return connection.queryNames(new ObjectName("io.jasyncio:type=EventLoop,*"), null);
        } catch (IOException e) {
            throw new InspectException("lost the connection to PID " + pid + ": " + e.getMessage());
        } catch (MalformedObjectNameException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** The attached PID. */
    public long pid() {
        return pid;
    }

    @Override
    public void close() {
        try {
            connector.close();
        } catch (IOException ignored) {
            // the target may have exited meanwhile: nothing left to release
        }
    }
}
