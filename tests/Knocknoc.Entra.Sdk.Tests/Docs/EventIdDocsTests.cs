using System.Reflection;
using System.Text.RegularExpressions;
using Knocknoc.Entra.Sdk.Diagnostics;
using Knocknoc.Entra.Tests;
using Microsoft.Extensions.Logging;

namespace Knocknoc.Entra.Sdk.Tests.Docs;

/// <summary>
/// docs/embedding.md's table of log events lists every named event the SDK logs (EventId 1000 and above: calls, audit,
/// the gate, hosting) with its name, and no event the SDK does not log: operators route and alert on these numbers.
/// </summary>
public partial class EventIdDocsTests
{
    [Test]
    public void The_event_table_lists_every_event_the_SDK_logs_and_no_other()
    {
        var logged = typeof(ShownText).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(method => method.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .Where(attribute => attribute.EventId >= 1000)
            .Select(attribute => attribute.EventName is { } name ? $"{attribute.EventId} `{name}`" : $"{attribute.EventId}")
            .Order()
            .ToList();
        var markdown = File.ReadAllText(Path.Combine(Repository.Root(), "docs", "embedding.md"));
        var documented = TableRow().Matches(markdown).Select(match => match.Groups["event"].Value.Trim()).Order().ToList();

        Assert.That(documented, Is.EqualTo(logged));
    }

    [GeneratedRegex(@"^\| (?<event>1\d{3}(?: `\w+`)?) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
