package io.burnguard.agent.scan;

/**
 * clamd's verdict on one stream.
 *
 * @param signature the matched signature name, or null when the stream is clean
 * @param bytes how many bytes were streamed
 */
public record ClamdResult(String signature, long bytes) {

  /** True when no signature matched. */
  public boolean clean() {
    return signature == null;
  }
}
