package io.burnguard.ports.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.ports.usb.UsbDevice;
import io.burnguard.ports.usb.UsbInterfaceType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyEvaluatorTest {
  static final UsbInterfaceType KEYBOARD = new UsbInterfaceType(3, 1, 1);
  static final UsbInterfaceType STORAGE = new UsbInterfaceType(8, 6, 0x50);
  static final UsbDevice STICK = device("1-2", "0781", "5567", "Cruzer", "SN1", STORAGE);
  static final UsbDevice COMBO = device("1-3", "1234", "5678", "Combo", "", KEYBOARD, STORAGE);
  static final UsbDevice KBD = device("1-4", "046d", "c31c", "Keyboard", "", KEYBOARD);
  static final UsbDevice KBD2 = device("1-5", "046d", "c31c", "Keyboard", "", KEYBOARD);

  static UsbDevice device(
      String port,
      String vid,
      String pid,
      String name,
      String serial,
      UsbInterfaceType... interfaces) {
    return new UsbDevice(
        "/devices/pci0000:00/0000:00:14.0/usb1/" + port,
        port,
        vid,
        pid,
        name,
        "",
        serial,
        "hotplug",
        true,
        false,
        "/devices/pci0000:00/0000:00:14.0/usb1",
        true,
        List.of(interfaces),
        "hash-" + port,
        "parent-hash");
  }

  static Clock at(String time) {
    return Clock.fixed(Instant.parse("2026-11-30T" + time + "Z"), ZoneOffset.UTC);
  }

  static Decision decide(String rules, UsbDevice d) throws PolicyException {
    return evaluator(rules, at("12:00:00")).decide(d);
  }

  static PolicyEvaluator evaluator(String rules, Clock clock) throws PolicyException {
    return new PolicyEvaluator(
        UsbPolicy.parse(rules, "test.conf"), Target.BLOCK, clock, fixedRandom(0.3));
  }

  static RandomGenerator fixedRandom(double value) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        return 0;
      }

      @Override
      public double nextDouble() {
        return value;
      }
    };
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // rule | target for STICK (0781:5567 "Cruzer" serial SN1, 08:06:50, port 1-2)
        "allow id 0781:5567 | ALLOW",
        "allow 0781:* | ALLOW",
        "allow id *:* | ALLOW",
        "allow id 0781:0000 | BLOCK",
        "allow id 0781:5567 serial \"SN1\" name \"Cruzer\" | ALLOW",
        "allow serial \"SN2\" | BLOCK",
        "allow hash \"hash-1-2\" parent-hash \"parent-hash\" | ALLOW",
        "allow via-port \"1-2\" with-connect-type \"hotplug\" | ALLOW",
        "allow via-port one-of { \"1-1\" \"1-2\" } | ALLOW",
        "allow via-port none-of { \"1-1\" \"1-2\" } | BLOCK",
        "allow name all-of { \"Cruzer\" } | ALLOW",
        "allow name all-of { \"Cruzer\" \"Other\" } | BLOCK",
        "allow name equals { \"Cruzer\" \"Cruzer\" } | BLOCK",
        "allow with-interface 08:06:50 | ALLOW",
        "allow with-interface 08:*:* | ALLOW",
        "allow with-interface 08:06:* | ALLOW",
        "allow with-interface 03:*:* | BLOCK",
        "reject with-interface one-of { 03:*:* 08:*:* } | REJECT",
        "allow with-interface none-of { 03:*:* } | ALLOW",
        "allow with-interface match-all { 08:*:* 03:*:* } | ALLOW",
        "allow with-interface equals-ordered { 08:06:50 } | ALLOW",
        "allow id match-all { 0781:5567 } | ALLOW",
        "allow id match-all { 0781:* } | BLOCK",
        "allow label \"only a label\" | ALLOW",
        "allow if true | ALLOW",
        "allow if false | BLOCK",
        "allow if !false | ALLOW",
        "allow if one-of { false true } | ALLOW",
        "allow if { false true } | BLOCK",
        "allow if none-of { false false } | ALLOW",
        "allow if localtime(11:00-13:00) | ALLOW",
        "allow if localtime(13:00-14:00) | BLOCK",
        "allow if random(0.5) | ALLOW",
        "allow if random(0.2) | BLOCK",
        "allow if rule-applied | BLOCK",
        "allow if !rule-evaluated | ALLOW",
        "allow if allowed-matches(id *:*) | BLOCK",
        "match id 0781:5567 | BLOCK",
        "block id 0781:5567 | BLOCK",
      })
  void everyAttributeOperatorAndCondition(String rule, Target expected) throws Exception {
    Decision d = decide(rule, STICK);
    assertEquals(expected, d.target(), d.describe());
  }

  @Test
  void firstMatchWinsAndNamesItsLine() throws Exception {
    Decision d = decide("# station policy\nallow id 0781:*\nblock id 0781:5567\n", STICK);
    assertEquals(Target.ALLOW, d.target());
    assertEquals(2, d.line());
    assertEquals("allow id 0781:*", d.rule());
    assertFalse(d.implicit());
  }

  @Test
  void noMatchGivesTheImplicitTarget() throws Exception {
    Decision d = decide("allow id 1111:2222\n", STICK);
    assertEquals(Target.BLOCK, d.target());
    assertTrue(d.implicit());
    assertEquals(Decision.IMPLICIT, d.rule());
    PolicyEvaluator allowAll =
        new PolicyEvaluator(UsbPolicy.empty(), Target.ALLOW, at("12:00:00"), fixedRandom(0));
    assertEquals(Target.ALLOW, allowAll.decide(STICK).target());
    assertThrows(
        IllegalArgumentException.class,
        () -> new PolicyEvaluator(UsbPolicy.empty(), Target.MATCH, at("12:00:00"), fixedRandom(0)));
  }

  @Test
  void perInterfaceRuleAuthorizesOnlyTheListedInterfaces() throws Exception {
    Decision d = decide("allow id 1234:5678 ; interfaces { 03:*:* }\n", COMBO);
    assertEquals(Target.ALLOW, d.target());
    assertTrue(d.perInterface());
    assertTrue(d.interfaceAllowed(KEYBOARD));
    assertFalse(d.interfaceAllowed(STORAGE));
  }

  @Test
  void maxPresentLetsOneKeyboardInAndTheSecondFallsThrough() throws Exception {
    PolicyEvaluator e =
        evaluator("allow with-interface equals { 03:01:01 } ; max-present 1\n", at("12:00:00"));
    assertEquals(Target.ALLOW, e.decide(KBD).target());
    Decision second = e.decide(KBD2);
    assertEquals(Target.BLOCK, second.target());
    assertTrue(second.implicit());
    e.removed(KBD.sysPath());
    assertEquals(Target.ALLOW, e.decide(KBD2).target());
  }

  @Test
  void allowedMatchesSeesPresentAllowedDevices() throws Exception {
    PolicyEvaluator e =
        evaluator(
            "allow id 046d:c31c\n"
                + "allow id 0781:5567 if allowed-matches(with-interface 03:01:01)\n",
            at("12:00:00"));
    assertEquals(Target.BLOCK, e.decide(STICK).target());
    e.decide(KBD);
    assertEquals(Target.ALLOW, e.decide(STICK).target());
  }

  @Test
  void ruleAppliedHonoursItsWindow() throws Exception {
    Clock[] now = {at("12:00:00")};
    UsbPolicy p =
        UsbPolicy.parse("block id 046d:c31c if rule-applied(30s)\nallow id 046d:c31c\n", "t");
    Clock moving =
        new Clock() {
          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now[0].instant();
          }
        };
    PolicyEvaluator e = new PolicyEvaluator(p, Target.BLOCK, moving, fixedRandom(0));
    assertEquals(2, e.decide(KBD).line());
    UsbPolicy p2 = UsbPolicy.parse("allow id 046d:c31c if !rule-applied(30s)\n", "t");
    e.replacePolicy(p2);
    assertEquals(Target.ALLOW, e.decide(KBD).target());
    now[0] = at("12:00:20");
    assertEquals(Target.BLOCK, e.decide(KBD).target(), "applied 20 s ago, within 30 s");
    now[0] = at("12:01:00");
    assertEquals(Target.ALLOW, e.decide(KBD).target(), "applied 60 s ago");
  }

  @Test
  void identicalDevicesWithoutSerialAreToldApartByPort() throws Exception {
    String rules = "allow id 046d:c31c serial \"\" via-port \"1-4\"\n";
    PolicyEvaluator e = evaluator(rules, at("12:00:00"));
    assertEquals(Target.ALLOW, e.decide(KBD).target());
    assertEquals(Target.BLOCK, e.decide(KBD2).target());
  }

  @Test
  void aBadFileListsEveryProblemAndChangesNothing() {
    PolicyException e =
        assertThrows(
            PolicyException.class,
            () ->
                UsbPolicy.parse(
                    "allow id 1234:5678\nallow zzz\n# fine\nblock name \"x\nallow ; max-present 0\n",
                    "r.conf"));
    assertEquals(List.of(2, 4, 5), e.problems().stream().map(PolicyProblem::line).toList());
    assertEquals("r.conf:2:6", e.problems().get(0).toString().substring(0, 10));
    assertTrue(e.getMessage().contains("nothing was changed"));
  }

  @Test
  void canonicalFormIsUsbguards() throws Exception {
    UsbPolicy p =
        UsbPolicy.parse(
            "allow name \"x\" 1234:5678 label \"l\" if true\n".replace(" 1234:5678", ""), "t");
    assertEquals(List.of("allow name \"x\" if true label \"l\""), p.canonicalRules());
  }
}
