using System.Reflection;
using Knocknoc.Entra.Sdk.Diagnostics;
using Knocknoc.Entra.Sdk.Tests.Gate;
using Microsoft.Extensions.Logging;

namespace Knocknoc.Entra.Sdk.Tests.Diagnostics;

/// <summary>Grant ids and other caller text in logs and exception messages: escaped, capped, one rule everywhere.</summary>
public class ShownTextTests
{
    /// <summary>A grant id built to forge a log line, recolour a terminal and reverse what follows it.</summary>
    private const string HostileId = "alice\r\nAudit: granted mallory\u001b[31m\u202e";

    private const string HostileIdShown = "alice\\u000D\\u000AAudit: granted mallory\\u001B[31m\\u202E";

    [TestCase("alice@example.com", "alice@example.com")]
    [TestCase("", "")]
    [TestCase("a\rb", "a\\u000Db")]
    [TestCase("a\nb\u0085c\u2028d", "a\\u000Ab\\u0085c\\u2028d")]
    [TestCase("\u001b[31mred", "\\u001B[31mred")]
    [TestCase("user\u202egnp.exe", "user\\u202Egnp.exe", Description = "right-to-left override")]
    [TestCase("\u2066isolated\u2069", "\\u2066isolated\\u2069")]
    [TestCase("zero\u200bwidth", "zero\\u200Bwidth")]
    [TestCase("\u0430lice", "\\u0430lice", Description = "Cyrillic a: not a look-alike of alice")]
    [TestCase("CONTOSO\\alice", "CONTOSO\\\\alice", Description = "a backslash is doubled, so no id shows as another's escape")]
    [TestCase("alice\\u000D", "alice\\\\u000D")]
    [TestCase("a\0b\u007f", "a\\u0000b\\u007F")]
    public void Caller_text_is_shown_escaped(string text, string shown)
    {
        Assert.That(ShownText.Of(text), Is.EqualTo(shown));
        Assert.That(ShownText.FromString(text).ToString(), Is.EqualTo(shown), "as a log parameter");
    }

    [Test]
    public void Long_text_is_cut_with_its_length_and_a_hash_that_tells_two_apart()
    {
        var first = new string('a', 100) + "1";
        var second = new string('a', 100) + "2";

        var shownFirst = ShownText.Of(first);
        var shownSecond = ShownText.Of(second);

        Assert.That(shownFirst, Does.StartWith(new string('a', ShownText.MaxLength) + "... (101 characters, #"));
        Assert.That(shownFirst, Is.Not.EqualTo(shownSecond));
        Assert.That(ShownText.Of(new string('a', ShownText.MaxLength)), Is.EqualTo(new string('a', ShownText.MaxLength)), "at the cap, nothing is cut");
    }

    [Test]
    public void An_escape_is_never_cut_in_half()
    {
        var shown = ShownText.Of(new string('a', ShownText.MaxLength - 3) + "\r\r");

        Assert.That(shown, Does.StartWith(new string('a', ShownText.MaxLength - 3) + "... ("));
    }

    [Test]
    public void No_log_entry_takes_a_raw_string_of_text_the_SDK_did_not_write()
    {
        // Parameters that are the SDK's own words: an ENTRA message (built from shown text), HTTP method, ENTRA code,
        // exception type name, the client-request-id the SDK made.
        string[] own = ["message", "method", "code", "exception", "clientRequestId"];
        var raw = typeof(ShownText).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(method => method.GetCustomAttribute<LoggerMessageAttribute>() is not null)
            .SelectMany(method => method.GetParameters().Select(parameter => (method, parameter)))
            .Where(p => p.parameter.ParameterType == typeof(string) && !own.Contains(p.parameter.Name))
            .Select(p => $"{p.method.DeclaringType!.Name}.{p.method.Name}({p.parameter.Name})")
            .ToList();

        Assert.That(raw, Is.Empty, "make these ShownText parameters");
    }

    [Test]
    public async Task A_hostile_grant_id_reaches_no_log_entry_or_exception_raw()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();

        await gate.GrantAsync(HostileId, "203.0.113.7", bed.Now.AddHours(1));
        await gate.GrantAsync(HostileId, "198.51.100.7", bed.Now.AddHours(1));
        await gate.RevokeAsync(HostileId);
        var refused = Assert.ThrowsAsync<EntraException>(() => gate.GrantAsync(HostileId, "203.0.113.9", bed.Now.AddHours(-1)))!;

        var audit = bed.Logs.Entries.Where(e => e.EventId.Id is >= 1100 and < 1110).Select(e => e.Text).ToList();
        Assert.That(audit, Has.Count.EqualTo(3), "granted, moved, revoked");
        foreach (var text in audit.Append(refused.Message))
        {
            Assert.That(text, Does.Contain(HostileIdShown));
            Assert.That(text.Where(c => c is '\r' or '\n' or '\u001b' or '\u202e'), Is.Empty, text);
        }

        // The structured state too: CapturingLoggerProvider appends every value as the provider would show it.
        Assert.That(audit, Has.All.Contains($"GrantId={typeof(ShownText).FullName}:{HostileIdShown}"));
    }

    [Test]
    public void Credential_ids_are_shown_escaped_in_their_refusal()
    {
        var error = Assert.Throws<ArgumentException>(() => EntraCredential.ClientSecret("tenant\r\nforged", "0c1d2e3f-0000-4000-8000-00000000bb02", "s"))!;

        Assert.That(error.Message, Does.StartWith("'tenant\\u000D\\u000Aforged' is not a tenant id"));
    }

    [Test]
    public async Task A_hostile_location_name_is_shown_escaped_when_no_location_has_it()
    {
        await using var bed = new GateTestBed();

        var error = Assert.ThrowsAsync<EntraException>(() => bed.StartGateAsync(o =>
        {
            o.LocationId = null;
            o.LocationDisplayName = "vpn\u202e\r\n";
        }))!;

        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.NamedLocationNotFound));
        Assert.That(error.Message, Does.Contain("No named location is called 'vpn\\u202E\\u000D\\u000A'"));
    }
}
