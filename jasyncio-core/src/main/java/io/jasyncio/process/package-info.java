/**
 * Subprocesses, asyncio's {@code create_subprocess_exec/_shell}: {@link io.jasyncio.process.Process}
 * with its stdin/stdout/stderr as streams. The JDK offers pipes to a child only as blocking streams,
 * so each pipe is bridged by one pump thread ({@code PipeReaderPump}, {@code PipeWriterTransport})
 * that talks to the loop through {@code callSoonThreadsafe}; everything the user touches is
 * loop-confined.
 */
package io.jasyncio.process;
