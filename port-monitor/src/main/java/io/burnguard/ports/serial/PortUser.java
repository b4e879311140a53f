package io.burnguard.ports.serial;

/**
 * A process that has a serial port open, found in {@code /proc/PID/fd}.
 *
 * @param pid the process id
 * @param command its command line, arguments separated by spaces, control characters as {@code ?}
 * @param user the owner of {@code /proc/PID} (the process's user), or its uid when unknown
 */
public record PortUser(long pid, String command, String user) {}
