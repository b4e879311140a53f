package io.burnguard.agent.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call bound to one connection. Progress, info and output lines never throw into the operation: a
 * client that went away (Ctrl-C) must not abort work that is already recording its own outcome;
 * after the first failed write the remaining lines are dropped.
 */
final class ConnectionCall implements Call {
  private static final Logger log = LoggerFactory.getLogger(ConnectionCall.class);

  private final SocketChannel ch;
  private final Caller caller;
  private final JsonNode args;
  private final ReplyWriter writer;
  private final CallOutput stdout = new CallOutput(this::send);
  private volatile boolean connected = true;

  ConnectionCall(SocketChannel ch, Caller caller, JsonNode args, ReplyWriter writer) {
    this.ch = ch;
    this.caller = caller;
    this.args = args;
    this.writer = writer;
  }

  @Override
  public Caller caller() {
    return caller;
  }

  @Override
  public JsonNode args() {
    return args;
  }

  @Override
  public void progress(String phase, long done, long total) {
    ObjectNode n = Wire.object();
    n.put("type", "progress");
    n.put("phase", phase);
    n.put("done", done);
    n.put("total", total);
    send(n);
  }

  @Override
  public void info(String message) {
    ObjectNode n = Wire.object();
    n.put("type", "info");
    n.put("message", message);
    send(n);
  }

  @Override
  public Writer stdout() {
    return stdout;
  }

  /** Sends what the operation left in its output buffer; called before the result. */
  void flushStdout() {
    stdout.flush();
  }

  @Override
  public boolean clientConnected() {
    return connected && ch.isOpen();
  }

  private void send(JsonNode n) {
    if (!connected) {
      return;
    }
    try {
      writer.write(ch, n);
    } catch (IOException e) {
      connected = false;
      log.info("client of {} went away; the operation goes on", caller.user());
    }
  }
}
