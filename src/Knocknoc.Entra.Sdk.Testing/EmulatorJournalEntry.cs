namespace Knocknoc.Entra.Sdk.Testing;

/// <summary>One request the emulator answered, for assertions. Authorization headers and form secrets are not kept.</summary>
/// <param name="Time">When it arrived, on the emulator's clock.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path and query.</param>
/// <param name="RequestBody">The JSON body of a Graph write, or null (token requests are not recorded: they carry secrets).</param>
/// <param name="Status">The status answered, or 0 for a dropped connection.</param>
/// <param name="ResponseBody">The body answered, or null.</param>
public sealed record EmulatorJournalEntry(DateTimeOffset Time, string Method, string Path, string? RequestBody, int Status, string? ResponseBody)
{
    /// <summary>Gets a value indicating whether this was a Graph call (not a token request).</summary>
    public bool IsGraph => Path.StartsWith("/v1.0/", StringComparison.Ordinal);
}
