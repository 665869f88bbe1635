using System.Reflection;
using System.Text.RegularExpressions;
using Knocknoc.Entra.Tests;
using Microsoft.Extensions.Logging;

namespace Knocknoc.Entra.Sdk.PostgreSql.Tests;

/// <summary>
/// docs/high-availability.md's table of log events lists every event the package logs, with its name and level, and
/// no other: operators alert on a writer stepping down or a loop failing by these numbers.
/// </summary>
public partial class EventIdDocsTests
{
    [Test]
    public void The_event_table_lists_every_event_the_package_logs_with_its_level_and_no_other()
    {
        var logged = typeof(PostgreSqlNamedLocationGate).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(method => method.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .Select(attribute => $"{attribute.EventId} `{attribute.EventName}` | {attribute.Level}")
            .Order()
            .ToList();
        var markdown = File.ReadAllText(Path.Combine(Repository.Root(), "docs", "high-availability.md"));
        var documented = TableRow().Matches(markdown).Select(match => match.Groups["event"].Value).Order().ToList();

        Assert.That(logged, Is.Not.Empty);
        Assert.That(documented, Is.EqualTo(logged));
    }

    [GeneratedRegex(@"^\| (?<event>13\d{2} `\w+` \| \w+) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
