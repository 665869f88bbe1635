using Knocknoc.Entra.Cli.Configuration;
using Knocknoc.Entra.Cli.Locations;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Errors;
using Knocknoc.Entra.Sdk.Graph;

namespace Knocknoc.Entra.Cli.Script;

/// <summary>
/// Knocknoc's script backend: many processes at once (one per sign-in) must neither lose each other's changes nor
/// cost one write each. Each process queues its change in the ACL's spool, then tries the ACL's host lock. The
/// holder drains every queued change into one fresh read and one PATCH, again while more arrive, and deletes what it
/// drained only once the PATCH succeeded. A process without the lock waits until its change is drained, or takes the
/// lock when the holder releases it with the change still queued (the holder failed).
/// </summary>
internal sealed class ScriptBackend
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    private readonly CliSettings _settings;
    private readonly string _acl;
    private readonly TimeProvider _time;
    private readonly ScriptSpool _spool;
    private readonly LastWrite _lastWrite;

    /// <summary>Initializes a new instance of the <see cref="ScriptBackend"/> class.</summary>
    /// <param name="settings">The settings.</param>
    /// <param name="acl">The ACL (checked: letters, digits, '_', '-', '.').</param>
    /// <param name="time">The clock.</param>
    public ScriptBackend(CliSettings settings, string acl, TimeProvider time)
    {
        _settings = settings;
        _acl = acl;
        _time = time;
        _spool = new ScriptSpool(Path.Combine(settings.StateDirectory, acl));
        _lastWrite = new LastWrite(_spool.Directory, _time);
    }

    /// <summary>Whether an ACL name is usable as a directory and a location name suffix.</summary>
    /// <param name="acl">The name.</param>
    /// <returns>True when it is.</returns>
    public static bool IsValidAcl(string acl) =>
        acl.Length is > 0 and <= 100 && acl[0] != '.' && acl.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    /// <summary>Queues the change and sees it applied.</summary>
    /// <param name="verb">add, del or flush.</param>
    /// <param name="network">The network, null for flush.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>How many PATCHes this process sent (0 when another process applied the change).</returns>
    public async Task<int> RunAsync(string verb, Cidr? network, CancellationToken cancellationToken)
    {
        var mine = _spool.Append(verb, network, _time.GetUtcNow());
        var deadline = _time.GetUtcNow() + Patience;
        while (true)
        {
            if (TryLock() is { } held)
            {
                using (held)
                {
                    return await DrainAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            if (!File.Exists(mine))
            {
                // The holder drained this change into its PATCH.
                return 0;
            }

            if (_time.GetUtcNow() > deadline)
            {
                throw new EntraException(EntraErrorCode.NamedLocationUpdateFailed, $"the change waited {Patience.TotalMinutes} minutes for the lock of ACL '{_acl}' and is still queued in {_spool.Directory}");
            }

            await Task.Delay(Poll, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private FileStream? TryLock()
    {
        try
        {
            return new FileStream(Path.Combine(_spool.Directory, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var patches = 0;
        NamedLocationClient? open = null;
        try
        {
            string? locationId = null;
            while (_spool.ReadAll() is { Count: > 0 } changes)
            {
                open ??= ConnectionOptions.CreateClient(_settings);
                locationId ??= await ResolveAsync(open, cancellationToken).ConfigureAwait(false);

                // Read to check the location and its name guard; build on it only when no write of this host is so
                // recent that the read may predate it (Graph is eventually consistent).
                var location = await LocationEditor.ReadAsync(open, locationId, null, _settings.NamePrefix, cancellationToken).ConfigureAwait(false);
                var basis = _lastWrite.Recent() ?? location.ToSet();
                var desired = LocationEditor.Desired(basis, held => changes.Aggregate(held, (set, change) => change.ApplyTo(set)));
                if (!desired.SetEquals(basis))
                {
                    await open.UpdateIpRangesAsync(location.Id, desired.ToCidrs(), cancellationToken).ConfigureAwait(false);
                    _lastWrite.Record(desired);
                    patches++;
                }

                foreach (var change in changes)
                {
                    File.Delete(change.File);
                }
            }

            return patches;
        }
        finally
        {
            open?.Dispose();
        }
    }

    private async Task<string> ResolveAsync(NamedLocationClient client, CancellationToken cancellationToken) =>
        _settings.Acls.TryGetValue(_acl, out var id)
            ? id
            : await LocationEditor.FindIdAsync(client, _settings.NamePrefix + _acl, cancellationToken).ConfigureAwait(false);
}
