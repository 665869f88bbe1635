using Knocknoc.Entra.Cli.Configuration;
using Knocknoc.Entra.Cli.Locations;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Graph;

using Knocknoc.Entra.Cli.Output;

namespace Knocknoc.Entra.Cli.Changes;

/// <summary>
/// Applies a queue's changes: whoever holds the queue's drain lock takes the location's lock, reads the location
/// fresh, applies every queued change of a live process in one PATCH, answers each, and goes again while more
/// arrive. Before it reads it finishes a write that a drain of this location left cut short, from the journal: what
/// that write added for changes whose processes were never told is taken back.
/// </summary>
internal sealed partial class ChangeDrain : IDisposable
{
    /// <summary>The most reads a drain waits through for Entra to show this host's last write (paced at 1 request/s).</summary>
    public const int MaxReads = 10;

    private readonly CliSettings _settings;
    private readonly ChangeQueue _queue;
    private readonly LocationTarget _target;
    private readonly TimeProvider _time;
    private readonly Action<string> _report;
    private readonly Func<INamedLocationClient> _connect;
    private INamedLocationClient? _client;
    private string? _locationId;
    private readonly List<KeyValuePair<Cidr, DateTimeOffset>> _expired = [];
    private bool _withdrawalsPending;

    /// <summary>Initializes a new instance of the <see cref="ChangeDrain"/> class.</summary>
    /// <param name="settings">The settings: name guard, address policy.</param>
    /// <param name="queue">The queue (its drain lock held by the caller).</param>
    /// <param name="target">The queue's location.</param>
    /// <param name="time">The clock.</param>
    /// <param name="report">Where notes and ENTRA065 messages go.</param>
    /// <param name="connect">Creates the Graph client when one is first needed; it is disposed with the drain.</param>
    public ChangeDrain(CliSettings settings, ChangeQueue queue, LocationTarget target, TimeProvider time, Action<string> report, Func<INamedLocationClient> connect)
    {
        _settings = settings;
        _queue = queue;
        _target = target;
        _time = time;
        _report = report;
        _connect = connect;
    }

    /// <summary>Gets how many PATCHes the drain sent.</summary>
    public int Patches { get; private set; }

    /// <summary>Gets or sets a value indicating whether each expired address is reported (off when the caller prints them).</summary>
    public bool ReportsExpiries { get; set; } = true;

    /// <summary>Gets the failure that ended the drain (every waiting change was told it), or null.</summary>
    public EntraException? Failure { get; private set; }

    /// <summary>Gets the addresses whose expiry had passed that this drain removed, with their times.</summary>
    public IReadOnlyList<KeyValuePair<Cidr, DateTimeOffset>> Expired => _expired;

    /// <summary>Removes the addresses whose expiry has passed (<c>knocknoc-entra expire</c>), then drains what is queued.</summary>
    /// <param name="cancellationToken">Stops the drain.</param>
    /// <returns>A task.</returns>
    public async Task ExpireAsync(CancellationToken cancellationToken)
    {
        _withdrawalsPending = true;
        await RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drains until no change is queued and nothing is left to take back, or a failure is answered.</summary>
    /// <param name="cancellationToken">Stops the drain; a write in flight then stays in the journal for the next drain to finish.</param>
    /// <returns>A task.</returns>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while ((_queue.HasQueued() || _withdrawalsPending) && await DrainOnceAsync(cancellationToken).ConfigureAwait(false))
        {
        }
    }

    /// <summary>Disposes the client.</summary>
    public void Dispose() => (_client as IDisposable)?.Dispose();

    private async Task<bool> DrainOnceAsync(CancellationToken cancellationToken)
    {
        string locationId;
        try
        {
            _client ??= _connect();
            locationId = _locationId ??= await _target.ResolveAsync(_client, cancellationToken).ConfigureAwait(false);
        }
        catch (EntraException error)
        {
            Failure = error;

            // Nothing was read or written; every waiting process is told at once rather than each trying in turn.
            foreach (var stem in _queue.WaitingStems())
            {
                _queue.Post(stem, ChangeFailed.From(error));
            }

            _queue.SyncSpool();
            return false;
        }

        var location = LocationState.Open(_queue.State, locationId);
        using var held = await WaitingLine.WhileAsync(location.LockAsync(_time, cancellationToken), "waiting for the location's lock (another drain on this host holds it)").ConfigureAwait(false);
        var policy = _settings.AddressPolicy;
        var journal = Recover(location, location.ReadJournal(policy, _report));
        var items = _queue.Scan(policy, _report);

        // Addresses whose time has come leave in the same write as the queued changes (or in their own, for expire).
        var expiries = location.ReadExpiries(policy, _report);
        var due = expiries.Due(_time.GetUtcNow(), items.Where(item => item.Change.Verb == ChangeVerb.Add && item.Network is not null).Select(item => item.Network!.Value).ToHashSet());
        var withdrawals = (journal?.Withdrawals ?? CidrSet.Empty).Union(CidrSet.Create(due.Select(entry => entry.Key)));
        _withdrawalsPending = false;
        if (items.Count == 0 && withdrawals.IsEmpty)
        {
            return false;
        }

        await PaceAsync(journal, cancellationToken).ConfigureAwait(false);
        var before = journal;
        IpNamedLocation read;
        try
        {
            (read, journal) = await ReadTrustedAsync(_client, locationId, journal, cancellationToken).ConfigureAwait(false);
        }
        catch (EntraException error)
        {
            Failure = error;
            Answer(items, _ => ChangeFailed.From(error));
            return false;
        }

        var current = read.ToSet();
        var plan = ChangePlan.Compose(current, withdrawals, items);
        if (plan.Desired.CidrCount > GraphLimits.MaxIpRanges)
        {
            plan = ChangePlan.WithinCapacity(current, withdrawals, items, GraphLimits.MaxIpRanges);
        }

        if (plan.Desired.SetEquals(current))
        {
            // Nothing to send: what was to be taken back is already out, and a write the read showed is learnt.
            if (journal is not null && (!withdrawals.IsEmpty || !ReferenceEquals(journal, before)))
            {
                location.WriteJournal(journal with { Withdrawals = CidrSet.Empty });
            }

            Answer(items, item => plan.Outcome(item, read, written: false));
            Expire(location, expiries, due, plan.Desired);
            return true;
        }

        // Recorded before the PATCH: if this process dies during it, the next drain knows the write may have landed.
        var sent = new LocationJournal(
            WriteOutcome.Unknown,
            Settled: false,
            _time.GetUtcNow(),
            read.ModifiedDateTime,
            WrittenModified: null,
            plan.Desired,
            [.. plan.Added.Select(pair => new JournalAdd(pair.Network, [.. pair.Owners.Select(Owner)]))],
            current.Except(plan.Desired),
            withdrawals);
        location.WriteJournal(sent);
        try
        {
            await _client.UpdateIpRangesAsync(locationId, plan.Desired.ToCidrs(), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Whatever failed, every waiting process must be told, and what the write added taken back.
        catch (Exception error)
#pragma warning restore CA1031
        {
            var failed = error as EntraException ?? new EntraException(EntraErrorCode.NamedLocationUpdateFailed, error.Message, error);
            Failure = failed;
            Answer(items, _ => ChangeFailed.From(failed));
            location.WriteJournal(sent with { Settled = true, Withdrawals = withdrawals.Union(sent.AddedRanges) });
            return false;
        }

        Patches++;
        var written = sent with { Outcome = WriteOutcome.Written };
        location.WriteJournal(written);
        var untold = Answer(items, item => plan.Outcome(item, read, written: true));
        var takeBack = CidrSet.Create(plan.Added.Where(add => add.Owners.All(untold.Contains)).Select(add => add.Network));
        location.WriteJournal(written with { Settled = true, Withdrawals = takeBack });
        _withdrawalsPending = !takeBack.IsEmpty;
        Expire(location, expiries, due, plan.Desired);
        return true;
    }

    /// <summary>
    /// Forgets the expiries a write carried out (a failed write keeps them: they are due again next time). One whose
    /// address a queued grant put back stays due: that grant's process settles it (a grant without an expiry clears it,
    /// one with a later expiry replaced it already), and if it never does, the next run removes the address.
    /// </summary>
    private void Expire(LocationState location, AddressExpiries expiries, IReadOnlyList<KeyValuePair<Cidr, DateTimeOffset>> due, CidrSet held)
    {
        due = [.. due.Where(entry => !held.Contains(entry.Key))];
        if (due.Count == 0)
        {
            return;
        }

        location.WriteExpiries(expiries.Without(due.Select(entry => entry.Key)));
        _expired.AddRange(due);
        foreach (var (network, expires) in ReportsExpiries ? due : [])
        {
            _report($"knocknoc-entra: {network} expired at {ExpiryText.Of(expires)} and was removed from location {Path.GetFileName(location.Directory)}.");
        }
    }

    /// <summary>Answers each change; returns those whose process was gone (withdrawn or ended), so nobody was told.</summary>
    private HashSet<QueuedItem> Answer(IReadOnlyList<QueuedItem> items, Func<QueuedItem, ChangeOutcome> outcome)
    {
        var untold = new HashSet<QueuedItem>();
        foreach (var item in items)
        {
            if (!_queue.Post(item.Stem, outcome(item)))
            {
                untold.Add(item);
            }
        }

        _queue.SyncSpool();
        return untold;
    }

    private string Owner(QueuedItem item) => _queue.State.Relative(Path.Combine(_queue.Spool, item.Stem));
}
