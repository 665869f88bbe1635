using System.Text.Json;
using Knocknoc.Entra.Cli.Runtime;
using Knocknoc.Entra.Cli.Tests.Support;

namespace Knocknoc.Entra.Cli.Tests.Commands;

/// <summary>
/// <c>grant --for</c>/<c>--expires</c> and <c>expire</c> as processes against the loopback emulator. The tool runs on
/// the machine's clock, so a test that needs an expiry to pass grants for one second and waits until the clock shows
/// that time has come (never asserting how long anything took).
/// </summary>
[Parallelizable(ParallelScope.All)] // Each test its own emulator and processes; no fields.
public class ExpiryCommandTests
{
    [Test]
    public async Task Grant_for_records_the_expiry_and_expire_removes_the_address_only_once_its_time_has_passed()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var (location, environment) = Location(tenant);

        var before = TimeProvider.System.GetUtcNow();
        var longGrant = await Json(tenant, environment, "grant", "198.51.100.9", "--for", "1h", "--json");
        var after = TimeProvider.System.GetUtcNow();
        var shortExpiry = Expires(await Json(tenant, environment, "grant", "203.0.113.7", "--for", "1s", "--json"));
        Assert.That(Expires(longGrant), Is.InRange(before.AddHours(1), after.AddHours(1)));
        await UntilPassedAsync(shortExpiry);

        var expire = await CliProcess.RunAsync(tenant.Arguments("expire", "--json"), environment);

        Assert.That(expire.ExitCode, Is.Zero, expire.Errors);
        using var expired = JsonDocument.Parse(expire.Output);
        Assert.That(expired.RootElement.EnumerateArray().Select(entry => entry.GetProperty("range").GetString()), Is.EqualTo(new[] { "203.0.113.7/32" }));
        Assert.That(tenant.Tenant.FindNamedLocation(location)!.IpRanges, Is.EqualTo(new[] { "198.51.100.9/32" }), "the address granted for an hour stays");
        Assert.That(tenant.Patches, Is.EqualTo(3));

        var again = await CliProcess.RunAsync(tenant.Arguments("expire"), environment);
        Assert.That(again.ExitCode, Is.Zero, again.Errors);
        Assert.That(again.Output, Does.Contain("nothing has expired"));
        Assert.That(tenant.Patches, Is.EqualTo(3), "nothing due, nothing written");
    }

    [Test]
    public async Task An_expired_address_leaves_in_the_same_PATCH_as_the_next_change()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var (location, environment) = Location(tenant);
        await UntilPassedAsync(Expires(await Json(tenant, environment, "grant", "203.0.113.7", "--for", "1s", "--json")));

        var grant = await CliProcess.RunAsync(tenant.Arguments("grant", "203.0.113.8"), environment);

        Assert.That(grant.ExitCode, Is.Zero, grant.Errors);
        Assert.That(grant.Errors, Does.Contain("203.0.113.7/32 expired at"));
        Assert.That(tenant.Tenant.FindNamedLocation(location)!.IpRanges, Is.EqualTo(new[] { "203.0.113.8/32" }));
        Assert.That(tenant.Patches, Is.EqualTo(2), "one PATCH for the first grant, one for the second grant and the expiry");
    }

    [Test]
    public async Task A_script_backend_change_to_the_same_location_carries_out_the_expiry_too()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_demo", ["192.0.2.0/32"]);
        await UntilPassedAsync(Expires(await Json(tenant, tenant.Environment(location.Id), "grant", "203.0.113.7", "--for", "1s", "--json")));

        var add = await CliProcess.RunAsync(tenant.Arguments("script", "add", "demo", "203.0.113.8"), tenant.Environment());

        Assert.That(add.ExitCode, Is.Zero, add.Errors);
        Assert.That(add.Errors, Does.Contain("203.0.113.7/32 expired at"));
        Assert.That(tenant.Tenant.FindNamedLocation(location.Id)!.IpRanges, Is.EqualTo(new[] { "203.0.113.8/32" }));
        Assert.That(tenant.Patches, Is.EqualTo(2));
    }

    [Test]
    public async Task A_grant_without_an_expiry_keeps_the_address_for_good()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var (location, environment) = Location(tenant);
        var expiry = Expires(await Json(tenant, environment, "grant", "203.0.113.7", "--for", "1s", "--json"));

        var plain = await Json(tenant, environment, "grant", "203.0.113.7", "--json");
        await UntilPassedAsync(expiry);
        var expire = await CliProcess.RunAsync(tenant.Arguments("expire"), environment);

        Assert.That(plain.GetProperty("expires").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(expire.ExitCode, Is.Zero, expire.Errors);
        Assert.That(expire.Output, Does.Contain("nothing has expired"));
        Assert.That(tenant.Tenant.FindNamedLocation(location)!.IpRanges, Is.EqualTo(new[] { "203.0.113.7/32" }));
    }

    [Test]
    public async Task An_expiry_does_not_shorten_a_grant_already_held_for_good()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var (location, environment) = Location(tenant);
        await Json(tenant, environment, "grant", "203.0.113.7");

        // One second: on a loaded machine the drain may meet the grant's own expiry as already due; held for good, the
        // address stays so either way (AddressExpiriesTests has the rule).
        var timed = await Json(tenant, environment, "grant", "203.0.113.7", "--for", "1s", "--json");
        await UntilPassedAsync(TimeProvider.System.GetUtcNow().AddSeconds(1));
        var expire = await CliProcess.RunAsync(tenant.Arguments("expire"), environment);

        Assert.That(timed.GetProperty("expires").ValueKind, Is.EqualTo(JsonValueKind.Null), "held without an expiry, it stays so");
        Assert.That(expire.Output, Does.Contain("nothing has expired"), expire.Errors);
        Assert.That(tenant.Tenant.FindNamedLocation(location)!.IpRanges, Is.EqualTo(new[] { "203.0.113.7/32" }));
    }

    [Test]
    public async Task Revoke_clears_the_expiry_so_a_later_holding_of_the_address_is_not_cut_short()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var (location, environment) = Location(tenant);
        var expiry = Expires(await Json(tenant, environment, "grant", "203.0.113.7", "--for", "1s", "--json"));
        var revoke = await CliProcess.RunAsync(tenant.Arguments("revoke", "203.0.113.7"), environment);
        Assert.That(revoke.ExitCode, Is.Zero, revoke.Errors);

        // Someone puts the address back in the portal: nothing this tool recorded may take it out.
        tenant.Tenant.SetIpRanges(location, ["203.0.113.7/32"]);
        await UntilPassedAsync(expiry);
        var expire = await CliProcess.RunAsync(tenant.Arguments("expire"), environment);

        Assert.That(expire.Output, Does.Contain("nothing has expired"), expire.Errors);
        Assert.That(tenant.Tenant.FindNamedLocation(location)!.IpRanges, Is.EqualTo(new[] { "203.0.113.7/32" }));
    }

    [TestCase("--for", "soon", "--for: 'soon' is not a duration")]
    [TestCase("--for", "0m", "--for: '0m' is not a duration")]
    [TestCase("--expires", "2026-12-06T18:00", "--expires: '2026-12-06T18:00' is not a time with its offset")]
    [TestCase("--expires", "2020-01-01T00:00:00Z", "--expires: '2020-01-01T00:00:00Z' has already passed")]
    public async Task A_bad_expiry_is_one_usage_line_naming_the_option_and_sends_nothing(string option, string value, string message)
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var (_, environment) = Location(tenant);

        var (exitCode, output, errors) = await CliProcess.RunAsync(tenant.Arguments("grant", "203.0.113.7", option, value), environment);

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Usage), output + errors);
        Assert.That(errors.Trim().Split('\n'), Has.Length.EqualTo(1).And.One.StartsWith($"knocknoc-entra: {message}"));
        Assert.That(tenant.Emulator.Journal.Where(entry => entry.IsGraph), Is.Empty, "nothing asked of Graph");
    }

    [Test]
    public async Task Expires_and_for_together_are_a_usage_error()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var (_, environment) = Location(tenant);

        var (exitCode, _, errors) = await CliProcess.RunAsync(
            tenant.Arguments("grant", "203.0.113.7", "--for", "1h", "--expires", "2099-01-01T00:00:00Z"), environment);

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Usage), errors);
        Assert.That(errors, Does.StartWith("knocknoc-entra: --for: give either --expires or --for, not both"));
        Assert.That(tenant.Patches, Is.Zero);
    }

    private static (string Id, Dictionary<string, string?> Environment) Location(LoopbackTenant tenant)
    {
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_exp", ["192.0.2.0/32"]);
        return (location.Id, tenant.Environment(location.Id));
    }

    private static async Task<JsonElement> Json(LoopbackTenant tenant, Dictionary<string, string?> environment, params string[] command)
    {
        var (exitCode, output, errors) = await CliProcess.RunAsync(tenant.Arguments(command), environment);
        Assert.That(exitCode, Is.Zero, errors);
        if (!command.Contains("--json"))
        {
            return default;
        }

        using var document = JsonDocument.Parse(output);
        return document.RootElement.Clone();
    }

    private static DateTimeOffset Expires(JsonElement report) => report.GetProperty("expires").GetDateTimeOffset();

    /// <summary>Waits until the machine's clock (the tool's) has passed <paramref name="time"/>.</summary>
    private static async Task UntilPassedAsync(DateTimeOffset time)
    {
        while (TimeProvider.System.GetUtcNow() <= time)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}
