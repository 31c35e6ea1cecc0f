/**
 * Benchmarks: the peer workloads W1-W5 ({@link io.jasyncio.bench.PeerWorkloads}), the echo servers of
 * W6 ({@link io.jasyncio.bench.EchoServers}), the cost of the observability hooks on W1-W3
 * ({@link io.jasyncio.bench.HookCost}) and JMH microbenchmarks ({@code jmh}). Figures, the machine
 * and the commands are in {@code docs/benchmarks.md}.
 */
package io.jasyncio.bench;
