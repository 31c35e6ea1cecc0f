/**
 * Implementation details, not exported by {@code module-info}: the two coroutine engines
 * ({@link io.jasyncio.internal.ContinuationEngine} on {@code jdk.internal.vm.Continuation},
 * {@link io.jasyncio.internal.VirtualThreadEngine} with a baton between virtual threads) behind
 * {@link io.jasyncio.internal.Engine}, the wait line every
 * primitive shares ({@link io.jasyncio.internal.WaitQueue}), the system properties
 * ({@link io.jasyncio.internal.Config}) and two small helpers. Start with {@code Engine}: it states
 * the baton rule both engines keep.
 */
package io.jasyncio.internal;
