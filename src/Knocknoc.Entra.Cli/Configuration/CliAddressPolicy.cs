using Knocknoc.Entra.Sdk;


namespace Knocknoc.Entra.Cli.Configuration;

/// <summary>
/// Which addresses <c>grant</c>, <c>revoke</c> and <c>script</c> accept: what the SDK grants, plus the documentation
/// ranges allowed by name. The tool's users try it on the emulator with documentation addresses (as its tests do);
/// those ranges are never routed, so allowing them opens nothing on a real tenant either.
/// </summary>
internal static class CliAddressPolicy
{
    /// <summary>Gets the policy.</summary>
    public static GrantAddressPolicy Value { get; } = new(GrantAddressPolicy.DocumentationRanges);
}
