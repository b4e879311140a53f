package io.burnguard.agent.ports;

/**
 * One recorded port decision, as stored in {@code port_events} and shown by {@code ports events}.
 *
 * @param id store id
 * @param at when ({@code Timestamps} format)
 * @param kind PRESENT, INSERTED, REMOVED or REFUSED
 * @param mode ENFORCE or MONITOR
 * @param port the kernel's port name ({@code 1-2})
 * @param sysPath the device's sysfs path
 * @param deviceId {@code vvvv:pppp}, or null when unknown (removed, refused)
 * @param deviceName the product string, or null
 * @param deviceSerial the serial string, or null
 * @param deviceHash USBGuard's device hash, or null
 * @param interfaces the interface types, space separated, or null
 * @param action allow, block, reject, removed or refused
 * @param ruleLine the matching rule's line, 0 for the implicit target or no decision
 * @param rule the matching rule's text, or {@code implicit}, or {@code -} when there was no
 *     decision
 * @param applied whether sysfs now reflects the action (never in monitor mode)
 * @param detail what was written, or why nothing was
 */
public record PortEventRow(
    long id,
    String at,
    String kind,
    String mode,
    String port,
    String sysPath,
    String deviceId,
    String deviceName,
    String deviceSerial,
    String deviceHash,
    String interfaces,
    String action,
    int ruleLine,
    String rule,
    boolean applied,
    String detail) {}
