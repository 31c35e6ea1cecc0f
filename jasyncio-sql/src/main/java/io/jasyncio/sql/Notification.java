package io.jasyncio.sql;

/**
 * One PostgreSQL {@code NOTIFY} received by a {@link Listener}.
 *
 * @param channel the channel it was sent on
 * @param payload the payload ({@code ""} when none was given)
 * @param senderPid the process id of the server backend that sent it
 */
public record Notification(String channel, String payload, int senderPid) {}
