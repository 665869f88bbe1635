using System.Text.RegularExpressions;

namespace Knocknoc.Entra.Sdk.Tests.Support;

/// <summary>
/// Whether a log line could carry an Authorization header's value. The SDK's own lines never say "Bearer" at all;
/// MSAL's (event 1003, prefixed "MSAL: ") name the token type ("AccessToken Type: Bearer", "Bearer token found") but
/// may never carry a value after the word.
/// </summary>
internal static partial class BearerText
{
    public static bool Leaks(string line) => line.StartsWith("MSAL: ", StringComparison.Ordinal)
        ? BearerValue().IsMatch(line)
        : line.Contains("Bearer", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"Bearer\s+(?!token found)[A-Za-z0-9\-_.~+/]{8,}", RegexOptions.IgnoreCase)]
    private static partial Regex BearerValue();
}
