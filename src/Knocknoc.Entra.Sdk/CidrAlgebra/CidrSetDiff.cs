namespace Knocknoc.Entra.Sdk.CidrAlgebra;

/// <summary>The exact change from one <see cref="CidrSet"/> to another, from <see cref="CidrSet.Diff"/>.</summary>
/// <param name="Added">The addresses the target holds and the source does not.</param>
/// <param name="Removed">The addresses the source holds and the target does not.</param>
public sealed record CidrSetDiff(CidrSet Added, CidrSet Removed)
{
    /// <summary>Gets a value indicating whether the two sets were equal: nothing to add, nothing to remove.</summary>
    public bool IsEmpty => Added.IsEmpty && Removed.IsEmpty;
}
