using System.Net;
using Knocknoc.Entra.DocSnippets.Embedding;
using Knocknoc.Entra.Sdk.Testing;
using Knocknoc.Entra.Sdk.Tests.Support;

namespace Knocknoc.Entra.Sdk.Tests.Docs;

/// <summary>
/// docs/embedding.md's snippets, run against the emulator on a fake clock: what they print is what their
/// <c>// output</c> lines say, and what they do to the emulated tenant is what the text around them claims.
/// </summary>
[NonParallelizable] // Console.Out is redirected while a snippet runs.
public class EmbeddingSnippetRunTests
{
    [Test]
    public async Task A_gate_without_a_host_grants_and_keeps_its_store_after_disposal()
    {
        var site = new DocSite();
        var directory = Directory.CreateTempSubdirectory("knocknoc-docs-").FullName;
        try
        {
            var storePath = Path.Combine(directory, "grants.txt");
            var printed = await Snippets.PrintedByAsync(() => WithoutHost.RunAsync(
                site.Tenant.TenantId, site.App.ClientId, site.App.ClientSecret, site.Location.Id, storePath, site.Clock, site.UseEmulator));

            Assert.That(printed, Is.EqualTo(new[] { "alice holds 203.0.113.7/32", "1 write(s), Entra holds {203.0.113.7/32}" }));
            Snippets.AssertShownAsOutput("embedding-without-host", printed);
            Assert.That(site.Entra, Is.EqualTo(new[] { "203.0.113.7/32" }));
            var stored = await new FileGrantStore(storePath).LoadAsync();
            Assert.That(stored.IsDamaged, Is.False);
            Assert.That(stored.Snapshot.Grants.Select(g => g.GrantId), Is.EqualTo(new[] { "alice" }), "disposal saved the store");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task A_hosted_gate_takes_the_container_s_clock_and_its_store_from_the_provider()
    {
        var site = new DocSite();
        var contentRoot = Directory.CreateTempSubdirectory("knocknoc-docs-").FullName;
        try
        {
            string[] args = [$"--contentRoot={contentRoot}", .. site.Args("Entra")];

            var printed = await Snippets.PrintedByAsync(() => WithHost.RunAsync(args, site.AddEmulator));

            Assert.That(printed, Is.EqualTo(new[] { "default: 203.0.113.7/32" }));
            Snippets.AssertShownAsOutput("embedding-with-host", printed);
            Assert.That(site.Entra, Is.EqualTo(new[] { "203.0.113.7/32" }));
            Assert.That(site.Clock.Delays, Does.Contain(new NamedLocationGateOptions().CoalescingWindow), "the gate's coalescing window ran on the container's clock");
            Assert.That(File.ReadAllText(Path.Combine(contentRoot, "grants.txt")), Does.Contain("alice"));
        }
        finally
        {
            Directory.Delete(contentRoot, recursive: true);
        }
    }

    [Test]
    public async Task Two_tenants_get_a_gate_each_picked_by_key_or_from_the_registry()
    {
        var clock = new AutoAdvancingTimeProvider { AutoFireBelow = TimeSpan.FromSeconds(30) };
        var emulator = new EntraEmulator(new EntraEmulatorOptions { TimeProvider = clock, Seed = 7 });
        var contoso = new DocSite(emulator, clock);
        var fabrikam = new DocSite(emulator, clock);
        var args = contoso.Args("Gates:contoso").Concat(fabrikam.Args("Gates:fabrikam")).ToArray();

        var printed = await Snippets.PrintedByAsync(() => SeveralGates.RunAsync(args, contoso.AddEmulator));

        Assert.That(printed, Is.EqualTo(new[] { "contoso: 203.0.113.7/32", "fabrikam: 192.0.2.0/32" }));
        Snippets.AssertShownAsOutput("embedding-several-gates", printed);
        Assert.That(contoso.Entra, Is.EqualTo(new[] { "203.0.113.7/32" }));
        Assert.That(fabrikam.Entra, Is.EqualTo(new[] { "192.0.2.0/32" }), "the other tenant's location is untouched");
    }

    [Test]
    public async Task A_refused_grant_changes_nothing_a_cancelled_wait_keeps_its_grant_and_revoking_nobody_is_false()
    {
        var site = new DocSite();
        await using var gate = NamedLocationGate.Create(site.Options());
        await gate.StartAsync();

        var printed = await Snippets.PrintedByAsync(() => Operations.RunAsync(gate, site.Clock, new CancellationToken(canceled: true)));

        Assert.That(printed, Is.EqualTo(new[] { "ENTRA059, nothing changed: 0 grant(s)", "carol granted: True", "revoked nobody: False" }));
        Snippets.AssertShownAsOutput("embedding-operations", printed);
        Assert.That(await Eventually.HoldsAsync(() => site.Entra.SequenceEqual(["198.51.100.23/32"])), Is.True, "the cancelled call's grant is written anyway");
    }

    [Test]
    public async Task After_a_damaged_store_the_host_s_truth_replaces_what_the_gate_kept()
    {
        var site = new DocSite("192.0.2.0/32", "198.51.100.50/32");
        var directory = Directory.CreateTempSubdirectory("knocknoc-docs-").FullName;
        try
        {
            var storePath = Path.Combine(directory, "grants.txt");
            File.WriteAllText(storePath, "knocknoc-entra-grants 1 00000000\n");
            await using var gate = NamedLocationGate.Create(site.Options(o => o.Store = new FileGrantStore(storePath)));

            // A damaged store lost its last write's time: the start waits a read-after-write delay (60 s, longer than
            // the doc clock fires by itself) before it decides on a read it can trust. Time passes as it would.
            await TimePasses.WhileAsync(site.Clock, gate.StartAsync(), TimeSpan.FromMinutes(2));
            var until = site.Clock.GetUtcNow().AddHours(8);
            (string, IPAddress, DateTimeOffset)[] sessions =
            [
                ("alice", IPAddress.Parse("203.0.113.7"), until),
                ("bob", IPAddress.Parse("203.0.113.7"), until),
                ("mallory", IPAddress.Parse("10.1.2.3"), until),
            ];

            var printed = await Snippets.PrintedByAsync(() => Durability.ReconcileAsync(gate, sessions));

            Assert.That(printed, Is.EqualTo(new[] { "store damaged: 1 range(s) kept, first problem: line 1: checksum mismatch; the line was altered or cut", "2 added, 0 updated, 0 unchanged, 0 removed", "refused mallory: ENTRA059" }));
            Snippets.AssertShownAsOutput("embedding-reconcile", printed);
            Assert.That(site.Entra, Is.EqualTo(new[] { "203.0.113.7/32" }), "the range kept for the damaged store is gone once the host reconciled");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task The_framework_listeners_see_the_meter_and_the_write_span()
    {
        var site = new DocSite();
        await using var gate = NamedLocationGate.Create(site.Options());
        await gate.StartAsync();
        var output = new StringWriter();
        var console = Console.Out;
        Console.SetOut(output);
        string[] printed;
        try
        {
            var (meters, spans) = Telemetry.Listen();
            using (meters)
            using (spans)
            {
                await gate.GrantAsync("alice", "203.0.113.7", site.Clock.GetUtcNow().AddHours(8));
                meters.RecordObservableInstruments();
                Assert.That(await Eventually.HoldsAsync(() => output.ToString().Contains("span knocknoc.entra.gate.grant ", StringComparison.Ordinal)), Is.True, "the grant's span ends as the grant returns");
            }
        }
        finally
        {
            Console.SetOut(console);
        }

        printed = Snippets.Lines(output.ToString());
        string[] expected =
        [
            "span knocknoc.entra.gate.write default: 1 link(s)",
            "span knocknoc.entra.gate.grant default: 1 link(s)",
            "knocknoc.entra.gate.grant.count {grant} 1 knocknoc.entra.gate.name=default",
        ];
        Assert.That(printed, Is.SupersetOf(expected));
        Assert.That(printed, Has.Some.StartsWith("knocknoc.entra.gate.grant.duration s ").And.Some.StartsWith("knocknoc.entra.gate.write.duration s "));
        Snippets.AssertShownAsOutput("embedding-listeners", expected);
    }
}
