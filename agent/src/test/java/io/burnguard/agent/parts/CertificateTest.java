package io.burnguard.agent.parts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The certificate carries every field, in JSON and in print, and reads back equal. */
class CertificateTest {
  static Certificate sample() {
    SanitizeResult r =
        new SanitizeResult(
            SanitizeMethod.CLEAR,
            "overwrite, 1 pass, pattern 0x00, every user-addressable byte",
            1L << 30,
            Verification.full(),
            Verification.full().describe(4 << 20),
            1L << 30,
            FileSystemType.VFAT,
            "BGP0001",
            "mkfs.fat 4.2 (2021-01-31)",
            true,
            Instant.parse("2026-11-30T10:00:00Z"),
            Instant.parse("2026-11-30T10:00:12Z"));
    return Certificate.of(
        PartLifecycleTest.received(),
        "/dev/sdb",
        r,
        "line3-station07",
        "BurnGuard 0.1.0",
        PartLifecycleTest.ENG);
  }

  @Test
  void jsonHasEveryComponentNonNullAndReadsBackEqual() throws Exception {
    Certificate c = sample();
    JsonNode json = new ObjectMapper().readTree(c.toJson());
    for (RecordComponent rc : Certificate.class.getRecordComponents()) {
      assertTrue(json.hasNonNull(rc.getName()), "JSON lacks " + rc.getName() + ": " + json);
    }
    assertEquals(Certificate.class.getRecordComponents().length, json.size(), "no extra fields");
    assertEquals(c, Certificate.fromJson(c.toJson()));
    assertEquals("CLEAR", json.get("method").asText());
    assertEquals("eve", json.get("operator").asText());
    assertEquals("4C53", json.get("serial").asText());
    assertEquals("0781", json.get("usb").get("vendorId").asText());
    assertEquals("5567", json.get("usb").get("productId").asText());
    assertEquals("4C53", json.get("usb").get("serial").asText());
    assertEquals("supplier acme, lot L7", json.get("mediaSource").asText());
    assertEquals("2026-11-30T10:00:12Z", json.get("completed").asText());
    assertTrue(json.get("verificationResult").asText().startsWith("PASSED: 1073741824 of"));
    assertTrue(json.get("technique").asText().endsWith("(direct I/O)"));
  }

  @Test
  void printedCertificateNamesEveryNistField() {
    String text = sample().toText();
    for (String field :
        new String[] {
          "Part:",
          "Media type:",
          "Model:",
          "Serial number:",
          "USB device:",
          "Capacity:",
          "Source:",
          "Method type:",
          "Technique:",
          "Tool:",
          "Format:",
          "Verification method:",
          "Verification result:",
          "Destination:",
          "Location:",
          "Started:",
          "Completed:",
          "Sanitized by:"
        }) {
      assertTrue(text.contains(field), field + " missing from\n" + text);
    }
    assertTrue(text.contains("flash memory, removable block device"), text);
    assertTrue(text.contains("0781:5567 SanDisk Cruzer Blade, serial 4C53, port 1-2"), text);
    assertFalse(text.contains("null"), text);
  }
}
