package io.burnguard.agent.vetting.server;

import java.io.Closeable;
import java.io.IOException;

/**
 * Where a download keeps the bytes of an image between attempts, so a broken download resumes with
 * an HTTP Range request instead of starting over. The image cache implements it to encrypt the
 * bytes as they arrive (one pass, one file); {@link DesignatedServerClient#download} with a path
 * keeps them as a plain 0600 file.
 */
public interface PartFile extends Closeable {
  /**
   * How many bytes of the image, from offset 0, are held and can be resumed from. An implementation
   * may drop a tail it cannot vouch for (a half-written block) first.
   */
  long held() throws IOException;

  /** Drops everything held: the server restarted from zero, or more is held than expected. */
  void reset() throws IOException;

  /** Hands the {@link #held()} bytes to {@code tee}, in order from offset 0. */
  void replay(DesignatedServerClient.Tee tee) throws IOException;

  /** Appends bytes that arrived, in order. */
  void append(byte[] b, int off, int len) throws IOException;

  /** Makes what is held durable; called when a download stops early, for the next attempt. */
  void sync() throws IOException;
}
