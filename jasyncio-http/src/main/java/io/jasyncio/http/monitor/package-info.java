/**
 * The live monitor: a web page of every task of one or more event loops (the task tree, a lag plot, the
 * longest waits), updated each second, for this JVM or another one. {@link io.jasyncio.http.monitor.LoopSource}
 * says where the loops are read from (their management beans, in this JVM or through JMX),
 * {@link io.jasyncio.http.monitor.MonitorSampler} turns readings into {@link io.jasyncio.http.monitor.MonitorSnapshot}s
 * with history, and {@link io.jasyncio.http.monitor.MonitorPage} serves the page and the snapshots on a
 * {@link io.jasyncio.http.Router}. {@code ./jasyncio monitor} uses the same three.
 */
package io.jasyncio.http.monitor;
