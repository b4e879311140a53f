package io.burnguard.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class VersionTest {
  private static Properties props(String version, String commit) {
    Properties p = new Properties();
    p.setProperty("version", version);
    p.setProperty("commit", commit);
    return p;
  }

  @Test
  void printsVersionAndCommit() {
    assertEquals("1.2.3 (commit 0123456789ab)", Version.describe(props("1.2.3", "0123456789ab")));
  }

  @Test
  void aBuildWithoutGitSaysUnknownCommitInsteadOfThePlaceholder() {
    assertEquals(
        "1.2.3 (unknown commit)", Version.describe(props("1.2.3", "${git.commit.id.abbrev}")));
  }

  @Test
  void theBuiltResourceCarriesTheMavenVersion() {
    String line = new Version().getVersion()[0];
    assertTrue(
        line.matches("BurnGuard \\d+\\.\\d+\\.\\d+\\S* \\((commit [0-9a-f]{7,}|unknown commit)\\)"),
        "expected 'BurnGuard <maven version> (commit <id>)' from the filtered resource; found: "
            + line);
  }
}
