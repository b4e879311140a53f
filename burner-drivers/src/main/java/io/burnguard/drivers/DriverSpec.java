package io.burnguard.drivers;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a driver reads from station.yaml: its fixture settings and the variables its recipes may
 * use. {@code config check} and the daemon validate every fixture against it, and docs/drivers.md
 * documents it; a test keeps the two in step.
 *
 * @param name the driver name fixtures use
 * @param summary one line on what the driver does and needs
 * @param settings the fixture settings it reads, in documentation order
 * @param variables the recipe variables it defines or reads, in documentation order
 * @param valuePattern a regular expression every recipe variable's value must match entirely
 *     (values are typed into the device's boot loader)
 * @param valueRule the same in words, for messages and docs
 */
public record DriverSpec(
    String name,
    String summary,
    List<SettingSpec> settings,
    List<RecipeVariable> variables,
    String valuePattern,
    String valueRule) {
  public DriverSpec {
    settings = List.copyOf(settings);
    variables = List.copyOf(variables);
    Pattern.compile(valuePattern);
    Objects.requireNonNull(valueRule, "valueRule");
  }

  /** Whether {@code value} may be a recipe variable's value. */
  public boolean acceptsValue(String value) {
    return value != null && value.trim().matches(valuePattern);
  }

  /** The setting called {@code key}. */
  public Optional<SettingSpec> setting(String key) {
    return settings.stream().filter(s -> s.name().equals(key)).findFirst();
  }

  /** The recipe variable called {@code key}. */
  public Optional<RecipeVariable> variable(String key) {
    return variables.stream().filter(v -> v.name().equals(key)).findFirst();
  }

  /** The names of its settings, in order. */
  public List<String> settingNames() {
    return settings.stream().map(SettingSpec::name).toList();
  }
}
