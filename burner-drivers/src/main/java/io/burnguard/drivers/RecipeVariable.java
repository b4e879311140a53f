package io.burnguard.drivers;

import java.util.Objects;

/**
 * One {@code ${name}} a driver understands in a model's recipe.
 *
 * @param name the variable, without {@code ${}}
 * @param unit what its value counts, e.g. "bytes, hex" or "512-byte blocks, hex"
 * @param description what it is and how it is computed
 * @param origin who defines it
 */
public record RecipeVariable(String name, String unit, String description, Origin origin) {
  /** Who gives a recipe variable its value. */
  public enum Origin {
    /** Computed by the driver for every burn; a model must not set it. */
    DRIVER,
    /**
     * Taken from the fixture setting of the same name; defined when the fixture sets it or the
     * setting has a default. A model must not set it.
     */
    SETTING,
    /** Set by the model under {@code recipe.variables}; the driver reads it (with a default). */
    MODEL
  }

  public RecipeVariable {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(origin, "origin");
  }
}
