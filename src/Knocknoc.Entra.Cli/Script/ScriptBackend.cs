using Knocknoc.Entra.Cli.Changes;
using Knocknoc.Entra.Cli.Configuration;
using Knocknoc.Entra.Cli.State;

namespace Knocknoc.Entra.Cli.Script;

/// <summary>
/// Knocknoc's script backend: many processes at once (one per sign-in) must neither lose each other's changes nor
/// cost one write each. Each ACL has its queue (<c>state_dir/acl/ACL/</c>); its changes go to the location
/// <c>acl.ACL</c> names, else the one called <c>name_prefix + ACL</c>, through the location's one lock and journal,
/// which <c>grant</c>, <c>revoke</c> and <c>flush</c> share.
/// </summary>
internal static class ScriptBackend
{
    /// <summary>Whether an ACL name is usable as a directory and a location name suffix.</summary>
    /// <param name="acl">The name.</param>
    /// <returns>True when it is: 1 to 100 letters, digits, '_', '-' and '.', not starting with '.'.</returns>
    public static bool IsValidAcl(string acl) => StateDirectory.IsSafeName(acl);

    /// <summary>The location of an ACL.</summary>
    /// <param name="settings">The settings.</param>
    /// <param name="acl">The ACL.</param>
    /// <returns>The configured id, or the prefixed name to look up.</returns>
    /// <exception cref="ConfigurationException">The configured id is not a Graph id.</exception>
    public static LocationTarget Target(CliSettings settings, string acl)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Acls.TryGetValue(acl, out var id))
        {
            return new LocationTarget(null, settings.NamePrefix + acl);
        }

        return StateDirectory.IsSafeName(id)
            ? new LocationTarget(id, null)
            : throw new ConfigurationException($"the location id of acl.{acl} is not a named location id (letters, digits and '-')");
    }
}
