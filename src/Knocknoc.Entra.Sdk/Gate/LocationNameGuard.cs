namespace Knocknoc.Entra.Sdk;

/// <summary>
/// Which named locations a gate may write, by display name: a tool that rewrites a security boundary refuses to
/// touch an object it was not meant to manage (ENTRA060), as Knocknoc's <c>knocknoc_</c> prefix did.
/// </summary>
public sealed class LocationNameGuard
{
    private readonly string _text;
    private readonly bool _isPrefix;

    private LocationNameGuard(string text, bool isPrefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        _text = text;
        _isPrefix = isPrefix;
    }

    /// <summary>Allows only the location with exactly this display name (ordinal, case-sensitive).</summary>
    /// <param name="displayName">The name.</param>
    /// <returns>The guard.</returns>
    public static LocationNameGuard Exact(string displayName) => new(displayName, isPrefix: false);

    /// <summary>Allows only locations whose display name starts with this prefix (ordinal, case-sensitive), such as <c>knocknoc_</c>.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <returns>The guard.</returns>
    public static LocationNameGuard Prefix(string prefix) => new(prefix, isPrefix: true);

    /// <summary>Whether the guard lets the gate write a location of this name.</summary>
    /// <param name="displayName">The location's display name.</param>
    /// <returns>True when allowed.</returns>
    public bool Allows(string? displayName) =>
        displayName is not null && (_isPrefix ? displayName.StartsWith(_text, StringComparison.Ordinal) : displayName.Equals(_text, StringComparison.Ordinal));

    /// <inheritdoc/>
    public override string ToString() => _isPrefix ? $"name starting with '{_text}'" : $"name '{_text}'";
}
