using System.Runtime.CompilerServices;
using Knocknoc.Entra.Sdk.Diagnostics;

namespace Knocknoc.Entra.Sdk.PostgreSql;

/// <summary>
/// One shared gate registered with <c>AddPostgreSqlNamedLocationGate</c>. The SDK's registration builds the gate's
/// <see cref="NamedLocationGateOptions"/> (validation, transport, logging, clock); the shared options around them are
/// remembered here, by the gate options they wrap, so the gate's factory and the validator find them again.
/// </summary>
internal sealed class SharedGateRegistration(string name)
{
    // Keyed by the options instance, not held in a field: an options monitor may build the options again (a reload).
    private readonly ConditionalWeakTable<NamedLocationGateOptions, PostgreSqlGateOptions> _shared = [];

    public string Name => name;

    public void Remember(NamedLocationGateOptions gate, PostgreSqlGateOptions shared) => _shared.AddOrUpdate(gate, shared);

    public PostgreSqlGateOptions For(NamedLocationGateOptions gate) =>
        _shared.TryGetValue(gate, out var shared)
            ? shared
            : throw new InvalidOperationException($"The options of the shared gate '{ShownText.Of(name)}' were not built by its registration.");
}
