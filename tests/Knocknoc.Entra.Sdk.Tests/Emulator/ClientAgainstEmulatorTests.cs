using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Graph;
using Knocknoc.Entra.Sdk.Testing;
using Knocknoc.Entra.Sdk.Tests.Support;

namespace Knocknoc.Entra.Sdk.Tests.Emulator;

/// <summary>The SDK's transport (real MSAL, pacing, retries) against the emulator instead of canned answers.</summary>
public class ClientAgainstEmulatorTests
{
    [Test]
    public async Task A_location_lives_its_whole_life_through_the_client()
    {
        using var bed = new EmulatedClientBed();
        var created = await bed.Client.CreateIpAsync("knocknoc_finance", [Cidr.Parse("192.0.2.0/32")]);
        await bed.Client.UpdateIpRangesAsync(created.Id, [Cidr.Parse("203.0.113.6/31"), Cidr.Parse("2001:db8::1/128")]);
        var read = await bed.Client.GetIpAsync(created.Id);
        var listed = await bed.Client.ListAsync();
        var policy = bed.Tenant.AddPolicy("Block outside Knocknoc", "enabled", ["All"], [created.Id]);
        var policies = await bed.Client.ListPoliciesAsync();
        var referenced = Assert.ThrowsAsync<EntraException>(() => bed.Client.DeleteAsync(created.Id))!;
        bed.Tenant.RemovePolicy(policy.Id);
        await bed.Client.DeleteAsync(created.Id);

        Assert.That(read.IpRanges.Select(c => c.ToString()), Is.EqualTo(new[] { "203.0.113.6/31", "2001:db8::1/128" }));
        Assert.That(listed.Select(l => l.Id), Is.EqualTo(new[] { created.Id }));
        Assert.That(policies.Single().References(created.Id), Is.True);
        Assert.That(referenced.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.BadRequest), "a location a policy uses cannot be deleted");
        Assert.That(bed.Tenant.NamedLocations, Is.Empty);
    }

    [Test]
    public async Task The_client_paces_itself_so_the_emulated_rate_limit_never_answers_429()
    {
        using var bed = new EmulatedClientBed(rateLimited: true);
        var location = bed.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        for (var i = 0; i < 5; i++)
        {
            await bed.Client.UpdateIpRangesAsync(location.Id, [Cidr.Parse($"203.0.113.{i}/32")]);
        }

        var graphCalls = bed.Emulator.Journal.Where(e => e.IsGraph).ToList();
        Assert.That(graphCalls.Select(e => e.Status), Is.All.EqualTo(204));
        Assert.That(graphCalls, Has.Count.EqualTo(5));
    }

    [Test]
    public async Task A_page_of_several_large_locations_is_read_although_the_stream_arrives_in_parts()
    {
        using var bed = new EmulatedClientBed();
        bed.Tenant.AddIpNamedLocation("small", ["192.0.2.0/32"]);
        bed.Tenant.AddIpNamedLocation("large", Enumerable.Range(0, 2000).Select(i => $"100.{i / 256}.{i % 256}.0/24"));
        bed.Tenant.AddIpNamedLocation("also large", Enumerable.Range(0, 1999).Select(i => $"100.{8 + (i / 256)}.{i % 256}.0/24"));

        var listed = await bed.Client.ListAsync();

        Assert.That(listed.OfType<IpNamedLocation>().Select(l => l.IpRanges.Length), Is.EqualTo(new[] { 1, 2000, 1999 }));
    }

    [Test]
    public async Task Transient_faults_and_dropped_connections_are_retried_through()
    {
        using var bed = new EmulatedClientBed();
        var location = bed.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        bed.Emulator.FailNext(EmulatedFault.ServiceUnavailable);
        bed.Emulator.FailNext(EmulatedFault.ConnectionReset);
        bed.Emulator.FailNext(EmulatedFault.TooManyRequests);

        var read = await bed.Client.GetIpAsync(location.Id);

        Assert.That(read.IpRanges.Single().ToString(), Is.EqualTo("192.0.2.0/32"));
        Assert.That(bed.Emulator.Journal.Where(e => e.IsGraph).Select(e => e.Status), Is.EqualTo(new[] { 503, 0, 429, 200 }));
    }

    [Test]
    public void Zero_retries_means_one_attempt()
    {
        using var bed = new EmulatedClientBed();
        var location = bed.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        var client = bed.ClientWith(EntraCredential.ClientSecret(bed.Tenant.TenantId, bed.Application.ClientId, bed.Application.ClientSecret), maxRetryAttempts: 0);
        bed.Emulator.FailNext(EmulatedFault.ServiceUnavailable);

        var error = Assert.ThrowsAsync<EntraException>(() => client.GetIpAsync(location.Id))!;

        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.NamedLocationReadFailed));
        Assert.That(bed.Emulator.Journal.Count(e => e.IsGraph), Is.EqualTo(1));
    }

    [Test]
    public void A_create_whose_answer_is_lost_is_not_resent_so_no_duplicate_appears()
    {
        using var bed = new EmulatedClientBed();
        bed.Emulator.FailNext(EmulatedFault.ResponseLost);

        var error = Assert.ThrowsAsync<EntraException>(() => bed.Client.CreateIpAsync("knocknoc_x", [Cidr.Parse("192.0.2.0/32")]))!;

        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.ConnectionFailed));
        Assert.That(bed.Tenant.NamedLocations, Has.Count.EqualTo(1), "created once, never twice");
        Assert.That(bed.Emulator.Journal.Count(e => e.Method == "POST" && e.IsGraph), Is.EqualTo(1));
    }

    [Test]
    public async Task An_update_whose_answer_is_lost_is_resent_safely()
    {
        using var bed = new EmulatedClientBed();
        var location = bed.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        bed.Emulator.FailNext(EmulatedFault.ResponseLost);

        await bed.Client.UpdateIpRangesAsync(location.Id, [Cidr.Parse("203.0.113.7/32")]);

        Assert.That(bed.Tenant.FindNamedLocation(location.Id)!.IpRanges, Is.EqualTo(new[] { "203.0.113.7/32" }));
        Assert.That(bed.Emulator.Journal.Where(e => e.IsGraph).Select(e => e.Status), Is.EqualTo(new[] { 0, 204 }));
    }

    private static IEnumerable<TestCaseData> Failures()
    {
        yield return new TestCaseData("wrong secret", EntraErrorCode.AuthenticationFailed, EntraAuthenticationFailure.InvalidClientSecret).SetName("Wrong secret through MSAL is ENTRA001 InvalidClientSecret");
        yield return new TestCaseData("expired secret", EntraErrorCode.AuthenticationFailed, EntraAuthenticationFailure.ExpiredClientSecret).SetName("Expired secret through MSAL is ENTRA001 ExpiredClientSecret");
        yield return new TestCaseData("unknown tenant", EntraErrorCode.AuthenticationFailed, EntraAuthenticationFailure.TenantNotFound).SetName("Unknown tenant through MSAL is ENTRA001 TenantNotFound");
        yield return new TestCaseData("no permission", EntraErrorCode.AuthorizationFailed, null).SetName("No consent is ENTRA002");
        yield return new TestCaseData("missing", EntraErrorCode.NamedLocationNotFound, null).SetName("A missing location is ENTRA052");
        yield return new TestCaseData("country", EntraErrorCode.NotAnIpNamedLocation, null).SetName("A countries location is ENTRA053");
        yield return new TestCaseData("captive portal", EntraErrorCode.UnexpectedResponse, null).SetName("A captive portal page is ENTRA054");
        yield return new TestCaseData("truncated", EntraErrorCode.UnexpectedResponse, null).SetName("Truncated JSON is ENTRA054");
        yield return new TestCaseData("too wide", EntraErrorCode.NamedLocationUpdateFailed, null).SetName("A range Graph refuses is ENTRA051 with its reason");
    }

    [TestCaseSource(nameof(Failures))]
    public async Task Every_failure_the_emulator_plays_is_its_ENTRA_code(string situation, EntraErrorCode code, EntraAuthenticationFailure? cause)
    {
        using var bed = new EmulatedClientBed(permissions: situation == "no permission" ? GraphPermissions.None : GraphPermissions.All);
        var ip = bed.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        var country = bed.Tenant.AddCountryNamedLocation("nz", "NZ");
        bed.Application.SecretExpired = situation == "expired secret";
        using var client = situation switch
        {
            "wrong secret" => bed.ClientWith(EntraCredential.ClientSecret(bed.Tenant.TenantId, bed.Application.ClientId, "wrong")),
            "unknown tenant" => bed.ClientWith(EntraCredential.ClientSecret(Guid.NewGuid().ToString(), bed.Application.ClientId, bed.Application.ClientSecret)),
            _ => bed.ClientWith(EntraCredential.ClientSecret(bed.Tenant.TenantId, bed.Application.ClientId, bed.Application.ClientSecret)),
        };
        if (situation == "captive portal")
        {
            bed.Emulator.FailNext(EmulatedFault.CaptivePortalPage);
        }

        if (situation == "truncated")
        {
            bed.Emulator.FailNext(EmulatedFault.TruncatedJson);
        }

        var error = Assert.ThrowsAsync<EntraException>(async () =>
        {
            switch (situation)
            {
                case "missing":
                    await client.GetIpAsync(Guid.NewGuid().ToString());
                    break;
                case "country":
                    await client.GetIpAsync(country.Id);
                    break;
                case "captive portal" or "too wide":
                    await client.UpdateIpRangesAsync(ip.Id, [Cidr.Parse(situation == "too wide" ? "10.0.0.0/9" : "192.0.2.9/32")]);
                    break;
                default:
                    await client.GetIpAsync(ip.Id);
                    break;
            }
        })!;

        Assert.That(error.Code, Is.EqualTo(code));
        Assert.That(error.AuthenticationFailure, Is.EqualTo(cause));
    }
}
