package io.burnguard.agent.control;

import io.burnguard.agent.contract.ExitCode;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts connections until the server channel closes and hands each to a worker. Threat:
 * exhaustion. The workers are bounded ({@link ControlServer#MAX_CONNECTIONS}); a connection beyond
 * them is told the daemon is busy (exit 5) and closed instead of queued.
 */
final class AcceptLoop implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(AcceptLoop.class);

  private final Path socket;
  private final ServerSocketChannel server;
  private final Executor workers;
  private final Consumer<SocketChannel> connection;
  private final ReplyWriter replies;
  private final BooleanSupplier closing;

  AcceptLoop(
      Path socket,
      ServerSocketChannel server,
      Executor workers,
      Consumer<SocketChannel> connection,
      ReplyWriter replies,
      BooleanSupplier closing) {
    this.socket = socket;
    this.server = server;
    this.workers = workers;
    this.connection = connection;
    this.replies = replies;
    this.closing = closing;
  }

  @Override
  public void run() {
    while (!closing.getAsBoolean()) {
      SocketChannel ch;
      try {
        ch = server.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (!closing.getAsBoolean()) {
          log.warn("accept on {} failed: {}", socket, e.getMessage());
        }
        continue;
      }
      try {
        workers.execute(() -> connection.accept(ch));
      } catch (RejectedExecutionException e) {
        replies.replyAndClose(
            ch,
            Result.fail(
                ExitCode.UNAVAILABLE,
                "the daemon is busy serving "
                    + ControlServer.MAX_CONNECTIONS
                    + " requests; try again in a moment"));
      }
    }
  }
}
