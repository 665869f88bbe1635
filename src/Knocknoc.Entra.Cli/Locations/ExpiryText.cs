using System.Globalization;

namespace Knocknoc.Entra.Cli.Locations;

/// <summary>How an expiry reads in the tool's text output: UTC, to the second, ISO 8601 (the form <c>--expires</c> takes).</summary>
internal static class ExpiryText
{
    /// <summary>The text of <paramref name="time"/>.</summary>
    /// <param name="time">The time.</param>
    /// <returns>Such as <c>2026-12-06T18:00:00Z</c>.</returns>
    public static string Of(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
