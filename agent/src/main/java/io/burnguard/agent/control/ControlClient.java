package io.burnguard.agent.control;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.contract.Operation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The CLI's end of the control socket: one request, streamed replies, one result. */
public final class ControlClient {
  /** Receives the lines that come before the result. */
  public interface Listener {
    void progress(String phase, long done, long total);

    void info(String message);

    /** Text for standard output, streamed by listing commands. */
    default void out(String text) {}
  }

  /** A listener that ignores everything. */
  public static final Listener SILENT =
      new Listener() {
        @Override
        public void progress(String phase, long done, long total) {}

        @Override
        public void info(String message) {}
      };

  private final Path socket;

  public ControlClient(Path socket) {
    this.socket = socket;
  }

  /**
   * Sends {@code op} with {@code args} and returns the daemon's result. Never throws for an
   * unreachable daemon: that is a result with exit 5 and a sentence on how to start it.
   */
  public Result call(Operation op, ObjectNode args, Listener listener) {
    SocketChannel ch;
    try {
      ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    } catch (IOException e) {
      return Result.fail(ExitCode.INTERNAL, "cannot create a socket: " + e.getMessage());
    }
    IOException brokenWrite = null;
    try (ch) {
      try {
        ch.connect(UnixDomainSocketAddress.of(socket));
      } catch (AccessDeniedException e) {
        return accessDenied();
      } catch (SocketException e) {
        if (String.valueOf(e.getMessage()).contains("ermission denied")) {
          return accessDenied();
        }
        return unreachable(e.getMessage());
      } catch (IOException e) {
        return unreachable(e.getMessage());
      }
      ObjectNode req = Wire.object();
      req.put("v", Wire.VERSION);
      req.put("op", op.wireName());
      req.set("args", args == null ? Wire.object() : args);
      ByteBuffer out = ByteBuffer.wrap(JsonLines.line(req));
      try {
        while (out.hasRemaining()) {
          ch.write(out);
        }
      } catch (IOException e) {
        // A daemon that refuses a connection at once (busy) answers and closes before reading the
        // request; its answer is still waiting to be read and says more than "Broken pipe".
        brokenWrite = e;
      }
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        JsonNode n = JsonLines.read(line);
        switch (n.path("type").asText()) {
          case "progress":
            listener.progress(
                n.path("phase").asText(), n.path("done").asLong(), n.path("total").asLong(-1));
            break;
          case "info":
            listener.info(n.path("message").asText());
            break;
          case "out":
            listener.out(n.path("text").asText());
            break;
          case "result":
            return new Result(
                ExitCode.of(n.path("exit").asInt(1)), n.path("message").asText(), n.get("data"));
          default:
            break;
        }
      }
      if (brokenWrite != null) {
        throw brokenWrite;
      }
      return Result.fail(
          ExitCode.UNAVAILABLE,
          "the daemon closed the connection without an answer; it may have stopped or"
              + " restarted. Check its state with `systemctl status burnguard` and its log,"
              + " then retry");
    } catch (JacksonException e) {
      return Result.fail(
          ExitCode.INTERNAL,
          "the daemon's answer is not valid JSON; the CLI and the daemon may be different"
              + " versions");
    } catch (IOException e) {
      return Result.fail(
          ExitCode.UNAVAILABLE,
          "the connection to the daemon broke: "
              + (brokenWrite != null ? brokenWrite.getMessage() : e.getMessage())
              + "; retry, and check the"
              + " daemon with `burnguard doctor`");
    }
  }

  private Result unreachable(String why) {
    String state = Files.exists(socket) ? "nothing answers on " : "there is no socket at ";
    return Result.fail(
        ExitCode.UNAVAILABLE,
        "cannot reach the BurnGuard daemon: "
            + state
            + socket
            + " ("
            + why
            + "). Start it with `systemctl start burnguard` (or, for a test station, `burnguard"
            + " agent run --config /etc/burnguard/station.yaml`), or point the CLI at the right"
            + " socket with --socket or --config");
  }

  private Result accessDenied() {
    return Result.fail(
        ExitCode.REFUSED,
        "permission denied on "
            + socket
            + ": your user is not in the group that may use the BurnGuard control socket"
            + " (station.socketGroup in station.yaml). Ask the station engineer to add you to"
            + " it, then log in again");
  }
}
