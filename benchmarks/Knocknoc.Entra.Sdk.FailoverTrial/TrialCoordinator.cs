using System.Collections.Concurrent;
using System.Diagnostics;
using Knocknoc.Entra.Sdk.Testing;
using Npgsql;

namespace Knocknoc.Entra.Sdk.FailoverTrial;

/// <summary>
/// The crash trial: an emulated Entra on loopback HTTPS shared by three agent processes on one PostgreSQL
/// (KNOCKNOC_TEST_POSTGRES; tests/postgres/with-postgres.sh sets it), under steady load. Each round kills the writer
/// with SIGKILL, measures how long until another agent holds the lease and has confirmed a write, then lands a late
/// write of the dead writer (a range it had revoked, as a request held in the network would) and measures how long
/// it stays in Entra. At the end: grants acknowledged and never revoked that Entra lacks (lost), and acknowledged
/// revocations Entra holds again (resurrected).
/// </summary>
internal static class TrialCoordinator
{
    public static async Task<int> RunAsync(int rounds)
    {
        var connection = Environment.GetEnvironmentVariable("KNOCKNOC_TEST_POSTGRES")
            ?? throw new InvalidOperationException("KNOCKNOC_TEST_POSTGRES is not set: run through tests/postgres/with-postgres.sh");
        var emulator = new EntraEmulator();
        var tenant = emulator.AddTenant();
        var application = tenant.AddApplication();
        var location = tenant.AddIpNamedLocation("knocknoc_trial", ["192.0.2.0/32"]);
        await using var server = await EntraEmulatorServer.StartAsync(emulator);
        var certificate = Path.GetTempFileName();
        await File.WriteAllTextAsync(certificate, server.CertificatePem);
        await using var database = NpgsqlDataSource.Create(connection);

        var environment = new Dictionary<string, string>
        {
            ["TRIAL_POSTGRES"] = connection, ["TRIAL_CERT"] = certificate, ["TRIAL_EMULATOR"] = server.BaseAddress.ToString(),
            ["TRIAL_TENANT"] = tenant.TenantId, ["TRIAL_CLIENT"] = application.ClientId, ["TRIAL_SECRET"] = application.ClientSecret,
            ["TRIAL_LOCATION"] = location.Id,
        };
        var model = new TrialModel();
        var agents = new List<(string Name, Process Process)>();
        var next = 0;
        void Spawn() => agents.Add(StartAgent($"agent-{++next}", environment, model));
        for (var i = 0; i < 3; i++)
        {
            Spawn();
        }

        var failovers = new List<double>();
        var lateStays = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            var (writer, generation) = await WriterAsync(database, location.Id);
            var victim = agents.Single(a => a.Name == writer);
            var killedAt = Stopwatch.GetTimestamp();
            victim.Process.Kill(); // SIGKILL: no lease given up, nothing finished
            agents.Remove(victim);
            Spawn();

            var (_, newGeneration) = await WriterAsync(database, location.Id, after: generation);
            var confirmedAt = await ConfirmedAfterAsync(database, location.Id, newGeneration);
            failovers.Add(Stopwatch.GetElapsedTime(killedAt, confirmedAt).TotalSeconds);

            // The dead writer's late PATCH lands: what Entra holds plus one address revoked long ago.
            var late = $"2001:db8:ffff::{round:x}/128";
            tenant.SetIpRanges(location.Id, [.. tenant.FindNamedLocation(location.Id)!.IpRanges, late]);
            var landedAt = Stopwatch.GetTimestamp();
            while (tenant.FindNamedLocation(location.Id)!.IpRanges.Contains(late, StringComparer.Ordinal))
            {
                await Task.Delay(50);
            }

            lateStays.Add(Stopwatch.GetElapsedTime(landedAt).TotalSeconds);
            Console.WriteLine(FormattableString.Invariant($"round {round}: killed {writer}, failover {failovers[^1]:F2} s, late write stayed {lateStays[^1]:F2} s"));
        }

        foreach (var (_, process) in agents)
        {
            await process.StandardInput.WriteLineAsync("stop");
        }

        foreach (var (_, process) in agents)
        {
            await process.WaitForExitAsync();
        }

        var entra = Sdk.CidrAlgebra.CidrSet.Create(tenant.FindNamedLocation(location.Id)!.IpRanges.Select(Sdk.CidrAlgebra.Cidr.Parse));
        var (lost, resurrected) = model.Check(entra);
        failovers.Sort();
        lateStays.Sort();
        Console.WriteLine(FormattableString.Invariant(
            $"{rounds} rounds, {model.Granted} grants and {model.Revoked} revocations acknowledged, {model.Failed} calls failed: lost {lost}, resurrected {resurrected}; failover median {failovers[failovers.Count / 2]:F2} s, max {failovers[^1]:F2} s; late write stayed at most {lateStays[^1]:F2} s"));
        File.Delete(certificate);
        return lost == 0 && resurrected == 0 ? 0 : 1;
    }

    private static (string, Process) StartAgent(string name, Dictionary<string, string> environment, TrialModel model)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(TrialCoordinator).Assembly.Location);
        }

        start.ArgumentList.Add("agent");
        start.ArgumentList.Add(name);
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => model.Read(e.Data);
        process.BeginOutputReadLine();
        return (name, process);
    }

    private static async Task<(string Writer, long Generation)> WriterAsync(NpgsqlDataSource database, string key, long after = 0)
    {
        while (true)
        {
            await using var command = database.CreateCommand(
                "SELECT writer, writer_generation FROM knocknoc_entra.locations WHERE location_key = @k AND writer IS NOT NULL AND lease_expires_at > clock_timestamp()");
            command.Parameters.AddWithValue("k", key);
            try
            {
                await using var reader = await command.ExecuteReaderAsync();
                if (await reader.ReadAsync() && reader.GetInt64(1) > after)
                {
                    return (reader.GetString(0), reader.GetInt64(1));
                }
            }
            catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                // The agents have not created the schema yet.
            }

            await Task.Delay(20);
        }
    }

    /// <summary>When the writer of <paramref name="generation"/> (or a later one: a lease lost under load) confirmed its first write after the takeover.</summary>
    private static async Task<long> ConfirmedAfterAsync(NpgsqlDataSource database, string key, long generation)
    {
        await using var start = database.CreateCommand("SELECT version FROM knocknoc_entra.locations WHERE location_key = @k");
        start.Parameters.AddWithValue("k", key);
        var version = (long)(await start.ExecuteScalarAsync())!;
        while (true)
        {
            await using var command = database.CreateCommand(
                "SELECT confirmed_version >= @v AND writer_generation >= @g FROM knocknoc_entra.locations WHERE location_key = @k");
            command.Parameters.AddWithValue("k", key);
            command.Parameters.AddWithValue("v", version);
            command.Parameters.AddWithValue("g", generation);
            if ((bool)(await command.ExecuteScalarAsync())!)
            {
                return Stopwatch.GetTimestamp();
            }

            await Task.Delay(20);
        }
    }
}

/// <summary>What the agents acknowledged, read from their stdout.</summary>
internal sealed class TrialModel
{
    private readonly ConcurrentDictionary<string, string> _granted = new();
    private readonly ConcurrentDictionary<string, bool> _tried = new();
    private readonly ConcurrentDictionary<string, bool> _revoked = new();
    private int _failed;

    public int Granted => _granted.Count;

    public int Revoked => _revoked.Count;

    public int Failed => _failed;

    public void Read(string? line)
    {
        switch (line?.Split(' '))
        {
            case ["G", var id, var address]:
                _granted[id] = address + "/128";
                break;
            case ["T", var id]:
                _tried[id] = true;
                break;
            case ["R", var id]:
                _revoked[id] = true;
                break;
            case ["F", ..]:
                Interlocked.Increment(ref _failed);
                break;
        }
    }

    /// <summary>
    /// Lost: acknowledged, never tried to revoke, and Entra does not allow its address. Resurrected: revocation
    /// acknowledged, and Entra allows its address again. By address, not by entry: the writer's cover merges
    /// neighbouring addresses into one range.
    /// </summary>
    public (int Lost, int Resurrected) Check(Sdk.CidrAlgebra.CidrSet entra) =>
        (_granted.Count(g => !_tried.ContainsKey(g.Key) && !entra.Contains(Sdk.CidrAlgebra.Cidr.Parse(g.Value))),
         _revoked.Keys.Count(id => _granted.TryGetValue(id, out var address) && entra.Contains(Sdk.CidrAlgebra.Cidr.Parse(address))));
}
