using System.Collections.Immutable;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Cli.Locations;

/// <summary>Whether a write is known to have reached Entra.</summary>
internal enum WriteOutcome
{
    /// <summary>Sent, and then the answer was an error, or never came (the writer died): it may or may not have landed.</summary>
    Unknown,

    /// <summary>Graph answered 204: it landed.</summary>
    Written,
}

/// <summary>A range a write added, and the queued changes (by their paths in the state directory) that asked for it.</summary>
/// <param name="Network">The range.</param>
/// <param name="Owners">The changes, as <c>acl/ACL/spool/STEM</c> or <c>location/ID/spool/STEM</c>.</param>
internal sealed record JournalAdd(Cidr Network, ImmutableArray<string> Owners);

/// <summary>
/// This host's last write to a location (<c>location/ID/journal</c>), shared by the script backend and the operator
/// commands: what it wrote and changed, on which read it was built, and whether it landed. Graph is eventually
/// consistent, so the next drain uses it to tell a read that shows this write (or anything later) from one that
/// predates it; and a write cut short (a drain killed during its PATCH, or failing) is finished from it: the ranges it
/// added for changes whose processes were never told they were applied are taken back.
/// </summary>
/// <param name="Outcome">Whether the write landed.</param>
/// <param name="Settled">Whether every change it carried was answered (or its cut-short write was dealt with).</param>
/// <param name="SentAt">When the PATCH was sent, by this host's clock.</param>
/// <param name="BasisModified">The <c>modifiedDateTime</c> of the read the write was built on.</param>
/// <param name="WrittenModified">The <c>modifiedDateTime</c> of the write itself, once a read has shown it.</param>
/// <param name="Written">The ranges written.</param>
/// <param name="Added">The ranges the write added, with the changes that asked for them.</param>
/// <param name="Removed">The ranges the write removed.</param>
/// <param name="Withdrawals">Ranges to take back at the next write: added for changes whose processes were never told.</param>
internal sealed record LocationJournal(
    WriteOutcome Outcome,
    bool Settled,
    DateTimeOffset SentAt,
    DateTimeOffset? BasisModified,
    DateTimeOffset? WrittenModified,
    CidrSet Written,
    ImmutableArray<JournalAdd> Added,
    CidrSet Removed,
    CidrSet Withdrawals)
{
    /// <summary>Gets every range the write added.</summary>
    public CidrSet AddedRanges => CidrSet.Create(Added.Select(add => add.Network));
}
