using System.Runtime.Versioning;

namespace Knocknoc.Entra.Cli.Tests.Support;

/// <summary>The tool's state directory in a test (<see cref="LoopbackTenant.Environment"/> points the tool at it), and paths in it.</summary>
[UnsupportedOSPlatform("windows")]
internal static class StatePaths
{
    public static string Root(LoopbackTenant tenant) => Path.Combine(tenant.Directory, "state");

    public static string Spool(LoopbackTenant tenant, string acl) => Path.Combine(Root(tenant), "acl", acl, "spool");

    public static string AclQuarantine(LoopbackTenant tenant, string acl) => Path.Combine(Root(tenant), "acl", acl, "quarantine");

    public static string Location(LoopbackTenant tenant, string locationId) => Path.Combine(Root(tenant), "location", locationId);

    /// <summary>Creates a directory and its parents as the tool would (mode 700), for a test to plant files in.</summary>
    public static string Create(string path)
    {
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
