using System.CommandLine;
using System.Net;
using Knocknoc.Entra.Cli.Configuration;
using Knocknoc.Entra.Cli.Output;
using Knocknoc.Entra.Cli.Runtime;
using Knocknoc.Entra.Sdk.Graph;

namespace Knocknoc.Entra.Cli.Commands;

/// <summary>
/// <c>knocknoc-entra whatif --user U --ip A [--app ID]</c>: asks Entra's What If which Conditional Access policies apply
/// to a sign-in of that user from that address, and why the others do not. Reads only (Policy.Read.ConditionalAccess).
/// </summary>
internal static class WhatIfCommand
{
    /// <summary>Creates the command.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        var connection = new ConnectionOptions(withLocation: false);
        var user = new Option<string>("--user") { Description = "The user signing in: object id or user principal name.", Required = true };
        var ip = new Option<string>("--ip") { Description = "The address the sign-in comes from (IPv4 or IPv6).", Required = true };
        var app = new Option<string?>("--app") { Description = $"The application (client) id signed in to; Office 365 Exchange Online ({WhatIfSignIn.DefaultApplicationId}) when left out." };
        var json = CommonOptions.Json();
        var command = new Command("whatif", "Shows which Conditional Access policies Entra applies to a user's sign-in from an address, and why (What If; reads only).");
        connection.AddTo(command);
        command.Options.Add(user);
        command.Options.Add(ip);
        command.Options.Add(app);
        command.Options.Add(json);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var text = parseResult.GetValue(ip)!;
            if (!IPAddress.TryParse(text, out var address))
            {
                throw UsageException.For("--ip", $"'{text}' is not an IPv4 or IPv6 address");
            }

            var settings = connection.Load(parseResult);
            settings.Require(needLocation: false);
            using var client = ConnectionOptions.CreateClient(settings);
            var signIn = new WhatIfSignIn(parseResult.GetValue(user)!, address) { ApplicationId = parseResult.GetValue(app) ?? WhatIfSignIn.DefaultApplicationId };
            var results = await client.EvaluateAsync(signIn, cancellationToken).ConfigureAwait(false);
            var rows = results.Select(result => new WhatIfRow(result.Policy.DisplayName, result.Policy.Id, State(result.Policy.State), result.PolicyApplies, [.. result.AnalysisReasons])).ToList();
            if (parseResult.GetValue(json))
            {
                CliJson.Write(Console.Out, rows, CliJsonContext.Default.ListWhatIfRow);
                return ExitCodes.Success;
            }

            var console = CliConsole.ForStandardOutput();
            console.Line($"What If: {signIn.UserId} signing in from {address} to {signIn.ApplicationId}");
            var table = Tables.Create("policy", "state", "applies", "why");
            foreach (var row in rows)
            {
                table.Row(row.Policy, row.State, row.Applies ? "yes" : "no", string.Join(", ", row.Reasons));
            }

            console.Write(table);
            console.Note($"{rows.Count(row => row.Applies)} of {rows.Count} policies apply; 'location' means the location condition kept a policy from applying, 'notEnoughInformation' that What If could not decide it from the address alone.");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A policy's state as Graph and the portal spell it.</summary>
    public static string State(ConditionalAccessPolicyState state) => state switch
    {
        ConditionalAccessPolicyState.Enabled => "on",
        ConditionalAccessPolicyState.Disabled => "off",
        ConditionalAccessPolicyState.EnabledForReportingButNotEnforced => "report-only",
        _ => "unknown",
    };
}

/// <summary>One policy as <c>whatif</c> shows it.</summary>
/// <param name="Policy">The policy's name.</param>
/// <param name="Id">The policy's id.</param>
/// <param name="State"><c>on</c>, <c>off</c>, <c>report-only</c> or <c>unknown</c>.</param>
/// <param name="Applies">Whether it applies to the sign-in.</param>
/// <param name="Reasons">What If's <c>analysisReasons</c>.</param>
internal sealed record WhatIfRow(string Policy, string Id, string State, bool Applies, List<string> Reasons);
