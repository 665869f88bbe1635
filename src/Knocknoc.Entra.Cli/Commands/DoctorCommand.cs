using System.CommandLine;
using System.Globalization;
using Knocknoc.Entra.Cli.Configuration;
using Knocknoc.Entra.Cli.Locations;
using Knocknoc.Entra.Cli.Output;
using Knocknoc.Entra.Cli.Runtime;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.Graph;

namespace Knocknoc.Entra.Cli.Commands;

/// <summary>
/// <c>knocknoc-entra doctor</c>: checks a real configuration step by step (settings, token, permission, the location,
/// the name guard, capacity, the Conditional Access policies that use it) and says what to fix. Reads only: it never
/// writes to Entra. Exits 1 when a check fails; warnings alone exit 0.
/// </summary>
internal static class DoctorCommand
{
    /// <summary>The share of <see cref="GraphLimits.MaxIpRanges"/> above which capacity is a warning.</summary>
    private const double CapacityWarningShare = 0.9;

    /// <summary>Creates the command.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        var connection = new ConnectionOptions(withLocation: true);
        var json = new Option<bool>("--json")
        {
            Description = "Print the checks as one JSON array of {name, status, detail, code} on standard output (for scripts).",
        };
        var user = new Option<string?>("--user")
        {
            Description = "Also prove the setup with Entra's What If: a sign-in of this user (object id or user principal name) from inside and from outside the location (needs Policy.Read.ConditionalAccess).",
        };
        var command = new Command("doctor", "Checks the configuration, sign-in, permissions, the location and the policies that use it, and says what to fix (reads only).");
        connection.AddTo(command);
        command.Options.Add(json);
        command.Options.Add(user);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var checks = await RunChecksAsync(() => connection.Load(parseResult), parseResult.GetValue(user), cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(json))
            {
                CliJson.Write(Console.Out, checks, CliJsonContext.Default.ListDoctorCheck);
            }
            else
            {
                Print(checks);
            }

            return checks.Exists(check => check.Status == DoctorCheck.Fail) ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    private static async Task<List<DoctorCheck>> RunChecksAsync(Func<CliSettings> load, string? user, CancellationToken cancellationToken)
    {
        var checks = new List<DoctorCheck>();

        // 1. Configuration: the loader every command uses, and what is missing.
        CliSettings settings;
        NamedLocationClient client;
        try
        {
            settings = load();
            var missing = settings.Missing(needLocation: true);
            if (missing.Count > 0)
            {
                var where = settings.ConfigFile is null ? $"no configuration file (--config or {SettingKeys.ConfigVariable})" : $"configuration file {settings.ConfigFile}";
                checks.Add(DoctorCheck.Failed("configuration", $"missing ({where}): {string.Join("; ", missing)}"));
                return checks;
            }

            client = ConnectionOptions.CreateClient(settings);
        }
        catch (ConfigurationException error)
        {
            checks.Add(DoctorCheck.Failed("configuration", error.Message));
            return checks;
        }

        using (client)
        {
            var target = settings.LocationId is { } id ? $"location id {id}" : $"location name '{settings.LocationName}'";
            var file = settings.ConfigFile is null ? "no configuration file" : $"file {settings.ConfigFile}";
            checks.Add(DoctorCheck.Passed("configuration", $"tenant {settings.TenantId}, client {settings.ClientId}, {settings.CredentialKind}, {target}, name prefix '{settings.NamePrefix}' ({file})"));

            // 2 and 3. The first Graph call signs in (the token) and reads (the permission).
            try
            {
                await client.ListAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (EntraException error) when (error.Code == EntraErrorCode.AuthorizationFailed)
            {
                checks.Add(DoctorCheck.Passed("token", $"signed in to tenant {settings.TenantId} as client {settings.ClientId}"));
                checks.Add(DoctorCheck.Failed("permission", $"reading named locations was refused: grant the app the application permission Policy.Read.All (reads) and Policy.ReadWrite.ConditionalAccess (writes), then an administrator's consent", error));
                return checks;
            }
            catch (EntraException error)
            {
                checks.Add(DoctorCheck.Failed("token", TokenAdvice(error, settings), error));
                return checks;
            }

            checks.Add(DoctorCheck.Passed("token", $"signed in to tenant {settings.TenantId} as client {settings.ClientId}"));

            IReadOnlyList<ConditionalAccessPolicy>? policies = null;
            try
            {
                policies = await client.ListPoliciesAsync(cancellationToken).ConfigureAwait(false);
                checks.Add(DoctorCheck.Passed("permission", "named locations and Conditional Access policies can be read (Policy.Read.All); grant, revoke, flush and script also need Policy.ReadWrite.ConditionalAccess, which doctor does not test as it never writes"));
            }
            catch (EntraException error) when (error.Code == EntraErrorCode.AuthorizationFailed)
            {
                checks.Add(DoctorCheck.Failed("permission", "named locations can be read but Conditional Access policies cannot: grant the app Policy.Read.All, then an administrator's consent", error));
            }
            catch (EntraException error)
            {
                // Graph failed otherwise (a 5xx or throttling after every retry, a timeout, an unexpected answer): the
                // permission is unknown, and the next reads would wait through the same retries, so the chain stops here.
                checks.Add(DoctorCheck.Failed("permission", $"reading the Conditional Access policies failed, so the permission could not be checked: {error.Message}", error));
                return checks;
            }

            // 4. The location: found by id or by name, and an IP location.
            IpNamedLocation location;
            try
            {
                var locationId = settings.LocationId ?? await LocationEditor.FindIdAsync(client, settings.LocationName!, cancellationToken).ConfigureAwait(false);
                location = await client.GetIpAsync(locationId, cancellationToken).ConfigureAwait(false);
            }
            catch (EntraException error)
            {
                checks.Add(DoctorCheck.Failed("location", LocationAdvice(error, settings), error));
                return checks;
            }

            checks.Add(DoctorCheck.Passed("location", $"'{location.DisplayName}' ({location.Id}) is an IP named location"));

            // 5. The name guard: nothing without the prefix is ever touched.
            var guard = LocationNameGuard.Prefix(settings.NamePrefix);
            checks.Add(guard.Allows(location.DisplayName)
                ? DoctorCheck.Passed("name guard", $"'{location.DisplayName}' is a {guard}")
                : DoctorCheck.Failed("name guard", $"'{location.DisplayName}' is not a {guard}, so no command will touch it: rename the location or set name_prefix", EntraErrorCode.NameGuardMismatch));

            // 6. Capacity against Graph's limit.
            var count = location.IpRanges.Length;
            var max = GraphLimits.MaxIpRanges;
            var used = string.Create(CultureInfo.InvariantCulture, $"{count} of {max} ranges used ({count * 100 / max}%)");
            checks.Add(count > max * CapacityWarningShare
                ? DoctorCheck.Warned("capacity", $"{used}: nearly full, grants will be refused (ENTRA058) at {max}; shorten grant lifetimes or split users across locations")
                : DoctorCheck.Passed("capacity", used));

            // 6b. The shared database, when the tool's grants go through one (read only).
            if (settings.PostgresConnection is not null)
            {
                await DoctorSharedDatabase.AddCheckAsync(settings, location.Id, checks, cancellationToken).ConfigureAwait(false);
            }

            // 7. The policies that use the location: the "not triggering" checklist.
            if (policies is not null)
            {
                checks.Add(PolicyCheck(policies, location));

                // 8. What the location means once written: the residual window, CAE's range limit, trust, What If.
                await DoctorEnforcement.AddChecksAsync(client, location, policies, user, checks, cancellationToken).ConfigureAwait(false);
            }
        }

        return checks;
    }

    private static DoctorCheck PolicyCheck(IReadOnlyList<ConditionalAccessPolicy> policies, IpNamedLocation location)
    {
        var referencing = policies.Where(policy => policy.References(location.Id)).ToList();
        if (referencing.Count == 0)
        {
            return DoctorCheck.Warned("policies", "no policy uses this location, so it changes nothing: include or exclude it in a Conditional Access policy's locations condition");
        }

        string Names(ConditionalAccessPolicyState state) =>
            string.Join(", ", referencing.Where(policy => policy.State == state).Select(policy => $"'{policy.DisplayName}'"));

        var enabled = Names(ConditionalAccessPolicyState.Enabled);
        var reportOnly = Names(ConditionalAccessPolicyState.EnabledForReportingButNotEnforced);
        var disabled = Names(ConditionalAccessPolicyState.Disabled);
        if (enabled.Length > 0)
        {
            var others = new[] { reportOnly.Length > 0 ? $"report-only: {reportOnly}" : null, disabled.Length > 0 ? $"off: {disabled}" : null }
                .Where(text => text is not null);
            var rest = string.Join("; ", others);
            return DoctorCheck.Passed("policies", $"enforced by {enabled}" + (rest.Length > 0 ? $" (also {rest})" : string.Empty));
        }

        if (reportOnly.Length > 0)
        {
            return DoctorCheck.Warned("policies", $"used only by {reportOnly} in report-only, and report-only does not enforce: switch the policy On once its sign-in logs look right");
        }

        if (disabled.Length > 0)
        {
            return DoctorCheck.Warned("policies", $"used only by {disabled}, which is off, so the location changes nothing: switch the policy On (or Report-only to try it first)");
        }

        var unknown = string.Join(", ", referencing.Select(policy => $"'{policy.DisplayName}'"));
        return DoctorCheck.Warned("policies", $"used by {unknown} in a state this tool does not know: check the policy is On in the Entra admin center");
    }

    private static string TokenAdvice(EntraException error, CliSettings settings)
    {
        if (error.Code != EntraErrorCode.AuthenticationFailed)
        {
            return $"no token: {error.Message}";
        }

        return error.AuthenticationFailure switch
        {
            EntraAuthenticationFailure.InvalidClientSecret => "the client secret is wrong (AADSTS7000215): use the secret's Value, not its Secret ID, from the app's Certificates & secrets",
            EntraAuthenticationFailure.ExpiredClientSecret => "the client secret has expired (AADSTS7000222): create a new one in the app's Certificates & secrets and update client_secret",
            EntraAuthenticationFailure.ApplicationNotFound => $"no application with client id {settings.ClientId} in tenant {settings.TenantId} (AADSTS700016): check client_id (the Application (client) ID) and that the app lives in this tenant",
            EntraAuthenticationFailure.TenantNotFound => $"the tenant {settings.TenantId} does not exist (AADSTS90002): check tenant_id (the Directory (tenant) ID) and authority_host",
            EntraAuthenticationFailure.InvalidClientAssertion => "the certificate or client assertion was refused: check the certificate uploaded to the app matches the one used",
            EntraAuthenticationFailure.UnauthorizedClient => "the application may not use the client credentials grant: check the app registration (and that it is not disabled)",
            EntraAuthenticationFailure.ManagedIdentityUnavailable => "the managed identity endpoint is unavailable or refused the request",
            _ => $"Entra refused the credentials without saying which part: check tenant_id, client_id and the secret's value (not its id), and whether it has expired [{error.GraphErrorCode ?? "no error code"}]",
        };
    }

    private static string LocationAdvice(EntraException error, CliSettings settings) => error.Code switch
    {
        EntraErrorCode.NamedLocationNotFound when settings.LocationId is { } id => $"no named location has id {id}: check location_id (Entra admin center, Conditional Access, Named locations)",
        EntraErrorCode.NamedLocationNotFound => $"no named location is called '{settings.LocationName}': check location_name, or create an IP named location with that name",
        EntraErrorCode.NotAnIpNamedLocation => "the location is a countries location, not an IP ranges location: point location_id or location_name at an IP ranges location",
        EntraErrorCode.NamedLocationNameAmbiguous => $"several named locations are called '{settings.LocationName}': give location_id instead, or rename all but one",
        EntraErrorCode.AuthorizationFailed => "reading the location was refused: grant the app Policy.Read.All, then an administrator's consent",
        _ => error.Message,
    };

    private static void Print(IReadOnlyList<DoctorCheck> checks)
    {
        var console = CliConsole.ForStandardOutput();
        var width = checks.Max(check => check.Name.Length);
        foreach (var check in checks)
        {
            var code = check.Code is null ? string.Empty : $" [{check.Code}]";
            var line = $"{check.Status,-4}  {check.Name.PadRight(width)}  {check.Detail}{code}";
            switch (check.Status)
            {
                case DoctorCheck.Fail:
                    console.Failure(line);
                    break;
                case DoctorCheck.Warn:
                    console.Warning(line);
                    break;
                default:
                    console.Success(line);
                    break;
            }
        }

        var failed = checks.Count(check => check.Status == DoctorCheck.Fail);
        var warned = checks.Count(check => check.Status == DoctorCheck.Warn);
        console.Line();
        console.Note(failed > 0
            ? $"{failed} failed, {warned} warning(s): fix the fail lines first; later checks stop where they cannot run."
            : $"no check failed, {warned} warning(s).");
    }
}

/// <summary>One check of <c>doctor</c>, as printed and as <c>--json</c> gives it.</summary>
/// <param name="Name">What was checked.</param>
/// <param name="Status"><c>ok</c>, <c>warn</c> or <c>fail</c>: one casing in text and JSON.</param>
/// <param name="Detail">What was found and, unless ok, what to do about it: one line.</param>
/// <param name="Code">The ENTRA code behind a failure, such as <c>ENTRA001</c>; null otherwise.</param>
internal sealed record DoctorCheck(string Name, string Status, string Detail, string? Code)
{
    /// <summary>The check passed.</summary>
    public const string Ok = "ok";

    /// <summary>The check passed with something to look at.</summary>
    public const string Warn = "warn";

    /// <summary>The check failed.</summary>
    public const string Fail = "fail";

    /// <summary>A passed check.</summary>
    /// <param name="name">What was checked.</param>
    /// <param name="detail">What was found.</param>
    /// <returns>The check.</returns>
    public static DoctorCheck Passed(string name, string detail) => new(name, Ok, detail, null);

    /// <summary>A warning.</summary>
    /// <param name="name">What was checked.</param>
    /// <param name="detail">What was found and what to do.</param>
    /// <returns>The check.</returns>
    public static DoctorCheck Warned(string name, string detail) => new(name, Warn, detail, null);

    /// <summary>A failure without an ENTRA code.</summary>
    /// <param name="name">What was checked.</param>
    /// <param name="detail">What was found and what to fix.</param>
    /// <returns>The check.</returns>
    public static DoctorCheck Failed(string name, string detail) => new(name, Fail, detail, null);

    /// <summary>A failure with an ENTRA code.</summary>
    /// <param name="name">What was checked.</param>
    /// <param name="detail">What was found and what to fix.</param>
    /// <param name="code">The code.</param>
    /// <returns>The check.</returns>
    public static DoctorCheck Failed(string name, string detail, EntraErrorCode code) => new(name, Fail, detail, EntraErrorCatalog.Format(code));

    /// <summary>A failure from an ENTRA error.</summary>
    /// <param name="name">What was checked.</param>
    /// <param name="detail">What was found and what to fix.</param>
    /// <param name="error">The error.</param>
    /// <returns>The check.</returns>
    public static DoctorCheck Failed(string name, string detail, EntraException error) => new(name, Fail, detail, error.CodeText);
}
