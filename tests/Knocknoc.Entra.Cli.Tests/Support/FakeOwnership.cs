using Knocknoc.Entra.Cli.State;

namespace Knocknoc.Entra.Cli.Tests.Support;

/// <summary>The real file facts, with the owner of chosen paths replaced: another user's files without another user.</summary>
internal sealed class FakeOwnership(IFileOwnership real) : IFileOwnership
{
    public const uint AnotherUser = 4242;

    private readonly HashSet<string> _foreign = new(StringComparer.Ordinal);

    public uint? CurrentUser => real.CurrentUser ?? 1000;

    public void OwnedByAnotherUser(string path) => _foreign.Add(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));

    /// <summary>Gets or sets what happens to a path just before it is looked at (a concurrent rename, say).</summary>
    public Action<string>? BeforeInspect { get; set; }

    /// <summary>Gets or sets what happens to a path just after it was looked at.</summary>
    public Action<string>? AfterInspect { get; set; }

    public FileFacts Inspect(string path)
    {
        BeforeInspect?.Invoke(path);
        var facts = real.Inspect(path);
        AfterInspect?.Invoke(path);
        var foreign = _foreign.Contains(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
        return facts.Kind == FileKind.Missing ? facts : facts with { Owner = foreign ? AnotherUser : CurrentUser };
    }
}
