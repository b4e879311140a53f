package io.burnguard.agent.scan;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Feeds an {@link InstreamSession} from its own thread, so the reader's thread (download, digest,
 * cache write) never waits on clamd's socket and the stages overlap (issue 4: "costs about as long
 * as its slowest stage, not the sum").
 *
 * <p>Bytes are coalesced into chunk-sized buffers (clamd gets few large chunks, not one per small
 * network read) and handed over through a bounded queue: memory stays at most {@code depth} chunks,
 * and a stalled clamd applies back-pressure. A failure on the pump thread is reported to the reader
 * at its next write, within {@link #POLL_MS}.
 */
final class StreamPump implements AutoCloseable {
  static final long POLL_MS = 50;
  private static final byte[] END = new byte[0];

  private final InstreamSession session;
  private final BlockingQueue<byte[]> queue;
  private final CompletableFuture<ClamdResult> result = new CompletableFuture<>();
  private final Thread thread;
  private final int chunkSize;
  private byte[] current;
  private int filled;
  private volatile ScanException failure;

  StreamPump(InstreamSession session, int chunkSize, int depth) {
    this.session = session;
    this.chunkSize = chunkSize;
    this.queue = new ArrayBlockingQueue<>(depth);
    this.current = new byte[chunkSize];
    this.thread = new Thread(this::pump, "clamd-instream");
    thread.setDaemon(true);
    thread.start();
  }

  void write(byte[] b, int off, int len) throws ScanException {
    int pos = off;
    int end = off + len;
    while (pos < end) {
      int n = Math.min(chunkSize - filled, end - pos);
      System.arraycopy(b, pos, current, filled, n);
      filled += n;
      pos += n;
      if (filled == chunkSize) {
        hand(current);
        current = new byte[chunkSize];
        filled = 0;
      }
    }
  }

  /** Sends what is buffered, ends the stream and waits for clamd's verdict. */
  ClamdResult finish() throws ScanException {
    if (filled > 0) {
      byte[] last = new byte[filled];
      System.arraycopy(current, 0, last, 0, filled);
      hand(last);
      filled = 0;
    }
    hand(END);
    try {
      return result.get();
    } catch (ExecutionException e) {
      throw (ScanException) e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted();
    }
  }

  private void hand(byte[] item) throws ScanException {
    try {
      while (!queue.offer(item, POLL_MS, TimeUnit.MILLISECONDS)) {
        ScanException f = failure;
        if (f != null) {
          throw f;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted();
    }
    ScanException f = failure;
    if (f != null) {
      throw f;
    }
  }

  private void pump() {
    try {
      while (true) {
        byte[] item = queue.take();
        if (item == END) {
          result.complete(session.finish());
          return;
        }
        session.write(item, 0, item.length);
      }
    } catch (ScanException e) {
      failure = e;
      result.completeExceptionally(e);
      queue.clear();
    } catch (InterruptedException e) {
      ScanException f = interrupted();
      failure = f;
      result.completeExceptionally(f);
    } catch (RuntimeException e) {
      ScanException f =
          new ScanException(
              ScanException.Reason.CLOSED_EARLY, "the clamd stream failed: " + e, null, e);
      failure = f;
      result.completeExceptionally(f);
    }
  }

  private static ScanException interrupted() {
    return new ScanException(
        ScanException.Reason.CLOSED_EARLY, "the scan was interrupted (the agent is stopping)");
  }

  /** Abandons the stream. */
  @Override
  public void close() {
    session.close();
    thread.interrupt();
  }
}
