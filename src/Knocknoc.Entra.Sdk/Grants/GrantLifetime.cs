
namespace Knocknoc.Entra.Sdk;

/// <summary>A grant's lifetime turned into its expiry, refused as a past expiry is when it is not positive.</summary>
internal static class GrantLifetime
{
    /// <summary>The expiry of a grant made at <paramref name="now"/> for <paramref name="lifetime"/>.</summary>
    /// <param name="now">The clock's time.</param>
    /// <param name="lifetime">The lifetime.</param>
    /// <returns>The expiry.</returns>
    /// <exception cref="EntraException">ENTRA059: the lifetime is zero, negative, or reaches past the calendar's end.</exception>
    public static DateTimeOffset ExpiryAfter(DateTimeOffset now, TimeSpan lifetime)
    {
        if (lifetime <= TimeSpan.Zero)
        {
            throw new EntraException(EntraErrorCode.GrantRefused, $"a grant's lifetime must be positive, not {lifetime}");
        }

        return lifetime < DateTimeOffset.MaxValue - now
            ? now + lifetime
            : throw new EntraException(EntraErrorCode.GrantRefused, $"a grant's lifetime of {lifetime} reaches past the end of the calendar");
    }
}
