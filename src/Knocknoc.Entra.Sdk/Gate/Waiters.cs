
namespace Knocknoc.Entra.Sdk;

/// <summary>A call waiting for the write of the gate's state at <see cref="Version"/>.</summary>
/// <param name="version">The version the call's change (or the state it saw) has.</param>
/// <param name="isGrant">Whether the call grants: its latency is measured, and a capacity shortfall fails it.</param>
/// <param name="calledAt">The call's timestamp (<see cref="TimeProvider.GetTimestamp"/>), for the latency.</param>
internal class WaitingCall(long version, bool isGrant, long calledAt)
{
    public long Version { get; } = version;

    public bool IsGrant { get; } = isGrant;

    public long CalledAt { get; } = calledAt;
}

/// <summary>What a waiting call is told: done, or failed with <see cref="Error"/>.</summary>
internal readonly record struct Settlement(WaitingCall Call, EntraException? Error);

/// <summary>
/// The version bookkeeping and the calls waiting on it. Every accepted change bumps <see cref="Version"/>; a write of
/// the state at version v settles every call waiting on v or less, and nothing settles a call before that.
/// </summary>
internal sealed class Waiters
{
    private readonly List<WaitingCall> _calls = [];

    public long Version { get; private set; }

    /// <summary>Gets the newest version Entra is known to hold (-1: none, or a read since made it unknown).</summary>
    public long Confirmed { get; private set; } = -1;

    public int Count => _calls.Count;

    /// <summary>Gets a value indicating whether a change waits to be written.</summary>
    public bool ChangePending => Version > Confirmed;

    public void Bump() => Version++;

    public void Confirm(long version) => Confirmed = Math.Max(Confirmed, version);

    /// <summary>A read replaced what Entra is known to hold: compare again before calling anything written.</summary>
    public void Unconfirm() => Confirmed = -1;

    /// <summary>Adds a call; false when Entra already holds its version (nothing to wait for).</summary>
    public bool Add(WaitingCall call)
    {
        if (call.Version <= Confirmed)
        {
            return false;
        }

        _calls.Add(call);
        return true;
    }

    public void Remove(WaitingCall call) => _calls.Remove(call);

    /// <summary>Gets the calls a write of the state at <paramref name="version"/> would settle.</summary>
    public IEnumerable<WaitingCall> Through(long version) => _calls.Where(call => call.Version <= version);

    /// <summary>Settles every call waiting on <paramref name="version"/> or earlier (only grant calls if asked).</summary>
    public void Settle(long version, bool grantsOnly, EntraException? error, List<Settlement> into) =>
        _calls.RemoveAll(call =>
        {
            if (call.Version > version || (grantsOnly && !call.IsGrant))
            {
                return false;
            }

            into.Add(new Settlement(call, error));
            return true;
        });
}
