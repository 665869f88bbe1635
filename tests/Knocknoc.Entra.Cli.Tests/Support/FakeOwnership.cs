using Knocknoc.Entra.Cli.State;

namespace Knocknoc.Entra.Cli.Tests.Support;

/// <summary>The real file facts, with the owner of chosen paths replaced: another user's files without another user.</summary>
internal sealed class FakeOwnership(IFileOwnership real) : IFileOwnership
{
    public const uint AnotherUser = 4242;

    private readonly HashSet<string> _foreign = new(StringComparer.Ordinal);

    public uint? CurrentUser => real.CurrentUser ?? 1000;

    public void OwnedByAnotherUser(string path) => _foreign.Add(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));

    public FileFacts Inspect(string path)
    {
        var facts = real.Inspect(path);
        var foreign = _foreign.Contains(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
        return facts.Kind == FileKind.Missing ? facts : facts with { Owner = foreign ? AnotherUser : CurrentUser };
    }
}
