using Knocknoc.Entra.Sdk.PostgreSql;
using Npgsql;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Knocknoc.Entra.Sdk.FailoverTrial;

/// <summary>
/// One agent process: a PostgreSQL gate under a steady load of grants (a fresh IPv6 documentation address each) and
/// revocations of its own acknowledged grants. It reports on stdout: <c>G id address</c> once a grant is
/// acknowledged, <c>T id</c> before it tries a revocation, <c>R id</c> once the revocation is acknowledged. It stops
/// the load when stdin says <c>stop</c>, then exits.
/// </summary>
internal static class TrialAgent
{
    public static async Task<int> RunAsync(string name)
    {
        string Setting(string key) => Environment.GetEnvironmentVariable("TRIAL_" + key) ?? throw new InvalidOperationException($"TRIAL_{key} is not set");
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(X509Certificate2.CreateFromPem(File.ReadAllText(Setting("CERT"))));
        var root = new Uri(Setting("EMULATOR"));
        await using var dataSource = NpgsqlDataSource.Create(Setting("POSTGRES"));
        await using var gate = PostgreSqlNamedLocationGate.Create(new PostgreSqlGateOptions
        {
            DataSource = dataSource,
            AgentName = name,
            Gate = new NamedLocationGateOptions
            {
                LocationId = Setting("LOCATION"),
                Credential = EntraCredential.ClientSecret(Setting("TENANT"), Setting("CLIENT"), Setting("SECRET")),
                Cloud = EntraCloud.Custom(root, root),
                Transport = new SocketsHttpHandler { AllowAutoRedirect = false, SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy } },
                AddressPolicy = new GrantAddressPolicy(GrantAddressPolicy.DocumentationRanges),
                ReadAfterWriteDelay = TimeSpan.FromSeconds(5),
            },
            LateWriteWindow = TimeSpan.FromSeconds(5),
        });
        await gate.StartAsync();

        using var stop = new CancellationTokenSource();
        var output = TextWriter.Synchronized(Console.Out);
        var stopReader = Task.Run(async () =>
        {
            while (await Console.In.ReadLineAsync() is { } line && line != "stop")
            {
            }

            await stop.CancelAsync();
        });
        var workers = Enumerable.Range(0, 4).Select(worker => Task.Run(() => LoadAsync(gate, name, worker, output, stop.Token))).ToArray();
        await Task.WhenAll(workers);
        output.WriteLine("DONE");
        return 0;
    }

    private static async Task LoadAsync(PostgreSqlNamedLocationGate gate, string name, int worker, TextWriter output, CancellationToken stop)
    {
        var random = new Random(HashCode.Combine(name, worker));
        var mine = new List<string>();
        var agentNumber = int.Parse(name[(name.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            try
            {
                if (mine.Count > 3 && random.Next(3) == 0)
                {
                    var id = mine[random.Next(mine.Count)];
                    mine.Remove(id);
                    output.WriteLine($"T {id}");
                    await gate.RevokeAsync(id, CancellationToken.None);
                    output.WriteLine($"R {id}");
                }
                else
                {
                    var id = $"{name}-{worker}-{n}";
                    var address = $"2001:db8:{agentNumber:x}:{worker:x}::{n:x}";
                    await gate.GrantAsync(id, address, TimeProvider.System.GetUtcNow().AddHours(2), CancellationToken.None);
                    mine.Add(id);
                    output.WriteLine($"G {id} {address}");
                }
            }
            catch (Exception error) when (error is EntraException or ObjectDisposedException)
            {
                output.WriteLine($"F {error.GetType().Name}");
                await Task.Delay(200, CancellationToken.None);
            }
        }
    }
}
