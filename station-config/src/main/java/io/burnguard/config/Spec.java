package io.burnguard.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Annotations on the components of the config records. The binder reads them; they are the single
 * place where a setting's default, bounds and example live, so the docs and the error messages
 * cannot drift from the code.
 */
public final class Spec {
  private Spec() {}

  /** The key may be left out; then it takes {@link #value()} (parsed like YAML text). */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface Default {
    String value();
  }

  /** The key may be left out; then it is null (or an empty list or map). */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface Optional {}

  /** A path that must be absolute: relative paths depend on the daemon's working directory. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface Absolute {}

  /** Inclusive bounds for a number or a duration in seconds. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface Range {
    long min() default Long.MIN_VALUE;

    long max() default Long.MAX_VALUE;
  }

  /** A regular expression the text must match entirely, with the words for what it means. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface Matches {
    String value();

    String means();
  }

  /** An example value used in "what to write instead". */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface Example {
    String value();
  }
}
