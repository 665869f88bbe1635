using Knocknoc.Entra.Sdk.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// Every gate registered with <c>services.AddNamedLocationGate(...)</c>, by name: for hosts that keep several
/// locations or tenants and pick the gate at run time. A gate is also a keyed <see cref="INamedLocationGate"/> service
/// under its name, and the gate named <see cref="DefaultName"/> a plain one.
/// </summary>
public sealed class NamedLocationGates
{
    /// <summary>The name of the gate registered without one, which is also resolvable as a plain <see cref="INamedLocationGate"/>.</summary>
    public const string DefaultName = "default";

    private readonly IServiceProvider _services;
    private readonly string[] _names;

    internal NamedLocationGates(IServiceProvider services, IEnumerable<NamedLocationGateRegistration> registrations)
    {
        _services = services;
        _names = [.. registrations.Select(r => r.Name)];
    }

    /// <summary>Gets the names of the registered gates, in registration order.</summary>
    public IReadOnlyCollection<string> Names => _names;

    /// <summary>Gets the gate called <paramref name="name"/>, building it on first use.</summary>
    /// <param name="name">The gate's name.</param>
    /// <returns>The gate (one instance per name for the container's lifetime).</returns>
    /// <exception cref="KeyNotFoundException">No gate has that name.</exception>
    public INamedLocationGate Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_names.Contains(name, StringComparer.Ordinal))
        {
            throw new KeyNotFoundException($"No named location gate is called '{ShownText.Of(name)}'; registered: {(_names.Length == 0 ? "none" : string.Join(", ", _names.Select(n => ShownText.Of(n))))}.");
        }

        return _services.GetRequiredKeyedService<INamedLocationGate>(name);
    }
}
