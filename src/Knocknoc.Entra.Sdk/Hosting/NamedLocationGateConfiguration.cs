using System.Globalization;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// Binds a gate's options from configuration (appsettings.json, environment variables, Key Vault), every option that
/// is a value rather than an object of the host's: the location, name guard, ownership, sentinel, address policy,
/// timings, a file store, the cloud, the credential and the resilience settings (keys in docs/embedding.md).
/// Hand-written rather than reflection-bound, so it is trimming-safe and knows every key: an unknown key or an
/// unusable value is never ignored, it is a problem that <see cref="NamedLocationGateOptions.Validate"/>, the gate's
/// creation and the host's start report with all the others, naming the key (never a secret's value).
/// </summary>
public static class NamedLocationGateConfiguration
{
    private static readonly string[] TopLevelKeys =
    [
        "LocationId", "LocationDisplayName", "NameGuard", "Ownership", "Sentinel", "MaxRanges", "AddressPolicy",
        "CoalescingWindow", "ReadAfterWriteDelay", "DriftCheckInterval", "VerifyWrites", "RetryBaseDelay",
        "RetryMaxDelay", "Store", "Cloud", "Credential", "Resilience",
    ];

    /// <summary>Sets the options found in <paramref name="configuration"/>; keys it does not hold keep their values.</summary>
    /// <param name="configuration">The gate's section, such as <c>configuration.GetSection("Entra")</c>.</param>
    /// <param name="options">The options to set.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void Bind(IConfiguration configuration, NamedLocationGateOptions options) => BindLeaving(configuration, options, []);

    /// <summary>
    /// As <see cref="Bind(IConfiguration, NamedLocationGateOptions)"/>, with <paramref name="alsoKnown"/> keys in the same
    /// section left to a package that binds them (the PostgreSQL package's <c>PostgreSql</c> subsection).
    /// </summary>
    internal static void BindLeaving(IConfiguration configuration, NamedLocationGateOptions options, IReadOnlyCollection<string> alsoKnown)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        var reader = new ConfigurationReader(configuration, options.ConfigurationProblems);
        reader.RefuseUnknown(configuration, [.. TopLevelKeys, .. alsoKnown]);

        reader.Text("LocationId", value => options.LocationId = value);
        reader.Text("LocationDisplayName", value => options.LocationDisplayName = value);
        BindNameGuard(reader, configuration.GetSection("NameGuard"), options);
        reader.Parsed<LocationOwnership>("Ownership", "Exclusive or Shared", TryOwnership, value => options.Ownership = value);
        reader.Parsed<Cidr>("Sentinel", "a single address in CIDR form, such as 192.0.2.0/32", Cidr.TryParse, value => options.Sentinel = value);
        reader.Parsed<int>("MaxRanges", "a whole number", TryInt, value => options.MaxRanges = value);
        BindAddressPolicy(reader, configuration.GetSection("AddressPolicy"), options);
        reader.Parsed<TimeSpan>("CoalescingWindow", ConfigurationReader.SpanForm, ConfigurationReader.TrySpan, value => options.CoalescingWindow = value);
        reader.Parsed<TimeSpan>("ReadAfterWriteDelay", ConfigurationReader.SpanForm, ConfigurationReader.TrySpan, value => options.ReadAfterWriteDelay = value);
        reader.Parsed<TimeSpan>("DriftCheckInterval", ConfigurationReader.SpanForm + " or Infinite", ConfigurationReader.TrySpan, value => options.DriftCheckInterval = value);
        reader.Parsed<bool>("VerifyWrites", "true or false", bool.TryParse, value => options.VerifyWrites = value);
        reader.Parsed<TimeSpan>("RetryBaseDelay", ConfigurationReader.SpanForm, ConfigurationReader.TrySpan, value => options.RetryBaseDelay = value);
        reader.Parsed<TimeSpan>("RetryMaxDelay", ConfigurationReader.SpanForm, ConfigurationReader.TrySpan, value => options.RetryMaxDelay = value);
        BindStore(reader, configuration.GetSection("Store"), options);
        BindCloud(reader, configuration.GetSection("Cloud"), options);
        CredentialConfiguration.Bind(reader, configuration.GetSection("Credential"), options);
        BindResilience(reader, configuration.GetSection("Resilience"), options.Resilience ??= new GraphResilienceOptions());
    }

    private static void BindNameGuard(ConfigurationReader reader, IConfigurationSection section, NamedLocationGateOptions options)
    {
        reader.RefuseUnknown(section, ["Prefix", "Exact"]);
        var (prefix, exact) = (section["Prefix"], section["Exact"]);
        if (prefix is not null && exact is not null)
        {
            reader.Problem($"{section.Path}: set Prefix or Exact, not both.");
        }
        else if (prefix is not null || exact is not null)
        {
            var text = prefix ?? exact!;
            if (string.IsNullOrWhiteSpace(text))
            {
                reader.Problem($"{section.Path}:{(prefix is not null ? "Prefix" : "Exact")} must not be empty.");
                return;
            }

            options.NameGuard = prefix is not null ? LocationNameGuard.Prefix(prefix) : LocationNameGuard.Exact(exact!);
        }
    }

    private static void BindAddressPolicy(ConfigurationReader reader, IConfigurationSection section, NamedLocationGateOptions options)
    {
        reader.RefuseUnknown(section, ["AllowedRanges", "IPv6GrantPrefixLength"]);
        var ranges = new List<Cidr>();
        var any = false;
        foreach (var (path, text) in reader.List(section, "AllowedRanges"))
        {
            any = true;
            if (string.Equals(text.Trim(), "Documentation", StringComparison.OrdinalIgnoreCase))
            {
                ranges.AddRange(GrantAddressPolicy.DocumentationRanges);
            }
            else if (Cidr.TryParse(text.Trim(), out var range))
            {
                ranges.Add(range);
            }
            else
            {
                reader.Problem($"{path} = '{ShownText.Of(text)}' is not a range: give CIDR text such as 10.20.0.0/16, or Documentation.");
            }
        }

        var prefixLength = options.AddressPolicy?.IPv6GrantPrefixLength ?? 128;
        var prefixSet = false;
        reader.Parsed<int>(section, "IPv6GrantPrefixLength", "a whole number from 64 to 128", TryInt, value => (prefixLength, prefixSet) = (value, true));
        if (!any && !prefixSet)
        {
            return;
        }

        if (prefixLength is < 64 or > 128)
        {
            reader.Problem($"{section.Path}:IPv6GrantPrefixLength must be from 64 to 128 ({prefixLength}).");
            return;
        }

        options.AddressPolicy = new GrantAddressPolicy(any ? ranges : options.AddressPolicy?.AllowedRanges, prefixLength);
    }

    private static void BindStore(ConfigurationReader reader, IConfigurationSection section, NamedLocationGateOptions options)
    {
        reader.RefuseUnknown(section, ["Path"]);
        ConfigurationReader.Text(section, "Path", path =>
        {
            try
            {
                options.Store = new FileGrantStore(path);
            }
            catch (ArgumentException error)
            {
                reader.Problem($"{section.Path}:Path is not usable: {error.Message}");
            }
        });
    }

    private static void BindCloud(ConfigurationReader reader, IConfigurationSection section, NamedLocationGateOptions options)
    {
        if (section.Value is { } name)
        {
            try
            {
                options.Cloud = EntraCloud.FromName(name);
            }
            catch (ArgumentException error)
            {
                reader.Problem($"{section.Path}: {error.Message}");
            }

            return;
        }

        reader.RefuseUnknown(section, ["AuthorityHost", "GraphRoot", "GraphScope"]);
        var (authority, graph, scope) = (section["AuthorityHost"], section["GraphRoot"], section["GraphScope"]);
        if (authority is null && graph is null && scope is null)
        {
            return;
        }

        if (authority is null || graph is null)
        {
            reader.Problem($"{section.Path}: a custom cloud needs both AuthorityHost and GraphRoot (or give a cloud's name: Global, UsGovernmentL4, UsGovernmentL5, China).");
            return;
        }

        try
        {
            var (authorityUri, graphUri) = (new Uri(authority, UriKind.RelativeOrAbsolute), new Uri(graph, UriKind.RelativeOrAbsolute));
            options.Cloud = scope is null ? EntraCloud.Custom(authorityUri, graphUri) : EntraCloud.Custom(authorityUri, graphUri, scope);
        }
        catch (Exception error) when (error is ArgumentException or UriFormatException)
        {
            reader.Problem($"{section.Path}: {error.Message}");
        }
    }

    private static void BindResilience(ConfigurationReader reader, IConfigurationSection section, GraphResilienceOptions resilience)
    {
        reader.RefuseUnknown(section, ["MaxRetryAttempts", "BaseDelay", "MaxDelay", "AttemptTimeout", "TotalTimeout", "TenantRequestInterval", "TenantRequestMargin"]);
        reader.Parsed<int>(section, "MaxRetryAttempts", "a whole number", TryInt, value => resilience.MaxRetryAttempts = value);
        reader.Parsed<TimeSpan>(section, "BaseDelay", ConfigurationReader.SpanForm, ConfigurationReader.TrySpan, value => resilience.BaseDelay = value);
        reader.Parsed<TimeSpan>(section, "MaxDelay", ConfigurationReader.SpanForm, ConfigurationReader.TrySpan, value => resilience.MaxDelay = value);
        reader.Parsed<TimeSpan>(section, "AttemptTimeout", ConfigurationReader.SpanForm, ConfigurationReader.TrySpan, value => resilience.AttemptTimeout = value);
        reader.Parsed<TimeSpan>(section, "TotalTimeout", ConfigurationReader.SpanForm, ConfigurationReader.TrySpan, value => resilience.TotalTimeout = value);
        reader.Parsed<TimeSpan>(section, "TenantRequestInterval", ConfigurationReader.SpanForm, ConfigurationReader.TrySpan, value => resilience.TenantRequestInterval = value);
        reader.Parsed<TimeSpan>(section, "TenantRequestMargin", ConfigurationReader.SpanForm, ConfigurationReader.TrySpan, value => resilience.TenantRequestMargin = value);
    }

    private static bool TryOwnership(string text, out LocationOwnership value) =>
        Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value) && !int.TryParse(text, out _);

    private static bool TryInt(string text, out int value) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
}
