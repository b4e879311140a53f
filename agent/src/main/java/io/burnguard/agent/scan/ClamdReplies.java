package io.burnguard.agent.scan;

import io.burnguard.config.UntrustedText;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses clamd's replies (clamd(8), "COMMANDS"). Strict: anything that is not one of the known
 * shapes is {@link ScanException.Reason#GARBAGE_REPLY}, never a clean verdict, so a stray service
 * on the configured port cannot pass an image.
 */
final class ClamdReplies {
  /** Longest reply accepted; clamd's replies are one short line. */
  static final int MAX_REPLY = 4096;

  /** ClamAV's limits heuristic (AlertExceedsMax): the file was not scanned whole. */
  static final String LIMITS_EXCEEDED = "Heuristics.Limits.Exceeded";

  private static final Pattern VERSION =
      Pattern.compile("ClamAV ([0-9][0-9A-Za-z.+~_-]{0,63})(?:/([0-9]{1,12})/(.+))?");
  private static final Pattern SIGNATURE = Pattern.compile("[\\x21-\\x7e]{1,256}");
  // ctime(3) format; the day of month is space-padded, which is collapsed before parsing.
  private static final DateTimeFormatter CTIME =
      DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT);

  private ClamdReplies() {}

  /**
   * Parses the reply to INSTREAM: {@code stream: OK}, {@code stream: NAME FOUND}, {@code X ERROR}.
   */
  static ClamdResult parseScan(String reply, long bytes, ClamdAddress where) throws ScanException {
    String r = reply.strip();
    if (r.endsWith(" ERROR")) {
      if (r.toLowerCase(Locale.ROOT).contains("size limit exceeded")) {
        throw new ScanException(
            ScanException.Reason.SIZE_LIMIT,
            String.format(
                Locale.ROOT,
                "clamd at %s stopped reading after its StreamMaxLength (%d bytes were sent): '%s'",
                where,
                bytes,
                printable(r)));
      }
      throw new ScanException(
          ScanException.Reason.ERROR_REPLY,
          "clamd at " + where + " answered an error instead of a verdict: '" + printable(r) + "'");
    }
    if (r.equals("stream: OK")) {
      return new ClamdResult(null, bytes);
    }
    if (r.startsWith("stream: ") && r.endsWith(" FOUND")) {
      String sig = r.substring("stream: ".length(), r.length() - " FOUND".length());
      if (SIGNATURE.matcher(sig).matches()) {
        if (sig.startsWith(LIMITS_EXCEEDED)) {
          // Fail closed: clamd skipped (part of) the image because of MaxFileSize/MaxScanSize.
          throw new ScanException(
              ScanException.Reason.SIZE_LIMIT,
              String.format(
                  Locale.ROOT, "clamd at %s did not scan all %d bytes (%s)", where, bytes, sig));
        }
        return new ClamdResult(sig, bytes);
      }
    }
    throw garbage("INSTREAM", r, where);
  }

  /** Parses the reply to VERSION, with or without database version and date. */
  static ClamdVersion parseVersion(String reply, ZoneId clamdZone, ClamdAddress where)
      throws ScanException {
    String r = reply.strip();
    Matcher m = VERSION.matcher(r);
    if (!m.matches()) {
      throw garbage("VERSION", r, where);
    }
    if (m.group(2) == null) {
      return new ClamdVersion(r, m.group(1), 0, null);
    }
    long db = Long.parseLong(m.group(2));
    String date = m.group(3).strip().replaceAll(" +", " ");
    try {
      // clamd formats the date with ctime(), in the daemon's local time zone.
      Instant at = LocalDateTime.parse(date, CTIME).atZone(clamdZone).toInstant();
      if (db == 0) {
        throw garbage("VERSION", r, where);
      }
      return new ClamdVersion(r, m.group(1), db, at);
    } catch (DateTimeException e) {
      throw garbage("VERSION", r, where);
    }
  }

  /** Checks the reply to PING. */
  static void checkPong(String reply, ClamdAddress where) throws ScanException {
    if (!reply.strip().equals("PONG")) {
      throw garbage("PING", reply.strip(), where);
    }
  }

  /** Checks the reply to RELOAD. */
  static void checkReloading(String reply, ClamdAddress where) throws ScanException {
    if (!reply.strip().equals("RELOADING")) {
      throw garbage("RELOAD", reply.strip(), where);
    }
  }

  static ScanException garbage(String command, String reply, ClamdAddress where) {
    return new ScanException(
        ScanException.Reason.GARBAGE_REPLY,
        String.format(
            Locale.ROOT,
            "the service at %s answered %s with '%s', which is not a clamd reply",
            where,
            command,
            printable(reply)));
  }

  /** The reply made safe for a log line or an operator's screen (issue 12.3: one neutraliser). */
  static String printable(String s) {
    return UntrustedText.neutralize(s, 200);
  }
}
