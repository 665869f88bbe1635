using System.Net;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Knocknoc.Entra.Sdk.Tests.Gate;

/// <summary>Durability (point 10): grants survive a restart; a damaged store keeps what it can and empties nothing.</summary>
public class GateDurabilityTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("knocknoc-gate-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Grants_and_expiries_survive_a_restart_through_the_file_store()
    {
        await using var bed = new GateTestBed();
        var path = Path.Combine(_directory, "grants.txt");
        var first = await bed.StartGateAsync(o => o.Store = new FileGrantStore(path));
        await first.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(1));
        await first.GrantAsync("bob", "203.0.113.8", bed.Now.AddHours(3));
        await first.DisposeAsync();

        bed.Time.Advance(TimeSpan.FromHours(2));
        var second = await bed.StartGateAsync(o => o.Store = new FileGrantStore(path));

        Assert.That(second.GetState().Grants.Select(g => g.Id), Is.EqualTo(new[] { "bob" }));
        Assert.That(await bed.EntraBecomesAsync("203.0.113.8/32"), Is.True, string.Join(", ", bed.Entra));
    }

    [Test]
    public async Task A_truncated_store_keeps_its_valid_grants_and_removes_nothing_until_the_host_reconciles()
    {
        await using var bed = new GateTestBed();
        var path = await StoreCutInsideItsLastGrantAsync(bed);

        var second = await bed.StartGateAsync(o => o.Store = new FileGrantStore(path));
        var state = second.GetState();
        Assert.That(state.StoreProblems, Is.Not.Empty);
        Assert.That(state.Grants, Has.Length.EqualTo(1), "the valid grant is kept");
        Assert.That(bed.Logs.Entries.Any(e => e.EventId.Id == 2062), Is.True, "reported as ENTRA062");

        await second.GrantAsync("carol", "203.0.113.50", bed.Now.AddHours(8));
        Assert.That(bed.Entra, Is.SupersetOf(new[] { "203.0.113.7/32", "198.51.100.20/32" }), "the lost grant's address is not silently removed");

        await second.ReconcileAsync([new("carol", IPAddress.Parse("203.0.113.50"), bed.Now.AddHours(8))]);
        Assert.That(bed.Entra, Is.EqualTo(new[] { "203.0.113.50/32" }), "the host's truth decides");
    }

    [Test]
    public async Task A_damaged_stores_protection_survives_another_restart_until_the_host_reconciles()
    {
        await using var bed = new GateTestBed();
        var path = await StoreCutInsideItsLastGrantAsync(bed);

        var second = await bed.StartGateAsync(o => o.Store = new FileGrantStore(path));
        await second.GrantAsync("carol", "203.0.113.50", bed.Now.AddHours(8));
        await second.DisposeAsync();

        bed.Time.Advance(TimeSpan.FromMinutes(2));
        var third = await bed.StartGateAsync(o => o.Store = new FileGrantStore(path));
        await third.GrantAsync("dave", "203.0.113.60", bed.Now.AddHours(8));
        Assert.That(bed.Entra, Is.SupersetOf(new[] { "203.0.113.7/32", "198.51.100.20/32" }), "no reconcile happened yet");

        await third.ReconcileAsync([new GrantRequest("dave", IPAddress.Parse("203.0.113.60"), bed.Now.AddHours(8))]);
        Assert.That(bed.Entra, Is.EqualTo(new[] { "203.0.113.60/32" }));
    }

    [Test]
    public async Task A_store_that_cannot_be_read_fails_the_start_with_ENTRA062_logged_once()
    {
        await using var bed = new GateTestBed();

        // A directory in the file's place cannot be read as a file, whoever runs the tests (even root).
        var path = Path.Combine(_directory, "grants.txt");
        Directory.CreateDirectory(path);

        var error = Assert.ThrowsAsync<EntraException>(async () => await bed.StartGateAsync(o => o.Store = new FileGrantStore(path)));

        Assert.That(error!.Code, Is.EqualTo(EntraErrorCode.GrantStoreDamaged));
        var logged = bed.Logs.Entries.Where(e => e.EventId.Id == 2062).ToList();
        Assert.That(logged, Has.Count.EqualTo(1), "logged by the start, once");
        Assert.That(logged[0].EventId.Name, Is.EqualTo("ENTRA062"));
        Assert.That(logged[0].Level, Is.EqualTo(LogLevel.Error));
        Assert.That(logged[0].Text, Does.Contain(path), "names the file");
    }

    [Test]
    public async Task A_start_that_fails_in_Graph_with_a_store_logs_the_failure_once()
    {
        await using var bed = new GateTestBed();

        var error = Assert.ThrowsAsync<EntraException>(async () => await bed.StartGateAsync(o =>
        {
            o.Store = new FileGrantStore(Path.Combine(_directory, "grants.txt"));
            o.LocationId = "00000000-0000-0000-0000-000000000000";
        }));

        Assert.That(error!.Code, Is.EqualTo(EntraErrorCode.NamedLocationNotFound));
        Assert.That(bed.Logs.Entries.Count(e => e.EventId.Id == 2052), Is.EqualTo(1), "the Graph client logged it; the start does not again");
    }

    [Test]
    public async Task A_revoked_address_leaves_even_when_a_damaged_store_made_the_gate_keep_it()
    {
        await using var bed = new GateTestBed();
        var path = await StoreCutInsideItsLastGrantAsync(bed);
        var second = await bed.StartGateAsync(o => o.Store = new FileGrantStore(path));

        var revoked = await second.RevokeAsync("alice");
        Assert.That(revoked.AddressRemoved, Is.True, "nothing kept covers the revoked address any more");

        Assert.That(bed.Entra, Does.Not.Contain("203.0.113.7/32"), "the revoked address leaves at once");
        Assert.That(bed.Entra, Does.Contain("198.51.100.20/32"), "what the damaged store could not account for is still kept");
        Assert.That(second.GetState().KeptRanges, Does.Not.Contain(Cidr.Parse("203.0.113.7/32")));
    }

    [Test]
    public async Task A_second_gate_on_the_same_store_file_is_refused_at_start_until_the_first_stops()
    {
        await using var bed = new GateTestBed();
        var path = Path.Combine(_directory, "grants.txt");
        var first = await bed.StartGateAsync(o => o.Store = new FileGrantStore(path));
        await first.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8));

        var error = Assert.ThrowsAsync<EntraException>(async () => await bed.StartGateAsync(o => o.Store = new FileGrantStore(path)))!;
        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.GrantStoreLocked));
        Assert.That(error.Message, Does.Contain(path), "names the file");
        Assert.That(error.IsTransient, Is.False);

        await first.DisposeAsync();
        var second = await bed.StartGateAsync(o => o.Store = new FileGrantStore(path));
        Assert.That(second.GetState().Grants.Select(g => g.Id), Is.EqualTo(new[] { "alice" }), "the first gate's grants, whole");
    }

    [Test]
    public async Task A_store_held_by_another_process_is_refused_and_taken_once_that_process_dies()
    {
        await using var bed = new GateTestBed();
        var path = Path.Combine(_directory, "grants.txt");

        // flock(1) takes the same kind of lock .NET takes for an exclusive open on Unix: another process holding it.
        using var holder = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("flock", ["--no-fork", "--exclusive", path + ".lock", "sleep", "600"]) { RedirectStandardError = true })!;
        Assert.That(await Eventually.HoldsAsync(() => File.Exists(path + ".lock")), Is.True);
        await Task.Delay(200);

        var error = Assert.ThrowsAsync<EntraException>(async () => await bed.StartGateAsync(o => o.Store = new FileGrantStore(path)))!;
        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.GrantStoreLocked));

        holder.Kill();
        await holder.WaitForExitAsync();
        var gate = await bed.StartGateAsync(o => o.Store = new FileGrantStore(path));
        Assert.That(gate.GetState().IsStarted, Is.True, "a dead holder never blocks the next start");
    }

    [Test]
    public async Task Temporary_files_left_by_killed_saves_are_removed_when_a_gate_takes_the_store()
    {
        await using var bed = new GateTestBed();
        var path = Path.Combine(_directory, "grants.txt");
        var leftovers = Enumerable.Range(0, 3).Select(i => path + ".tmp-" + Guid.NewGuid().ToString("N")).ToList();
        foreach (var leftover in leftovers)
        {
            await File.WriteAllTextAsync(leftover, "knocknoc-entra-grants 1");
        }

        await bed.StartGateAsync(o => o.Store = new FileGrantStore(path));

        Assert.That(leftovers.Where(File.Exists), Is.Empty);
    }

    /// <summary>A gate granted alice and bob through a file store, then the file was cut inside bob's record (and its end marker).</summary>
    private async Task<string> StoreCutInsideItsLastGrantAsync(GateTestBed bed)
    {
        var path = Path.Combine(_directory, "grants.txt");
        var first = await bed.StartGateAsync(o => o.Store = new FileGrantStore(path));
        await first.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8));
        await first.GrantAsync("bob", "198.51.100.20", bed.Now.AddHours(8));
        await first.DisposeAsync();
        var text = await File.ReadAllTextAsync(path);
        var lastGrant = text.LastIndexOf("grant ", StringComparison.Ordinal);
        await File.WriteAllTextAsync(path, text[..(lastGrant + 10)]);
        return path;
    }
}
