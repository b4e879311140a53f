package io.burnguard.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientOptionsTest {
  @TempDir Path dir;

  private Path config(String socket) throws Exception {
    Path f = dir.resolve("station.yaml");
    Files.writeString(
        f,
        "station:\n  id: s1\n  dataDir: "
            + dir.resolve("data")
            + "\n  socket: "
            + socket
            + "\nroles:\n  nogroup: operator\nserver:\n  url: https://127.0.0.1:1/r\n"
            + "  caFile: "
            + dir.resolve("ca.pem")
            + "\ntrust:\n  releaseRoot: "
            + dir.resolve("root.pem")
            + "\n  crlDir: "
            + dir.resolve("crl")
            + "\n  signers: [\"A\"]\nscanner:\n  clamd: unix:"
            + dir.resolve("clamd.sock")
            + "\n",
        StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void theSocketComesFromTheConfig() throws Exception {
    ClientOptions o = new ClientOptions();
    o.config = config(dir.resolve("a.sock").toString());
    assertEquals(dir.resolve("a.sock"), o.socketPath());
  }

  @Test
  void theConfigIsReadOncePerRunAsStationModeAsksForEveryUnit() throws Exception {
    ClientOptions o = new ClientOptions();
    o.config = config(dir.resolve("a.sock").toString());
    assertEquals(dir.resolve("a.sock"), o.socketPath());
    config(dir.resolve("b.sock").toString());
    assertEquals(dir.resolve("a.sock"), o.socketPath(), "resolved again from the changed file");
    ClientOptions fresh = new ClientOptions();
    fresh.config = o.config;
    assertEquals(dir.resolve("b.sock"), fresh.socketPath(), "a new run reads the file again");
  }

  @Test
  void theSocketOptionWinsOverTheConfig() throws Exception {
    ClientOptions o = new ClientOptions();
    o.config = config(dir.resolve("a.sock").toString());
    o.socket = dir.resolve("given.sock");
    assertEquals(dir.resolve("given.sock"), o.socketPath());
  }
}
