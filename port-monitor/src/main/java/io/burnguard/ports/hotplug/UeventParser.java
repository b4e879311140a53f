package io.burnguard.ports.hotplug;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parser for kernel uevent messages as they arrive on a NETLINK_KOBJECT_UEVENT socket.
 *
 * <p>Design. A kernel message is {@code ACTION@DEVPATH\0} followed by {@code KEY=VALUE\0} pairs
 * (lib/kobject_uevent.c; at most 2048 bytes, UEVENT_BUFFER_SIZE). The message is hostile until
 * proven otherwise: only the socket knows it came from the kernel, and a bug or a crafted device
 * name must not reach sysfs paths or logs. So the parser refuses, with the reason: messages larger
 * than {@link #MAX_BYTES}, udev's re-broadcasts ({@code libudev} header), a header that does not
 * agree with ACTION and DEVPATH, keys that are not {@code [A-Z0-9_]}, control characters in values,
 * repeated keys, unknown actions, a DEVPATH outside {@code /devices/} or with {@code ..}, and a
 * missing or non-numeric SEQNUM.
 *
 * <p>{@link #parseUdevFramed} reads the other framing, libudev's ({@code libudev\0}, magic
 * 0xfeedcafe, then the same pairs at the header's offset). umockdev emulates the uevent socket with
 * it, so it is accepted only from a testbed (see {@link UsbHotplug}); the pairs are checked exactly
 * as a kernel message's.
 */
public final class UeventParser {
  /** Twice the kernel's UEVENT_BUFFER_SIZE; anything larger is not from the kernel. */
  public static final int MAX_BYTES = 4096;

  private static final int MAX_PAIRS = 64;
  private static final Pattern KEY = Pattern.compile("[A-Z0-9_]{1,64}");
  private static final Pattern DEVPATH = Pattern.compile("/devices/[A-Za-z0-9:._+/-]{1,1000}");
  private static final Set<String> ACTIONS =
      Set.of("add", "remove", "change", "move", "online", "offline", "bind", "unbind");

  private UeventParser() {}

  /** Parses {@code length} bytes of {@code data}. */
  public static Uevent parse(byte[] data, int length) throws MalformedUeventException {
    if (length > MAX_BYTES || length > data.length) {
      throw new MalformedUeventException(
          "message of " + length + " bytes; expected at most " + MAX_BYTES);
    }
    String text = new String(data, 0, length, StandardCharsets.ISO_8859_1);
    if (text.startsWith("libudev")) {
      throw new MalformedUeventException(
          "a udev message (libudev header); only kernel uevents" + " are accepted");
    }
    if (!text.endsWith("\0")) {
      throw new MalformedUeventException(
          "message not terminated by NUL; expected" + " ACTION@DEVPATH\\0KEY=VALUE\\0...");
    }
    String[] parts = text.substring(0, text.length() - 1).split("\0", -1);
    if (parts.length < 2 || parts.length > MAX_PAIRS + 1) {
      throw new MalformedUeventException(
          parts.length + " fields; expected a header and 1.." + MAX_PAIRS + " KEY=VALUE pairs");
    }
    Map<String, String> env = pairs(parts, false);
    return validate(parts[0], env);
  }

  /** libudev's header: prefix, magic, header size, properties offset and length, 4 filters. */
  private static final int UDEV_HEADER = 40;

  private static final int UDEV_MAGIC = 0xfeedcafe;

  /** Parses a message framed as libudev frames it (umockdev's uevent emulation). */
  public static Uevent parseUdevFramed(byte[] data, int length) throws MalformedUeventException {
    if (length > MAX_BYTES || length > data.length || length < UDEV_HEADER) {
      throw new MalformedUeventException(
          "udev-framed message of "
              + length
              + " bytes; expected "
              + UDEV_HEADER
              + ".."
              + MAX_BYTES);
    }
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(data, 0, length);
    String prefix = new String(data, 0, 8, StandardCharsets.ISO_8859_1);
    if (!prefix.equals("libudev\0")
        || b.order(java.nio.ByteOrder.BIG_ENDIAN).getInt(8) != UDEV_MAGIC) {
      throw new MalformedUeventException("no libudev header (prefix libudev, magic 0xfeedcafe)");
    }
    b.order(java.nio.ByteOrder.nativeOrder());
    long off = Integer.toUnsignedLong(b.getInt(16));
    long len = Integer.toUnsignedLong(b.getInt(20));
    if (off < UDEV_HEADER || len < 2 || off + len != length || data[length - 1] != 0) {
      throw new MalformedUeventException(
          "properties at "
              + off
              + " of "
              + len
              + " bytes in a "
              + length
              + "-byte message; expected them to fill the message after the header, NUL-terminated");
    }
    String text = new String(data, (int) off, (int) len - 1, StandardCharsets.ISO_8859_1);
    String[] fields = text.split("\0", -1);
    String[] parts = new String[fields.length + 1];
    System.arraycopy(fields, 0, parts, 1, fields.length);
    if (parts.length > MAX_PAIRS + 1) {
      throw new MalformedUeventException(fields.length + " fields; expected 1.." + MAX_PAIRS);
    }
    return validate(null, pairs(parts, true));
  }

  /**
   * The KEY=VALUE fields after the header; {@code sameRepeatOk} lets a key repeat with the same
   * value (umockdev adds a recording's properties after its own, so SUBSYSTEM comes twice).
   */
  private static Map<String, String> pairs(String[] parts, boolean sameRepeatOk)
      throws MalformedUeventException {
    Map<String, String> env = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      String pair = parts[i];
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (eq < 0 || !KEY.matcher(key).matches()) {
        throw new MalformedUeventException(
            "field "
                + i
                + " '"
                + printable(pair)
                + "' is not KEY=VALUE with KEY of A-Z, 0-9 and _");
      }
      String value = pair.substring(eq + 1);
      for (int c = 0; c < value.length(); c++) {
        char ch = value.charAt(c);
        if (ch < 0x20 || ch == 0x7f) {
          throw new MalformedUeventException(
              "value of " + key + " holds control character 0x" + Integer.toHexString(ch));
        }
      }
      String was = env.put(key, value);
      if (was != null && !(sameRepeatOk && was.equals(value))) {
        throw new MalformedUeventException(key + " appears twice");
      }
    }
    return env;
  }

  /** Checks the pairs; {@code header} (the kernel's ACTION@DEVPATH) null when framed by udev. */
  private static Uevent validate(String header, Map<String, String> env)
      throws MalformedUeventException {
    String action = require(env, "ACTION");
    String devpath = require(env, "DEVPATH");
    String subsystem = require(env, "SUBSYSTEM");
    String seqnum = require(env, "SEQNUM");
    if (header != null && !header.equals(action + "@" + devpath)) {
      throw new MalformedUeventException(
          "header '"
              + printable(header)
              + "' does not match"
              + " ACTION="
              + action
              + " DEVPATH="
              + printable(devpath));
    }
    if (!ACTIONS.contains(action)) {
      throw new MalformedUeventException(
          "unknown action '"
              + printable(action)
              + "'; known: "
              + "add, remove, change, move, online, offline, bind, unbind");
    }
    if (!DEVPATH.matcher(devpath).matches() || devpath.contains("..") || devpath.contains("//")) {
      throw new MalformedUeventException(
          "DEVPATH '" + printable(devpath) + "' is not a path" + " below /devices/ without '..'");
    }
    if (!seqnum.matches("[0-9]{1,19}")) {
      throw new MalformedUeventException("SEQNUM '" + printable(seqnum) + "' is not a number");
    }
    return new Uevent(
        action, devpath, subsystem, env.getOrDefault("DEVTYPE", ""), Long.parseLong(seqnum), env);
  }

  private static String require(Map<String, String> env, String key)
      throws MalformedUeventException {
    String v = env.get(key);
    if (v == null || v.isEmpty()) {
      throw new MalformedUeventException("no " + key + "; a kernel uevent always has one");
    }
    return v;
  }

  /** At most 80 chars, non-printable bytes as \xhh: safe for a log line. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 80; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7f) {
        b.append(c);
      } else {
        b.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) c & 0xff));
      }
    }
    return s.length() > 80 ? b + "..." : b.toString();
  }
}
