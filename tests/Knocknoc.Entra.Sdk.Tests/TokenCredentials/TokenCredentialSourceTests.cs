using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Knocknoc.Entra.Sdk.Azure;
using Knocknoc.Entra.Sdk.Tests.Gate;
using Knocknoc.Entra.Sdk.Testing;

namespace Knocknoc.Entra.Sdk.Tests.TokenCredentials;

/// <summary>Any Azure.Core <see cref="TokenCredential"/> signs a gate in, with the cloud's scope and the SDK's error codes.</summary>
public class TokenCredentialSourceTests
{
    [Test]
    public async Task Azure_Identitys_client_secret_credential_signs_a_gate_in_against_the_emulator()
    {
        await using var bed = new GateTestBed();
        var credential = new ClientSecretCredential(bed.Tenant.TenantId, bed.Application.ClientId, bed.Application.ClientSecret, new ClientSecretCredentialOptions
        {
            AuthorityHost = EntraEmulator.Cloud.AuthorityHost,
            DisableInstanceDiscovery = true,
            Transport = new HttpClientTransport(bed.Emulator.CreateHandler()),
            Retry = { MaxRetries = 0 },
        });
        var gate = await bed.StartGateAsync(o =>
        {
            o.Credential = null;
            o.TokenSource = new TokenCredentialSource(credential, o.Cloud, bed.Time);
        });

        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(1));

        Assert.That(bed.Entra, Is.EqualTo(new[] { "203.0.113.7/32" }));
        Assert.That(bed.Emulator.Journal.Count(e => !e.IsGraph && e.Method == "POST"), Is.EqualTo(1), "one token, kept for every request after it");
    }

    [Test]
    public async Task It_asks_for_the_clouds_Graph_scope_and_keeps_the_token_until_five_minutes_before_expiry()
    {
        var time = new AutoAdvancingTimeProvider();
        var credential = new ScriptedCredential(time, lifetime: TimeSpan.FromHours(1));
        var source = new TokenCredentialSource(credential, EntraCloud.China, time);

        var first = await source.GetTokenAsync(forceRefresh: false);
        time.Skip(TimeSpan.FromMinutes(54));
        var kept = await source.GetTokenAsync(forceRefresh: false);
        time.Skip(TimeSpan.FromMinutes(1));
        var renewed = await source.GetTokenAsync(forceRefresh: false);
        var forced = await source.GetTokenAsync(forceRefresh: true);

        Assert.That(credential.Scopes, Is.All.EqualTo(new[] { "https://microsoftgraph.chinacloudapi.cn/.default" }));
        Assert.That((first.Token, kept.Token, renewed.Token, forced.Token), Is.EqualTo(("token-1", "token-1", "token-2", "token-3")));
        Assert.That(source.ToString(), Does.Not.Contain("token-"));
    }

    [Test]
    public async Task A_credentials_own_refresh_time_wins_over_the_margin()
    {
        var time = new AutoAdvancingTimeProvider();
        var credential = new ScriptedCredential(time, lifetime: TimeSpan.FromHours(24), refreshAfter: TimeSpan.FromHours(12));
        var source = new TokenCredentialSource(credential, EntraCloud.Global, time);

        await source.GetTokenAsync(forceRefresh: false);
        time.Skip(TimeSpan.FromHours(12));
        var token = await source.GetTokenAsync(forceRefresh: false);

        Assert.That(token.Token, Is.EqualTo("token-2"));
    }

    [Test]
    public void A_refused_secret_is_ENTRA001_with_its_cause()
    {
        var credential = new ScriptedCredential(new AutoAdvancingTimeProvider(), TimeSpan.FromHours(1))
        {
            Failure = new AuthenticationFailedException("ClientSecretCredential authentication failed: AADSTS7000215: Invalid client secret provided."),
        };

        var error = Assert.ThrowsAsync<EntraException>(async () => await new TokenCredentialSource(credential, EntraCloud.Global).GetTokenAsync(false))!;

        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.AuthenticationFailed));
        Assert.That(error.AuthenticationFailure, Is.EqualTo(EntraAuthenticationFailure.InvalidClientSecret));
        Assert.That(error.IsTransient, Is.False);
    }

    [Test]
    public void No_credential_available_is_ENTRA001_and_not_retried()
    {
        var credential = new ScriptedCredential(new AutoAdvancingTimeProvider(), TimeSpan.FromHours(1))
        {
            Failure = new CredentialUnavailableException("DefaultAzureCredential failed to retrieve a token from the included credentials."),
        };

        var error = Assert.ThrowsAsync<EntraException>(async () => await new TokenCredentialSource(credential, EntraCloud.Global).GetTokenAsync(false))!;

        Assert.That((error.Code, error.IsTransient), Is.EqualTo((EntraErrorCode.AuthenticationFailed, false)));
        Assert.That(error.InnerException, Is.TypeOf<CredentialUnavailableException>());
    }

    [Test]
    public void A_network_failure_inside_the_credential_is_ENTRA000_and_transient()
    {
        var credential = new ScriptedCredential(new AutoAdvancingTimeProvider(), TimeSpan.FromHours(1))
        {
            Failure = new AuthenticationFailedException("ManagedIdentityCredential authentication failed", new HttpRequestException("connection refused", null, HttpStatusCode.ServiceUnavailable)),
        };

        var error = Assert.ThrowsAsync<EntraException>(async () => await new TokenCredentialSource(credential, EntraCloud.Global).GetTokenAsync(false))!;

        Assert.That((error.Code, error.IsTransient), Is.EqualTo((EntraErrorCode.ConnectionFailed, true)));
    }

    [Test]
    public void A_cancelled_call_stays_a_cancellation()
    {
        var credential = new ScriptedCredential(new AutoAdvancingTimeProvider(), TimeSpan.FromHours(1));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.CatchAsync<OperationCanceledException>(async () => await new TokenCredentialSource(credential, EntraCloud.Global).GetTokenAsync(false, cancelled.Token));
    }

    /// <summary>A credential that hands out numbered tokens, or throws what it is told.</summary>
    private sealed class ScriptedCredential(TimeProvider time, TimeSpan lifetime, TimeSpan? refreshAfter = null) : TokenCredential
    {
        private int _issued;

        public List<string[]> Scopes { get; } = [];

        public Exception? Failure { get; init; }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Scopes.Add(requestContext.Scopes);
            if (Failure is not null)
            {
                throw Failure;
            }

            var now = time.GetUtcNow();
            var refreshOn = refreshAfter is { } after ? now + after : (DateTimeOffset?)null;
            return ValueTask.FromResult(new AccessToken($"token-{++_issued}", now + lifetime, refreshOn));
        }
    }
}
