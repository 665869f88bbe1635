using System.CommandLine;
using Knocknoc.Entra.Cli.Runtime;

namespace Knocknoc.Entra.Cli.Commands;

/// <summary>
/// <c>grant --expires TIME</c> and <c>grant --for DURATION</c>: when the granted address is removed again. One or
/// the other; the removal happens at the first run of the tool on this host that changes the location after that
/// time, or at <c>knocknoc-entra expire</c> (run it from a timer).
/// </summary>
internal sealed class ExpiryOptions
{
    private readonly Option<DateTimeOffset?> _expires = OptionValues.Time("--expires");
    private readonly Option<TimeSpan?> _for = OptionValues.Duration("--for");

    /// <summary>Initializes a new instance of the <see cref="ExpiryOptions"/> class.</summary>
    public ExpiryOptions()
    {
        _expires.Description = "Remove the address again at this time (ISO 8601 with its offset); it is removed by the first run of this tool that changes the location after it, or by 'knocknoc-entra expire'.";
        _for.Description = "Remove the address again after this long (90m, 8h, 1d or h:mm); as --expires, counted from now.";
    }

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    /// <param name="command">The command.</param>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(_expires);
        command.Options.Add(_for);
    }

    /// <summary>When the grant expires, from the options given.</summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <param name="now">The time now.</param>
    /// <returns>The time, or null when neither option is given.</returns>
    /// <exception cref="UsageException">Both are given, or <c>--expires</c> has already passed.</exception>
    public DateTimeOffset? Resolve(ParseResult parseResult, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var expires = parseResult.GetValue(_expires);
        var duration = parseResult.GetValue(_for);
        if (expires is not null && duration is not null)
        {
            throw UsageException.For("--for", "give either --expires or --for, not both");
        }

        if (expires <= now)
        {
            throw UsageException.For("--expires", $"'{parseResult.GetResult(_expires)!.Tokens[^1].Value}' has already passed");
        }

        return expires ?? now + duration;
    }
}
