namespace Knocknoc.Entra.Sdk.CidrAlgebra;

/// <summary>
/// What the lenient reader (<see cref="Cidr.TryParseLenient(ReadOnlySpan{char}, out Cidr, out CidrNormalizations)"/>)
/// changed to turn the text into a canonical <see cref="Cidr"/>.
/// </summary>
[Flags]
public enum CidrNormalizations
{
    /// <summary>The text was already a strict CIDR.</summary>
    None = 0,

    /// <summary>Whitespace around the text was removed.</summary>
    SurroundingWhitespaceRemoved = 1,

    /// <summary>Bits after the prefix length were cleared, as in <c>12.34.221.11/22</c> read as <c>12.34.220.0/22</c>.</summary>
    HostBitsCleared = 2,
}
