package io.burnguard.agent.parts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Locale;

/**
 * A certificate of sanitization with the fields of NIST SP 800-88's sample certificate: who
 * sanitized, the media (manufacturer/model, serial, media type, source), the sanitization (method
 * type Clear or Purge, the technique, the tool and its version), the verification (method and
 * result), the post-sanitization destination, where and when. Fields the device does not report (a
 * loop device has no serial) are null and shown as "(none reported)".
 *
 * @param certificateId unique id (part id and start time)
 * @param partId the part
 * @param model the model the device reports, or null
 * @param serial the serial the device reports, or null
 * @param usb the USB device the part sits on (vendor, product, USB serial, port), or null
 * @param capacityBytes capacity in bytes
 * @param mediaType media type in words
 * @param mediaSource supplier and lot (NIST "source")
 * @param device the device node or image file sanitized
 * @param station the station id (NIST "location")
 * @param method NIST method type: CLEAR or PURGE
 * @param technique the technique in words
 * @param tool the sanitizing tool and its version (BurnGuard)
 * @param formatTool the formatting tool and its version
 * @param verificationMethod how it was verified
 * @param verificationResult the result in words ("PASSED: ... bytes read back, all 0x00")
 * @param bytesVerified bytes read back
 * @param fileSystem file system created
 * @param label its volume label
 * @param destination post-sanitization destination
 * @param started when sanitizing began
 * @param completed when it completed
 * @param operator who sanitized it (the engineer's user name)
 */
public record Certificate(
    String certificateId,
    String partId,
    String model,
    String serial,
    UsbIdentity usb,
    long capacityBytes,
    String mediaType,
    String mediaSource,
    String device,
    String station,
    SanitizeMethod method,
    String technique,
    String tool,
    String formatTool,
    String verificationMethod,
    String verificationResult,
    long bytesVerified,
    FileSystemType fileSystem,
    String label,
    String destination,
    Instant started,
    Instant completed,
    String operator) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The destination written on every certificate this station issues. */
  public static final String DESTINATION = "reuse: key part stock of this station";

  /** The certificate of a completed sanitize of {@code part} on {@code device}. */
  public static Certificate of(
      Part part, String device, SanitizeResult r, String station, String tool, Actor operator) {
    PartIdentity id = part.identity();
    return new Certificate(
        part.id() + "-" + r.started().getEpochSecond(),
        part.id(),
        id.model(),
        id.serial(),
        id.usb(),
        id.capacityBytes(),
        id.mediaType(),
        "supplier " + part.supplier() + ", lot " + part.lot(),
        device,
        station,
        r.method(),
        r.technique() + (r.directIo() ? " (direct I/O)" : " (buffered I/O, fsync)"),
        tool,
        r.formatTool(),
        r.verificationText(),
        String.format(
            Locale.ROOT,
            "PASSED: %d of %d bytes read back, all 0x00",
            r.bytesVerified(),
            r.bytes()),
        r.bytesVerified(),
        r.fileSystem(),
        r.label(),
        DESTINATION,
        r.started(),
        r.completed(),
        operator.user());
  }

  /** The certificate as a JSON object (times in ISO-8601 UTC). */
  public String toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("certificateId", certificateId);
    o.put("partId", partId);
    o.put("model", model);
    o.put("serial", serial);
    if (usb == null) {
      o.putNull("usb");
    } else {
      ObjectNode u = o.putObject("usb");
      u.put("vendorId", usb.vendorId());
      u.put("productId", usb.productId());
      u.put("manufacturer", usb.manufacturer());
      u.put("product", usb.product());
      u.put("serial", usb.serial());
      u.put("port", usb.port());
    }
    o.put("capacityBytes", capacityBytes);
    o.put("mediaType", mediaType);
    o.put("mediaSource", mediaSource);
    o.put("device", device);
    o.put("station", station);
    o.put("method", method.name());
    o.put("technique", technique);
    o.put("tool", tool);
    o.put("formatTool", formatTool);
    o.put("verificationMethod", verificationMethod);
    o.put("verificationResult", verificationResult);
    o.put("bytesVerified", bytesVerified);
    o.put("fileSystem", fileSystem.name());
    o.put("label", label);
    o.put("destination", destination);
    o.put("started", started.toString());
    o.put("completed", completed.toString());
    o.put("operator", operator);
    return o.toString();
  }

  /** Reads {@link #toJson()}'s output back. */
  public static Certificate fromJson(String json) throws JsonProcessingException {
    JsonNode o = JSON.readTree(json);
    return new Certificate(
        text(o, "certificateId"),
        text(o, "partId"),
        text(o, "model"),
        text(o, "serial"),
        usb(o.get("usb")),
        o.path("capacityBytes").asLong(),
        text(o, "mediaType"),
        text(o, "mediaSource"),
        text(o, "device"),
        text(o, "station"),
        SanitizeMethod.valueOf(text(o, "method")),
        text(o, "technique"),
        text(o, "tool"),
        text(o, "formatTool"),
        text(o, "verificationMethod"),
        text(o, "verificationResult"),
        o.path("bytesVerified").asLong(),
        FileSystemType.valueOf(text(o, "fileSystem")),
        text(o, "label"),
        text(o, "destination"),
        Instant.parse(text(o, "started")),
        Instant.parse(text(o, "completed")),
        text(o, "operator"));
  }

  private static UsbIdentity usb(JsonNode u) {
    if (u == null || u.isNull()) {
      return null;
    }
    return new UsbIdentity(
        text(u, "vendorId"),
        text(u, "productId"),
        text(u, "manufacturer"),
        text(u, "product"),
        text(u, "serial"),
        text(u, "port"));
  }

  private static String text(JsonNode o, String field) {
    JsonNode n = o.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  /** The certificate for printing, one "Field: value" line each, in NIST's order. */
  public String toText() {
    StringBuilder sb = new StringBuilder("Certificate of sanitization " + certificateId + "\n");
    line(sb, "Part", partId);
    line(sb, "Media type", mediaType);
    line(sb, "Model", model);
    line(sb, "Serial number", serial);
    line(sb, "USB device", usb == null ? "(not on USB)" : usb.describe());
    line(sb, "Capacity", capacityBytes + " bytes");
    line(sb, "Source", mediaSource);
    line(sb, "Device", device);
    line(sb, "Method type", method.name());
    line(sb, "Technique", technique);
    line(sb, "Tool", tool);
    line(
        sb,
        "Format",
        fileSystem.name().toLowerCase(Locale.ROOT) + " label " + label + " by " + formatTool);
    line(sb, "Verification method", verificationMethod);
    line(sb, "Verification result", verificationResult);
    line(sb, "Destination", destination);
    line(sb, "Location", station);
    line(sb, "Started", started.toString());
    line(sb, "Completed", completed.toString());
    line(sb, "Sanitized by", operator);
    return sb.toString();
  }

  private static void line(StringBuilder sb, String name, String value) {
    sb.append(
        String.format(
            Locale.ROOT, "  %-20s %s\n", name + ":", value == null ? "(none reported)" : value));
  }
}
