
namespace Knocknoc.Entra.Sdk;

/// <summary>How far the grant store is behind the gate: the version it holds, whether metadata changed, and why its last save failed.</summary>
internal sealed class StoreSync(TimeSpan retryDelay)
{
    public long SavedVersion { get; private set; } = -1;

    /// <summary>Gets or sets a value indicating whether something besides the grants (sent entries, write time, kept ranges) changed.</summary>
    public bool MetadataDirty { get; set; }

    /// <summary>Gets when a failed save is tried again on its own (null: none failed).</summary>
    public DateTimeOffset? RetryAt { get; private set; }

    /// <summary>Gets why the last save failed (ENTRA063); null while the store is current.</summary>
    public EntraException? Error { get; private set; }

    public IReadOnlyList<string> Problems { get; set; } = [];

    public bool RetryDue(DateTimeOffset now) => RetryAt is { } at && at <= now;

    /// <summary>Whether a save of the state at <paramref name="version"/> has anything to write; clears the retry when not.</summary>
    public bool NeedsSave(long version)
    {
        if (SavedVersion == version && !MetadataDirty)
        {
            RetryAt = null;
            return false;
        }

        return true;
    }

    public void Saved(long version)
    {
        SavedVersion = Math.Max(SavedVersion, version);
        RetryAt = null;
        Error = null;
    }

    /// <summary>
    /// The save failed. Entra stays the priority: writes go ahead, and the save is tried again with the next change and
    /// on its own schedule (a revocation already in Entra but not in the store would come back after a crash).
    /// </summary>
    public void Failed(Exception error, DateTimeOffset now)
    {
        MetadataDirty = true;
        RetryAt = now + retryDelay;
        Error = new EntraException(EntraErrorCode.GrantStoreUnwritable, $"The grant store could not be saved: {error.GetType().Name}", error);
    }
}
