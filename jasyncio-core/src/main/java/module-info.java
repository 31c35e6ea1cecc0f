/**
 * jasyncio: Python's asyncio, natively in Java. Start at {@link io.jasyncio.Asyncio}.
 */
module io.jasyncio {
    requires jdk.jfr; // Flight Recorder events (FlightEvents): one volatile check per hook when no recording runs
    requires java.management; // each loop registers an EventLoopMXBean, read by ./jasyncio ps, pstree and monitor
    requires jdk.unsupported; // sun.misc.Signal: Ctrl-C cancels the main task (Runner)
    exports io.jasyncio;
    exports io.jasyncio.net;
    exports io.jasyncio.process;
}
