namespace Knocknoc.Entra.Cli.Output;

/// <summary>When the tool colours its output: only on a terminal, and never when <c>NO_COLOR</c> is set (no-color.org).</summary>
internal static class ColourPolicy
{
    /// <summary>Decides for the process's standard output.</summary>
    /// <returns>True when colour may be used.</returns>
    public static bool ForStandardOutput() =>
        Decide(Console.IsOutputRedirected, Environment.GetEnvironmentVariable("NO_COLOR"), Environment.GetEnvironmentVariable("TERM"));

    /// <summary>Decides from the facts: a redirected stream, a non-empty <c>NO_COLOR</c> or a dumb terminal mean no colour.</summary>
    /// <param name="outputRedirected">Whether the output is a file or a pipe rather than a terminal.</param>
    /// <param name="noColor">The value of <c>NO_COLOR</c>, or null when unset.</param>
    /// <param name="term">The value of <c>TERM</c>, or null when unset.</param>
    /// <returns>True when colour may be used.</returns>
    public static bool Decide(bool outputRedirected, string? noColor, string? term) =>
        !outputRedirected && string.IsNullOrEmpty(noColor) && !string.Equals(term, "dumb", StringComparison.Ordinal);
}
