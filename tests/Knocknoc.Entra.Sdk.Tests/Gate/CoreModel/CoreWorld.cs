using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Tests.Gate.CoreModel;

/// <summary>
/// Carries a <see cref="GateCore"/>'s decisions out against a simulated Entra and store, synchronously and in the
/// order the real driver does (<see cref="NamedLocationGate"/>'s loop and write cycle), failing them at random:
/// saves, writes before or after they applied, writes that land late, reads. Every decision passes through
/// <see cref="CoreInvariants"/>.
/// </summary>
internal sealed class CoreWorld
{
    private readonly Random _random;
    private readonly NamedLocationGateOptions _options;
    private bool _readRequested;
    private int _restarts, _staleReads, _drifts, _undos;

    public CoreWorld(int seed)
    {
        _random = new Random(seed);
        _options = new NamedLocationGateOptions
        {
            LocationId = SimulatedEntra.LocationId,

            // The core never touches the store (the world saves and fails saves itself); it only tells the core
            // that grants are saved, and so may need undoing.
            Store = new InMemoryGrantStore(),
            MaxRanges = 6,
            AddressPolicy = GateTestBed.DocumentationPolicy,
            Ownership = seed % 3 == 0 ? LocationOwnership.Shared : LocationOwnership.Exclusive,
            VerifyWrites = seed % 2 == 0,
            ReadAfterWriteDelay = TimeSpan.FromSeconds(60),
            DriftCheckInterval = TimeSpan.FromMinutes(5),
            RetryBaseDelay = TimeSpan.FromSeconds(5),
            RetryMaxDelay = TimeSpan.FromMinutes(2),
            Resilience = { AttemptTimeout = TimeSpan.FromSeconds(30) },
        };
        Entra = new SimulatedEntra(_random, staleWindow: TimeSpan.FromSeconds(50));
        Check = new CoreInvariants(this);
        Core = NewCore();
        Core.Start(new GrantStoreLoadResult(GrantStoreSnapshot.Empty, []), SimulatedEntra.LocationId, Entra.Read(Now), Now);
        Check.Started(Core.TakeAudit(), damaged: false);
    }

    public DateTimeOffset Now { get; private set; } = DateTimeOffset.UnixEpoch.AddDays(1);

    public GateCore Core { get; private set; }

    public SimulatedEntra Entra { get; }

    public CoreInvariants Check { get; }

    /// <summary>Gets the store's content: the last snapshot saved successfully.</summary>
    public GrantStoreSnapshot Stored { get; private set; } = GrantStoreSnapshot.Empty;

    /// <summary>Gets or sets what callers do while a PATCH is in flight (the core is free then: the driver holds no lock).</summary>
    public Action? DuringWrite { get; set; }

    public double SaveFailure { get; set; }

    public double WriteFailure { get; set; }

    public Cidr Sentinel => _options.Sentinel;

    /// <summary>Gets how often each hard case happened: restarts, reads ignored as stale, drift found, undone saves.</summary>
    public (int Restarts, int StaleReads, int Drifts, int Undos) Seen => (_restarts, _staleReads, _drifts, _undos);

    /// <summary>A caller asks for a read, as <c>CheckDriftAsync</c> does.</summary>
    public void RequestRead()
    {
        Core.RequestRead();
        _readRequested = true;
    }

    public void Advance(TimeSpan by)
    {
        Now += by;
        Entra.Advance(Now);
    }

    /// <summary>The process dies (waiting calls are lost with it) and a new one starts on the store and a read.</summary>
    public void Restart()
    {
        Core = NewCore();
        _readRequested = false;
        _restarts++;
        var damaged = _random.Next(10) == 0;

        // A damaged store may have lost the time of the last write too: it then counts as an instant ago.
        var lostWriteTime = damaged && _random.Next(2) == 0;
        var loaded = new GrantStoreLoadResult(lostWriteTime ? Stored with { LastWriteAt = null } : Stored, damaged ? ["a line failed its checksum"] : []);
        var readAt = Now;
        var outcome = Core.Start(loaded, SimulatedEntra.LocationId, Entra.Read(Now), Now);
        if (outcome.ReadAgainAt is { } again)
        {
            // As the driver: nothing was decided on the untrusted read; wait until reads can be trusted, read again.
            Check.StartDeferred(Core.TakeAudit(), again);
            DeferredStarts++;
            Advance(again - Now);
            outcome = Core.Start(loaded, SimulatedEntra.LocationId, Entra.Read(Now), Now);
        }

        Check.StartedOnTrustedRead(outcome, readAt, lostWriteTime);
        Check.Started(Core.TakeAudit(), damaged);
        Save();
    }

    /// <summary>Gets how many starts came too soon after a write to trust their read, and read again.</summary>
    public int DeferredStarts { get; private set; }

    /// <summary>One turn of the loop, as <c>RunAsync</c> takes it; sleeps move the clock, at most by <paramref name="maxSleep"/>.</summary>
    public void Turn(TimeSpan maxSleep)
    {
        Check.Audit(Core.ApplyExpiries(Now), Core.TakeAudit());
        if (Core.SaveRetryDue(Now))
        {
            Save();
        }

        switch (Core.NextStep(Now, out var wait))
        {
            case LoopStep.Read:
                Check.ReadDecided();
                Read();
                break;
            case LoopStep.Sleep:
                Check.SleepDecided(wait);
                Advance(wait < maxSleep ? wait : maxSleep);
                break;
            default:
                WriteCycle();
                break;
        }
    }

    private GateCore NewCore() => new(new GateSettings(_options));

    private void Read()
    {
        // A request pending when the read began is served by it.
        var requested = _readRequested;
        _readRequested = false;
        if (_random.NextDouble() < WriteFailure / 2)
        {
            Core.ReadFailed(new EntraException(EntraErrorCode.NamedLocationReadFailed, "simulated"), Now, requested);
            return;
        }

        var outcome = Core.ReadReturned(Entra.Read(Now), Now, Now, requested);
        _staleReads += outcome.StaleSince is null ? 0 : 1;
        _drifts += outcome.Drift is null ? 0 : 1;
        Check.ReadTaken();
    }

    private void WriteCycle()
    {
        if (Core.MustRevalidate)
        {
            Core.Revalidated();
        }

        Check.Audit(Core.ApplyExpiries(Now), Core.TakeAudit());
        var plan = Core.PlanWrite(Now);
        Check.Planned(plan);
        EntraException? notDurable = null;
        if (!Save())
        {
            notDurable = Core.UndoUnsavedGrants();
            _undos++;
            Check.Undone(Core.TakeAudit(), Stored);
            plan = Core.PlanWrite(Now);
            Check.Planned(plan);
        }

        var settled = new List<Settlement>();
        if (plan.OverCapacity is { } overCapacity)
        {
            Core.FailGrantCalls(plan.Version, overCapacity, settled);
            Check.Settled(settled, plan: null, notDurable: null);
            settled.Clear();
        }

        if (plan.NeedsWrite)
        {
            if (_random.Next(4) == 0)
            {
                DuringWrite?.Invoke();
            }

            var outcome = _random.NextDouble();
            if (outcome < WriteFailure)
            {
                // Failed: before it reached Graph, after it applied, or lost in flight and landing later.
                var how = _random.Next(3);
                if (how == 1)
                {
                    Entra.Apply(plan.Write.Ranges, Now);
                }
                else if (how == 2)
                {
                    Entra.ApplyLate(plan.Write.Ranges, Now, _options.Resilience.AttemptTimeout);
                }

                var error = new EntraException(EntraErrorCode.NamedLocationUpdateFailed, "simulated");
                Core.WriteFailed(error, plan.Version, notDurable, Now, _random.NextDouble(), settled);
                Check.Failed(settled, plan);
                return;
            }

            Entra.Apply(plan.Write.Ranges, Now);
        }

        Core.WriteConfirmed(plan, plan.NeedsWrite, notDurable, Now, settled);
        Check.Settled(settled, plan, notDurable);
        if (plan.NeedsWrite)
        {
            Save();
        }
    }

    /// <summary>Saves as <c>SaveStoreIfDirtyAsync</c> does; false when the store is behind.</summary>
    public bool Save()
    {
        if (Core.TakeSnapshotToSave() is not { } save)
        {
            return Core.Store.Error is null;
        }

        if (_random.NextDouble() < SaveFailure)
        {
            Core.SaveFailed(new IOException("simulated"), Now);
            return false;
        }

        Stored = save.Snapshot;
        Core.Saved(save.Version);
        Check.SavedAll();
        return true;
    }
}
