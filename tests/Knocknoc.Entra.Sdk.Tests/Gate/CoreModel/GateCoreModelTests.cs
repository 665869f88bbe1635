using System.Collections.Immutable;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Tests.Gate.CoreModel;

/// <summary>
/// The gate's core driven directly, step by step, with no task, lock or clock: 20 seeds of 5,000 random steps
/// (100,000 in all) of grants, moves, revocations, flushes, reconciles, expiries, drift requests, someone else's edits,
/// cancelled calls and restarts, between loop turns whose saves, writes (failing before or after they applied, or
/// landing late) and reads (stale, flip-flopping, failing) go wrong at rates that change every 500 steps.
/// <see cref="CoreInvariants"/> is checked after every step; at the end, with failures off, Entra must hold the cover.
/// </summary>
public class GateCoreModelTests
{
    private const int StepsPerSeed = 5_000;

    // Documentation addresses, some adjacent (they merge into one range), one IPv6; a cap of 6 ranges refuses some.
    private static readonly string[] Addresses =
    [
        "203.0.113.0", "203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.9", "203.0.113.77",
        "198.51.100.10", "198.51.100.11", "198.51.100.40", "198.51.100.200", "2001:db8::1", "2001:db8::2",
    ];

    private static readonly string[] Ids = ["ana", "bo", "cy", "di", "ed", "fa", "gu", "hu", "io", "jo"];

    private static readonly Cidr[] OthersRanges = [Cidr.Parse("192.0.2.128/25"), Cidr.Parse("198.18.0.0/15"), Cidr.Parse("203.0.113.4/32")];

    [Test]
    public void The_core_keeps_its_invariants_at_every_step([Range(1, 20)] int seed)
    {
        var random = new Random(seed * 7919);
        var world = new CoreWorld(seed);
        world.DuringWrite = () => Call(world, random, random.Next(370));
        var step = 0;
        try
        {
            for (; step < StepsPerSeed; step++)
            {
                if (step % 500 == 0)
                {
                    world.SaveFailure = new[] { 0, 0.1, 0.5 }[random.Next(3)];
                    world.WriteFailure = new[] { 0, 0.1, 0.4 }[random.Next(3)];
                }

                Step(world, random);
                world.Check.AfterStep();
            }

            Converges(world);
        }
        catch (InvariantBroken broken)
        {
            Assert.Fail($"seed {seed}, step {step}: {broken.Message}");
        }

        // The run exercised what it claims to: calls acknowledged and failed, writes confirmed.
        Assert.That(world.Check.Acknowledged, Is.GreaterThan(100), "acknowledged calls");
        Assert.That(world.Check.Failures, Is.GreaterThan(10), "failed calls");
        Assert.That(world.Check.Writes, Is.GreaterThan(100), "confirmed writes");
        var (restarts, staleReads, drifts, undos) = world.Seen;
        Assert.That(restarts, Is.GreaterThan(5), "restarts");
        Assert.That(staleReads + drifts, Is.GreaterThan(0), "reads that were stale or found drift");
        Assert.That(undos, Is.GreaterThan(0), "saves that failed before a write");
        Assert.That(world.DeferredStarts, Is.GreaterThan(0), "starts too soon after a write to trust their read");
        TestContext.Out.WriteLine($"seed {seed}: {world.Check.Acknowledged} acknowledged, {world.Check.Failures} failed, {world.Check.Writes} writes, {restarts} restarts, {staleReads} stale reads, {drifts} drifts, {undos} undos, {world.DeferredStarts} deferred starts");
    }

    private static void Step(CoreWorld world, Random random)
    {
        var core = world.Core;
        var roll = random.Next(1000);
        if (roll < 425)
        {
            Call(world, random, roll);
        }
        else if (roll < 440)
        {
            SomeoneEdits(world, random);
        }
        else if (roll < 444)
        {
            world.Restart();
        }
        else if (roll < 500)
        {
            world.Advance(TimeSpan.FromMilliseconds(random.Next(1, 20_000)));
        }
        else
        {
            world.Turn(TimeSpan.FromMilliseconds(random.Next(1, 90_000)));
        }

        world.Core.TakeAudit();
    }

    /// <summary>A host's call arrives: grant, revoke, flush, reconcile, drift request, or a caller giving up.</summary>
    private static void Call(CoreWorld world, Random random, int roll)
    {
        var core = world.Core;
        switch (roll)
        {
            case < 250:
                Grant(world, random);
                break;
            case < 370:
                var id = Ids[random.Next(Ids.Length)];
                if (core.Revoke(id) is { } entry)
                {
                    world.Check.Revoked(id);
                    Wait(world, isGrant: false, isRevoke: true, id, entry.Network);
                }

                break;
            case < 375:
                if (core.Flush() >= 0)
                {
                    world.Check.Flushed();
                    Wait(world, isGrant: false, isRevoke: false, null, default);
                }

                break;
            case < 395:
                Reconcile(world, random);
                break;
            case < 415:
                world.RequestRead();
                break;
            case < 425:
                if (world.Check.AnyWaiting(random) is { } call)
                {
                    core.Waiters.Remove(call);
                    world.Check.Cancelled(call);
                }

                break;
        }
    }

    private static void Grant(CoreWorld world, Random random)
    {
        var id = Ids[random.Next(Ids.Length)];
        var expiresAt = world.Now.AddSeconds(random.Next(-5, 900));
        try
        {
            var network = world.Core.CheckNetwork(GateTestBed.DocumentationPolicy.GetGrantNetwork(Addresses[random.Next(Addresses.Length)]));
            var (outcome, _, mustWait) = world.Core.Grant(id, network, expiresAt, world.Now);
            world.Check.Granted(id, network, expiresAt);
            if (mustWait)
            {
                Wait(world, isGrant: outcome != GrantOutcome.Unchanged, isRevoke: false, id, network);
            }
        }
        catch (EntraException error) when (error.Code is EntraErrorCode.CapacityExceeded or EntraErrorCode.GrantRefused)
        {
            // Refused: nothing changed (the step's check compares the table with the model).
        }
    }

    private static void Reconcile(CoreWorld world, Random random)
    {
        var requests = new List<GrantRequest>();
        var modelled = new List<(string, Cidr?, DateTimeOffset)>();
        foreach (var id in Ids.Where(_ => random.Next(3) == 0))
        {
            // Now and then an address the policy refuses, or an expiry already past: the id ends.
            var address = random.Next(12) == 0 ? "10.1.2.3" : Addresses[random.Next(Addresses.Length)];
            var expiresAt = world.Now.AddSeconds(random.Next(12) == 0 ? -1 : random.Next(1, 900));
            requests.Add(new GrantRequest(id, System.Net.IPAddress.Parse(address), expiresAt));
            modelled.Add((id, address == "10.1.2.3" ? null : GateTestBed.DocumentationPolicy.GetGrantNetwork(address), expiresAt));
        }

        var (result, granted) = world.Core.Reconcile(requests, world.Now);
        world.Check.Reconciled(modelled, result);
        Wait(world, isGrant: granted, isRevoke: false, null, default);
    }

    /// <summary>Another writer (shared ownership) or a person (exclusive) changes the location behind the gate's back.</summary>
    private static void SomeoneEdits(CoreWorld world, Random random)
    {
        var ranges = world.Entra.Current;
        var edited = random.Next(2) == 0 && ranges.Length > 1
            ? ranges.RemoveAt(random.Next(ranges.Length))
            : ranges.Add(OthersRanges[random.Next(OthersRanges.Length)]);
        world.Entra.Apply(edited.Distinct().ToImmutableArray(), world.Now);
    }

    private static void Wait(CoreWorld world, bool isGrant, bool isRevoke, string? id, Cidr network)
    {
        var call = new WaitingCall(world.Core.Waiters.Version, isGrant, calledAt: 0);
        if (world.Core.Waiters.Add(call))
        {
            world.Check.Waits(call, isRevoke, id, network);
        }
    }

    /// <summary>With nothing failing and nobody else editing, the loop brings Entra to the cover of what the gate holds.</summary>
    private static void Converges(CoreWorld world)
    {
        world.SaveFailure = 0;
        world.WriteFailure = 0;
        for (var turn = 0; turn < 400; turn++)
        {
            world.Turn(TimeSpan.FromMinutes(1));
            world.Check.AfterStep();
        }

        var cover = world.Core.Table.Granted.Union(world.Core.Kept.Coverage);
        var expected = cover.IsEmpty ? CidrSet.Create(world.Sentinel) : cover;
        if (!world.Entra.CurrentSet.SetEquals(expected) || world.Core.Waiters.Count > 0)
        {
            throw new InvariantBroken($"the loop converges: Entra holds {world.Entra.CurrentSet}, the cover is {expected}, {world.Core.Waiters.Count} call(s) wait");
        }
    }
}
