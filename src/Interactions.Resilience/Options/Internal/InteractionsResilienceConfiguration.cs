using System.ComponentModel;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Interactions.Resilience.Options.Internal;

/// <summary>
/// Binds <see cref="InteractionsResilienceOptions"/> from a configuration section, refusing what the binder would
/// drop or ignore: an unknown key (<c>Retry:MaxRetrys</c>), a policy that is not one (<c>Policies:031006 = Bogus</c>
/// or empty), a value that does not convert (<c>MaxWait = banana</c>). Every mistake is reported at once, each
/// naming the setting by its configuration path, as an <see cref="OptionsValidationException"/>.
/// </summary>
internal static class InteractionsResilienceConfiguration
{
    public static void Bind(IConfigurationSection section, InteractionsResilienceOptions options, string name)
    {
        var failures = new List<string>();
        Check(section, typeof(InteractionsResilienceOptions), section.Path, failures);
        if (failures.Count == 0)
        {
            try
            {
                section.Bind(options, static binder => binder.ErrorOnUnknownConfiguration = true);
            }
            catch (InvalidOperationException ex)
            {
                failures.Add(ex.Message); // the binder's message names the path; Check should have caught it first
            }
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(name, typeof(InteractionsResilienceOptions), failures);
        }
    }

    private static void Check(IConfigurationSection section, Type type, string root, List<string> failures)
    {
        foreach (var child in section.GetChildren())
        {
            var property = type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                failures.Add($"{child.Path} is not a setting of Interactions.Resilience; the settings here are {string.Join(", ", SettingNames(type))}.");
            }
            else if (property.PropertyType == typeof(IDictionary<string, InteractionsPolicy>))
            {
                CheckPolicies(child, failures);
            }
            else if (IsOptionsClass(property.PropertyType))
            {
                if (child.Value is { Length: > 0 })
                {
                    failures.Add($"{child.Path} is a section of settings ({string.Join(", ", SettingNames(property.PropertyType))}), not a value.");
                }

                Check(child, property.PropertyType, root, failures);
            }
            else if (!IsConvertible(property.PropertyType))
            {
                failures.Add($"{child.Path} cannot be set from configuration; set it in code: AddInteractionsResilience(section, o => o.{CodePath(root, child)} = …).");
            }
            else
            {
                CheckValue(child, property.PropertyType, failures);
            }
        }
    }

    private static void CheckPolicies(IConfigurationSection policies, List<string> failures)
    {
        var names = Enum.GetNames<InteractionsPolicy>();
        foreach (var entry in policies.GetChildren())
        {
            // Keys are checked by the validator (six-digit codes of the catalog); here the value must name a policy.
            if (!names.Contains(entry.Value, StringComparer.OrdinalIgnoreCase))
            {
                var value = string.IsNullOrEmpty(entry.Value) ? "empty" : $"'{entry.Value}'";
                failures.Add($"{entry.Path} must be one of {string.Join(", ", names)}; it is {value}.");
            }
        }
    }

    private static void CheckValue(IConfigurationSection setting, Type type, List<string> failures)
    {
        if (setting.GetChildren().Any())
        {
            failures.Add($"{setting.Path} is a value ({Describe(type)}), not a section.");
            return;
        }

        var nullable = Nullable.GetUnderlyingType(type);
        if (string.IsNullOrEmpty(setting.Value))
        {
            if (nullable is null && type != typeof(string))
            {
                failures.Add($"{setting.Path} must be {Describe(type)}; it is empty.");
            }

            return;
        }

        try
        {
            // The converter the binder uses, with the culture it uses.
            _ = TypeDescriptor.GetConverter(nullable ?? type).ConvertFromInvariantString(setting.Value);
        }
        catch (Exception ex) when (ex is FormatException or NotSupportedException or ArgumentException or OverflowException)
        {
            failures.Add($"{setting.Path} must be {Describe(type)}; '{setting.Value}' is not.");
        }
    }

    private static bool IsOptionsClass(Type type)
        => type.IsClass && type != typeof(string) && type.Namespace == typeof(InteractionsResilienceOptions).Namespace && type.Assembly == typeof(InteractionsResilienceOptions).Assembly;

    private static bool IsConvertible(Type type)
    {
        var value = Nullable.GetUnderlyingType(type) ?? type;
        return value.IsPrimitive || value.IsEnum || value == typeof(string) || value == typeof(TimeSpan) || value == typeof(decimal);
    }

    private static string Describe(Type type)
    {
        var value = Nullable.GetUnderlyingType(type) ?? type;
        return value switch
        {
            _ when value == typeof(TimeSpan) => "a duration such as 00:00:30 (hh:mm:ss)",
            _ when value == typeof(bool) => "true or false",
            _ when value == typeof(int) => "a whole number",
            _ when value == typeof(double) => "a number such as 0.5",
            _ when value.IsEnum => "one of " + string.Join(", ", Enum.GetNames(value)),
            _ => "a " + value.Name,
        };
    }

    private static IEnumerable<string> SettingNames(Type type)
        => type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(static p => p.CanWrite || p.PropertyType == typeof(IDictionary<string, InteractionsPolicy>))
            .Where(static p => IsOptionsClass(p.PropertyType) || IsConvertible(p.PropertyType) || p.PropertyType == typeof(IDictionary<string, InteractionsPolicy>))
            .Select(static p => p.Name);

    // The setting's path below the section given to AddInteractionsResilience, as code writes it: RateLimit.ScopeSelector.
    private static string CodePath(string root, IConfigurationSection setting)
        => setting.Path[(root.Length + 1)..].Replace(':', '.');
}
