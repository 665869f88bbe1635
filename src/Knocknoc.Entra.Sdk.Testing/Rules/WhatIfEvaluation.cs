using System.Net;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Testing.Rules;

/// <summary>
/// How the emulator's What If judges one policy for a sign-in: the policy's state and its location condition, which
/// it models; anything it cannot decide from the sign-in (a countries location, the MFA trusted IPs) is
/// <c>notEnoughInformation</c>, never a guess. Users and applications always match: emulated policies target all.
/// </summary>
internal static class WhatIfEvaluation
{
    /// <summary>The built-in "MFA trusted IPs" location: per-user MFA settings the emulator does not hold.</summary>
    private const string MfaTrustedIps = "00000000-0000-0000-0000-000000000000";

    public static (EmulatedPolicy Policy, bool Applies, string Reasons) Judge(EmulatedPolicy policy, IPAddress address, IReadOnlyList<EmulatedNamedLocation> locations)
    {
        // A disabled policy is never applied; whether Graph still names the location beside it is not documented.
        if (policy.State == "disabled")
        {
            return (policy, false, "policyNotEnabled");
        }

        if (policy.IncludeLocations is null && policy.ExcludeLocations is null)
        {
            return (policy, true, "notSet");
        }

        var included = policy.IncludeLocations is { Length: > 0 } include ? AnyMatches(include, address, locations) : true;
        var excluded = policy.ExcludeLocations is { Length: > 0 } exclude ? AnyMatches(exclude, address, locations) : false;
        // What is known decides first: outside every included location, or inside an excluded one, is not applying
        // whatever the unknown part says.
        if (included == false || excluded == true)
        {
            return (policy, false, "location");
        }

        return included is null || excluded is null ? (policy, false, "notEnoughInformation") : (policy, true, "notSet");
    }

    /// <summary>Whether the address is in any of the named locations (true, false, or null when that cannot be told).</summary>
    private static bool? AnyMatches(IEnumerable<string> values, IPAddress address, IReadOnlyList<EmulatedNamedLocation> locations)
    {
        var unknown = false;
        foreach (var value in values)
        {
            switch (Matches(value, address, locations))
            {
                case true:
                    return true;
                case null:
                    unknown = true;
                    break;
            }
        }

        return unknown ? null : false;
    }

    private static bool? Matches(string value, IPAddress address, IReadOnlyList<EmulatedNamedLocation> locations)
    {
        if (string.Equals(value, "All", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (string.Equals(value, "AllTrusted", StringComparison.OrdinalIgnoreCase))
        {
            // The MFA trusted IPs count as trusted too, and the emulator does not hold them: only a match decides.
            return locations.Any(location => location.IsTrusted && !location.IsCountryLocation && Contains(location, address)) ? true : null;
        }

        if (value == MfaTrustedIps)
        {
            return null;
        }

        var named = locations.FirstOrDefault(location => string.Equals(location.Id, value, StringComparison.OrdinalIgnoreCase));
        return named switch
        {
            null => false,
            { IsCountryLocation: true } => null,
            _ => Contains(named, address),
        };
    }

    private static bool Contains(EmulatedNamedLocation location, IPAddress address) =>
        location.IpRanges.Any(text => Cidr.TryParseLenient(text, out var range, out _) && range.Contains(address));
}
