package io.burnguard.agent.scan;

import java.time.Duration;

/**
 * What {@code burnguard doctor} shows about scanning. Never thrown: a problem is a field.
 *
 * @param address the configured clamd address
 * @param version clamd's VERSION, or null when clamd did not answer
 * @param databaseAge the database's age now, or null when undated or unknown
 * @param ready true when a burn would pass the scanner's preconditions now
 * @param problem the reason it would not (with the operator's next step), or null when ready
 */
public record ScannerStatus(
    ClamdAddress address,
    ClamdVersion version,
    Duration databaseAge,
    boolean ready,
    String problem) {}
