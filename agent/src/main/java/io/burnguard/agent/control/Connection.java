package io.burnguard.agent.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.contract.Operation;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the one request of a connection, on a worker: the peer was identified ({@code
 * SO_PEERCRED}) and the request read and checked by the {@link SelectorLoop}; here it is authorized
 * against the operation's roles, its handler runs and the result is sent. Nothing a client sends
 * can throw past {@link #serve}: every failure becomes a reply when one can still be written, and a
 * log line.
 */
final class Connection {
  private static final Logger log = LoggerFactory.getLogger(Connection.class);

  private final ReplyWriter replies;
  private final Denials denials;
  private final String logHint;

  Connection(ReplyWriter replies, Denials denials, String logHint) {
    this.replies = replies;
    this.denials = denials;
    this.logHint = logHint;
  }

  /** Serves the request {@code request} of {@code caller} on {@code ch} and closes it. */
  void serve(SocketChannel ch, Caller caller, JsonNode request, Map<Operation, Handler> handlers) {
    try (ch) {
      replies.reply(ch, dispatch(ch, handlers, caller, request));
    } catch (IOException e) {
      log.debug("control connection ended: {}", e.getMessage());
    } catch (RuntimeException e) {
      log.error("control connection failed", e);
    }
  }

  private Result dispatch(
      SocketChannel ch, Map<Operation, Handler> handlers, Caller caller, JsonNode request) {
    String opName = request.path("op").asText("");
    Optional<Operation> known = Operation.named(opName);
    if (known.isEmpty()) {
      return Result.fail(
          ExitCode.USAGE,
          "the daemon does not know the request \""
              + opName
              + "\"; the CLI and the daemon may be different versions: restart the daemon after an"
              + " upgrade");
    }
    Operation op = known.get();
    if (!caller.hasAny(op.roles())) {
      return denials.deny(caller, op);
    }
    Handler handler = handlers.get(op);
    if (handler == null) {
      return Result.fail(
          ExitCode.USAGE,
          "\"" + opName.replace('.', ' ') + "\" is not built yet in this version of BurnGuard");
    }
    JsonNode args = request.get("args");
    ConnectionCall call =
        new ConnectionCall(ch, caller, args == null ? Wire.object() : args, replies);
    return run(op, handler, call);
  }

  private Result run(Operation op, Handler handler, ConnectionCall call) {
    try {
      Result r = handler.handle(call);
      call.flushStdout();
      return r;
    } catch (OperationException e) {
      return Result.fail(e.exit(), e.getMessage());
    } catch (RuntimeException e) {
      log.error("request {} from {} failed", op.wireName(), call.caller().user(), e);
      return Result.fail(
          ExitCode.INTERNAL,
          "internal error while serving \""
              + op.wireName()
              + "\" ("
              + e.getClass().getSimpleName()
              + "); details are in the daemon log"
              + logHint);
    }
  }
}
