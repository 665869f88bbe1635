using System.Text;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Cli.State;

namespace Knocknoc.Entra.Cli.Locations;

/// <summary>
/// One location's state on this host (<c>location/ID/</c>): the lock every drain of it holds while it reads and
/// writes, whichever queue it drains, the journal of the last write, and when granted addresses expire.
/// </summary>
internal sealed class LocationState
{
    private LocationState(StateDirectory state, string directory)
    {
        State = state;
        Directory = directory;
        QuarantineDirectory = state.Directory("location", Path.GetFileName(directory), Quarantine.DirectoryName);
        JournalPath = Path.Combine(directory, "journal");
        WriteLockPath = Path.Combine(directory, "write.lock");
        ExpiriesPath = Path.Combine(directory, "expiries");
    }

    /// <summary>Gets the state directory.</summary>
    public StateDirectory State { get; }

    /// <summary>Gets the location's directory.</summary>
    public string Directory { get; }

    /// <summary>Gets the folder of files set aside.</summary>
    public string QuarantineDirectory { get; }

    /// <summary>Gets the journal's path.</summary>
    public string JournalPath { get; }

    /// <summary>Gets the path of the addresses' expiry record.</summary>
    public string ExpiriesPath { get; }

    /// <summary>Gets the lock's path.</summary>
    public string WriteLockPath { get; }

    /// <summary>Opens (creating, mode 700) the state of location <paramref name="locationId"/>.</summary>
    /// <param name="state">The state directory.</param>
    /// <param name="locationId">The location's id (a safe name).</param>
    /// <returns>Its state.</returns>
    public static LocationState Open(StateDirectory state, string locationId)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new LocationState(state, state.Directory("location", locationId));
    }

    /// <summary>Waits for the location's lock: one drain at a time reads and writes it, on this host.</summary>
    /// <param name="time">The clock of the polls.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The lock.</returns>
    public Task<StateLock> LockAsync(TimeProvider time, CancellationToken cancellationToken) =>
        StateLock.TakeAsync(WriteLockPath, State.Safety, time, cancellationToken);

    /// <summary>Reads the journal; a damaged or foreign one is set aside (ENTRA065) and read as none.</summary>
    /// <param name="policy">The grant address policy.</param>
    /// <param name="report">Where the ENTRA065 message goes.</param>
    /// <returns>The journal, or null.</returns>
    public LocationJournal? ReadJournal(GrantAddressPolicy policy, Action<string> report) =>
        ReadOrSetAside(JournalPath, text => (JournalText.Parse(text, policy, out var problem), problem), report);

    /// <summary>Reads when addresses expire (the location's lock held); a damaged or foreign record is set aside (ENTRA065) and read as none.</summary>
    /// <param name="policy">The grant address policy.</param>
    /// <param name="report">Where the ENTRA065 message goes.</param>
    /// <returns>The record (empty when there is none).</returns>
    public AddressExpiries ReadExpiries(GrantAddressPolicy policy, Action<string> report) =>
        ReadOrSetAside(ExpiriesPath, text => (AddressExpiries.Parse(text, policy, out var problem), problem), report) ?? AddressExpiries.None;

    /// <summary>Writes when addresses expire durably (the location's lock held).</summary>
    /// <param name="expiries">The record.</param>
    public void WriteExpiries(AddressExpiries expiries)
    {
        ArgumentNullException.ThrowIfNull(expiries);
        DurableFile.Replace(ExpiriesPath, Encoding.UTF8.GetBytes(expiries.Format()));
    }

    /// <summary>Writes the journal durably.</summary>
    /// <param name="journal">The journal.</param>
    public void WriteJournal(LocationJournal journal) => DurableFile.Replace(JournalPath, Encoding.UTF8.GetBytes(JournalText.Format(journal)));

    /// <summary>Reads one of the location's files; one that is unsafe, damaged or foreign is set aside (ENTRA065) and read as none.</summary>
    private T? ReadOrSetAside<T>(string path, Func<string, (T? Value, string? Problem)> parse, Action<string> report)
        where T : class
    {
        var facts = State.Safety.Ownership.Inspect(path);
        if (facts.Kind == FileKind.Missing)
        {
            return null;
        }

        var problem = State.Safety.Problem(facts, FileKind.File);
        if (problem is null)
        {
            var text = StateFileText.Read(path);
            (var value, problem) = text is null ? (null, null) : parse(text);
            if (value is not null)
            {
                return value;
            }

            problem ??= "is too long or not UTF-8 text";
        }

        Quarantine.SetAside(path, QuarantineDirectory, problem, report);
        return null;
    }
}
