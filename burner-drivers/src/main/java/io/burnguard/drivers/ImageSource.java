package io.burnguard.drivers;

import java.io.IOException;
import java.io.InputStream;

/**
 * Opens a fresh stream over the verified image. A driver may open it more than once (a retried
 * transfer, a TFTP client that restarts), so each call must return the same bytes from the start.
 */
@FunctionalInterface
public interface ImageSource {
  InputStream open() throws IOException;
}
