using System.Globalization;

namespace Knocknoc.Entra.Sdk;

/// <summary>Reads <c>Retry-After</c>: whole or fractional seconds (Graph sends <c>2.128</c>) or an HTTP date.</summary>
internal static class RetryAfter
{
    public static TimeSpan? Read(HttpResponseMessage response, DateTimeOffset now)
    {
        // The typed header rejects fractional seconds, so the raw value is read.
        if (!response.Headers.NonValidated.TryGetValues("Retry-After", out var values))
        {
            return null;
        }

        return Parse(values.ToString(), now);
    }

    public static TimeSpan? Parse(string? value, DateTimeOffset now)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds is >= 0 and < 86_400 ? TimeSpan.FromSeconds(seconds) : null;
        }

        if (DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            var delay = date - now;
            return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
        }

        return null;
    }
}
