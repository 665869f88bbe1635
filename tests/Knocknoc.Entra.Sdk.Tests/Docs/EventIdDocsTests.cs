using System.Reflection;
using System.Text.RegularExpressions;
using Knocknoc.Entra.Sdk.Diagnostics;
using Knocknoc.Entra.Tests;
using Microsoft.Extensions.Logging;

namespace Knocknoc.Entra.Sdk.Tests.Docs;

/// <summary>
/// docs/embedding.md's table of log events lists every named event the SDK logs (EventId 1000 and above: calls, audit,
/// the gate, hosting) with its name, and no event the SDK does not log: operators route and alert on these numbers.
/// Each is a public constant of its area (<see cref="GraphEventId"/>, ...) and failures sit from 2000, never at 0.
/// </summary>
public partial class EventIdDocsTests
{
    [Test]
    public void The_event_table_lists_every_event_the_SDK_logs_and_no_other()
    {
        var logged = LoggedEvents()
            .Where(attribute => attribute.EventId >= 1000)
            .Select(attribute => attribute.EventName is { } name ? $"{attribute.EventId} `{name}`" : $"{attribute.EventId}")
            .Order()
            .ToList();
        var markdown = File.ReadAllText(Path.Combine(Repository.Root(), "docs", "embedding.md"));
        var documented = TableRow().Matches(markdown).Select(match => match.Groups["event"].Value.Trim()).Order().ToList();

        Assert.That(documented, Is.EqualTo(logged));
    }

    [Test]
    public void Every_logged_event_is_a_public_constant_of_its_area_named_as_it_is_logged_and_every_constant_is_logged()
    {
        var logged = LoggedEvents().Select(attribute => (attribute.EventId, attribute.EventName)).Order().ToList();
        var constants = new[] { typeof(GraphEventId), typeof(AuditEventId), typeof(GateEventId), typeof(HostingEventId) }
            .SelectMany(area => area.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(field => field.IsLiteral)
            .Select(field => ((int)field.GetRawConstantValue()!, (string?)field.Name))
            .Order()
            .ToList();

        Assert.That(logged, Is.EqualTo(constants));
    }

    [Test]
    public void Failures_are_documented_from_event_2000_and_none_is_event_0()
    {
        var markdown = File.ReadAllText(Path.Combine(Repository.Root(), "docs", "embedding.md"));

        Assert.That(markdown, Does.Contain("| 2000-2066, 2999 |"));
        Assert.That(Enum.GetValues<Knocknoc.Entra.Sdk.EntraErrorCode>().Select(FailureEventId.For), Has.All.InRange(FailureEventId.First, FailureEventId.Unknown - 1));
        Assert.That(LoggedEvents().Select(attribute => attribute.EventId), Has.None.EqualTo(0));
    }

    private static IEnumerable<LoggerMessageAttribute> LoggedEvents() =>
        typeof(ShownText).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(method => method.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>();

    [GeneratedRegex(@"^\| (?<event>1\d{3}(?: `\w+`)?) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
