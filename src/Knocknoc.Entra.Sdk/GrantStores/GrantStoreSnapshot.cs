using System.Collections.Immutable;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// Everything a gate needs to resume after a restart: its grants, and what it knows of the location it wrote, so a
/// restarted gate never builds a write from a read that may predate its own last write.
/// </summary>
public sealed record GrantStoreSnapshot
{
    /// <summary>A snapshot with no grants and no write history.</summary>
    public static GrantStoreSnapshot Empty { get; } = new();

    /// <summary>Gets the grants, in no particular order; grant ids are unique.</summary>
    public ImmutableArray<StoredGrant> Grants { get; init; } = [];

    /// <summary>Gets the ranges the gate last wrote as its own (its grants' cover), used to tell them from others' ranges in shared ownership.</summary>
    public ImmutableArray<Cidr> OwnedRanges { get; init; } = [];

    /// <summary>Gets the ranges the gate last saw in the location that it did not write (shared ownership keeps them), as they were written.</summary>
    public ImmutableArray<Cidr> ForeignRanges { get; init; } = [];

    /// <summary>
    /// Gets the ranges a gate keeps because a damaged store could not account for them: nothing is removed from Entra
    /// on the word of a damaged store, across restarts too, until the host reconciles or flushes.
    /// </summary>
    public ImmutableArray<Cidr> PreservedRanges { get; init; } = [];

    /// <summary>
    /// Gets the gate's own entries as of its last write Graph confirmed (exactly, never forgotten). At a start, a stored
    /// grant inside them that the location no longer holds was removed after that write (a revocation whose save
    /// failed, or a person): it is taken as ended, never written back. A grant whose write never succeeded is not in
    /// them, and a restarted gate writes it.
    /// </summary>
    public ImmutableArray<Cidr> WrittenRanges { get; init; } = [];

    /// <summary>Gets when the gate's last write was sent or last attempted (it may have been applied), or null when it never wrote.</summary>
    public DateTimeOffset? LastWriteAt { get; init; }
}
